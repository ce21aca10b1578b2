from pathlib import Path

import pytest

from rag.text.gazetteer import (
    ALL_PROVINCES,
    MERGED_INTO,
    PROVINCES_2025,
    PROVINCES_PRE_2025,
    canonical_province,
    find_provinces,
    fold,
    fold_aligned,
    predecessors,
    province_mentions,
    province_slug,
    successor,
    suggest_provinces,
)

CORPUS = Path(__file__).resolve().parent.parent / "eval" / "corpus"


def test_fold():
    assert fold("Nam  Định\n") == "nam dinh"
    assert fold("ĐẮK LẮK") == "dak lak"
    assert fold("Hoà Bình") == fold("Hòa Bình") == "hoa binh"
    assert fold("Thừa Thiên Huế") == "thua thien hue"
    # decomposed input folds the same as composed
    assert fold("Nam \u0110i\u0323nh") == "nam dinh"


def test_fold_aligned_keeps_length():
    s = "Tỉnh Nam Định, tháng 8/2021 – ĐẮK LẮK\n\tx"
    out = fold_aligned(s)
    assert len(out) == len(s)
    assert out.lower() == "tinh nam dinh, thang 8/2021 – dak lak\n\tx"


def test_counts_and_merger():
    assert len(PROVINCES_PRE_2025) == 63 == len(set(PROVINCES_PRE_2025))
    assert len(PROVINCES_2025) == 34
    assert set(MERGED_INTO) <= set(PROVINCES_PRE_2025)
    assert set(MERGED_INTO.values()) <= set(PROVINCES_2025)
    assert set(ALL_PROVINCES) == set(PROVINCES_PRE_2025) | {"Huế"}
    assert MERGED_INTO["Nam Định"] == MERGED_INTO["Hà Nam"] == "Ninh Bình"
    assert MERGED_INTO["Thái Bình"] == "Hưng Yên"
    assert MERGED_INTO["Trà Vinh"] == MERGED_INTO["Bến Tre"] == "Vĩnh Long"
    assert MERGED_INTO["Ninh Thuận"] == "Khánh Hòa"
    assert MERGED_INTO["Bà Rịa - Vũng Tàu"] == "Hồ Chí Minh"
    for unchanged in ("Hà Nội", "Thanh Hóa", "Nghệ An", "Cao Bằng", "Lạng Sơn", "Sơn La"):
        assert unchanged in PROVINCES_2025 and unchanged not in MERGED_INTO


def test_successor_and_predecessors():
    assert successor("nam dinh") == "Ninh Bình"
    assert successor("Hà Nội") == "Hà Nội"
    assert successor("Thừa Thiên Huế") == "Huế"
    assert set(predecessors("Ninh Bình")) == {"Ninh Bình", "Hà Nam", "Nam Định"}
    assert predecessors("Ninh Bình")[0] == "Ninh Bình"
    assert set(predecessors("Vĩnh Long")) == {"Vĩnh Long", "Bến Tre", "Trà Vinh"}
    assert predecessors("Huế") == ("Thừa Thiên Huế",)


