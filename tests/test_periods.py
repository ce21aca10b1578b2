import pytest

from rag.core.errors import ConfigError
from rag.text.periods import (
    contains,
    describe_period,
    is_period,
    normalise_period,
    overlaps,
    parse_periods,
    period_kind,
    period_mentions,
    period_sort_key,
    period_span,
    shift_year,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("năm 2024", ["2024"]),
        ("NĂM 2024", ["2024"]),
        ("nam 2024", ["2024"]),
        ("cả năm 2024", ["2024"]),
        ("tháng 8/2021", ["2021-08"]),
        ("Tháng 8 năm 2021", ["2021-08"]),
        ("tháng 08/2021", ["2021-08"]),
        ("thang 8/2021", ["2021-08"]),
        ("T8/2021", ["2021-08"]),
        # months in words, a year after them
        ("Trong tháng Tám năm 2021, doanh thu", ["2021-08"]),
        ("thang tam nam 2021", ["2021-08"]),
        ("tháng Mười Hai năm 2022", ["2022-12"]),
        ("tháng Giêng/2023", ["2023-01"]),
        ("tháng Chạp năm 2022", ["2022-12"]),
        ("kế hoạch tháng Chín năm 2021", ["2021-09"]),
        ("08/2021", ["2021-08"]),
        ("(10/2022)", ["2022-10"]),
        ("tháng 10-2022", ["2022-10"]),
        ("tháng 12/2023", ["2023-12"]),
        ("2021-08", ["2021-08"]),
        ("August 2021", ["2021-08"]),
        ("quý I năm 2023", ["2023-Q1"]),
        ("quý 1/2023", ["2023-Q1"]),
        ("Quý IV/2022", ["2022-Q4"]),
        ("quy iii nam 2023", ["2023-Q3"]),
        ("Q1/2023", ["2023-Q1"]),
        ("Q3 2023", ["2023-Q3"]),
        ("2023-Q2", ["2023-Q2"]),
        ("first quarter of 2023", ["2023-Q1"]),
        ("6 tháng đầu năm 2023", ["2023-H1"]),
        ("6 tháng năm 2023", ["2023-H1"]),
        ("6 thang dau nam 2023", ["2023-H1"]),
        ("nửa đầu năm 2023", ["2023-H1"]),
        ("2023-H1", ["2023-H1"]),
        ("first half of 2023", ["2023-H1"]),
        ("9 tháng đầu năm 2023", ["2023-9M"]),
        ("chín tháng đầu năm 2023", ["2023-9M"]),
        ("2023-9M", ["2023-9M"]),
        ("the first nine months of 2022", ["2023-9M".replace("2023", "2022")]),
        ("3 tháng đầu năm 2022", ["2022-Q1"]),
        ("lũy kế 8 tháng đầu năm 2021", ["2021-08"]),
        ("6 tháng cuối năm 2023", ["2023"]),
        ("Đến hết 2024 các DN", ["2024"]),
        ("(báo cáo 2024)", ["2024"]),
        ("tháng 8 và tháng 9 năm 2021", ["2021-08", "2021-09"]),
        ("quý I, quý II năm 2023", ["2023-Q1", "2023-Q2"]),
        ("năm 2024 và năm 2025, năm 2024", ["2024", "2025"]),
        ("kế hoạch năm 2025, định hướng đến năm 2030", ["2025", "2030"]),
        # a bare year before "tỷ lệ" or "ban hành" is a year, not "2021 tỷ (đồng)" or "2023 bản"
        ("Cuối 2021 tỷ lệ trả lương qua tài khoản", ["2021"]),
        ("năm qua, 2023 ban hành 12 văn bản", ["2023"]),
        # a province whose first word is a unit word after a number: "đồng" of Đồng Tháp, "hồ" of Hồ Chí Minh
        ("Cuối 2022 Đồng Tháp có bao nhiêu máy POS?", ["2022"]),
        ("cuoi 2023 ho chi minh co bao nhieu tram", ["2023"]),
        ("Tính đến giữa năm 2023, tỉnh có 87,74% hồ sơ", ["2023-H1"]),
        ("vung lom song 4G yen bai quy 1 2023 con bao nhieu", ["2023-Q1"]),
        # a month typed without the slash
        ("doanh thu buu chinh thang 8 2021 nam dinh", ["2021-08"]),
        ("ioffice tra vinh thang 10 2022 ty le ky so", ["2022-10"]),
        ("tháng 10 2022 tỷ lệ ký số", ["2022-10"]),
        # a span of months of one year names its quarter or half, else the report closing it
        ("hồ sơ nộp online từ tháng 7 đến tháng 9/2025", ["2025-Q3"]),
        ("tu thang 1 den thang 6 nam 2024", ["2024-H1"]),
        ("từ tháng 2 đến tháng 5/2023", ["2023-05"]),
        # the year in two digits after a month word: typed in a hurry; a bare "8/21" stays a share
        ("DT viễn thông NĐ tháng 8/21 tăng mấy %", ["2021-08"]),
        ("T2/21 bên Ninh Thuận nhận bao nhiêu hồ sơ", ["2021-02"]),
        ("thg 10/22 ty le ky so", ["2022-10"]),
        ("8/21 huyện đã triển khai", []),
        ("ngày 15/8/21", []),
    ],
)
def test_parse_periods(text, expected):
    assert parse_periods(text) == expected


