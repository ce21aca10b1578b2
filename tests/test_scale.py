"""Issue 16's memory bound in CI time: 2,000 small reports ingested (worker processes) and served from a
fresh process as `baocao ask` would be. The bounds are far under the 1.5 GB that 10,000 real-size
reports must fit in (`make bench`, bench/scale.py); they fail when memory grows with the corpus where it
should not (every passage's words held at once, every figure loaded at start)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rag.core.config import Settings
from rag.index.catalog import ingest_paths

ROOT = Path(__file__).resolve().parent.parent
PROVINCES = ("Hà Nam", "Nam Định", "Thái Bình", "Ninh Bình", "Hưng Yên", "Hải Dương", "Bắc Ninh", "Phú Thọ")


def _small_report(i: int) -> tuple[str, str, dict]:
    province = PROVINCES[i % len(PROVINCES)]
    year, month = 2000 + i // (12 * len(PROVINCES)), (i // len(PROVINCES)) % 12 + 1
    bts, hs = 100 + i % 997, 1000 + (i * 37) % 9000
    text = (
        f"UBND TỈNH {province.upper()}\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG\n\nBÁO CÁO\n"
        f"Kết quả công tác tháng {month} năm {year}\n\nI. KẾT QUẢ THỰC HIỆN\n\n1. Viễn thông\n\n"
        f"Trong tháng, thẩm định {bts} vị trí trạm BTS; toàn tỉnh hiện có {bts * 7} trạm BTS.\n\n"
        f"2. Dịch vụ công\n\nTiếp nhận {hs} hồ sơ trực tuyến, giải quyết đúng hạn {hs - 11} hồ sơ.\n"
    )
    gold = {
        "id": f"s{i}",
        "question_vi": f"Tháng {month}/{year} {province} thẩm định bao nhiêu vị trí BTS?",
        "answer": bts,
        "unit": "vị trí",
        "doc": f"r{i:04d}.txt",
        "province": province,
        "period": f"{year}-{month:02d}",
        "question_en": f"How many BTS sites did {province} appraise in {month}/{year}?",
        "kind": "count",
        "evidence": f"thẩm định {bts} vị trí trạm BTS",
    }
    return f"r{i:04d}.txt", text, gold


def test_two_thousand_reports_are_served_within_a_memory_bound(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    golds = []
    for i in range(2000):
        name, text, gold = _small_report(i)
        (corpus / name).write_text(text, encoding="utf-8")
        golds.append(gold)
    (tmp_path / "gold.jsonl").write_text("\n".join(json.dumps(g, ensure_ascii=False) for g in golds), "utf-8")
    s = Settings(index_dir=tmp_path / "index", embedder="none", log_dir=tmp_path / "logs")
    report = ingest_paths([corpus], s)
    assert len(report.added) == 2000 and not report.failed
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.scale",
            "--serve",
            str(s.index_dir),
            "--gold",
            str(tmp_path / "gold.jsonl"),
        ]
        + ["--questions", "100", "--seed", "3"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["numeric_accuracy"] >= 0.95 and got["false_answer_rate"] <= 0.02, got
    assert got["peak_mb"] < 200, got  # a fresh process: index opened, 100 questions answered (81 MB here)
