"""Synthetic Sở TT&TT reports with their own gold questions, for benchmarks the dev set cannot give.

The four real reports are too few to measure indexing speed or to tell whether answers generalise.
This module writes many report-like documents in which the same indicators recur for dozens of
provinces and periods at different values, so lexical matches collide exactly as they will on
unseen reports, and every sentence that holds a number also holds a distractor (plan vs achieved,
in-period vs cumulative, total vs part, growth rate vs amount).

Nothing is stored beside the text except `gold.jsonl`: province, period and kind must be inferred
from the report itself, as they are for real uploads.

    python -m tools.synthetic OUT_DIR --n 500 --seed 0
"""

from __future__ import annotations

import argparse
import json
import math
import random
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------- provinces

# (name, administrative prefix for the letterhead); cities use "THÀNH PHỐ" on the letterhead.
PROVINCES: tuple[tuple[str, str], ...] = (
    ("Hà Giang", "TỈNH"),
    ("Cao Bằng", "TỈNH"),
    ("Lào Cai", "TỈNH"),
    ("Tuyên Quang", "TỈNH"),
    ("Yên Bái", "TỈNH"),
    ("Thái Nguyên", "TỈNH"),
    ("Lạng Sơn", "TỈNH"),
    ("Quảng Ninh", "TỈNH"),
    ("Bắc Giang", "TỈNH"),
    ("Phú Thọ", "TỈNH"),
    ("Vĩnh Phúc", "TỈNH"),
    ("Bắc Ninh", "TỈNH"),
    ("Hải Dương", "TỈNH"),
    ("Hưng Yên", "TỈNH"),
    ("Thái Bình", "TỈNH"),
    ("Hà Nam", "TỈNH"),
    ("Nam Định", "TỈNH"),
    ("Ninh Bình", "TỈNH"),
    ("Thanh Hóa", "TỈNH"),
    ("Nghệ An", "TỈNH"),
    ("Hà Tĩnh", "TỈNH"),
    ("Quảng Bình", "TỈNH"),
    ("Quảng Trị", "TỈNH"),
    ("Thừa Thiên Huế", "TỈNH"),
    ("Quảng Nam", "TỈNH"),
    ("Quảng Ngãi", "TỈNH"),
    ("Bình Định", "TỈNH"),
    ("Phú Yên", "TỈNH"),
    ("Khánh Hòa", "TỈNH"),
    ("Ninh Thuận", "TỈNH"),
    ("Bình Thuận", "TỈNH"),
    ("Kon Tum", "TỈNH"),
    ("Gia Lai", "TỈNH"),
    ("Đắk Lắk", "TỈNH"),
    ("Đắk Nông", "TỈNH"),
    ("Lâm Đồng", "TỈNH"),
    ("Bình Phước", "TỈNH"),
    ("Tây Ninh", "TỈNH"),
    ("Bình Dương", "TỈNH"),
    ("Đồng Nai", "TỈNH"),
    ("Bà Rịa - Vũng Tàu", "TỈNH"),
    ("Long An", "TỈNH"),
    ("Tiền Giang", "TỈNH"),
    ("Bến Tre", "TỈNH"),
    ("Trà Vinh", "TỈNH"),
    ("Vĩnh Long", "TỈNH"),
    ("Đồng Tháp", "TỈNH"),
    ("An Giang", "TỈNH"),
    ("Kiên Giang", "TỈNH"),
    ("Sóc Trăng", "TỈNH"),
    ("Cà Mau", "TỈNH"),
    ("Hải Phòng", "THÀNH PHỐ"),
    ("Đà Nẵng", "THÀNH PHỐ"),
    ("Cần Thơ", "THÀNH PHỐ"),
)
# Some provinces must stay out of every corpus so "province not in corpus" questions exist.
MIN_HELD_OUT = 8
YEARS = (2021, 2022, 2023, 2024, 2025)
ROMAN = ("I", "II", "III", "IV")
MONTH_EN = ("January February March April May June July August September October November December").split()


def fold(s: str) -> str:
    """Strip Vietnamese diacritics (đ included, which NFD does not decompose)."""
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(ch for ch in unicodedata.normalize("NFD", s) if not unicodedata.combining(ch))


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold(name).lower())


# --------------------------------------------------------------------------- numbers