def test_year_inside_longer_phrase_is_not_repeated():
    assert parse_periods("6 tháng đầu năm 2024") == ["2024-H1"]
    assert parse_periods("quý I năm 2023") == ["2023-Q1"]
    assert parse_periods("tháng 8 năm 2021") == ["2021-08"]


@pytest.mark.parametrize(
    "text",
    [
        "ngày 20/9/2022",
        "Hà Nội, ngày 20 tháng 9 năm 2022",
        "Nam Định, ngày   tháng 01 năm 2025",
        "Kế hoạch số 59/KH-UBND",
        "Nghị định số 30/2020/NĐ-CP",
        "Quyết định số 03/2021/QĐ-UBND ngày 19/02/2021 của UBND tỉnh",
        "giai đoạn 2021-2025",
        "giai đoạn 2021 - 2025",
        "năm 2021 - 2025",
        "từ năm 2021 đến năm 2025",
        "năm học 2023-2024",
        "đạt 2024 thuê bao",
        "tăng 12,5%",
        "quý khách, quý vị",
        "tháng 13/2023",
        "",
    ],
)
def test_not_periods(text):
    assert parse_periods(text) == []


def test_default_year():
    assert parse_periods("tháng 8") == []
    assert parse_periods("tháng 8", default_year=2021) == ["2021-08"]
    assert parse_periods("quý IV", default_year=2022) == ["2022-Q4"]
    assert parse_periods("sáu tháng đầu năm", default_year=2023) == ["2023-H1"]
    assert parse_periods("9 tháng đầu năm nay", default_year=2023) == ["2023-9M"]
    assert parse_periods("năm nay", default_year=2024) == ["2024"]
    # an explicit year wins over the default
    assert parse_periods("tháng 8/2021", default_year=2020) == ["2021-08"]


def test_mentions_give_spans():
    text = "Doanh thu Nam Định (8/2021) và 6 tháng đầu năm 2022."
    got = period_mentions(text)
    assert [(text[s:e], p) for s, e, p in got] == [("8/2021", "2021-08"), ("6 tháng đầu năm 2022", "2022-H1")]


def test_sample_report_dates_are_not_periods():
    text = (
        "Thực hiện Quyết định số 1034/QĐ-BTTTT ngày 21/7/2021 về việc hỗ trợ; "
        "Quy hoạch hạ tầng viễn thông thụ động giai đoạn 2015-2020. "
        "Doanh thu bưu chính, chuyển phát tháng 8 năm 2021 ước đạt: 10.000 triệu đồng tăng 5% "
        "so với cùng kỳ năm 2020. Lũy kế doanh thu đến hết tháng 8/2021 ước đạt 74.000 triệu đồng."
    )
    assert parse_periods(text) == ["2021-08", "2020"]


