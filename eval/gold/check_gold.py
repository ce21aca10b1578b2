"""Sanity checks shared by the gold sets written from report text (blind/, realdev/).
Checks: every line is JSON with exactly the schema keys; ids unique; doc exists;
evidence is a verbatim substring of doc; the answer appears in the evidence as printed
(Vietnamese number format); shares of unanswerable / no-diacritics items.
"""
import json, os, re, sys, unicodedata, csv
REQ = ['id','doc','province','period','question_vi','question_en','answer','unit','evidence','kind']
OPT = {'trap','difficulty','paraphrase_of','qualifier'}
KINDS = {'count','percent','money','date-free numeric','unanswerable'}

def vi_forms(a):
    forms = set()
    if isinstance(a, bool) or a is None:
        return forms
    if float(a).is_integer():
        n = int(round(a))
        forms.add(str(n)); forms.add(f"{n:,}".replace(',', '.'))
        forms.add(f"{n:02d}"); forms.add(f"{n:03d}")
    else:
        s = repr(float(a))
        ip, dp = s.split('.')
        ipf = f"{int(ip):,}".replace(',', '.')
        forms.add(f"{ipf},{dp}"); forms.add(f"{ip},{dp}"); forms.add(s)
    return forms

def in_evidence(a, ev):
    for f in vi_forms(a):
        if re.search(r'(?<![\d.,])' + re.escape(f) + r'(?![\d]|[.,]\d)', ev):
            return True
    return False

def has_diacritics(s):
    return any(unicodedata.category(c) == 'Mn' for c in unicodedata.normalize('NFD', s)) or 'đ' in s.lower()

def check(path, texts, paraphrase=False, src=None):
    errs = []; ids = set(); rows = []
    for ln, line in enumerate(open(path, encoding='utf-8'), 1):
        try:
            o = json.loads(line)
        except Exception as e:
            errs.append(f'{path}:{ln} bad JSON {e}'); continue
        rows.append(o)
        miss = [k for k in REQ if k not in o]
        extra = set(o) - set(REQ) - OPT
        if miss: errs.append(f'{o.get("id")}: missing {miss}')
        if extra: errs.append(f'{o.get("id")}: extra keys {extra}')
        if o['id'] in ids: errs.append(f'dup id {o["id"]}')
        ids.add(o['id'])
        if o['kind'] not in KINDS: errs.append(f'{o["id"]}: kind {o["kind"]}')
        doc = o['doc']
        if doc is not None and doc not in texts: errs.append(f'{o["id"]}: doc missing {doc}')
        ev = o['evidence']
        if o['answer'] is None:
            if o['kind'] != 'unanswerable': errs.append(f'{o["id"]}: null answer but kind {o["kind"]}')
            if ev is not None and not any(ev in t for t in texts.values()):
                errs.append(f'{o["id"]}: unanswerable evidence not verbatim in any corpus file')
        else:
            if doc is None: errs.append(f'{o["id"]}: answer without doc')
            elif ev is None or ev not in texts[doc]: errs.append(f'{o["id"]}: evidence not verbatim in {doc}')
            elif not in_evidence(o['answer'], ev): errs.append(f'{o["id"]}: answer {o["answer"]} not in evidence')
        if paraphrase:
            if 'paraphrase_of' not in o: errs.append(f'{o["id"]}: no paraphrase_of')
    return rows, errs

def check_set(here, name):
    """The corpus in `here`/corpus and the questions in `here`/`name`: prints counts and errors, returns ok."""
    corpus = os.path.join(here, 'corpus')
    texts = {f: open(os.path.join(corpus, f), encoding='utf-8').read() for f in os.listdir(corpus) if f.endswith('.txt')}
    meta = list(csv.DictReader(open(os.path.join(corpus, 'metadata.csv'), encoding='utf-8')))
    ok = True
    print(f'corpus: {len(texts)} files, {len(set(m["province"] for m in meta))} provinces; metadata rows {len(meta)}')
    if set(m['file'] for m in meta) != set(texts): print('metadata/file mismatch'); ok = False
    rows, errs = check(os.path.join(here, name), texts)
    n = len(rows); un = sum(r['answer'] is None for r in rows)
    nd = sum(not has_diacritics(r['question_vi']) for r in rows)
    print(f'{name}: {n} questions, unanswerable {un} ({un/n:.1%}), without diacritics {nd} ({nd/n:.1%}), '
          f'hard {sum(r.get("difficulty")=="hard" for r in rows)}, provinces asked {len(set(r["province"] for r in rows))}')
    for e in errs: print('  ERR', e)
    return ok and not errs


def main(argv):
    """`python3 eval/gold/check_gold.py eval/gold/realdev5` (the questions file defaults to the folder's
    name + .jsonl): one readable set's checks, from the repository root."""
    if len(argv) not in (2, 3):
        print('usage: python3 eval/gold/check_gold.py FOLDER [QUESTIONS.jsonl]')
        return 2
    folder = argv[1].rstrip('/')
    name = argv[2] if len(argv) == 3 else os.path.basename(folder) + '.jsonl'
    ok = check_set(folder, name)
    print('ALL CHECKS PASSED' if ok else 'CHECKS FAILED')
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main(sys.argv))
