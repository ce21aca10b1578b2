import pytest

from rag.answer.query import Query, looks_like_followup, merge_followup, parse_question, strip_filter_phrases
from rag.core.types import Filters

# (question, provinces, periods): phrasings an official types, with and without diacritics.
CASES = [
    ("Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?", ("Nam Định",), ("2024",)),
    ("thai binh nam 2024 tham dinh bao nhieu vi tri BTS?", ("Thái Bình",), ("2024",)),
    ("nam dinh nam 2024 duyet bao nhieu vi tri tram BTS cho nha mang?", ("Nam Định",), ("2024",)),
    ("NAM ĐỊNH NĂM 2024 CÓ BAO NHIÊU TRẠM BTS?", ("Nam Định",), ("2024",)),
    ("Doanh thu bưu chính Nam Định tháng 8/2021 ước đạt bao nhiêu?", ("Nam Định",), ("2021-08",)),
    ("Tháng 8/2021 Nam Định phát triển mới bao nhiêu thuê bao?", ("Nam Định",), ("2021-08",)),
    ("Số thuê bao Internet trong tháng 8 năm 2021 ở Nam Định?", ("Nam Định",), ("2021-08",)),
    ("Lũy kế doanh thu của Nam Định đến hết tháng 8/2021 là bao nhiêu?", ("Nam Định",), ("2021-08",)),
    ("Tổng số thuê bao Internet ở Nam Định (tháng 8/2021)?", ("Nam Định",), ("2021-08",)),
    ("doanh thu vien thong nam dinh T8/2021", ("Nam Định",), ("2021-08",)),
    ("doanh thu vien thong nam dinh thang 08/2021", ("Nam Định",), ("2021-08",)),
    ("Đến hết 2024 các DN viễn thông Nam Định đã tắt sóng bao nhiêu trạm 2G?", ("Nam Định",), ("2024",)),
    ("Bao nhiêu thuê bao 2G ở Nam Định đã chuyển sang 4G (số liệu năm 2024)?", ("Nam Định",), ("2024",)),
    ("so thue bao dien thoai co dinh cua Nam Dinh (bao cao 2024)?", ("Nam Định",), ("2024",)),
    ("Chỉ số DTI năm 2024 của tỉnh Nam Định xếp thứ mấy?", ("Nam Định",), ("2024",)),
    ("Ninh Thuận tháng 02/2021: cấp tỉnh tiếp nhận bao nhiêu hồ sơ?", ("Ninh Thuận",), ("2021-02",)),
    ("ty le dong bo ho so cua Ninh Thuan thang 2/2021?", ("Ninh Thuận",), ("2021-02",)),
    ("Doanh thu viễn thông tháng 01/2021 của Ninh Thuận là bao nhiêu?", ("Ninh Thuận",), ("2021-01",)),
    ("ty le van ban ky so tren iOffice Tra Vinh thang 10/2022?", ("Trà Vinh",), ("2022-10",)),
    ("Tháng 10/2022 Trà Vinh cấp mới bao nhiêu chứng thư số?", ("Trà Vinh",), ("2022-10",)),
    ("Trà Vinh tháng 10-2022 có bao nhiêu văn bản điện tử?", ("Trà Vinh",), ("2022-10",)),
    ("Sở TTTT Trà Vinh đã giải ngân được bao nhiêu vốn năm 2022?", ("Trà Vinh",), ("2022",)),
    (
        "Trà Vinh (10/2022) có nhiều hơn Ninh Thuận (02/2021) bao nhiêu hộp thư điện tử công vụ?",
        ("Trà Vinh", "Ninh Thuận"),
        ("2022-10", "2021-02"),
    ),
    (
        "Doanh thu viễn thông trong tháng của Nam Định (8/2021) cao hơn Ninh Thuận (2/2021) bao nhiêu?",
        ("Nam Định", "Ninh Thuận"),
        ("2021-08", "2021-02"),
    ),
    ("Số hồ sơ quý I năm 2023 của Thái Bình?", ("Thái Bình",), ("2023-Q1",)),
    ("so ho so quy 1/2023 cua thai binh", ("Thái Bình",), ("2023-Q1",)),
    ("Q1/2023 Hà Nam có bao nhiêu hồ sơ?", ("Hà Nam",), ("2023-Q1",)),
    ("Doanh thu 6 tháng đầu năm 2023 của Hà Nội?", ("Hà Nội",), ("2023-H1",)),
    ("doanh thu 6 thang dau nam 2023 cua ha noi", ("Hà Nội",), ("2023-H1",)),
    ("Doanh thu nửa đầu năm 2023 của TP.HCM?", ("Hồ Chí Minh",), ("2023-H1",)),
    ("Doanh thu 9 tháng đầu năm 2023 tại TP HCM?", ("Hồ Chí Minh",), ("2023-9M",)),
    ("Số trạm BTS ở BR-VT năm 2022?", ("Bà Rịa - Vũng Tàu",), ("2022",)),
    ("Bà Rịa - Vũng Tàu năm 2022 có bao nhiêu trạm BTS?", ("Bà Rịa - Vũng Tàu",), ("2022",)),
    ("TT-Huế tháng 3/2023 tiếp nhận bao nhiêu hồ sơ?", ("Thừa Thiên Huế",), ("2023-03",)),
    ("Khánh Hoà năm 2023 có bao nhiêu thuê bao?", ("Khánh Hòa",), ("2023",)),
    ("khanh hoa nam 2023 co bao nhieu thue bao", ("Khánh Hòa",), ("2023",)),
    ("Thanh Hoá quý IV/2022 doanh thu bao nhiêu?", ("Thanh Hóa",), ("2022-Q4",)),
    ("Đắk Lắk năm 2024 bao nhiêu hồ sơ?", ("Đắk Lắk",), ("2024",)),
    ("daklak nam 2024 bao nhieu ho so", ("Đắk Lắk",), ("2024",)),
    ("Hòa Bình tháng 5/2024 có bao nhiêu trạm?", ("Hòa Bình",), ("2024-05",)),
    ("hoa binh thang 5/2024 co bao nhieu tram", ("Hòa Bình",), ("2024-05",)),
    ("Bình Định và Nam Định năm 2024, tỉnh nào nhiều trạm BTS hơn?", ("Bình Định", "Nam Định"), ("2024",)),
    ("Hà Nội hay Hà Nam nhiều trạm hơn năm 2024?", ("Hà Nội", "Hà Nam"), ("2024",)),
    ("Long An năm 2024 có bao nhiêu sự cố an toàn thông tin?", ("Long An",), ("2024",)),
    ("An toàn thông tin năm 2024 được đảm bảo thế nào?", (), ("2024",)),
    ("Ninh Bình năm 2025 có bao nhiêu trạm BTS?", ("Ninh Bình",), ("2025",)),
    ("What was the postal revenue of Nam Định in August 2021?", ("Nam Định",), ("2021-08",)),
    ("How many BTS sites did Nam Dinh approve in 2024?", ("Nam Định",), ("2024",)),
    ("Thai Binh Q1 2023 revenue", ("Thái Bình",), ("2023-Q1",)),
    ("Doanh thu viễn thông tăng bao nhiêu % so với cùng kỳ?", (), ()),
    ("Có bao nhiêu chỉ tiêu kinh tế số đã hoàn thành sớm?", (), ()),
    ("Tổng chiều dài các tuyến cáp quang ở Ninh Thuận là bao nhiêu km?", ("Ninh Thuận",), ()),
    ("Với tuyến cáp chưa có cáp dưỡng, việc chỉnh trang đạt bao nhiêu % kế hoạch 2024-2025?", (), ()),
    ("Quyết định số 1034/QĐ-BTTTT ngày 21/7/2021 hỗ trợ Nam Định những gì?", ("Nam Định",), ()),
    ("Doanh thu QĐ 45/2016/QĐ-TTg của Ninh Thuận tháng 2/2021?", ("Ninh Thuận",), ("2021-02",)),
    ("Hiện nay Nam Định có bao nhiêu điểm phục vụ bưu chính?", ("Nam Định",), ()),
    ("Tỷ lệ giải ngân vốn năm 2022 của Sở TTTT Trà Vinh đạt bao nhiêu % kế hoạch?", ("Trà Vinh",), ("2022",)),
    ("Sài Gòn năm 2024 có bao nhiêu thuê bao?", ("Hồ Chí Minh",), ("2024",)),
    ("Số vị trí BTS (tỉnh Quảng Ninh, năm 2023)?", ("Quảng Ninh",), ("2023",)),
    ("Cần Thơ và Hậu Giang, Sóc Trăng tháng 12/2024", ("Cần Thơ", "Hậu Giang", "Sóc Trăng"), ("2024-12",)),
    ("tháng 8 Nam Định có bao nhiêu thuê bao?", ("Nam Định",), ()),
]