@pytest.mark.parametrize(
    ("p", "span", "kind"),
    [
        ("2021", (1, 12, 2021), "annual"),
        ("2021-08", (8, 8, 2021), "monthly"),
        ("2021-Q2", (4, 6, 2021), "quarterly"),
        ("2021-H1", (1, 6, 2021), "half-year"),
        ("2021-9M", (1, 9, 2021), "nine-month"),
    ],
)
def test_span_and_kind(p, span, kind):
    assert period_span(p) == span
    assert period_kind(p) == kind
    assert is_period(p)


def test_invalid_period_raises():
    for bad in ("2021-13", "2021-Q5", "21-08", "", "soon"):
        assert not is_period(bad)
        with pytest.raises(ValueError):
            period_span(bad)


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("2021", "2021-08", True),
        ("2021-08", "2021", True),
        ("2021-Q1", "2021-02", True),
        ("2021-H1", "2021-Q2", True),
        ("2021-08", "2021-02", False),
        ("2021-9M", "2021-09", True),
        ("2021-9M", "2021-10", False),
        ("2021-9M", "2021-Q4", False),
        ("2021-H1", "2021-Q3", False),
        ("2021-H1", "2021-9M", True),
        ("2021", "2022", False),
        ("2021-08", "2022-08", False),
        ("2022-10", "2022", True),
        ("", "2021", False),
        ("weird", "weird", True),
    ],
)
def test_overlaps(a, b, expected):
    assert overlaps(a, b) is expected
    assert overlaps(b, a) is expected


@pytest.mark.parametrize(
    ("outer", "inner", "expected"),
    [
        ("2021", "2021-08", True),
        ("2021-08", "2021", False),
        ("2021-H1", "2021-Q2", True),
        ("2021-H1", "2021-Q3", False),
        ("2021-9M", "2021-H1", True),
        ("2021-Q1", "2021-03", True),
        ("2021-Q1", "2021-04", False),
        ("2021", "2022-01", False),
        ("2021-08", "2021-08", True),
    ],
)
def test_contains(outer, inner, expected):
    assert contains(outer, inner) is expected


def test_shift_and_sort():
    assert shift_year("2024-H1", -1) == "2023-H1"
    assert shift_year("2021-08", 1) == "2022-08"
    assert sorted(["2021", "2021-9M", "2021-08", "2020-Q4"], key=period_sort_key) == [
        "2020-Q4",
        "2021-08",
        "2021-9M",
        "2021",
    ]


@pytest.mark.parametrize(
    ("p", "vi", "en"),
    [
        ("2021-08", "tháng 8/2021", "August 2021"),
        ("2024", "năm 2024", "2024"),
        ("2023-Q1", "quý I/2023", "Q1 2023"),
        ("2023-Q4", "quý IV/2023", "Q4 2023"),
        ("2023-H1", "6 tháng đầu năm 2023", "the first half of 2023"),
        ("2023-9M", "9 tháng đầu năm 2023", "the first nine months of 2023"),
    ],
)
def test_describe_round_trips(p, vi, en):
    assert describe_period(p) == vi
    assert describe_period(p, lang="en") == en
    assert parse_periods(vi) == [p]
    assert parse_periods(en) == [p]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2021-08", "2021-08"),
        ("2021-8", "2021-08"),
        ("8/2021", "2021-08"),
        ("08/2021", "2021-08"),
        ("tháng 8/2021", "2021-08"),
        ("2024", "2024"),
        (" năm 2024 ", "2024"),
        ("2023-Q1", "2023-Q1"),
        ("2023-q1", "2023-Q1"),
        ("Q1/2023", "2023-Q1"),
        ("quý 1/2023", "2023-Q1"),
        ("quy I nam 2023", "2023-Q1"),
        ("2023-H1", "2023-H1"),
        ("2023-h1", "2023-H1"),
        ("2023-9M", "2023-9M"),
        ("6 tháng đầu năm 2023", "2023-H1"),
    ],
)
def test_normalise_period(raw, expected):
    assert normalise_period(raw) == expected