@pytest.mark.parametrize(
    ("name", "canon"),
    [
        ("Nam Định", "Nam Định"),
        ("nam dinh", "Nam Định"),
        ("namdinh", "Nam Định"),
        ("NAM ĐỊNH", "Nam Định"),
        ("tỉnh Nam Định", "Nam Định"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("TP HCM", "Hồ Chí Minh"),
        ("hcm", "Hồ Chí Minh"),
        ("Sài Gòn", "Hồ Chí Minh"),
        ("thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("BR-VT", "Bà Rịa - Vũng Tàu"),
        ("Bà Rịa Vũng Tàu", "Bà Rịa - Vũng Tàu"),
        ("bariavungtau", "Bà Rịa - Vũng Tàu"),
        ("TT-Huế", "Thừa Thiên Huế"),
        ("Thua Thien Hue", "Thừa Thiên Huế"),
        ("Huế", "Huế"),
        ("Hoà Bình", "Hòa Bình"),
        ("Khánh Hoà", "Khánh Hòa"),
        ("thanh hoa", "Thanh Hóa"),
        ("Daklak", "Đắk Lắk"),
        ("Đắc Lắc", "Đắk Lắk"),
        ("Đăk Nông", "Đắk Nông"),
        ("Bắc Cạn", "Bắc Kạn"),
        ("Kontum", "Kon Tum"),
        ("travinh", "Trà Vinh"),
        ("xyz", None),
        ("Nam", None),
        ("", None),
    ],
)
def test_canonical_province(name, canon):
    assert canonical_province(name) == canon


def test_suggest_and_slug():
    assert suggest_provinces("Nam Dihn")[0] == "Nam Định"
    assert "Thái Bình" in suggest_provinces("Thai Binhh")
    assert len(suggest_provinces("Binh", n=2)) <= 2
    assert suggest_provinces("") == []
    assert province_slug("Nam Định") == "namdinh"
    assert province_slug("tra vinh") == "travinh"
    assert province_slug("Bà Rịa - Vũng Tàu") == "bariavungtau"
    assert province_slug("Hồ Chí Minh") == "hochiminh"
    assert all(province_slug(p).isalnum() and province_slug(p).isascii() for p in ALL_PROVINCES)


def test_every_canonical_name_is_found_in_a_sentence():
    for name in ALL_PROVINCES:
        assert find_provinces(f"Báo cáo của tỉnh {name} năm 2024.") == [name], name
        assert find_provinces(f"bao cao {fold(name)} nam 2024") == [name], name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Năm 2024 Nam Định thẩm định bao nhiêu vị trí BTS?", ["Nam Định"]),
        ("thai binh nam 2024 tham dinh bao nhieu vi tri BTS?", ["Thái Bình"]),
        ("Hà Nội, Hà Nam và Hà Tĩnh", ["Hà Nội", "Hà Nam", "Hà Tĩnh"]),
        ("Bình Định khác Nam Định", ["Bình Định", "Nam Định"]),
        ("TP.HCM và BR-VT, TT-Huế", ["Hồ Chí Minh", "Bà Rịa - Vũng Tàu", "Thừa Thiên Huế"]),
        ("Bà Rịa–Vũng Tàu", ["Bà Rịa - Vũng Tàu"]),
        ("tỉnh Thừa Thiên Huế", ["Thừa Thiên Huế"]),
        ("namdinh-2024.txt", ["Nam Định"]),
        ("tuyến cáp quang liên tỉnh Bến Tre - Trà Vinh", ["Bến Tre", "Trà Vinh"]),
        # "cáp quang" typed without diacritics is no "Quảng" of Quảng Ninh
        ("tong chieu dai tuyen cap quang Ninh Thuan", ["Ninh Thuận"]),
        ("thue bao cap quang quang ninh 2024", ["Quảng Ninh"]),
        ("Trà Vinh (10/2022) nhiều hơn Ninh Thuận (02/2021)", ["Trà Vinh", "Ninh Thuận"]),
        ("Nam Định ... Nam Định", ["Nam Định"]),
        ("Hoà Bình và Khánh Hoà, Thanh Hoá", ["Hòa Bình", "Khánh Hòa", "Thanh Hóa"]),
        ("tỉnh hòa bình", ["Hòa Bình"]),
        ("hoa binh nam 2024", ["Hòa Bình"]),
        ("NAM ĐỊNH", ["Nam Định"]),
        ("Nam Đinh năm 2024", ["Nam Định"]),  # a tone mark left out
        ("an toàn thông tin tại Long An", ["Long An"]),
        ("Hà Nam Ninh", ["Hà Nam"]),
        ("TP. Hồ Chí Minh", ["Hồ Chí Minh"]),
        ("Văn phòng Bộ tại thành phố Hồ Chí Minh;", ["Hồ Chí Minh"]),
    ],
)
def test_find_provinces(text, expected):
    assert find_provinces(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Nam Bộ và miền Nam",
        "trong năm định kỳ báo cáo",  # "năm định" folds to "nam dinh"
        "Chiến lược của Việt Nam định hướng đến năm 2030",
        "giữ gìn hòa bình, thái bình",  # ordinary words
        "Thái Bình Dương",
        "học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh",
        "bà Nguyễn Thị Huệ",
        "bảo đảm an toàn, an ninh mạng; long trọng, an giấc",
        "hộp thư mail.travinh.gov.vn",
        "sotttt@namdinh.gov.vn",
        "Ninh Sơn, Giao Thủy, Hải Hậu",
        "",
    ],
)
def test_no_false_positives(text):
    assert find_provinces(text) == []


def test_mentions_are_spans_of_the_text():
    text = "Báo cáo của Sở TT&TT tỉnh Nam Định và TP.HCM"
    got = province_mentions(text)
    assert [(text[s:e], c) for s, e, c in got] == [("Nam Định", "Nam Định"), ("HCM", "Hồ Chí Minh")]


@pytest.mark.parametrize(
    ("name", "first", "allowed"),
    [
        ("namdinh-2024.txt", "Nam Định", {"Nam Định"}),
        ("namdinh-2021-08.txt", "Nam Định", {"Nam Định"}),
        ("ninhthuan-2021-02.txt", "Ninh Thuận", {"Ninh Thuận", "Đà Nẵng"}),
        ("travinh-2022-10.txt", "Trà Vinh", {"Trà Vinh", "Bến Tre", "Hồ Chí Minh"}),
    ],
)
def test_sample_reports(name, first, allowed):
    path = CORPUS / name
    if not path.exists():
        pytest.skip("sample corpus not present")
    got = find_provinces(path.read_text(encoding="utf-8"))
    assert got[0] == first
    assert set(got) <= allowed


def test_a_name_new_in_2025_is_asked_of_the_province_it_renamed():
    from rag.text.gazetteer import files_under

    assert files_under("Huế", "Thừa Thiên Huế")  # "Huế 2023" is Thừa Thiên Huế's report
    assert files_under("Nam Định", "Nam Định")
    # Ninh Bình existed before it took in Nam Định: Nam Định's reports are not Ninh Bình's
    assert not files_under("Ninh Bình", "Nam Định")
    assert not files_under("Gia Lai", "Kon Tum")


def test_initials_name_a_province_only_among_those_held_and_only_one_each() -> None:
    from rag.text.gazetteer import initials, provinces_by_initials

    assert initials("Nam Định") == "NĐ" and initials("Thừa Thiên Huế") == "TTH"
    held = ["Nam Định", "Ninh Thuận", "Trà Vinh", "Quảng Nam", "Quảng Ninh"]
    assert provinces_by_initials("phạt bao nhiêu ở NĐ năm 2024", held) == ("Nam Định",)
    assert provinces_by_initials("TV (10/2022) hơn NT (02/2021) bao nhiêu", held) == (
        "Trà Vinh",
        "Ninh Thuận",
    )
    assert provinces_by_initials("QN 2024 có bao nhiêu trạm", held) == ()  # two provinces fit
    assert provinces_by_initials("NĐ 2024", ["Ninh Thuận"]) == ()  # none held fits
    assert provinces_by_initials("KH 2024 bao nhiêu trạm", ["Khánh Hòa"], not_initials=["KH"]) == ()