@pytest.mark.parametrize(("question", "provinces", "periods"), CASES)
def test_filters(question, provinces, periods):
    q = parse_question(question)
    assert q.filters.provinces == provinces
    assert q.filters.periods == periods


def test_at_least_sixty_phrasings():
    assert len(CASES) >= 60


def test_default_year_fills_month():
    q = parse_question("tháng 8 Nam Định có bao nhiêu thuê bao?", default_year=2021)
    assert q.filters.periods == ("2021-08",)


def test_terms():
    q = parse_question("Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?")
    assert q.terms == ("tham", "dinh", "vi", "tri", "bts")
    assert isinstance(q.filters, Filters)
    q = parse_question("thai binh nam 2024 tham dinh bao nhieu vi tri BTS?")
    assert q.terms == ("tham", "dinh", "vi", "tri", "bts")


def test_terms_keep_content_words_that_fold_like_question_words():
    # "cố định" folds to "co dinh" and "cơ quan" to "co quan": "có" goes, they stay
    q = parse_question("Nam Định có bao nhiêu thuê bao cố định và cơ quan?")
    assert "co" in q.terms and "dinh" in q.terms and "quan" in q.terms
    assert "nam" not in q.terms and "bao" in q.terms and "nhieu" not in q.terms
    q = parse_question("so thue bao co dinh cua Nam Dinh")
    assert q.terms == ("so", "thue", "bao", "co", "dinh")