@pytest.mark.parametrize(
    "raw", ["", "soon", "2021-13", "tháng 8", "2021 and 2022", "13/2021", "giai đoạn 2021-2025"]
)
def test_normalise_period_rejects(raw):
    with pytest.raises(ConfigError, match="2023-Q1"):
        normalise_period(raw)


def test_newest_period_orders_by_period_not_by_text():
    from rag.text.periods import newest_period

    assert newest_period(["2024-Q1", "2024-12", "2024", "not a period"]) == "2024"  # text order: 2024-Q1
    assert newest_period(["2021-08", "2021-9M"]) == "2021-9M"
    assert newest_period([]) == "" and newest_period(["?"]) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a day things stood at is the month whose report prints them
        ("Tính đến ngày 30/6/2019 có bao nhiêu trạm?", ["2019-06"]),
        ("tinh den 31/3/2025", ["2025-03"]),
        ("Đến 31/10/2023 đã giải ngân", ["2023-10"]),
        ("tới 30-6-2019", ["2019-06"]),
        ("tính đến ngày 30 tháng 6 năm 2019", ["2019-06"]),
        # N months counted from January, abbreviated or without "đầu năm"
        ("Tan cong mang Hue 10T/2023?", ["2023-10"]),
        ("TB di động 6T/2024", ["2024-H1"]),
        ("9 tháng 2023", ["2023-9M"]),
        ("11 tháng năm 2022", ["2022-11"]),
        ("T8/2021", ["2021-08"]),
    ],
)
def test_as_of_dates_and_month_counts(text, expected):
    assert parse_periods(text) == expected


def test_a_date_without_until_is_still_no_period():
    assert parse_periods("Quyết định số 03/2021/QĐ-UBND ngày 19/02/2021 của UBND tỉnh") == []
    assert parse_periods("ngày 20/9/2022") == []


def test_rules_skipped_for_lack_of_their_words_would_have_found_nothing() -> None:
    """`period_mentions` scans a text only with the rules whose words it holds: the same mentions as
    scanning every rule, on the sample, realdev and blind reports and on phrasings of every rule."""
    from pathlib import Path

    from rag.text import periods as P

    root = Path(__file__).resolve().parent.parent / "eval"
    texts = []
    for f in sorted([*root.glob("corpus/*.txt"), *root.glob("gold/*/corpus/*.txt")]):
        t = f.read_text(encoding="utf-8")
        texts += [t[i : i + 1500] for i in range(0, len(t), 700)]
    texts += [
        "tính đến ngày 30/6/2019", "tới ngày 30 tháng 6", "ngày 20/9/2022", "ngày   tháng 01 năm 2025",
        "Nghị định 13/2023/NĐ-CP", "số: 259/2023", "giai đoạn 2021-2025", "từ năm 2021 đến năm 2025",
        "6 tháng đầu năm 2023", "chín tháng năm 2022", "10T/2023", "6 tháng cuối năm 2023", "nửa đầu năm 2024",
        "quý IV/2024", "Q1/2023", "2023-Q1", "first quarter of 2023", "2024-H1", "9M/2022",
        "first half of 2024", "nine months of 2022", "tháng 8 và tháng 9 năm 2021", "T8/2021", "08/2021",
        "2021-08", "August 2021", "năm 2024", "năm nay", "so với 2023", "tháng 8/21", "T2/21",
    ]  # fmt: skip
    every = list(enumerate(P._RULES))
    for text in texts:
        gated = P.period_mentions(text, 2023)
        original, P._rules_for = P._rules_for, lambda folded: every
        try:
            assert P.period_mentions(text, 2023) == gated, text
        finally:
            P._rules_for = original
