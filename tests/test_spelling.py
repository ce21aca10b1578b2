"""Typing slips read as the words of the reports they miss (rag.text.spelling, Asker.spell)."""

from __future__ import annotations

from pathlib import Path

from rag.text.spelling import correct_typos, correction, known_words

VOCAB = known_words("tang thong vien doanh thu dinh internet truc tuyen giai ngan nang von hang gian".split())
PAIRS = frozenset({"giai_ngan", "ngan_von"})


def test_a_slip_is_read_as_the_one_known_word_it_misses() -> None:
    assert correct_typos("DT vien thnog tnag bn %", VOCAB) == "DT vien thong tang bn %"
    assert correct_typos("so TB internt co dihn", VOCAB) == "so TB internet co dinh"
    assert correct_typos("ty le truc tuyne", VOCAB) == "ty le truc tuyen"


def test_of_two_near_words_the_one_its_neighbours_make_a_phrase_with() -> None:
    assert correction("nagn", VOCAB.__contains__) is None  # "ngan" and "nang" alike
    assert correct_typos("da giai nagn von", VOCAB, PAIRS) == "da giai ngan von"


def test_what_is_typed_as_meant_is_left_alone() -> None:
    # a known word, one with diacritics, an abbreviation in capitals, a short word, digits
    for q in ("doanh thu tang", "doanh thu tăng", "so DN BCVT", "so HS hpo", "tram 4G 2024"):
        assert correct_typos(q, VOCAB) == q
    # a province's name and the lexicon's words are known though no report of the index holds them
    assert correct_typos("Bac Lieu co bao nhieu tram", known_words({"bac"})) == ("Bac Lieu co bao nhieu tram")


def test_no_slip_is_read_as_a_provinces_name() -> None:
    """ "bcvt" one letter from "brvt" (Bà Rịa - Vũng Tàu) stays as typed: read as the province it would
    filter the question to another province."""
    vocab = ["doanh", "thu", "tang"]
    assert correct_typos("doanh thu bcvt tang", known_words(vocab)) == "doanh thu bcvt tang"
    assert "brvt" not in known_words(vocab)
    assert correction("brvx", known_words(vocab).__contains__) is None


def test_the_asker_reads_a_slip_with_the_words_of_its_index(tmp_path: Path) -> None:
    from rag.answer.asker import Asker
    from rag.core.config import Settings
    from rag.index.catalog import ingest_paths

    (tmp_path / "namdinh-2024.txt").write_text(
        "BÁO CÁO KẾT QUẢ CÔNG TÁC NĂM 2024 CỦA SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH NAM ĐỊNH\n\n"
        "1. Viễn thông\n\nDoanh thu dịch vụ viễn thông năm 2024 ước đạt 1.520 tỷ đồng, tăng 11% so với năm "
        "2023. Tổng số thuê bao Internet cố định đạt 372.440 thuê bao.\n",
        encoding="utf-8",
    )
    s = Settings(
        index_dir=tmp_path / "index", embedder="none", answerer="extractive", log_dir=tmp_path / "logs"
    )
    ingest_paths([tmp_path / "namdinh-2024.txt"], s)
    asker = Asker.open(s)
    asker.refresh()
    assert asker.spell("TB interent co dinh Nam Dinh 2024") == "TB internet co dinh Nam Dinh 2024"
    got = asker.ask("doanh thu dich vu vien thnog Nam Dinh nam 2024 tnag bao nhieu % so 2023?").answer
    assert got.status.value == "answered" and got.value == 11, got.text


def test_the_asker_reads_a_provinces_initials_among_the_provinces_it_holds(tmp_path: Path) -> None:
    from rag.answer.asker import Asker
    from rag.core.config import Settings
    from rag.index.catalog import ingest_paths

    for name, province in (("namdinh-2024.txt", "NAM ĐỊNH"), ("ninhbinh-2024.txt", "NINH BÌNH")):
        (tmp_path / name).write_text(
            f"BÁO CÁO KẾT QUẢ CÔNG TÁC NĂM 2024 CỦA SỞ THÔNG TIN VÀ TRUYỀN THÔNG TỈNH {province}\n\n"
            f"1. Thanh tra\n\nNăm 2024, xử phạt vi phạm hành chính {len(name)} trường hợp.\n",
            encoding="utf-8",
        )
    s = Settings(
        index_dir=tmp_path / "index", embedder="none", answerer="extractive", log_dir=tmp_path / "logs"
    )
    ingest_paths([tmp_path], s)
    asker = Asker.open(s)
    asker.refresh()
    assert asker.understand("ở NĐ năm 2024 xử phạt bao nhiêu trường hợp?").filters.provinces == ("Nam Định",)
    assert asker.understand("NB 2024 xử phạt bao nhiêu trường hợp").filters.provinces == ("Ninh Bình",)
    # a province named in words is the one asked: initials are read only where none is
    assert asker.understand("Nam Định 2024, NB xử phạt bao nhiêu?").filters.provinces == ("Nam Định",)