def test_comparison_baseline_is_not_a_filter():
    q = parse_question("doanh thu BC-CP nam 2024 tang bao nhieu % so voi 2023?")
    assert q.filters.periods == ("2024",)
    assert q.compare == ("2023",)
    assert "2023" not in q.terms
    q = parse_question("Doanh thu tháng 8/2021 tăng bao nhiêu so với cùng kỳ năm 2020?")
    assert q.filters.periods == ("2021-08",)
    assert q.compare == ("2020",)
    assert q.relative == "previous-year"


@pytest.mark.parametrize(
    ("question", "relative"),
    [
        ("Doanh thu tăng bao nhiêu so với cùng kỳ năm trước?", "previous-year"),
        ("doanh thu tang bao nhieu so voi nam truoc", "previous-year"),
        ("Doanh thu viễn thông tăng bao nhiêu % so với cùng kỳ?", "previous-year"),
        ("So với tháng trước tăng bao nhiêu?", "previous-month"),
        ("Doanh thu năm 2024 là bao nhiêu?", ""),
    ],
)
def test_relative(question, relative):
    assert parse_question(question).relative == relative


@pytest.mark.parametrize(
    ("question", "stripped"),
    [
        ("Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?", "thẩm định bao nhiêu vị trí BTS?"),
        (
            "Doanh thu bưu chính của tỉnh Nam Định tháng 8/2021 ước đạt bao nhiêu?",
            "Doanh thu bưu chính ước đạt bao nhiêu?",
        ),
        ("Tổng số thuê bao Internet ở Nam Định (tháng 8/2021)?", "Tổng số thuê bao Internet?"),
        ("Số thuê bao Internet trong tháng 8/2021 ở Nam Định?", "Số thuê bao Internet?"),
        ("Lũy kế đến hết tháng 8/2021 là bao nhiêu?", "Lũy kế đến hết là bao nhiêu?"),
        ("Không có gì để bỏ", "Không có gì để bỏ"),
        # "ở" folds to "o", the end of "so": only a whole word leads a province
        ("kinh te so Quang Ngai DTI 2023 xep thu", "kinh te so DTI xep thu"),
    ],
)
def test_strip_filter_phrases(question, stripped):
    assert strip_filter_phrases(question) == stripped