def vn_int(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def vn_dec(x: float, digits: int) -> str:
    s = f"{x:,.{digits}f}"
    if "." in s:
        s = s.rstrip("0").rstrip(".")  # reports print 96,3 and 99, never 96,30
    return s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def answer_value(printed: str) -> int | float:
    """The gold answer for a number as printed: '1.674.885' -> 1674885, '99,7' -> 99.7, '02' -> 2."""
    x = float(printed.replace(".", "").replace(",", "."))
    return int(x) if x.is_integer() else x


# --------------------------------------------------------------------------- periods


@dataclass(frozen=True)
class Period:
    kind: str  # month | quarter | half | nine | year
    year: int
    idx: int = 0  # month 1-12 or quarter 1-4

    @property
    def code(self) -> str:
        return {
            "month": f"{self.year}-{self.idx:02d}",
            "quarter": f"{self.year}-Q{self.idx}",
            "half": f"{self.year}-H1",
            "nine": f"{self.year}-9M",
            "year": f"{self.year}",
        }[self.kind]

    @property
    def end_month(self) -> int:
        return {"month": self.idx, "quarter": 3 * self.idx, "half": 6, "nine": 9, "year": 12}[self.kind]

    @property
    def months(self) -> int:
        return {"month": 1, "quarter": 3, "half": 6, "nine": 9, "year": 12}[self.kind]

    @property
    def has_cumulative(self) -> bool:
        """Only a month or quarter after the first has a year-to-date figure different from its own."""
        return self.kind in ("month", "quarter") and self.idx > 1

    def doc_phrases(self) -> list[str]:
        y, i = self.year, self.idx
        if self.kind == "month":
            return [f"tháng {i} năm {y}", f"tháng {i:02d}/{y}", f"tháng {i}/{y}"]
        if self.kind == "quarter":
            return [f"quý {ROMAN[i - 1]} năm {y}", f"quý {ROMAN[i - 1]}/{y}"]
        if self.kind == "half":
            return [f"6 tháng đầu năm {y}"]
        if self.kind == "nine":
            return [f"9 tháng đầu năm {y}", f"9 tháng năm {y}"]
        return [f"năm {y}"]

    def question_phrases(self) -> list[str]:
        y, i = self.year, self.idx
        if self.kind == "month":
            extra = [f"T{i}/{y}", f"tháng {i}/{y}"]
        elif self.kind == "quarter":
            extra = [f"quý {i}/{y}", f"quý {ROMAN[i - 1]}/{y}"]
        elif self.kind == "half":
            extra = [f"nửa đầu năm {y}", f"6 tháng đầu {y}"]
        elif self.kind == "nine":
            extra = [f"9 tháng đầu {y}"]
        else:
            extra = [f"cả năm {y}"]
        return self.doc_phrases() + extra

    def en(self) -> str:
        y, i = self.year, self.idx
        if self.kind == "month":
            return f"{MONTH_EN[i - 1]} {y}"
        if self.kind == "quarter":
            return f"Q{i} {y}"
        if self.kind == "half":
            return f"the first half of {y}"
        if self.kind == "nine":
            return f"the first nine months of {y}"
        return str(y)

    def in_period(self) -> str:
        return {
            "month": "trong tháng",
            "quarter": "trong quý",
            "half": "trong 6 tháng",
            "nine": "trong 9 tháng",
            "year": "trong năm",
        }[self.kind]

    def cum_to(self) -> str:
        if self.kind == "quarter":
            return f"đến hết quý {ROMAN[self.idx - 1]}/{self.year}"
        return f"đến hết tháng {self.end_month}/{self.year}"

    def next_phrase(self) -> str:
        y, i = self.year, self.idx
        if self.kind == "month":
            return f"tháng {i % 12 + 1} năm {y + (i == 12)}"
        if self.kind == "quarter":
            return f"quý {ROMAN[i % 4]} năm {y + (i == 4)}"
        if self.kind == "half":
            return f"6 tháng cuối năm {y}"
        if self.kind == "nine":
            return f"quý IV năm {y}"
        return f"năm {y + 1}"

    def same_last_year(self) -> Period:
        return Period(self.kind, self.year - 1, self.idx)

    def previous(self) -> Period:
        if self.kind == "month":
            return Period("month", self.year - (self.idx == 1), (self.idx - 2) % 12 + 1)
        if self.kind == "quarter":
            return Period("quarter", self.year - (self.idx == 1), (self.idx - 2) % 4 + 1)
        return Period(self.kind, self.year - 1, self.idx)


def all_periods(years=YEARS) -> list[Period]:
    out: list[Period] = []
    for y in years:
        out += [Period("month", y, m) for m in range(1, 13)]
        out += [Period("quarter", y, q) for q in range(1, 5)]
        out += [Period("half", y), Period("nine", y), Period("year", y)]
    return out


# --------------------------------------------------------------------------- facts and context


@dataclass
class Fact:
    key: str
    printed: str  # the number exactly as the report prints it
    unit: str
    kind: str
    evidence: str  # the sentence that holds it, verbatim
    trap: str
    difficulty: str = "medium"
    qualifier: str = ""

    @property
    def value(self) -> int | float:
        return answer_value(self.printed)


class Ctx:
    """One report being written: its province, period, random stream and a size that keeps values plausible."""

    def __init__(self, province: str, period: Period, rng: random.Random, size: float):
        self.prov = province
        self.per = period
        self.rng = rng
        self.size = size
        self.facts: list[Fact] = []

    # values
    def stock(self, lo: float, hi: float) -> int:
        return max(1, int(self.rng.uniform(lo, hi) * self.size))

    def flow(self, lo: float, hi: float) -> int:
        """A per-month quantity summed over the period, so annual reports print bigger numbers."""
        return max(1, int(self.rng.uniform(lo, hi) * self.size * self.per.months))

    def pct(self, lo: float, hi: float, digits: int = 1) -> str:
        return vn_dec(self.rng.uniform(lo, hi), digits)

    def small(self, n: int) -> str:
        """Real reports zero-pad small counts ('02 giấy phép') about a third of the time."""
        return f"{n:02d}" if n < 10 and self.rng.random() < 0.35 else str(n)

    # wording
    def T(self) -> str:
        return self.rng.choice(self.per.doc_phrases())

    def pick(self, *options):
        return self.rng.choice(options)

    def est(self) -> str:
        return self.pick("ước đạt", "đạt", "ước thực hiện", "là")

    def sent(self, s: str) -> str:
        """A sentence with its first letter capitalised and some stock phrases swapped for synonyms."""
        s = s.strip()
        for a, b in SYNONYMS:
            if a in s and self.rng.random() < 0.4:
                s = s.replace(a, b)
        s = s[0].upper() + s[1:]
        return s if s.endswith((".", ";", ":")) else s + "."

    def fact(self, key, printed, unit, kind, evidence, trap="", difficulty="medium", qualifier=""):
        assert printed in evidence, (key, printed, evidence)
        assert not re.fullmatch(r"\d{4,}", printed), (key, printed)
        qualifier = {"ước thực hiện": "ước đạt", "đạt": "", "là": ""}.get(qualifier, qualifier)
        self.facts.append(Fact(key, printed, unit, kind, evidence, trap, difficulty, qualifier))


# Stock phrases the reports word in several ways; a swap never touches a number.
SYNONYMS: tuple[tuple[str, str], ...] = (
    ("Toàn tỉnh có", "Trên địa bàn tỉnh hiện có"),
    ("Toàn tỉnh đã", "Trên địa bàn tỉnh đã"),
    ("Tổ chức ", "Đã tổ chức "),
    ("Phát hiện, xử lý", "Đã phát hiện và xử lý"),
    ("Thẩm định, phê duyệt", "Đã thẩm định, phê duyệt"),
    ("Cổng thông tin điện tử tỉnh", "Cổng Thông tin điện tử của tỉnh"),
    ("Tiếp nhận ", "Đã tiếp nhận "),
    ("thuê bao/100 dân", "TB/100 dân"),
    ("cơ quan nhà nước", "cơ quan hành chính nhà nước"),
    ("kích hoạt", "hỗ trợ kích hoạt"),
    ("hội nghị, lớp tập huấn", "lớp đào tạo, tập huấn"),
    ("công nghệ thông tin - viễn thông", "CNTT-VT"),
    ("thủ tục hành chính", "TTHC"),
    ("an toàn thông tin", "ATTT"),
    ("trong đó", "trong số đó"),
    ("Cấp mới", "Đã cấp mới"),
    ("Chiều dài tuyến cáp", "Tổng chiều dài tuyến cáp"),
    ("đài truyền thanh cấp xã", "đài truyền thanh cơ sở"),
    ("Tổng hợp, theo dõi", "Theo dõi, tổng hợp"),
    ("phản ánh về tỉnh", "viết về tỉnh"),
    ("được quảng bá, giới thiệu", "được giới thiệu, quảng bá"),
    ("Vận hành hệ thống", "Duy trì vận hành hệ thống"),
    ("vẫn còn", "còn"),
    ("Phấn đấu", "Phấn đấu trong"),
    ("theo quy định", "đúng quy định"),
    ("đến nay đã giải ngân", "tính đến thời điểm báo cáo đã giải ngân"),
)


def _q(est: str) -> str:
    return f" {est}" if est else ""


# --------------------------------------------------------------------------- indicator templates

# Each template writes one paragraph (a bullet) and registers the facts it holds. The section key
# places it under a heading; `annual` templates only make sense for reports covering a long period.

Template = Callable[[Ctx], str]
TEMPLATES: dict[str, tuple[str, bool, Template]] = {}


def indicator(name: str, section: str, long_only: bool = False):
    def deco(fn: Template) -> Template:
        TEMPLATES[name] = (section, long_only, fn)
        return fn

    return deco


@indicator("postal_revenue", "bc")
def _postal_revenue(c: Ctx) -> str:
    y = c.per.year
    v = c.flow(4000, 16000)
    g = c.rng.randint(3, 18)
    e = c.est()
    if v >= 10000 and c.rng.random() < 0.5:
        printed, unit = vn_dec(v / 1000, 1), "tỷ đồng"
    else:
        printed, unit = vn_int(v), "triệu đồng"
    s1 = c.sent(
        c.pick(
            f"Doanh thu bưu chính, chuyển phát {c.T()}{_q(e)}{c.pick(':', '')} {printed} {unit} tăng {g}% so với cùng kỳ năm {y - 1}",
            f"Doanh thu dịch vụ bưu chính {c.T()}{_q(e)} {printed} {unit}, tăng {g}% so với cùng kỳ năm {y - 1}",
        )
    )
    parts = [s1]
    trap = f"{g}% là tăng trưởng so với cùng kỳ"
    if c.per.has_cumulative:
        k = c.per.end_month if c.per.kind == "month" else c.per.idx
        cum = int(v * c.rng.uniform(k * 0.85, k * 1.1))
        cp = vn_int(cum) if unit == "triệu đồng" else vn_dec(cum / 1000, 1)
        e2 = c.pick("ước đạt", "đạt")
        s2 = c.sent(f"Lũy kế doanh thu {c.per.cum_to()} {e2} {cp} {unit}")
        parts.append(s2)
        c.fact(
            "postal_revenue_cum",
            cp,
            unit,
            "money",
            s2,
            f"{printed} {unit} là doanh thu riêng trong kỳ",
            "hard",
            e2,
        )
        trap += f"; {cp} {unit} là lũy kế từ đầu năm"
    c.fact("postal_revenue", printed, unit, "money", s1, trap, "medium", e)
    c.fact("postal_growth", str(g), "%", "percent", s1, f"{printed} {unit} là số tiền, không phải tỷ lệ")
    return " ".join(parts)


@indicator("postal_points", "bc")
def _postal_points(c: Ctx) -> str:
    a, b, d = c.stock(15, 45), c.stock(40, 140), c.stock(10, 60)
    n = a + b + d
    km = c.pct(2.0, 6.0, 2)
    s = c.sent(
        f"Toàn tỉnh có {c.stock(8, 20)} doanh nghiệp hoạt động bưu chính, chuyển phát với {vn_int(n)} điểm phục vụ bưu chính "
        f"(trong đó: {a} bưu cục; {b} bưu điện văn hóa xã; {d} điểm phục vụ thuộc loại hình khác)"
    )
    s2 = c.sent(f"Bán kính phục vụ bình quân là {km} km/1 điểm phục vụ")
    c.fact(
        "postal_points",
        vn_int(n),
        "điểm",
        "count",
        s,
        f"{a} bưu cục; {b} bưu điện văn hóa xã là các thành phần",
    )
    c.fact("postal_bdvhx", str(b), "điểm", "count", s, f"{vn_int(n)} là tổng số điểm phục vụ", "hard")
    c.fact("postal_radius", km, "km", "date-free numeric", s2, "")
    return f"{s} {s2}"


@indicator("ecommerce", "bc")
def _ecommerce(c: Ctx) -> str:
    a = c.stock(8000, 70000)
    b = int(a * c.rng.uniform(0.6, 0.95))
    p = c.stock(300, 1500)
    s = c.sent(
        f"Đến nay có {vn_int(a)} hộ sản xuất nông nghiệp có tài khoản bán hàng trên sàn thương mại điện tử "
        f"Postmart.vn ({vn_int(a)} hộ) và Voso.vn ({vn_int(b)} hộ) với {vn_int(p)} loại sản phẩm được quảng bá, giới thiệu trên sàn"
    )
    c.fact("ecom_households_voso", vn_int(b), "hộ", "count", s, f"{vn_int(a)} hộ là trên Postmart.vn", "hard")
    c.fact("ecom_products", vn_int(p), "sản phẩm", "count", s, f"{vn_int(a)} và {vn_int(b)} là số hộ")
    return f"- Về hỗ trợ đưa hộ sản xuất nông nghiệp lên sàn thương mại điện tử. {s}"


@indicator("bts", "vt")
def _bts(c: Ctx) -> str:
    plan = c.stock(60, 260)
    ok = int(plan * c.rng.uniform(0.25, 0.95) * (c.per.months / 12) ** 0.5)
    built = max(1, int(ok * c.rng.uniform(0.3, 0.8)))
    g5 = max(1, int(built * c.rng.uniform(0.2, 0.8)))
    verb = c.pick("thẩm định, chấp thuận", "rà soát, chấp thuận", "thẩm định, cấp văn bản chấp thuận")
    s1 = c.sent(
        c.pick(
            f"{c.per.in_period().capitalize()} đã {verb} {vn_int(ok)} vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông (kế hoạch năm {c.per.year} là {vn_int(plan)} vị trí)",
            f"Kế hoạch năm {c.per.year} là {vn_int(plan)} vị trí trạm BTS, {c.T()} đã {verb} {vn_int(ok)} vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông",
        )
    )
    s2 = c.sent(
        c.pick(
            f"Trong đó các doanh nghiệp đã tiến hành xây dựng và đi vào phát sóng {vn_int(built)} trạm, lắp đặt {vn_int(g5)} trạm 5G",
            f"Các doanh nghiệp đã xây dựng mới {vn_int(built)} trạm BTS, trong đó có {vn_int(g5)} trạm 5G",
        )
    )
    c.fact(
        "bts_approved",
        vn_int(ok),
        "vị trí",
        "count",
        s1,
        f"{vn_int(plan)} là kế hoạch năm; {vn_int(built)} trạm đã xây dựng; {vn_int(g5)} trạm 5G",
        "hard",
    )
    c.fact(
        "bts_plan",
        vn_int(plan),
        "vị trí",
        "count",
        s1,
        f"{vn_int(ok)} là số đã chấp thuận (thực hiện, không phải kế hoạch)",
        "hard",
    )
    c.fact(
        "bts_built",
        vn_int(built),
        "trạm",
        "count",
        s2,
        f"{vn_int(ok)} vị trí đã chấp thuận; {vn_int(g5)} là trạm 5G",
    )
    c.fact("bts_5g", vn_int(g5), "trạm", "count", s2, f"{vn_int(built)} là tổng trạm xây mới", "hard")
    return f"- Hỗ trợ phát triển hạ tầng viễn thông thụ động. {s1} {s2}"


@indicator("bts_total", "vt")
def _bts_total(c: Ctx) -> str:
    g3, g4, g5 = c.stock(300, 900), c.stock(400, 1200), c.stock(5, 120)
    n = g3 + g4 + g5
    loc = int(n * c.rng.uniform(0.45, 0.7))
    s = c.sent(
        f"Toàn tỉnh hiện có {vn_int(n)} trạm BTS ({vn_int(g3)} trạm 3G, {vn_int(g4)} trạm 4G, {g5} trạm 5G) lắp đặt trên {vn_int(loc)} vị trí"
    )
    c.fact(
        "bts_stations_total",
        vn_int(n),
        "trạm",
        "count",
        s,
        f"{vn_int(loc)} là số vị trí; {vn_int(g4)} trạm 4G",
    )
    c.fact("bts_stations_4g", vn_int(g4), "trạm", "count", s, f"{vn_int(n)} là tổng số trạm", "hard")
    c.fact(
        "bts_locations",
        vn_int(loc),
        "vị trí",
        "count",
        s,
        f"{vn_int(n)} là số trạm, không phải vị trí",
        "hard",
    )
    return s


@indicator("phone_subs", "vt")
def _phone_subs(c: Ctx) -> str:
    fixed = c.stock(5000, 50000)
    mobile = c.stock(500000, 1800000)
    total = fixed + mobile
    new = c.flow(300, 3000)
    e = c.pick("ước đạt", "")
    s1 = c.sent(f"Phát triển mới{_q(e)} {vn_int(new)} thuê bao điện thoại {c.per.in_period()}")
    if c.rng.random() < 0.3:
        tp, tu = vn_dec(total / 1e6, 2), "triệu thuê bao"
        s2 = c.sent(
            f"Tổng số thuê bao điện thoại hiện có trên mạng khoảng {tp} {tu}, trong đó thuê bao cố định {vn_int(fixed)} thuê bao"
        )
        c.fact(
            "phone_total",
            tp,
            tu,
            "count",
            s2,
            f"{vn_int(fixed)} thuê bao cố định; {vn_int(new)} phát triển mới",
            "medium",
            "khoảng",
        )
    else:
        tp, tu = vn_int(total), "thuê bao"
        s2 = c.sent(
            f"Thuê bao điện thoại cố định, di động (trả sau và trả trước) hiện có trên mạng: {tp} thuê bao. Trong đó, thuê bao điện thoại cố định hiện có trên mạng: {vn_int(fixed)} thuê bao"
        )
        c.fact(
            "phone_total",
            tp,
            tu,
            "count",
            s2,
            f"{vn_int(fixed)} thuê bao cố định; {vn_int(new)} phát triển mới",
        )
    c.fact(
        "phone_new",
        vn_int(new),
        "thuê bao",
        "count",
        s1,
        f"{tp} {tu} là tổng hiện có (trong kỳ vs tổng)",
        "hard",
        e,
    )
    c.fact(
        "phone_fixed", vn_int(fixed), "thuê bao", "count", s2, f"{tp} {tu} là tổng cố định + di động", "hard"
    )
    return f"- {s1} {s2}"


@indicator("internet_subs", "vt")
def _internet_subs(c: Ctx) -> str:
    new = c.flow(800, 5000)
    total = c.stock(80000, 450000)
    e = c.pick("ước đạt", "đạt")
    parts = [f"Số thuê bao Internet băng rộng cố định phát triển mới {c.T()} {e} {vn_int(new)} thuê bao"]
    trap = f"{vn_int(total)} là tổng số thuê bao hiện có"
    if c.per.has_cumulative:
        k = c.per.end_month if c.per.kind == "month" else c.per.idx
        cum = int(new * c.rng.uniform(k * 0.85, k * 1.1))
        parts.append(f"lũy kế {c.per.cum_to()} {e}: {vn_int(cum)} thuê bao")
        trap += f"; {vn_int(cum)} là lũy kế"
    s1 = c.sent("; ".join(parts))
    e2 = c.pick("ước đạt", "đạt", "là")
    s2 = c.sent(
        f"Nâng tổng số thuê bao Internet băng rộng cố định duy trì trên mạng {e2} {vn_int(total)} thuê bao"
    )
    c.fact("internet_new", vn_int(new), "thuê bao", "count", s1, trap, "hard", e)
    if c.per.has_cumulative:
        c.fact(
            "internet_cum",
            vn_int(cum),
            "thuê bao",
            "count",
            s1,
            f"{vn_int(new)} là phát triển mới trong kỳ",
            "hard",
            e,
        )
    c.fact(
        "internet_total",
        vn_int(total),
        "thuê bao",
        "count",
        s2,
        f"{vn_int(new)} là phát triển mới trong kỳ",
        "medium",
        e2,
    )
    return f"- {s1} {s2}"


@indicator("mobile_broadband", "vt")
def _mobile_broadband(c: Ctx) -> str:
    n = c.stock(300000, 1200000)
    d = c.pct(60, 120, 1)
    s = c.sent(
        c.pick(
            f"Số thuê bao băng rộng di động đạt {vn_int(n)} thuê bao, mật độ {d} thuê bao/100 dân",
            f"Thuê bao truy nhập Internet băng rộng di động hiện có trên mạng là {vn_int(n)} thuê bao, đạt mật độ {d} thuê bao/100 dân",
        )
    )
    c.fact("mbb_total", vn_int(n), "thuê bao", "count", s, f"{d} là mật độ trên 100 dân")
    c.fact("mbb_density", d, "thuê bao/100 dân", "date-free numeric", s, f"{vn_int(n)} là số thuê bao")
    return f"- {s}"


@indicator("telecom_revenue", "vt")
def _telecom_revenue(c: Ctx) -> str:
    y = c.per.year
    v = c.flow(40, 220)
    g = c.rng.randint(2, 15)
    e = c.est()
    s1 = c.sent(
        c.pick(
            f"Doanh thu dịch vụ viễn thông {c.T()}{_q(e)} {vn_int(v)} tỷ đồng, tăng {g}% so với cùng kỳ năm {y - 1}",
            f"Doanh thu sản xuất, kinh doanh dịch vụ viễn thông {c.T()}{_q(e)} {vn_int(v)} tỷ đồng, tăng {g}% so với cùng kỳ",
        )
    )
    parts, trap = [s1], f"{g}% là tăng trưởng"
    if c.per.has_cumulative:
        k = c.per.end_month if c.per.kind == "month" else c.per.idx
        cum = int(v * c.rng.uniform(k * 0.85, k * 1.1))
        if c.rng.random() < 0.5:
            cp, cu = vn_int(cum * 1000), "triệu đồng"
        else:
            cp, cu = vn_int(cum), "tỷ đồng"
        s2 = c.sent(f"Lũy kế doanh thu viễn thông từ đầu năm {c.per.cum_to()} ước đạt {cp} {cu}")
        parts.append(s2)
        trap += f"; {cp} {cu} là lũy kế"
        c.fact(
            "telecom_revenue_cum",
            cp,
            cu,
            "money",
            s2,
            f"{vn_int(v)} tỷ đồng là doanh thu riêng trong kỳ",
            "hard",
            "ước đạt",
        )
    c.fact("telecom_revenue", vn_int(v), "tỷ đồng", "money", s1, trap, "medium", e)
    c.fact("telecom_growth", str(g), "%", "percent", s1, f"{vn_int(v)} tỷ đồng là số tiền")
    return "- " + " ".join(parts)


@indicator("switch_2g", "vt", long_only=True)
def _switch_2g(c: Ctx) -> str:
    total = c.stock(40000, 200000)
    done = int(total * c.rng.uniform(0.6, 0.99))
    p = vn_dec(100 * done / total, 1)
    s = c.sent(
        f"Tổng số thuê bao 2G đã chuyển sang thuê bao 4G là {vn_int(done)}/{vn_int(total)} thuê bao đạt {p}%, "
        f"đối với số thuê bao ({vn_int(total - done)} thuê bao) còn lại chưa chuyển đổi, các doanh nghiệp tiếp tục nhắn tin tuyên truyền"
    )
    c.fact(
        "sub2g_converted",
        vn_int(done),
        "thuê bao",
        "count",
        s,
        f"{vn_int(total)} tổng thuê bao 2G; {vn_int(total - done)} chưa chuyển; {p}%",
    )
    c.fact("sub2g_pct", p, "%", "percent", s, f"{vn_int(done)} là số lượng")
    return f"- Tuyên truyền và triển khai lộ trình tắt sóng 2G trên địa bàn tỉnh. {s}"


@indicator("cable", "vt", long_only=True)
def _cable(c: Ctx) -> str:
    tot = c.stock(80, 250)
    km = int(tot * c.rng.uniform(0.2, 0.8))
    p = int(c.rng.uniform(15, 90))
    s = c.sent(
        f"Chiều dài tuyến cáp đã được chỉnh trang là {km} km trên tổng gần {tot} km tuyến cáp cần chỉnh trang (đạt {p}% so với Kế hoạch giai đoạn {c.per.year}-{c.per.year + 1})"
    )
    c.fact(
        "cable_km",
        str(km),
        "km",
        "date-free numeric",
        s,
        f"gần {tot} km là tổng; {p}% là tỷ lệ so với kế hoạch",
    )
    c.fact("cable_pct", str(p), "%", "percent", s, f"{km} km là chiều dài", "hard")
    return f"- Triển khai Kế hoạch chỉnh trang mạng cáp viễn thông. {s}"


@indicator("dvc", "cds")
def _dvc(c: Ctx) -> str:
    full = c.stock(500, 1100)
    part = c.stock(300, 900)
    n = full + part
    s = c.sent(
        c.pick(
            f"Cổng dịch vụ công của tỉnh hiện cung cấp {vn_int(n)} dịch vụ công trực tuyến, trong đó {vn_int(full)} dịch vụ công trực tuyến toàn trình và {vn_int(part)} dịch vụ công trực tuyến một phần",
            f"Hệ thống thông tin giải quyết TTHC của tỉnh cung cấp {vn_int(n)} DVC trực tuyến (toàn trình: {vn_int(full)}; một phần: {vn_int(part)})",
        )
    )
    c.fact(
        "dvc_total", vn_int(n), "dịch vụ", "count", s, f"{vn_int(full)} toàn trình; {vn_int(part)} một phần"
    )
    c.fact(
        "dvc_full",
        vn_int(full),
        "dịch vụ",
        "count",
        s,
        f"{vn_int(n)} là tổng; {vn_int(part)} là một phần",
        "hard",
    )
    c.fact(
        "dvc_partial",
        vn_int(part),
        "dịch vụ",
        "count",
        s,
        f"{vn_int(n)} là tổng; {vn_int(full)} là toàn trình",
        "hard",
    )
    return f"- {s}"


@indicator("hoso", "cds")
def _hoso(c: Ctx) -> str:
    online = c.flow(1500, 9000)
    direct = c.flow(3000, 20000)
    r = online + direct
    done = int(r * c.rng.uniform(0.9, 0.99))
    s = c.sent(
        c.pick(
            f"{c.per.in_period().capitalize()}, hệ thống đã tiếp nhận {vn_int(r)} hồ sơ ({vn_int(direct)} trực tiếp; {vn_int(online)} trực tuyến), đã giải quyết {vn_int(done)} hồ sơ, các hồ sơ còn lại trong quá trình giải quyết",
            f"{c.T().capitalize()}, toàn tỉnh tiếp nhận {vn_int(r)} hồ sơ TTHC, trong đó {vn_int(online)} hồ sơ trực tuyến; đã giải quyết {vn_int(done)} hồ sơ",
        )
    )
    c.fact(
        "hoso_received",
        vn_int(r),
        "hồ sơ",
        "count",
        s,
        f"{vn_int(done)} đã giải quyết; {vn_int(online)} trực tuyến",
    )
    c.fact("hoso_online", vn_int(online), "hồ sơ", "count", s, f"{vn_int(r)} là tổng hồ sơ tiếp nhận", "hard")
    c.fact("hoso_resolved", vn_int(done), "hồ sơ", "count", s, f"{vn_int(r)} là số tiếp nhận", "hard")
    return f"- {s}"


@indicator("ontime", "cds")
def _ontime(c: Ctx) -> str:
    p = c.pct(93, 99.9, 1)
    t = c.pick("95", "98", "90")
    s = c.sent(
        c.pick(
            f"Tỷ lệ hồ sơ giải quyết đúng hạn là {p}%",
            f"Tỷ lệ hồ sơ TTHC được giải quyết đúng và trước hạn đạt {p}% (chỉ tiêu kế hoạch là {t}%)",
        )
    )
    c.fact(
        "ontime_pct", p, "%", "percent", s, f"{t}% là chỉ tiêu kế hoạch" if "chỉ tiêu" in s else "", "easy"
    )
    return f"+ {s}"


@indicator("online_rate", "cds")
def _online_rate(c: Ctx) -> str:
    a = c.rng.randint(60, 97)
    b = c.rng.randint(30, a - 5)
    qa, qb = c.pick("hơn", "trên", ""), c.pick("gần", "khoảng", "")
    s1 = c.sent(
        f"Tỷ lệ hồ sơ TTHC được thực hiện bằng hình thức trực tuyến (bao gồm cả trực tuyến toàn trình và trực tuyến một phần) đạt{_q(qa)} {a}%"
    )
    s2 = c.sent(f"Tỷ lệ hồ sơ TTHC được thực hiện bằng hình thức trực tuyến toàn trình đạt{_q(qb)} {b}%")
    c.fact("online_pct", str(a), "%", "percent", s1, f"{b}% là riêng toàn trình", "hard", qa)
    c.fact("online_full_pct", str(b), "%", "percent", s2, f"{a}% gồm cả trực tuyến một phần", "hard", qb)
    return f"+ {s1}\n\n+ {s2}"


@indicator("payment", "cds")
def _payment(c: Ctx) -> str:
    p = c.rng.randint(35, 95)
    q = c.pick("gần", "khoảng", "")
    s = c.sent(
        f"Tỷ lệ hồ sơ TTHC của người dân, doanh nghiệp có phát sinh thanh toán trực tuyến đạt{_q(q)} {p}%"
    )
    c.fact("payment_pct", str(p), "%", "percent", s, "", "easy", q)
    return f"+ {s}"


@indicator("digitize", "cds")
def _digitize(c: Ctx) -> str:
    p = c.pct(50, 99, 2)
    s = c.sent(f"Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính đạt {p}%")
    c.fact("digitize_pct", p, "%", "percent", s, "", "easy")
    return f"+ {s}"


@indicator("cts", "cds")
def _cts(c: Ctx) -> str:
    new = c.flow(10, 80)
    rev = c.flow(3, 40)
    org = c.stock(200, 700)
    per = c.stock(1200, 4000)
    s = c.sent(
        f"Chứng thư số chuyên dùng: {c.per.in_period()}, cấp mới {vn_int(new)} chứng thư số, rà soát thu hồi {vn_int(rev)} chứng thư số, tổng số {vn_int(org + per)} chứng thư số đang hoạt động trên địa bàn tỉnh "
        f"(trong đó gồm: {vn_int(org)} CTS tổ chức và {vn_int(per)} CTS cá nhân)"
    )
    c.fact(
        "cts_new",
        vn_int(new),
        "chứng thư số",
        "count",
        s,
        f"{vn_int(rev)} thu hồi; {vn_int(org + per)} tổng đang hoạt động",
        "hard",
    )
    c.fact(
        "cts_total",
        vn_int(org + per),
        "chứng thư số",
        "count",
        s,
        f"{vn_int(new)} cấp mới trong kỳ; {vn_int(org)} tổ chức; {vn_int(per)} cá nhân",
    )
    c.fact(
        "cts_personal",
        vn_int(per),
        "chứng thư số",
        "count",
        s,
        f"{vn_int(org + per)} là tổng; {vn_int(org)} là CTS tổ chức",
        "hard",
    )
    return f"- {s}"


@indicator("mail", "cds")
def _mail(c: Ctx) -> str:
    new = c.flow(20, 150)
    tot = c.stock(3000, 12000)
    s = c.sent(
        c.pick(
            f"Cấp mới {vn_int(new)} hộp thư điện tử công vụ, nâng tổng số hộp thư điện tử trên hệ thống hiện tại là {vn_int(tot)} hộp thư",
            f"Hệ thống thư điện tử công vụ: {c.per.in_period()} cấp mới {vn_int(new)} hộp thư; tổng số hộp thư điện tử công vụ cấp cho cán bộ, công chức, viên chức là {vn_int(tot)}",
        )
    )
    c.fact("mail_new", vn_int(new), "hộp thư", "count", s, f"{vn_int(tot)} là tổng số hộp thư", "hard")
    c.fact("mail_total", vn_int(tot), "hộp thư", "count", s, f"{vn_int(new)} là cấp mới trong kỳ")
    return f"- {s}"


@indicator("ioffice", "cds")
def _ioffice(c: Ctx) -> str:
    a, b, x = c.stock(60, 160), c.stock(150, 400), c.stock(80, 250)
    n = a + b + x
    users = c.stock(4000, 12000)
    d = c.flow(8000, 30000)
    sg = int(d * c.rng.uniform(0.6, 0.97))
    p = vn_dec(100 * sg / d, 2)
    s1 = c.sent(
        f"Hệ thống Quản lý văn bản và điều hành đã triển khai áp dụng cho {vn_int(n)} cơ quan (cấp tỉnh: {vn_int(a)}, cấp huyện: {vn_int(b)}, cấp xã: {vn_int(x)}), với {vn_int(users)} người dùng"
    )
    s2 = c.sent(
        f"{c.per.in_period().capitalize()}, {vn_int(d)} văn bản điện tử phát hành trên hệ thống, trong đó có {vn_int(sg)} văn bản được ký số (tỷ lệ {p}%)"
    )
    c.fact(
        "ioffice_agencies",
        vn_int(n),
        "cơ quan",
        "count",
        s1,
        f"{vn_int(a)}/{vn_int(b)}/{vn_int(x)} theo cấp; {vn_int(users)} người dùng",
    )
    c.fact("ioffice_commune", vn_int(x), "cơ quan", "count", s1, f"{vn_int(n)} là tổng số cơ quan", "hard")
    c.fact("docs_issued", vn_int(d), "văn bản", "count", s2, f"{vn_int(sg)} văn bản ký số; {p}%")
    c.fact(
        "docs_signed",
        vn_int(sg),
        "văn bản",
        "count",
        s2,
        f"{vn_int(d)} là tổng văn bản; {p}% là tỷ lệ",
        "hard",
    )
    c.fact("docs_signed_pct", p, "%", "percent", s2, f"{vn_int(sg)} là số lượng")
    return f"- {s1} {s2}"


@indicator("meetings", "cds")
def _meetings(c: Ctx) -> str:
    n = c.flow(3, 15)
    pts = n * c.rng.randint(20, 150)
    s = c.sent(
        f"Vận hành hệ thống hội nghị truyền hình trực tuyến phục vụ {vn_int(n)} cuộc họp với {vn_int(pts)} điểm cầu"
    )
    c.fact("meetings", vn_int(n), "cuộc", "count", s, f"{vn_int(pts)} là số điểm cầu")
    c.fact("meeting_points", vn_int(pts), "điểm cầu", "count", s, f"{vn_int(n)} là số cuộc họp", "hard")
    return f"- {s}"


@indicator("training", "cds")
def _training(c: Ctx) -> str:
    n = c.flow(2, 8)
    ppl = n * c.rng.randint(60, 400)
    q = c.pick("gần", "hơn", "khoảng", "")
    s = c.sent(
        f"Tổ chức {vn_int(n)} hội nghị, lớp tập huấn về kỹ năng số, chuyển đổi số với{_q(q)} {vn_int(ppl)} lượt người tham gia"
    )
    c.fact("training_classes", vn_int(n), "lớp", "count", s, f"{vn_int(ppl)} là số lượt người")
    c.fact("training_people", vn_int(ppl), "lượt người", "count", s, f"{vn_int(n)} là số lớp", "medium", q)
    return f"- {s}"


@indicator("community_tech", "cds")
def _community_tech(c: Ctx) -> str:
    n = c.stock(100, 900)
    m = n * c.rng.randint(4, 7)
    s = c.sent(
        f"Toàn tỉnh đã thành lập {vn_int(n)} Tổ công nghệ số cộng đồng với {vn_int(m)} thành viên tham gia"
    )
    c.fact("community_teams", vn_int(n), "tổ", "count", s, f"{vn_int(m)} là số thành viên")
    c.fact("community_members", vn_int(m), "thành viên", "count", s, f"{vn_int(n)} là số tổ", "hard")
    return f"- {s}"


@indicator("vneid", "cds")
def _vneid(c: Ctx) -> str:
    x = vn_dec(c.rng.uniform(0.3, 2.2) * c.size, 2)
    p = c.rng.randint(40, 90)
    s = c.sent(
        f"Phối hợp với Công an tỉnh kích hoạt {x} triệu tài khoản định danh điện tử mức độ 2, đạt {p}% dân số trong độ tuổi"
    )
    c.fact("vneid_accounts", x, "triệu tài khoản", "count", s, f"{p}% là tỷ lệ dân số")
    return f"- {s}"


@indicator("dti", "cds", long_only=True)
def _dti(c: Ctx) -> str:
    r = c.rng.randint(3, 60)
    r2 = c.rng.randint(1, 63)
    s = c.sent(
        f"Chỉ số xếp hạng chuyển đổi số (DTI) năm {c.per.year - (c.per.kind != 'year')} của tỉnh xếp thứ {r}/63 tỉnh, thành phố; chỉ số thành phần chính quyền số xếp thứ {r2}/63"
    )
    c.fact("dti_rank", str(r), "thứ hạng", "date-free numeric", s, f"{r2}/63 là chỉ số thành phần", "hard")
    return f"+ {s}"


@indicator("alerts", "attt")
def _alerts(c: Ctx) -> str:
    lo, mid, hi = c.flow(200, 2500), c.flow(50, 500), c.flow(20, 1200)
    tot = lo + mid + hi
    s = c.sent(
        c.pick(
            f"Hệ thống giám sát an toàn thông tin (SOC) {c.per.in_period()} ghi nhận {vn_int(tot)} cảnh báo, trong đó {vn_int(lo)} cảnh báo thấp, {vn_int(mid)} cảnh báo trung bình, {vn_int(hi)} cảnh báo cao",
            f"Hệ thống giám sát máy khách SOC: có {vn_int(lo)} cảnh báo thấp, {vn_int(mid)} cảnh báo trung bình, {vn_int(hi)} cảnh báo cao (tổng số {vn_int(tot)} cảnh báo)",
        )
    )
    c.fact(
        "alerts_total",
        vn_int(tot),
        "cảnh báo",
        "count",
        s,
        f"{vn_int(lo)}/{vn_int(mid)}/{vn_int(hi)} theo mức độ",
    )
    c.fact(
        "alerts_high",
        vn_int(hi),
        "cảnh báo",
        "count",
        s,
        f"{vn_int(tot)} là tổng; {vn_int(lo)} thấp; {vn_int(mid)} trung bình",
        "hard",
    )
    return f"- {s}"


@indicator("malware", "attt")
def _malware(c: Ctx) -> str:
    pcs = c.flow(5, 60)
    att = c.flow(20, 400)
    s = c.sent(
        f"Phát hiện, xử lý {vn_int(pcs)} máy tính nhiễm mã độc tại các cơ quan nhà nước; ngăn chặn {vn_int(att)} cuộc tấn công mạng vào các hệ thống thông tin của tỉnh"
    )
    c.fact("malware_pcs", vn_int(pcs), "máy", "count", s, f"{vn_int(att)} là số cuộc tấn công")
    c.fact(
        "attacks_blocked", vn_int(att), "cuộc tấn công", "count", s, f"{vn_int(pcs)} là số máy nhiễm mã độc"
    )
    return f"- {s}"


@indicator("attt_level", "attt")
def _attt_level(c: Ctx) -> str:
    b = c.stock(40, 160)
    a = int(b * c.rng.uniform(0.5, 1.0))
    p = vn_dec(100 * a / b, 1)
    s = c.sent(
        f"Thẩm định, phê duyệt hồ sơ đề xuất cấp độ an toàn thông tin cho {vn_int(a)}/{vn_int(b)} hệ thống thông tin, đạt {p}%"
    )
    c.fact("attt_level_approved", vn_int(a), "hệ thống", "count", s, f"{vn_int(b)} là tổng số hệ thống; {p}%")
    c.fact("attt_level_pct", p, "%", "percent", s, f"{vn_int(a)}/{vn_int(b)} là số lượng")
    return f"- {s}"


@indicator("press", "bcxb")
def _press(c: Ctx) -> str:
    n = c.flow(150, 600)
    pos = c.rng.randint(85, 97)
    q = c.pick("hơn", "khoảng", "")
    s = c.sent(
        f"Tổng hợp, theo dõi {vn_int(n)} tin, bài phản ánh về tỉnh trên báo chí Trung ương, trong đó thông tin tích cực và trung lập chiếm{_q(q)} {pos}%"
    )
    c.fact("press_articles", vn_int(n), "tin, bài", "count", s, f"{pos}% là tỷ lệ tích cực")
    c.fact("press_positive_pct", str(pos), "%", "percent", s, f"{vn_int(n)} là số tin, bài", "medium", q)
    return f"- {s}"


@indicator("publishing", "bcxb")
def _publishing(c: Ctx) -> str:
    a = c.flow(2, 12)
    b = c.flow(0.3, 3) + 1
    pa, pb = c.small(a), c.small(b)
    s = c.sent(
        c.pick(
            f"Cấp {pa} giấy phép xuất bản tài liệu không kinh doanh và {pb} giấy phép xuất bản bản tin",
            f"{c.per.in_period().capitalize()}, Sở cấp {pb} giấy phép xuất bản bản tin; {pa} giấy phép xuất bản tài liệu không kinh doanh",
        )
    )
    c.fact("pub_licences", pa, "giấy phép", "count", s, f"{pb} là giấy phép xuất bản bản tin", "hard")
    c.fact("bulletin_licences", pb, "giấy phép", "count", s, f"{pa} là giấy phép xuất bản tài liệu", "hard")
    return f"- {s}"


@indicator("portal", "bcxb")
def _portal(c: Ctx) -> str:
    n = c.flow(40, 400)
    v = c.flow(5, 40)
    s = c.sent(
        f"Cổng thông tin điện tử tỉnh cập nhật, đăng tải {vn_int(n)} tin, bài và {vn_int(v)} văn bản chỉ đạo, điều hành"
    )
    c.fact("portal_articles", vn_int(n), "tin, bài", "count", s, f"{vn_int(v)} là số văn bản")
    return f"- {s}"


@indicator("radio", "bcxb")
def _radio(c: Ctx) -> str:
    n = c.stock(80, 250)
    m = int(n * c.rng.uniform(0.2, 0.9))
    p = vn_dec(100 * m / n, 1)
    s = c.sent(
        f"Toàn tỉnh có {vn_int(n)} đài truyền thanh cấp xã, trong đó {vn_int(m)} đài truyền thanh ứng dụng công nghệ thông tin - viễn thông (chiếm {p}%)"
    )
    c.fact("radio_total", vn_int(n), "đài", "count", s, f"{vn_int(m)} là đài ứng dụng CNTT-VT")
    c.fact("radio_ict", vn_int(m), "đài", "count", s, f"{vn_int(n)} là tổng số đài; {p}%", "hard")
    return f"- {s}"


@indicator("inspection", "tt")
def _inspection(c: Ctx) -> str:
    n = max(1, c.flow(0.3, 2))
    pn = c.small(n)
    o = n * c.rng.randint(2, 12)
    v = c.rng.randint(1, max(1, o // 2))
    fine = c.rng.choice([2.5, 4, 7.5, 10, 12.5, 15, 22.5, 40, 55]) * c.rng.randint(1, 3)
    fp = vn_dec(fine, 1) if not float(fine).is_integer() else str(int(fine))
    s = c.sent(
        f"Tổ chức {pn} cuộc thanh tra, kiểm tra đối với {vn_int(o)} tổ chức, cá nhân; phát hiện {c.small(v)} trường hợp vi phạm, xử phạt vi phạm hành chính với tổng số tiền {fp} triệu đồng"
    )
    c.fact("inspections", pn, "cuộc", "count", s, f"{vn_int(o)} là số tổ chức, cá nhân được thanh tra")
    c.fact("inspected_entities", vn_int(o), "tổ chức, cá nhân", "count", s, f"{pn} là số cuộc", "hard")
    c.fact("fines", fp, "triệu đồng", "money", s, f"{vn_int(o)} đối tượng; {v} trường hợp vi phạm")
    return f"- {s}"


@indicator("complaints", "tt")
def _complaints(c: Ctx) -> str:
    n = max(2, c.flow(0.5, 3))
    m = c.rng.randint(1, n)
    pn, pm = c.small(n), c.small(m)
    s = c.sent(
        f"Tiếp nhận {pn} đơn khiếu nại, tố cáo, phản ánh, kiến nghị; đã xem xét, giải quyết {pm} đơn theo quy định"
    )
    c.fact("complaints_received", pn, "đơn", "count", s, f"{pm} đơn đã giải quyết")
    c.fact("complaints_resolved", pm, "đơn", "count", s, f"{pn} đơn đã tiếp nhận", "hard")
    return f"- {s}"


@indicator("budget", "vp")
def _budget(c: Ctx) -> str:
    b = c.rng.uniform(8, 60)
    frac = min(0.999, c.per.end_month / 12 * c.rng.uniform(0.6, 1.05))
    d = b * frac
    bp, dp = vn_dec(b, 1), vn_dec(d, 2)
    p = vn_dec(100 * float(dp.replace(",", ".")) / float(bp.replace(",", ".")), 1)
    s = c.sent(
        f"Năm {c.per.year}, Sở Thông tin và Truyền thông được phân bổ kế hoạch vốn {bp} tỷ đồng để triển khai {c.rng.randint(2, 6)} dự án đầu tư; đến nay đã giải ngân {dp} tỷ đồng, đạt {p}% kế hoạch vốn được giao"
    )
    c.fact("budget_plan", bp, "tỷ đồng", "money", s, f"{dp} tỷ đồng là số đã giải ngân", "hard")
    c.fact(
        "budget_disbursed", dp, "tỷ đồng", "money", s, f"{bp} tỷ đồng là kế hoạch vốn; {p}% là tỷ lệ", "hard"
    )
    c.fact("budget_pct", p, "%", "percent", s, f"{dp} tỷ đồng là số tiền")
    return f"- {s}"


@indicator("no_signal", "kk")
def _no_signal(c: Ctx) -> str:
    n = c.stock(5, 60)
    h = n * c.rng.randint(40, 200)
    s = c.sent(
        f"Trên địa bàn tỉnh vẫn còn {vn_int(n)} thôn, bản chưa có sóng thông tin di động hoặc sóng yếu, ảnh hưởng đến khoảng {vn_int(h)} hộ dân"
    )
    c.fact("no_signal_villages", vn_int(n), "thôn", "count", s, f"{vn_int(h)} là số hộ dân")
    return f"- {s}"


# Tasks for the next period: their numbers are plans, so they collide with achieved values above.
@indicator("plan_next", "nv")
def _plan_next(c: Ctx) -> str:
    bts = c.stock(20, 120)
    ins = c.rng.randint(1, 4)
    nx = c.per.next_phrase()
    s1 = c.sent(
        f"Phấn đấu {nx} thẩm định, chấp thuận {bts} vị trí xây dựng trạm BTS cho các doanh nghiệp viễn thông"
    )
    pi = c.small(ins)
    s2 = c.sent(f"Tổ chức {pi} cuộc thanh tra, kiểm tra chuyên ngành theo kế hoạch {nx}")
    c.fact(
        "plan_bts", str(bts), "vị trí", "count", s1, "chỉ tiêu kỳ tới, không phải kết quả kỳ báo cáo", "hard"
    )
    c.fact(
        "plan_inspections",
        pi,
        "cuộc",
        "count",
        s2,
        "kế hoạch kỳ tới, không phải số cuộc đã thực hiện",
        "hard",
    )
    return f"{s1}\n\n{s2}"


# --------------------------------------------------------------------------- questions

# fact key -> (English, [Vietnamese phrasings]). {P} province, {T} period, {N} next period.
# The Vietnamese phrasings deliberately avoid the report's own wording.
QUESTIONS: dict[str, tuple[str, list[str]]] = {
    "postal_revenue": (
        "What was the postal and courier revenue of {P} in {T}?",
        [
            "Doanh thu bưu chính, chuyển phát của {P} {T} là bao nhiêu?",
            "{T} {P} thu được bao nhiêu từ dịch vụ bưu chính?",
            "Doanh thu ngành bưu chính {P} trong {T} được bao nhiêu?",
        ],
    ),
    "postal_revenue_cum": (
        "What was {P}'s cumulative postal revenue from the start of the year to the end of {T}?",
        [
            "Lũy kế doanh thu bưu chính của {P} từ đầu năm đến hết {T} là bao nhiêu?",
            "Tính từ đầu năm tới hết {T}, doanh thu bưu chính chuyển phát {P} cộng dồn được bao nhiêu?",
            "Doanh thu bưu chính cộng dồn đến {T} của {P}?",
        ],
    ),
    "postal_growth": (
        "By what percentage did {P}'s postal revenue grow year on year in {T}?",
        [
            "Doanh thu bưu chính {P} {T} tăng bao nhiêu phần trăm so với cùng kỳ?",
            "{T}, doanh thu bưu chính của {P} tăng trưởng bao nhiêu % so với cùng kỳ năm trước?",
            "Mức tăng doanh thu bưu chính chuyển phát {P} {T} so với cùng kỳ là bao nhiêu phần trăm?",
        ],
    ),
    "postal_points": (
        "How many postal service points does {P} have ({T} report)?",
        [
            "{P} có tổng cộng bao nhiêu điểm phục vụ bưu chính ({T})?",
            "Số điểm phục vụ bưu chính trên địa bàn {P} theo báo cáo {T} là bao nhiêu?",
            "Tổng số điểm phục vụ bưu chính của {P} {T}?",
        ],
    ),
    "postal_bdvhx": (
        "How many commune cultural post offices does {P} have ({T})?",
        [
            "{P} có bao nhiêu bưu điện văn hóa xã ({T})?",
            "Số điểm bưu điện văn hóa xã của {P} theo báo cáo {T}?",
            "Báo cáo {T} của {P} ghi nhận bao nhiêu điểm BĐVHX?",
        ],
    ),
    "postal_radius": (
        "What is the average service radius per postal point in {P} ({T})?",
        [
            "Bán kính phục vụ bình quân của một điểm bưu chính ở {P} là bao nhiêu km ({T})?",
            "Mỗi điểm phục vụ bưu chính tại {P} phục vụ bán kính bao nhiêu km theo báo cáo {T}?",
            "{P} {T}: bán kính phục vụ trung bình mỗi điểm bưu chính?",
        ],
    ),
    "ecom_households_voso": (
        "How many farming households in {P} sell on Voso.vn ({T})?",
        [
            "Bao nhiêu hộ sản xuất nông nghiệp của {P} có gian hàng trên Voso.vn ({T})?",
            "Số hộ nông nghiệp {P} bán hàng trên sàn Voso.vn theo báo cáo {T}?",
            "{T}, trên sàn Voso.vn {P} có bao nhiêu hộ nông dân tham gia?",
        ],
    ),
    "ecom_products": (
        "How many products of {P} are promoted on e-commerce platforms ({T})?",
        [
            "Có bao nhiêu loại sản phẩm của {P} được giới thiệu trên sàn thương mại điện tử ({T})?",
            "Số sản phẩm nông nghiệp {P} được quảng bá trên sàn TMĐT theo báo cáo {T}?",
            "{P} {T} đưa được bao nhiêu loại sản phẩm lên sàn thương mại điện tử?",
        ],
    ),
    "bts_approved": (
        "How many BTS sites did {P} approve in {T}?",
        [
            "{T} Sở TT&TT {P} đã chấp thuận bao nhiêu vị trí xây dựng trạm BTS?",
            "Số vị trí trạm BTS được {P} thẩm định {T} là bao nhiêu?",
            "{P} duyệt được bao nhiêu vị trí trạm phát sóng BTS cho nhà mạng trong {T}?",
        ],
    ),
    "bts_plan": (
        "What was {P}'s annual target for BTS sites (as stated in the {T} report)?",
        [
            "Kế hoạch cả năm của {P} là bao nhiêu vị trí trạm BTS (báo cáo {T})?",
            "Chỉ tiêu vị trí trạm BTS theo kế hoạch năm của {P} nêu trong báo cáo {T}?",
            "Theo báo cáo {T}, {P} đặt kế hoạch bao nhiêu vị trí BTS trong năm?",
        ],
    ),
    "bts_built": (
        "How many new BTS stations were built and put into service in {P} in {T}?",
        [
            "{T} các nhà mạng ở {P} đã xây mới và phát sóng bao nhiêu trạm BTS?",
            "Số trạm BTS xây dựng mới đưa vào phát sóng tại {P} {T}?",
            "{P} có thêm bao nhiêu trạm BTS mới đi vào hoạt động trong {T}?",
        ],
    ),
    "bts_5g": (
        "How many 5G stations were installed in {P} in {T}?",
        [
            "{T} {P} lắp đặt được bao nhiêu trạm 5G?",
            "Số trạm 5G mới ở {P} trong {T} là bao nhiêu?",
            "Nhà mạng đã phát triển bao nhiêu trạm phát sóng 5G tại {P} {T}?",
        ],
    ),
    "bts_stations_total": (
        "How many BTS stations are there in {P} ({T} report)?",
        [
            "Tổng số trạm BTS trên địa bàn {P} theo báo cáo {T}?",
            "{P} hiện có bao nhiêu trạm thu phát sóng BTS ({T})?",
            "Báo cáo {T}: toàn {P} có tất cả bao nhiêu trạm BTS?",
        ],
    ),
    "bts_stations_4g": (
        "How many 4G stations does {P} have ({T})?",
        [
            "{P} có bao nhiêu trạm 4G ({T})?",
            "Số trạm phát sóng 4G hiện có tại {P} theo báo cáo {T}?",
            "Theo báo cáo {T}, số trạm BTS 4G của {P} là bao nhiêu?",
        ],
    ),
    "bts_locations": (
        "On how many sites are {P}'s BTS stations installed ({T})?",
        [
            "Các trạm BTS của {P} được lắp trên bao nhiêu vị trí ({T})?",
            "Số vị trí đặt trạm BTS hiện có ở {P} (báo cáo {T})?",
            "{P} {T}: tổng số vị trí trạm BTS là bao nhiêu?",
        ],
    ),
    "phone_new": (
        "How many new telephone subscriptions did {P} add in {T}?",
        [
            "{T} {P} phát triển thêm bao nhiêu thuê bao điện thoại?",
            "Số thuê bao điện thoại phát triển mới của {P} trong {T}?",
            "Trong {T}, {P} có thêm được bao nhiêu thuê bao điện thoại mới?",
        ],
    ),
    "phone_total": (
        "How many telephone subscriptions (fixed and mobile) are active in {P} ({T})?",
        [
            "Tổng số thuê bao điện thoại cố định và di động đang hoạt động ở {P} ({T})?",
            "{P} có tất cả bao nhiêu thuê bao điện thoại trên mạng theo báo cáo {T}?",
            "Số thuê bao điện thoại hiện có của {P} {T} là bao nhiêu?",
        ],
    ),
    "phone_fixed": (
        "How many fixed-line telephone subscriptions does {P} have ({T})?",
        [
            "Số thuê bao điện thoại cố định của {P} hiện có trên mạng ({T})?",
            "{P} có bao nhiêu thuê bao cố định theo báo cáo {T}?",
            "Thuê bao điện thoại cố định ở {P} {T} là bao nhiêu?",
        ],
    ),
    "internet_new": (
        "How many new fixed broadband subscriptions did {P} add in {T}?",
        [
            "{T} {P} phát triển mới bao nhiêu thuê bao Internet cố định?",
            "Số thuê bao Internet băng rộng cố định tăng thêm trong {T} ở {P}?",
            "Trong {T}, {P} có thêm bao nhiêu thuê bao Internet cáp quang cố định?",
        ],
    ),
    "internet_cum": (
        "How many new fixed broadband subscriptions did {P} add from the start of the year to the end of {T}?",
        [
            "Lũy kế từ đầu năm đến hết {T}, {P} phát triển được bao nhiêu thuê bao Internet cố định?",
            "Cộng dồn từ đầu năm tới {T}, số thuê bao Internet băng rộng cố định mới của {P}?",
            "{P}: thuê bao Internet cố định phát triển mới lũy kế đến {T}?",
        ],
    ),
    "internet_total": (
        "How many fixed broadband subscriptions are active in {P} ({T})?",
        [
            "Tổng số thuê bao Internet băng rộng cố định của {P} đang duy trì ({T})?",
            "{P} hiện có bao nhiêu thuê bao Internet cố định (báo cáo {T})?",
            "Số thuê bao Internet băng rộng cố định trên mạng ở {P} tính đến {T}?",
        ],
    ),
    "mbb_total": (
        "How many mobile broadband subscriptions does {P} have ({T})?",
        [
            "{P} có bao nhiêu thuê bao băng rộng di động ({T})?",
            "Số thuê bao Internet di động băng rộng của {P} theo báo cáo {T}?",
            "Tổng thuê bao băng rộng di động ở {P} {T} là bao nhiêu?",
        ],
    ),
    "mbb_density": (
        "What is the mobile broadband density per 100 inhabitants in {P} ({T})?",
        [
            "Mật độ thuê bao băng rộng di động của {P} là bao nhiêu trên 100 dân ({T})?",
            "{P} {T} đạt mật độ bao nhiêu thuê bao băng rộng di động/100 dân?",
            "Cứ 100 dân ở {P} có bao nhiêu thuê bao băng rộng di động (báo cáo {T})?",
        ],
    ),
    "telecom_revenue": (
        "What was {P}'s telecom revenue in {T}?",
        [
            "Doanh thu viễn thông của {P} {T} là bao nhiêu?",
            "{T}, các dịch vụ viễn thông ở {P} thu được bao nhiêu tiền?",
            "Doanh thu dịch vụ viễn thông {P} trong {T} đạt bao nhiêu tỷ?",
        ],
    ),
    "telecom_revenue_cum": (
        "What was {P}'s cumulative telecom revenue from the start of the year to the end of {T}?",
        [
            "Lũy kế doanh thu viễn thông {P} từ đầu năm đến hết {T}?",
            "Doanh thu viễn thông cộng dồn từ đầu năm tới {T} của {P} là bao nhiêu?",
            "Tính từ đầu năm đến hết {T}, doanh thu viễn thông {P} được bao nhiêu?",
        ],
    ),
    "telecom_growth": (
        "By what percentage did {P}'s telecom revenue grow year on year in {T}?",
        [
            "Doanh thu viễn thông {P} {T} tăng bao nhiêu % so với cùng kỳ?",
            "{T} doanh thu viễn thông của {P} tăng trưởng bao nhiêu phần trăm?",
            "So với cùng kỳ, doanh thu viễn thông {P} {T} tăng mấy phần trăm?",
        ],
    ),
    "sub2g_converted": (
        "How many 2G subscribers in {P} switched to 4G ({T})?",
        [
            "Bao nhiêu thuê bao 2G ở {P} đã chuyển sang 4G ({T})?",
            "Số thuê bao 2G đã chuyển đổi lên 4G tại {P} theo báo cáo {T}?",
            "{P} {T}: đã có bao nhiêu thuê bao chuyển từ 2G lên 4G?",
        ],
    ),
    "sub2g_pct": (
        "What share of {P}'s 2G subscribers switched to 4G ({T})?",
        [
            "Tỷ lệ thuê bao 2G đã chuyển sang 4G ở {P} là bao nhiêu ({T})?",
            "{P} {T} chuyển đổi được bao nhiêu phần trăm thuê bao 2G lên 4G?",
            "Bao nhiêu % thuê bao 2G của {P} đã lên 4G (báo cáo {T})?",
        ],
    ),
    "cable_km": (
        "How many km of telecom cable were tidied up in {P} ({T})?",
        [
            "{P} đã chỉnh trang được bao nhiêu km cáp viễn thông ({T})?",
            "Chiều dài cáp viễn thông được chỉnh trang, bó gọn ở {P} {T} là bao nhiêu km?",
            "Số km tuyến cáp đã chỉnh trang của {P} theo báo cáo {T}?",
        ],
    ),
    "cable_pct": (
        "What percentage of the cable tidy-up plan did {P} achieve ({T})?",
        [
            "Việc chỉnh trang cáp viễn thông ở {P} đạt bao nhiêu % kế hoạch ({T})?",
            "{P} {T}: tỷ lệ hoàn thành kế hoạch chỉnh trang cáp là bao nhiêu phần trăm?",
            "Chỉnh trang tuyến cáp của {P} đạt mấy phần trăm so với kế hoạch (báo cáo {T})?",
        ],
    ),
    "dvc_total": (
        "How many online public services does {P} provide ({T})?",
        [
            "{P} cung cấp tổng cộng bao nhiêu dịch vụ công trực tuyến ({T})?",
            "Tổng số DVC trực tuyến của {P} theo báo cáo {T}?",
            "Cổng dịch vụ công {P} có bao nhiêu dịch vụ trực tuyến ({T})?",
        ],
    ),
    "dvc_full": (
        "How many fully online public services does {P} provide ({T})?",
        [
            "{P} có bao nhiêu dịch vụ công trực tuyến toàn trình ({T})?",
            "Số DVC toàn trình của {P} theo báo cáo {T} là bao nhiêu?",
            "Báo cáo {T}: số dịch vụ công thực hiện trực tuyến toàn trình ở {P}?",
        ],
    ),
    "dvc_partial": (
        "How many partly online public services does {P} provide ({T})?",
        [
            "{P} có bao nhiêu dịch vụ công trực tuyến một phần ({T})?",
            "Số DVC trực tuyến một phần của {P} theo báo cáo {T}?",
            "Dịch vụ công trực tuyến một phần ở {P} {T} là bao nhiêu dịch vụ?",
        ],
    ),
    "hoso_received": (
        "How many administrative dossiers did {P} receive in {T}?",
        [
            "{T} {P} tiếp nhận bao nhiêu hồ sơ thủ tục hành chính?",
            "Tổng số hồ sơ TTHC mà {P} nhận được trong {T}?",
            "Số hồ sơ thủ tục hành chính {P} đã tiếp nhận {T} là bao nhiêu?",
        ],
    ),
    "hoso_online": (
        "How many dossiers did {P} receive online in {T}?",
        [
            "{T} {P} tiếp nhận bao nhiêu hồ sơ trực tuyến?",
            "Số hồ sơ TTHC nộp trực tuyến ở {P} trong {T}?",
            "Bao nhiêu hồ sơ thủ tục hành chính được nộp online tại {P} {T}?",
        ],
    ),
    "hoso_resolved": (
        "How many dossiers did {P} resolve in {T}?",
        [
            "{T} {P} đã giải quyết xong bao nhiêu hồ sơ TTHC?",
            "Số hồ sơ thủ tục hành chính đã được giải quyết ở {P} {T}?",
            "{P} xử lý được bao nhiêu hồ sơ trong {T}?",
        ],
    ),
    "ontime_pct": (
        "What share of dossiers did {P} resolve on time in {T}?",
        [
            "Tỷ lệ hồ sơ giải quyết đúng hạn của {P} {T} là bao nhiêu?",
            "{T}, {P} giải quyết đúng hạn bao nhiêu phần trăm hồ sơ TTHC?",
            "Bao nhiêu % hồ sơ TTHC ở {P} được xử lý đúng hạn ({T})?",
        ],
    ),
    "online_pct": (
        "What share of {P}'s dossiers were handled online (fully or partly) in {T}?",
        [
            "Tỷ lệ hồ sơ TTHC thực hiện trực tuyến (cả toàn trình và một phần) của {P} {T}?",
            "{T} bao nhiêu phần trăm hồ sơ TTHC ở {P} được nộp trực tuyến, tính cả một phần?",
            "Tỷ lệ hồ sơ trực tuyến chung (toàn trình + một phần) ở {P} {T} là bao nhiêu?",
        ],
    ),
    "online_full_pct": (
        "What share of {P}'s dossiers were handled fully online in {T}?",
        [
            "Tỷ lệ hồ sơ TTHC trực tuyến toàn trình của {P} {T} là bao nhiêu?",
            "{T} bao nhiêu % hồ sơ ở {P} được xử lý trực tuyến toàn trình?",
            "Hồ sơ toàn trình chiếm bao nhiêu phần trăm ở {P} ({T})?",
        ],
    ),
    "payment_pct": (
        "What share of {P}'s dossiers involved online payment in {T}?",
        [
            "Tỷ lệ hồ sơ TTHC có thanh toán trực tuyến ở {P} {T}?",
            "{T}, bao nhiêu phần trăm hồ sơ ở {P} phát sinh thanh toán online?",
            "Tỷ lệ thanh toán trực tuyến trong giải quyết TTHC của {P} ({T}) là bao nhiêu?",
        ],
    ),
    "digitize_pct": (
        "What share of dossiers and results were digitised in {P} ({T})?",
        [
            "Tỷ lệ số hóa hồ sơ, kết quả TTHC của {P} {T} đạt bao nhiêu?",
            "{P} {T} số hóa được bao nhiêu phần trăm hồ sơ thủ tục hành chính?",
            "Bao nhiêu % hồ sơ và kết quả giải quyết TTHC ở {P} đã được số hóa ({T})?",
        ],
    ),
    "cts_new": (
        "How many new digital certificates were issued in {P} in {T}?",
        [
            "{T} {P} cấp mới bao nhiêu chứng thư số chuyên dùng?",
            "Số chứng thư số được cấp mới tại {P} trong {T}?",
            "{P} cấp thêm bao nhiêu chữ ký số chuyên dùng trong {T}?",
        ],
    ),
    "cts_total": (
        "How many digital certificates are active in {P} ({T})?",
        [
            "Tổng số chứng thư số đang hoạt động ở {P} ({T})?",
            "{P} hiện có bao nhiêu chứng thư số còn hiệu lực theo báo cáo {T}?",
            "Số chứng thư số chuyên dùng đang sử dụng trên địa bàn {P} ({T})?",
        ],
    ),
    "cts_personal": (
        "How many personal digital certificates are active in {P} ({T})?",
        [
            "{P} có bao nhiêu chứng thư số cá nhân đang hoạt động ({T})?",
            "Số CTS cá nhân ở {P} theo báo cáo {T}?",
            "Chứng thư số cấp cho cá nhân tại {P} ({T}) là bao nhiêu?",
        ],
    ),
    "mail_new": (
        "How many new official email accounts were created in {P} in {T}?",
        [
            "{T} {P} cấp thêm bao nhiêu hộp thư công vụ?",
            "Số hộp thư điện tử công vụ cấp mới ở {P} trong {T}?",
            "{P} tạo mới bao nhiêu tài khoản thư công vụ {T}?",
        ],
    ),
    "mail_total": (
        "How many official email accounts does {P} have in total ({T})?",
        [
            "Tổng số hộp thư điện tử công vụ của {P} ({T})?",
            "{P} hiện có bao nhiêu hộp thư công vụ theo báo cáo {T}?",
            "Số tài khoản thư điện tử công vụ đang có ở {P} ({T}) là bao nhiêu?",
        ],
    ),
    "ioffice_agencies": (
        "How many agencies in {P} use the document management system ({T})?",
        [
            "Phần mềm quản lý văn bản và điều hành ở {P} đã triển khai cho bao nhiêu cơ quan ({T})?",
            "Số cơ quan dùng hệ thống QLVB-ĐH của {P} theo báo cáo {T}?",
            "{P} {T}: bao nhiêu cơ quan, đơn vị sử dụng hệ thống quản lý văn bản?",
        ],
    ),
    "ioffice_commune": (
        "How many commune-level agencies in {P} use the document management system ({T})?",
        [
            "Bao nhiêu cơ quan cấp xã ở {P} dùng hệ thống quản lý văn bản và điều hành ({T})?",
            "Số đơn vị cấp xã triển khai phần mềm QLVB của {P} (báo cáo {T})?",
            "{P} {T}: hệ thống quản lý văn bản triển khai cho mấy cơ quan cấp xã?",
        ],
    ),
    "docs_issued": (
        "How many electronic documents were issued on {P}'s system in {T}?",
        [
            "{T} có bao nhiêu văn bản điện tử được phát hành trên hệ thống của {P}?",
            "Số văn bản điện tử phát hành qua hệ thống quản lý văn bản {P} {T}?",
            "{P} phát hành bao nhiêu văn bản điện tử trong {T}?",
        ],
    ),
    "docs_signed": (
        "How many electronic documents were digitally signed in {P} in {T}?",
        [
            "{T} ở {P} có bao nhiêu văn bản được ký số?",
            "Số văn bản điện tử ký số trên hệ thống của {P} {T}?",
            "{P} ký số bao nhiêu văn bản trong {T}?",
        ],
    ),
    "docs_signed_pct": (
        "What share of electronic documents were digitally signed in {P} in {T}?",
        [
            "Tỷ lệ văn bản điện tử được ký số ở {P} {T}?",
            "{T} bao nhiêu phần trăm văn bản điện tử của {P} có ký số?",
            "Văn bản ký số chiếm bao nhiêu % ở {P} ({T})?",
        ],
    ),
    "meetings": (
        "How many video-conference meetings did {P} run in {T}?",
        [
            "{T} {P} tổ chức bao nhiêu cuộc họp trực tuyến?",
            "Số cuộc hội nghị truyền hình trực tuyến ở {P} trong {T}?",
            "Hệ thống họp trực tuyến {P} phục vụ mấy cuộc họp {T}?",
        ],
    ),
    "meeting_points": (
        "How many connection points did {P}'s video conferences have in {T}?",
        [
            "Các cuộc họp trực tuyến của {P} {T} có tổng cộng bao nhiêu điểm cầu?",
            "Số điểm cầu hội nghị truyền hình ở {P} trong {T}?",
            "{T}, hệ thống họp trực tuyến {P} kết nối bao nhiêu điểm cầu?",
        ],
    ),
    "training_classes": (
        "How many digital-skills training sessions did {P} hold in {T}?",
        [
            "{T} {P} mở bao nhiêu lớp tập huấn kỹ năng số?",
            "Số hội nghị, lớp tập huấn về CĐS ở {P} trong {T}?",
            "{P} tổ chức mấy lớp bồi dưỡng kỹ năng số {T}?",
        ],
    ),
    "training_people": (
        "How many participants attended {P}'s digital-skills training in {T}?",
        [
            "Bao nhiêu lượt người dự tập huấn kỹ năng số ở {P} {T}?",
            "Số lượt người tham gia các lớp tập huấn CĐS của {P} trong {T}?",
            "{T} có bao nhiêu lượt người được {P} tập huấn về chuyển đổi số?",
        ],
    ),
    "community_teams": (
        "How many community digital technology teams does {P} have ({T})?",
        [
            "{P} đã thành lập bao nhiêu Tổ công nghệ số cộng đồng ({T})?",
            "Số tổ CNSCĐ trên địa bàn {P} theo báo cáo {T}?",
            "Báo cáo {T}: {P} có bao nhiêu tổ công nghệ số cộng đồng?",
        ],
    ),
    "community_members": (
        "How many members do {P}'s community digital technology teams have ({T})?",
        [
            "Các Tổ công nghệ số cộng đồng ở {P} có bao nhiêu thành viên ({T})?",
            "Tổng số thành viên tổ CNSCĐ của {P} theo báo cáo {T}?",
            "{P} {T}: số người tham gia tổ công nghệ số cộng đồng?",
        ],
    ),
    "vneid_accounts": (
        "How many level-2 electronic identity accounts were activated in {P} ({T})?",
        [
            "{P} đã kích hoạt bao nhiêu tài khoản định danh điện tử mức 2 ({T})?",
            "Số tài khoản VNeID mức độ 2 được kích hoạt ở {P} theo báo cáo {T}?",
            "Bao nhiêu tài khoản định danh điện tử đã được kích hoạt tại {P} ({T})?",
        ],
    ),
    "dti_rank": (
        "What was {P}'s DTI digital-transformation rank (per the {T} report)?",
        [
            "Chỉ số DTI của {P} xếp thứ mấy cả nước (báo cáo {T})?",
            "{P} đứng thứ bao nhiêu về chỉ số chuyển đổi số DTI theo báo cáo {T}?",
            "Thứ hạng chỉ số CĐS cấp tỉnh (DTI) của {P} nêu trong báo cáo {T}?",
        ],
    ),
    "alerts_total": (
        "How many security alerts did {P}'s SOC record in {T}?",
        [
            "Hệ thống SOC của {P} ghi nhận tổng cộng bao nhiêu cảnh báo {T}?",
            "Số cảnh báo ATTT được phát hiện ở {P} trong {T}?",
            "{T}, hệ thống giám sát an toàn thông tin {P} có bao nhiêu cảnh báo?",
        ],
    ),
    "alerts_high": (
        "How many high-severity security alerts did {P} record in {T}?",
        [
            "{T} {P} có bao nhiêu cảnh báo ATTT mức cao?",
            "Số cảnh báo mức độ cao trên hệ thống giám sát của {P} {T}?",
            "Hệ thống SOC {P} ghi nhận mấy cảnh báo nghiêm trọng (mức cao) trong {T}?",
        ],
    ),
    "malware_pcs": (
        "How many malware-infected computers were handled in {P} in {T}?",
        [
            "{T} {P} xử lý bao nhiêu máy tính bị nhiễm mã độc?",
            "Số máy tính nhiễm mã độc được phát hiện ở {P} trong {T}?",
            "Bao nhiêu máy bị mã độc tại cơ quan nhà nước {P} {T}?",
        ],
    ),
    "attacks_blocked": (
        "How many cyber attacks were blocked in {P} in {T}?",
        [
            "{T} {P} ngăn chặn được bao nhiêu cuộc tấn công mạng?",
            "Số cuộc tấn công vào hệ thống thông tin của {P} bị chặn trong {T}?",
            "Bao nhiêu vụ tấn công mạng nhắm vào {P} đã được ngăn chặn {T}?",
        ],
    ),
    "attt_level_approved": (
        "How many information systems in {P} had their security level approved ({T})?",
        [
            "Bao nhiêu hệ thống thông tin của {P} được phê duyệt hồ sơ cấp độ ATTT ({T})?",
            "Số HTTT ở {P} đã được duyệt cấp độ an toàn thông tin (báo cáo {T})?",
            "{P} {T}: mấy hệ thống đã có hồ sơ cấp độ ATTT được phê duyệt?",
        ],
    ),
    "attt_level_pct": (
        "What share of {P}'s information systems had their security level approved ({T})?",
        [
            "Tỷ lệ hệ thống thông tin của {P} được phê duyệt cấp độ ATTT ({T})?",
            "{P} {T}: bao nhiêu phần trăm HTTT đã được duyệt hồ sơ cấp độ?",
            "Hồ sơ cấp độ an toàn thông tin ở {P} đã duyệt được bao nhiêu % (báo cáo {T})?",
        ],
    ),
    "press_articles": (
        "How many central press articles about {P} were tracked in {T}?",
        [
            "{T} có bao nhiêu tin, bài về {P} trên báo chí Trung ương?",
            "Số tin bài báo chí Trung ương viết về {P} được tổng hợp {T}?",
            "Báo chí Trung ương đăng bao nhiêu bài phản ánh {P} trong {T}?",
        ],
    ),
    "press_positive_pct": (
        "What share of central press coverage of {P} was positive or neutral in {T}?",
        [
            "Tỷ lệ thông tin tích cực, trung lập về {P} trên báo chí Trung ương {T}?",
            "{T} bao nhiêu phần trăm tin bài về {P} mang sắc thái tích cực và trung lập?",
            "Thông tin báo chí về {P} tích cực chiếm mấy % ({T})?",
        ],
    ),
    "pub_licences": (
        "How many non-commercial publication licences did {P} issue in {T}?",
        [
            "{T} {P} cấp bao nhiêu giấy phép xuất bản tài liệu không kinh doanh?",
            "Số giấy phép xuất bản tài liệu không kinh doanh của {P} trong {T}?",
            "{P} cấp phép xuất bản cho bao nhiêu tài liệu không kinh doanh {T}?",
        ],
    ),
    "bulletin_licences": (
        "How many bulletin publication licences did {P} issue in {T}?",
        [
            "{T} {P} cấp bao nhiêu giấy phép xuất bản bản tin?",
            "Số giấy phép bản tin được cấp ở {P} trong {T}?",
            "{P} cấp mấy giấy phép xuất bản bản tin {T}?",
        ],
    ),
    "portal_articles": (
        "How many news items did {P}'s provincial portal publish in {T}?",
        [
            "Cổng TTĐT tỉnh {P} đăng bao nhiêu tin, bài {T}?",
            "{T}, số tin bài đăng trên Cổng thông tin điện tử {P}?",
            "Bao nhiêu tin, bài được cập nhật lên cổng thông tin điện tử của {P} trong {T}?",
        ],
    ),
    "radio_total": (
        "How many commune radio stations does {P} have ({T})?",
        [
            "{P} có bao nhiêu đài truyền thanh cấp xã ({T})?",
            "Tổng số đài truyền thanh xã của {P} theo báo cáo {T}?",
            "Số đài truyền thanh cơ sở cấp xã ở {P} {T}?",
        ],
    ),
    "radio_ict": (
        "How many of {P}'s commune radio stations use ICT ({T})?",
        [
            "Bao nhiêu đài truyền thanh xã ở {P} ứng dụng CNTT - viễn thông ({T})?",
            "Số đài truyền thanh thông minh (ứng dụng CNTT-VT) của {P} theo báo cáo {T}?",
            "{P} {T}: mấy đài truyền thanh cấp xã đã dùng công nghệ thông tin - viễn thông?",
        ],
    ),
    "inspections": (
        "How many inspections did {P}'s department conduct in {T}?",
        [
            "{T} Sở TT&TT {P} tiến hành bao nhiêu cuộc thanh tra, kiểm tra?",
            "Số cuộc thanh, kiểm tra chuyên ngành của {P} trong {T}?",
            "{P} đã thực hiện mấy cuộc thanh tra {T}?",
        ],
    ),
    "inspected_entities": (
        "How many organisations and individuals were inspected in {P} in {T}?",
        [
            "{T} {P} thanh tra, kiểm tra bao nhiêu tổ chức, cá nhân?",
            "Số đối tượng được thanh tra, kiểm tra ở {P} trong {T}?",
            "Bao nhiêu tổ chức, cá nhân tại {P} bị thanh kiểm tra {T}?",
        ],
    ),
    "fines": (
        "What was the total amount of administrative fines in {P} in {T}?",
        [
            "{T} {P} xử phạt vi phạm hành chính tổng cộng bao nhiêu tiền?",
            "Tổng số tiền phạt VPHC trong lĩnh vực TT&TT ở {P} {T}?",
            "Số tiền xử phạt hành chính của Sở TT&TT {P} trong {T} là bao nhiêu?",
        ],
    ),
    "complaints_received": (
        "How many complaints and petitions did {P}'s department receive in {T}?",
        [
            "{T} Sở TT&TT {P} nhận bao nhiêu đơn khiếu nại, tố cáo, phản ánh?",
            "Số đơn thư khiếu nại, kiến nghị gửi đến Sở {P} trong {T}?",
            "{P} tiếp nhận mấy đơn khiếu nại tố cáo {T}?",
        ],
    ),
    "complaints_resolved": (
        "How many complaints did {P}'s department resolve in {T}?",
        [
            "{T} Sở TT&TT {P} đã giải quyết bao nhiêu đơn?",
            "Số đơn khiếu nại, tố cáo được {P} giải quyết trong {T}?",
            "{P} xử lý xong mấy đơn thư {T}?",
        ],
    ),
    "budget_plan": (
        "How much investment capital was allocated to {P}'s department for the year (per the {T} report)?",
        [
            "Kế hoạch vốn năm được giao cho Sở TT&TT {P} là bao nhiêu (báo cáo {T})?",
            "Sở TTTT {P} được phân bổ bao nhiêu tỷ đồng vốn đầu tư trong năm (theo báo cáo {T})?",
            "{P} {T}: tổng kế hoạch vốn giao cho các dự án của Sở là bao nhiêu?",
        ],
    ),
    "budget_disbursed": (
        "How much had {P}'s department disbursed (per the {T} report)?",
        [
            "Sở TT&TT {P} đã giải ngân được bao nhiêu vốn (báo cáo {T})?",
            "Số vốn đã giải ngân của Sở TTTT {P} tính đến {T}?",
            "{P} {T}: giá trị giải ngân vốn đầu tư của Sở là bao nhiêu tỷ?",
        ],
    ),
    "budget_pct": (
        "What share of the capital plan had {P}'s department disbursed (per the {T} report)?",
        [
            "Tỷ lệ giải ngân vốn của Sở TT&TT {P} đạt bao nhiêu % kế hoạch ({T})?",
            "{P} {T} giải ngân được bao nhiêu phần trăm kế hoạch vốn?",
            "Tiến độ giải ngân của Sở TTTT {P} đạt mấy % (báo cáo {T})?",
        ],
    ),
    "no_signal_villages": (
        "How many villages in {P} still lack mobile coverage ({T})?",
        [
            "{P} còn bao nhiêu thôn, bản chưa có sóng di động ({T})?",
            "Số thôn bản lõm sóng thông tin di động ở {P} theo báo cáo {T}?",
            "Theo báo cáo {T}, bao nhiêu thôn của {P} chưa được phủ sóng di động?",
        ],
    ),
    "plan_bts": (
        "How many BTS sites does {P} aim to approve in {N}?",
        [
            "{N} {P} đặt mục tiêu chấp thuận bao nhiêu vị trí trạm BTS?",
            "Theo nhiệm vụ trọng tâm trong báo cáo {T}, {P} dự kiến thẩm định bao nhiêu vị trí BTS trong {N}?",
            "Chỉ tiêu vị trí trạm BTS {N} của {P} là bao nhiêu?",
        ],
    ),
    "plan_inspections": (
        "How many inspections does {P}'s department plan for {N}?",
        [
            "{N} Sở TT&TT {P} dự kiến tổ chức bao nhiêu cuộc thanh tra?",
            "Theo kế hoạch, {N} {P} sẽ thanh tra, kiểm tra mấy cuộc?",
            "Số cuộc thanh tra dự kiến trong {N} của Sở TTTT {P}?",
        ],
    ),
}

ABBREV = (
    ("thủ tục hành chính", "TTHC"),
    ("dịch vụ công", "DVC"),
    ("an toàn thông tin", "ATTT"),
    ("chuyển đổi số", "CĐS"),
    ("thuê bao", "TB"),
    ("Thông tin và Truyền thông", "TT&TT"),
    ("thương mại điện tử", "TMĐT"),
)


# --------------------------------------------------------------------------- document assembly

SECTION_TITLES = {
    "bc": ("Lĩnh vực bưu chính", "Lĩnh vực Bưu chính, chuyển phát", "Bưu chính, chuyển phát"),
    "vt": (
        "Lĩnh vực viễn thông",
        "Lĩnh vực Viễn thông, Internet",
        "Tình hình hoạt động viễn thông, internet và tần số vô tuyến điện",
    ),
    "cds": (
        "Lĩnh vực Chuyển đổi số",
        "Lĩnh vực ứng dụng công nghệ thông tin",
        "Lĩnh vực Công nghệ thông tin, chuyển đổi số",
    ),
    "attt": ("Lĩnh vực an toàn thông tin", "Công tác bảo đảm an toàn thông tin mạng"),
    "bcxb": (
        "Lĩnh vực Thông tin, Báo chí, Xuất bản",
        "Lĩnh vực thông tin, tuyên truyền",
        "Lĩnh vực Báo chí, xuất bản và thông tin cơ sở",
    ),
    "tt": (
        "Công tác thanh tra, kiểm tra, xử lý vi phạm",
        "Công tác thanh tra, tiếp công dân, giải quyết khiếu nại, tố cáo",
    ),
    "vp": ("Công tác văn phòng, kế hoạch - tài chính", "Công tác tổng hợp, kế hoạch - tài chính"),
}
SECTION_ORDER = ("bc", "vt", "cds", "attt", "bcxb", "tt", "vp")

FILLER = {
    "bc": [
        "Chỉ đạo các doanh nghiệp bưu chính trên địa bàn tăng cường công tác bảo đảm an toàn, an ninh trong cung ứng dịch vụ bưu chính.",
        "Thẩm định {k} hồ sơ sửa đổi, bổ sung văn bản xác nhận thông báo hoạt động bưu chính cho các doanh nghiệp trên địa bàn tỉnh.",
        "Phối hợp với Bưu điện tỉnh triển khai cơ chế giao doanh nghiệp cung cấp dịch vụ bưu chính công ích đảm nhận một số công việc trong quá trình hướng dẫn, tiếp nhận, số hóa hồ sơ, trả kết quả giải quyết thủ tục hành chính theo Quyết định số 468/QĐ-TTg ngày 27/3/2021 của Thủ tướng Chính phủ.",
    ],
    "vt": [
        "Chỉ đạo các doanh nghiệp viễn thông bảo đảm thông tin liên lạc phục vụ công tác phòng, chống thiên tai và tìm kiếm cứu nạn trên địa bàn tỉnh {P}.",
        "Tham mưu UBND tỉnh ban hành Kế hoạch số {k}/KH-UBND về chỉnh trang, bó gọn cáp viễn thông trên địa bàn tỉnh.",
        "Phối hợp với Trung tâm Tần số vô tuyến điện khu vực kiểm tra tần số của {k} đài truyền thanh không dây cấp xã; hướng dẫn các đài điều chỉnh về đúng tần số được cấp phép.",
        "Yêu cầu các doanh nghiệp viễn thông báo cáo tình hình cung cấp dịch vụ viễn thông di động trên địa bàn tỉnh theo Công văn số {k}/STTTT-BCVT.",
    ],
    "cds": [
        "Tham mưu UBND tỉnh ban hành Kế hoạch chuyển đổi số tỉnh {P} năm {Y}; Ban Chỉ đạo về Chuyển đổi số tỉnh ban hành Kế hoạch hoạt động năm {Y}.",
        "Hướng dẫn các cơ quan, đơn vị triển khai thực hiện việc trả kết quả TTHC bằng văn bản điện tử theo Nghị định số 107/2021/NĐ-CP ngày 06/12/2021 của Chính phủ.",
        "Phối hợp với Công an tỉnh triển khai các nhiệm vụ của Đề án 06 về phát triển ứng dụng dữ liệu về dân cư, định danh và xác thực điện tử phục vụ chuyển đổi số quốc gia.",
        "Đảm bảo hoạt động ổn định của Trung tâm tích hợp dữ liệu tỉnh {P}, các phần mềm, hệ thống thông tin và cơ sở dữ liệu dùng chung của tỉnh.",
    ],
    "attt": [
        "Ban hành {k} văn bản cảnh báo lỗ hổng bảo mật và hướng dẫn các cơ quan, đơn vị rà soát, khắc phục theo Chỉ thị số 14/CT-TTg ngày 07/6/2019 của Thủ tướng Chính phủ.",
        "Triển khai chiến dịch rà quét, bóc gỡ mã độc trên không gian mạng tại các cơ quan nhà nước trên địa bàn tỉnh.",
    ],
    "bcxb": [
        "Duy trì tổng hợp thông tin báo chí tuần, tháng; tổ chức Hội nghị giao ban báo chí định kỳ theo quy định.",
        "Ban hành {k} công văn định hướng các cơ quan báo chí, hệ thống thông tin cơ sở tuyên truyền các sự kiện chính trị quan trọng của đất nước và của tỉnh {P}.",
        "Hướng dẫn Phòng Văn hóa và Thông tin, Trung tâm Văn hóa, Thông tin và Thể thao các huyện, thành phố tổ chức tuyên truyền các nhiệm vụ chính trị của địa phương.",
    ],
    "tt": [
        "Tiếp tục theo dõi, đôn đốc việc thực hiện kết luận thanh tra của các đoàn thanh tra trước đây.",
        "Phổ biến pháp luật phòng, chống tham nhũng đến toàn thể cán bộ, công chức, viên chức của Sở.",
    ],
    "vp": [
        "Thực hiện các nhiệm vụ thường xuyên; các báo cáo định kỳ, đột xuất; đóng góp ý kiến các dự thảo văn bản của Bộ, ngành Trung ương và của tỉnh.",
        "Lấy ý kiến khảo sát mức độ hài lòng của cá nhân, tổ chức đối với việc giải quyết thủ tục hành chính tại Sở Thông tin và Truyền thông.",
    ],
}

DIFFICULTIES = [
    "Hạ tầng viễn thông tại một số khu vực vùng sâu, vùng xa còn hạn chế; việc phát triển trạm BTS gặp khó khăn do vướng mắc về mặt bằng.",
    "Nguồn nhân lực công nghệ thông tin tại các cơ quan, đơn vị còn thiếu, chưa đáp ứng yêu cầu chuyển đổi số.",
    "Kinh phí bố trí cho ứng dụng công nghệ thông tin, chuyển đổi số còn hạn chế so với nhu cầu.",
    "Tỷ lệ hồ sơ trực tuyến toàn trình ở một số lĩnh vực còn thấp; người dân còn thói quen nộp hồ sơ trực tiếp.",
    "Tình trạng treo cáp viễn thông lộn xộn vẫn còn tại nhiều tuyến đường; việc chỉnh trang cần nhiều thời gian và kinh phí.",
]

NEXT_TASKS = [
    "Tiếp tục triển khai các nhiệm vụ chuyển đổi số theo Nghị quyết của Tỉnh ủy và Kế hoạch của UBND tỉnh {P}.",
    "Đẩy mạnh cung cấp dịch vụ công trực tuyến toàn trình, thanh toán trực tuyến trong giải quyết TTHC.",
    "Bảo đảm an toàn, an ninh thông tin cho các hệ thống thông tin dùng chung của tỉnh.",
    "Tăng cường công tác quản lý nhà nước về báo chí, xuất bản, thông tin cơ sở và thông tin đối ngoại.",
    "Hướng dẫn, đôn đốc các doanh nghiệp viễn thông phát triển hạ tầng số, mở rộng vùng phủ sóng 4G, 5G.",
]

RECIPIENTS = [
    "- Bộ Thông tin và Truyền thông;",
    "- Thường trực Tỉnh ủy;",
    "- Thường trực HĐND tỉnh;",
    "- Lãnh đạo UBND tỉnh;",
    "- Sở Kế hoạch và Đầu tư;",
    "- Ban Giám đốc Sở;",
    "- Các phòng, đơn vị thuộc Sở;",
    "- Lưu: VT, VP.",
]
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ngô")
MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Quang", "Xuân")
GIVEN = ("Hùng", "Lan", "Quế", "Mai", "Chuẩn", "Lượm", "Tuấn", "Hà", "Bình", "Sơn", "Dũng", "Hương")


def _title(c: Ctx) -> str:
    t = c.T()
    nx = c.per.next_phrase()
    k = c.per.kind
    if k == "year":
        return c.pick(
            f"Kết quả thực hiện nhiệm vụ {t}, nhiệm vụ trọng tâm {nx} ngành Thông tin và Truyền thông tỉnh {c.prov}",
            f"Tổng kết công tác {t} và phương hướng, nhiệm vụ {nx} của Sở Thông tin và Truyền thông",
        )
    if k in ("half", "nine"):
        return c.pick(
            f"Kết quả thực hiện nhiệm vụ {t} và nhiệm vụ trọng tâm {nx}",
            f"Sơ kết công tác thông tin và truyền thông {t}, phương hướng nhiệm vụ {nx}",
        )
    return c.pick(
        f"Kết quả công tác thông tin và truyền thông {t} và kế hoạch công tác {nx}",
        f"Tình hình hoạt động Thông tin và Truyền thông\n{t}",
        f"Tình hình thực hiện nhiệm vụ {t} và kế hoạch thực hiện nhiệm vụ trọng tâm {nx}",
    )


def _date_line(c: Ctx) -> str:
    p = c.per
    m, y = p.end_month, p.year
    if c.rng.random() < 0.5:
        m += 1
        if m == 13:
            m, y = 1, y + 1
    day = c.pick("     ", f" {c.rng.randint(1, 28):02d}", f" {c.rng.randint(1, 28)}")
    mm = f"{m:02d}" if m < 3 and c.rng.random() < 0.5 else str(m)
    return f"{c.prov}, ngày{day} tháng {mm} năm {y}"


def _fill(c: Ctx, s: str) -> str:
    return s.format(P=c.prov, Y=c.per.year, k=c.rng.randint(2, 60))


@dataclass
class DocSpec:
    province: str
    period: Period
    file: str
    indicators: list[str] = field(default_factory=list)


def _write_doc(c: Ctx, names: list[str]) -> str:
    p = c.per
    prefix = dict(PROVINCES)[c.prov]
    head = []
    if c.rng.random() < 0.5:
        head += [f"UBND {prefix} {c.prov.upper()}", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG"]
        head += (
            ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc"]
            if c.rng.random() < 0.6
            else []
        )
    else:
        head += [f"UBND {prefix} {c.prov.upper()}\nSỞ THÔNG TIN VÀ TRUYỀN THÔNG"]
    num = c.pick(
        f"Số: {c.rng.randint(5, 480)}/BC-STTTT",
        "Số:        /BC-STTTT",
        f"Số: {c.rng.randint(5, 480)} /BC-STTTT",
    )
    paras = [*head, num, _date_line(c), "BÁO CÁO\n" + _title(c)]
    if c.rng.random() < 0.5:
        paras.append(f"Kính gửi: UBND {prefix.lower()} {c.prov}.")
    if p.kind in ("year", "half", "nine") or c.rng.random() < 0.3:
        paras.append(
            f"{c.T().capitalize()}, được sự quan tâm chỉ đạo của Tỉnh ủy, HĐND, UBND tỉnh và sự hướng dẫn về chuyên môn, nghiệp vụ của Bộ Thông tin và Truyền thông, "
            f"Sở Thông tin và Truyền thông {c.prov} đã triển khai thực hiện các nhiệm vụ được giao. Kết quả cụ thể như sau:"
        )
    paras.append(f"I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ {c.T().upper()}")
    by_sec: dict[str, list[str]] = {}
    for name in names:
        by_sec.setdefault(TEMPLATES[name][0], []).append(name)
    n = 0
    for sec in SECTION_ORDER:
        if sec not in by_sec:
            continue
        n += 1
        paras.append(f"{n}. {c.rng.choice(SECTION_TITLES[sec])}")
        sub = c.rng.random() < 0.5
        if sub:
            paras.append(f"{n}.1. Công tác triển khai thực hiện các nhiệm vụ quản lý nhà nước")
        for s in c.rng.sample(FILLER[sec], k=min(len(FILLER[sec]), c.rng.randint(1, 3))):
            paras.append("- " + _fill(c, s))
        if sub:
            paras.append(f"{n}.2. Kết quả thực hiện các chỉ tiêu")
        for name in by_sec[sec]:
            paras.append(TEMPLATES[name][2](c))
    kk = [name for name in names if TEMPLATES[name][0] == "kk"]
    paras.append(
        f"II. {c.pick('KHÓ KHĂN, VƯỚNG MẮC', 'TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN', 'Khó khăn, vướng mắc')}"
    )
    for s in c.rng.sample(DIFFICULTIES, k=c.rng.randint(1, 3)):
        paras.append("- " + s)
    for name in kk:
        paras.append(TEMPLATES[name][2](c))
    paras.append(
        f"III. {c.pick('NHIỆM VỤ TRỌNG TÂM', 'PHƯƠNG HƯỚNG, NHIỆM VỤ', 'KẾ HOẠCH CÔNG TÁC')} {p.next_phrase().upper()}"
    )
    tasks = [_fill(c, s) for s in c.rng.sample(NEXT_TASKS, k=c.rng.randint(2, 4))]
    if "plan_next" in names:
        tasks[1:1] = TEMPLATES["plan_next"][2](c).split("\n\n")
    for i, s in enumerate(tasks, 1):
        paras.append(f"{i}. {s}")
    paras.append(
        f"Trên đây là báo cáo {c.pick('kết quả thực hiện nhiệm vụ', 'tình hình hoạt động')} {c.T()} của Sở Thông tin và Truyền thông {c.prov}./."
    )
    recips = c.rng.sample(RECIPIENTS[:-1], k=c.rng.randint(3, 6)) + [RECIPIENTS[-1]]
    paras.append("Nơi nhận:\n" + "\n".join(recips))
    signer = c.pick("GIÁM ĐỐC", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "**KT.GIÁM ĐỐC\nPHÓ GIÁM ĐỐC**")
    name = f"{c.rng.choice(SURNAMES)} {c.rng.choice(MIDDLE)} {c.rng.choice(GIVEN)}"
    paras.append(f"{signer}\n\n{name}")
    return "\n\n".join(paras) + "\n"


def _page_breaks(text: str, evidence: list[str], rng: random.Random) -> str:
    """Mimic PDF extraction: a sentence cut by a blank line (and sometimes a page number).

    Cuts never fall inside an evidence sentence, so gold evidence stays verbatim in the file.
    """
    paras = text.split("\n\n")
    ev = [e for e in evidence if e]
    candidates = [i for i, para in enumerate(paras) if len(para) > 250]
    rng.shuffle(candidates)
    n_breaks = max(1, len(text) // 3500)
    page = 2
    for i in sorted(candidates[:n_breaks]):
        para = paras[i]
        banned = [(m.start(), m.start() + len(e)) for e in ev for m in re.finditer(re.escape(e), para)]
        spaces = [k for k, ch in enumerate(para) if ch == " " and 60 < k < len(para) - 60]
        spaces = [k for k in spaces if not any(a <= k < b for a, b in banned)]
        if not spaces:
            continue
        k = rng.choice(spaces)
        sep = f"\n\n{page}\n\n" if rng.random() < 0.4 else "\n\n"
        page += rng.randint(1, 3)
        paras[i] = para[:k] + sep + para[k + 1 :]
    return "\n\n".join(paras)


# --------------------------------------------------------------------------- question rendering


def _abbrev(q: str, rng: random.Random) -> str:
    for full, short in ABBREV:
        if full in q and rng.random() < 0.5:
            q = q.replace(full, short)
    return q


def _unaccent(q: str) -> str:
    """How officials type on phones: no diacritics, lower case, acronyms kept."""
    words = fold(q).split(" ")
    return " ".join(w if (len(w) > 1 and w.isupper()) else w.lower() for w in words)


def _render(key: str, province: str, per: Period, rng: random.Random) -> tuple[str, str]:
    en, vis = QUESTIONS[key]
    vi = rng.choice(vis)
    P = (
        rng.choice((province, province, f"tỉnh {province}"))
        if not province.startswith(("Hải Phòng", "Đà Nẵng", "Cần Thơ"))
        else province
    )
    T = rng.choice(per.question_phrases())
    N = per.next_phrase()
    q = vi.format(P=P, T=T, N=N)
    q = q[0].upper() + q[1:]
    if rng.random() < 0.3:
        q = _abbrev(q, rng)
    if rng.random() < 0.2:
        q = _unaccent(q)
    return q, en.format(P=province, T=per.en(), N=N)


# --------------------------------------------------------------------------- corpus


def _plan(n_docs: int, seed: int) -> tuple[list[DocSpec], list[str], list[Period]]:
    rng = random.Random(f"plan:{seed}")
    names = [p for p, _ in PROVINCES]
    n_prov = max(2, min(len(names) - MIN_HELD_OUT, round(math.sqrt(n_docs) * 1.4)))
    periods = all_periods()
    # a national archive (10,000 reports and more) reaches back before YEARS: only such a corpus does, so
    # every smaller one is the same as before
    first = YEARS[0]
    while n_prov * len(periods) < n_docs and first > 2000:
        first -= 1
        periods = all_periods(tuple(range(first, YEARS[-1] + 1)))
    n_per = max(2, min(len(periods), math.ceil(2 * n_docs / n_prov)))
    if n_prov * n_per < n_docs:
        raise ValueError(f"n_docs={n_docs} is more than {n_prov} provinces x {n_per} periods")
    provs = rng.sample(names, n_prov)
    pers = rng.sample(periods, n_per)
    combos = rng.sample([(a, b) for a in provs for b in pers], n_docs)
    specs = [DocSpec(a, b, f"{slug(a)}-{b.code}.txt") for a, b in combos]
    return specs, provs, pers


def generate_corpus(
    out_dir: Path, n_docs: int = 500, seed: int = 0, page_breaks: bool = True, facts_out: dict | None = None
) -> dict:
    """Write n_docs synthetic reports and `gold.jsonl` into out_dir; return counts and timing.

    `facts_out`, when given, receives {file: (DocSpec, [Fact])}: every figure each report holds, for gold
    sets built over many reports (tools/across_gold.py)."""
    t0 = time.perf_counter()
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    specs, provs, _ = _plan(n_docs, seed)
    in_corpus = {(s.province, s.period.code) for s in specs}
    held_out = [p for p, _ in PROVINCES if p not in provs]
    sizes = {p: random.Random(f"size:{seed}:{p}").uniform(0.4, 2.5) for p in provs}
    gold: list[dict] = []
    n_chars = 0
    kinds: dict[str, int] = {}
    for spec in specs:
        rng = random.Random(f"doc:{seed}:{spec.file}")
        c = Ctx(spec.province, spec.period, rng, sizes[spec.province])
        long_ok = spec.period.kind in ("year", "half", "nine")
        pool = [k for k, (_, long_only, _) in TEMPLATES.items() if long_ok or not long_only]
        chosen = rng.sample(pool, k=min(len(pool), rng.randint(14, 22)))
        chosen.sort(key=list(TEMPLATES).index)
        spec.indicators = chosen
        text = _write_doc(c, chosen)
        facts = [f for f in c.facts if f.key in QUESTIONS]
        if facts_out is not None:
            facts_out[spec.file] = (spec, facts)
        if page_breaks:
            text = _page_breaks(text, [f.evidence for f in facts], rng)
        for f in facts:
            assert f.evidence in text, (spec.file, f.evidence)
        (out_dir / spec.file).write_text(text, encoding="utf-8")
        n_chars += len(text)

        stem = spec.file[:-4]
        items = []
        for f in rng.sample(facts, k=min(len(facts), rng.randint(3, 6))):
            vi, en = _render(f.key, spec.province, spec.period, rng)
            items.append(
                {
                    "doc": spec.file,
                    "province": spec.province,
                    "period": spec.period.code,
                    "question_vi": vi,
                    "question_en": en,
                    "answer": f.value,
                    "unit": f.unit,
                    "evidence": f.evidence,
                    "kind": f.kind,
                    "trap": f.trap,
                    "difficulty": f.difficulty,
                    "qualifier": f.qualifier,
                    "indicator": f.key,
                }
            )
        items.append(_unanswerable(spec, facts, in_corpus, held_out, provs, rng))
        for j, it in enumerate(items, 1):
            it["id"] = f"syn-{stem}-q{j:03d}"
            kinds[it["kind"]] = kinds.get(it["kind"], 0) + 1
            gold.append({"id": it.pop("id"), **it})
    with open(out_dir / "gold.jsonl", "w", encoding="utf-8") as fh:
        for it in gold:
            fh.write(json.dumps(it, ensure_ascii=False) + "\n")
    return {
        "docs": len(specs),
        "provinces": len(provs),
        "periods": len({s.period.code for s in specs}),
        "questions": len(gold),
        "unanswerable": kinds.get("unanswerable", 0),
        "by_kind": dict(sorted(kinds.items())),
        "chars": n_chars,
        "seconds": round(time.perf_counter() - t0, 3),
    }


def _unanswerable(spec: DocSpec, facts: list[Fact], in_corpus, held_out, provs, rng: random.Random) -> dict:
    """One question the corpus cannot answer, built to look like one it can."""
    mode = rng.choice(("period", "province", "indicator"))
    f = rng.choice(facts)
    province, per, key, evidence = spec.province, spec.period, f.key, f.evidence
    trap = ""
    if mode == "period":
        cands = [
            spec.period.same_last_year(),
            spec.period.previous(),
            Period(spec.period.kind, spec.period.year + 1, spec.period.idx),
        ]
        cands = [p for p in cands if p.year in YEARS and (province, p.code) not in in_corpus]
        if cands:
            per = rng.choice(cands)
            trap = f"{f.printed}{'' if f.unit == '%' else ' '}{f.unit} là số {spec.period.code}; {province} {per.code} không có trong kho báo cáo"
        else:
            mode = "province"
    if mode == "province":
        province = rng.choice(held_out)
        trap = f"{f.printed}{'' if f.unit == '%' else ' '}{f.unit} là của {spec.province}; {province} không có trong kho báo cáo"
    if mode == "indicator":
        reported = {g.key for g in facts}
        absent = sorted(k for k in QUESTIONS if k not in reported and _template_of(k) not in spec.indicators)
        if not spec.period.has_cumulative:
            absent = [k for k in absent if not k.endswith("_cum")]
        key = rng.choice(absent)
        evidence = ""
        trap = f"báo cáo {spec.file} không nêu chỉ tiêu này"
    vi, en = _render(key, province, per, rng)
    return {
        "doc": spec.file,
        "province": province,
        "period": per.code,
        "question_vi": vi,
        "question_en": en,
        "answer": None,
        "unit": _FACT_UNIT.get(key, ""),
        "evidence": evidence,
        "kind": "unanswerable",
        "trap": trap,
        "difficulty": "hard" if mode != "indicator" else "medium",
        "qualifier": "",
        "indicator": key,
    }


def _template_of(key: str) -> str:
    return _FACT_TEMPLATE.get(key, "")


def _probe() -> tuple[dict[str, str], dict[str, str]]:
    """Which template produces each fact key, and its unit, found by running every template on a long period."""
    owner, unit = {}, {}
    for per in (Period("year", 2023), Period("month", 2023, 5), Period("quarter", 2023, 3)):
        for seed in range(4):
            for name, (_, _, fn) in TEMPLATES.items():
                c = Ctx("Hà Giang", per, random.Random(seed), 1.0)
                fn(c)
                for f in c.facts:
                    owner.setdefault(f.key, name)
                    unit.setdefault(f.key, f.unit)
    return owner, unit


_FACT_TEMPLATE, _FACT_UNIT = _probe()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m tools.synthetic", description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--n", type=int, default=500, help="number of reports")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-page-breaks", action="store_true", help="write clean paragraphs")
    a = ap.parse_args(argv)
    stats = generate_corpus(a.out_dir, a.n, a.seed, page_breaks=not a.no_page_breaks)
    print(json.dumps(stats, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