def test_query_is_frozen_and_serialisable():
    q = parse_question("Năm 2024 Nam Định có bao nhiêu trạm?")
    with pytest.raises(AttributeError):
        q.text = "x"  # type: ignore[misc]
    d = q.to_dict()
    assert d["filters"]["provinces"] == ["Nam Định"] and d["filters"]["periods"] == ["2024"]


def test_followup_replaces_period():
    prev = parse_question("Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?")
    q = merge_followup(prev, "còn năm 2021 thì sao?")
    assert isinstance(q, Query)
    assert q.filters.provinces == ("Nam Định",)
    assert q.filters.periods == ("2021",)
    assert q.terms == prev.terms
    assert q.text == "Năm 2021 Nam Định thẩm định bao nhiêu vị trí BTS?"
    # the rewritten text parses back to the same filters
    again = parse_question(q.text)
    assert again.filters == q.filters


def test_followup_replaces_province():
    prev = parse_question("Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?")
    q = merge_followup(prev, "Còn Thái Bình thì sao?")
    assert q.filters.provinces == ("Thái Bình",)
    assert q.filters.periods == ("2024",)
    assert q.text == "Năm 2024 Thái Bình thẩm định bao nhiêu vị trí BTS?"
    q = merge_followup(prev, "con thai binh nam 2023?")
    assert (q.filters.provinces, q.filters.periods) == (("Thái Bình",), ("2023",))


def test_followup_month_takes_previous_year():
    prev = parse_question("Tháng 8/2021 Nam Định phát triển mới bao nhiêu thuê bao?")
    q = merge_followup(prev, "thế còn tháng 9?")
    assert q.filters.periods == ("2021-09",)
    assert q.text.startswith("Tháng 9/2021 Nam Định")


def test_followup_without_period_phrase_appends_it():
    prev = parse_question("Doanh thu viễn thông của Nam Định tăng bao nhiêu?")
    q = merge_followup(prev, "còn năm 2023?")
    assert q.filters.periods == ("2023",) and q.filters.provinces == ("Nam Định",)
    assert parse_question(q.text).filters == q.filters


def test_followup_with_new_indicator_keeps_filters():
    prev = parse_question("Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?")
    q = merge_followup(prev, "còn doanh thu viễn thông thì sao?")
    assert q.filters.provinces == ("Nam Định",) and q.filters.periods == ("2024",)
    assert q.terms == ("doanh", "thu", "vien", "thong")
    assert parse_question(q.text).filters == q.filters


def test_looks_like_followup():
    assert looks_like_followup("còn năm 2021 thì sao?")
    assert looks_like_followup("Thái Bình thì sao?")
    assert looks_like_followup("What about 2023?")
    assert not looks_like_followup("Doanh thu viễn thông của Nam Định năm 2024 là bao nhiêu?")


def test_the_report_a_question_names_for_an_earlier_figure_is_where_to_read_it():
    # "cùng kỳ năm 2019 … báo cáo tổng hợp năm 2020": the 2019 figure, read from the 2020 report
    q = parse_question(
        "Số thuê bao cùng kỳ năm 2019 của Đắk Lắk trong báo cáo tổng hợp năm 2020 là bao nhiêu?"
    )
    assert q.filters.periods == ("2019",) and q.reported_in == ("2020",)
    assert "2020" not in q.terms and "2019" not in q.terms
    # the report's period alone is the period asked
    q = parse_question("Theo báo cáo năm 2024, Nam Định có bao nhiêu trạm BTS?")
    assert q.filters.periods == ("2024",) and q.reported_in == ()
    # a plan's horizon or the next month's tasks are the report's own: both periods stay
    q = parse_question("Chỉ tiêu đến năm 2025 nào Nam Định đã đạt sớm (báo cáo năm 2024)?")
    assert set(q.filters.periods) == {"2025", "2024"} and q.reported_in == ()
    # a report named per province is each one's period
    q = parse_question(
        "Theo báo cáo tháng 10/2022 của Trà Vinh và tháng 02/2021 của Ninh Thuận, ai nhiều hơn?"
    )
    assert set(q.filters.periods) == {"2022-10", "2021-02"} and q.reported_in == ()
