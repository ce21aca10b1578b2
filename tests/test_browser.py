"""The app in a real headless browser (Debian's chromium + chromedriver, driven by selenium).

Picks the BTS question from the examples and waits for "146" with its citation, sends 👎 with a comment,
uploads a report through the file input, opens a summary, draws a chart; screenshots go to
artifacts/screenshots/ for people to look at.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
INSTALL = "apt-get install -y chromium chromium-driver  (and `pip install selenium`, part of the dev extra)"


def _browser_paths() -> tuple[str, str]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not chromium or not driver:
        pytest.fail(
            f"the browser test needs chromium and chromedriver, not found on PATH; install: {INSTALL}"
        )
    return chromium, driver


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    from test_app import monthly_report, start_app

    # two monthly reports of Thái Bình; the test uploads the third (March), then draws the three months
    earlier = tmp_path_factory.mktemp("browser-reports")
    for month, sites, revenue in ((1, 40, "88.200"), (2, 52, "90.100")):
        (earlier / f"thaibinh-2023-{month:02d}.txt").write_text(
            monthly_report(month, sites, revenue), encoding="utf-8"
        )
    index_dir = tmp_path_factory.mktemp("browser-index")
    demo, url = start_app(index_dir, extra=(earlier,))
    try:
        yield url, index_dir
    finally:
        demo.close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory):
    chromium, chromedriver = _browser_paths()
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        pytest.fail(f"selenium is not installed; install: {INSTALL}")
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1400,1100",
        "--lang=vi",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        opts.add_argument(arg)
    d = webdriver.Chrome(service=Service(chromedriver), options=opts)
    d.set_page_load_timeout(60)
    try:
        yield d
    finally:
        d.quit()


def _wait(d, cond, what: str, timeout: float = 30.0):
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(d, timeout, ignored_exceptions=(WebDriverException,)).until(cond)
    except Exception as exc:
        SHOTS.mkdir(parents=True, exist_ok=True)
        d.save_screenshot(str(SHOTS / "failure.png"))
        raise AssertionError(f"timed out waiting for {what} (screenshot: {SHOTS / 'failure.png'})") from exc


def _shot(d, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{name}.png"
    d.save_screenshot(str(path))
    return path


def _points(d, plot_id: str) -> list:
    """The data points of a Vega line plot (its hover marks, one per value; legend symbols excluded)."""
    from selenium.webdriver.common.by import By

    return d.find_elements(By.CSS_SELECTOR, f"#{plot_id} g.mark-symbol.role-mark path")


def _tab(d, label: str):
    from selenium.webdriver.common.by import By

    tab = _wait(
        d,
        lambda d: next(
            (b for b in d.find_elements(By.CSS_SELECTOR, "button[role=tab]") if b.text.strip() == label), None
        ),
        f"tab {label}",
    )
    tab.click()


def test_ask_upload_summary_in_a_real_browser(served, driver, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    from rag.ui.app import EXAMPLES

    d = driver
    url, index_dir = served
    d.get(url)
    box = _wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#bc-question textarea"), "the question box", 60)

    # 1. Ask: an example question fills the box; the answer streams in with 146 highlighted and an
    # expandable citation.
    example = _wait(
        d,
        lambda d: next(
            (b for b in d.find_elements(By.TAG_NAME, "button") if b.text.strip() == EXAMPLES[0]), None
        ),
        "the example questions",
    )
    example.click()
    _wait(d, lambda d: box.get_attribute("value") == EXAMPLES[0], "the example in the question box")
    box.send_keys(Keys.ENTER)
    chat = d.find_element(By.ID, "bc-chat")
    _wait(
        d,
        lambda d: "146 vị trí" in chat.text and chat.find_elements(By.CSS_SELECTOR, "details.bc-cite"),
        "the answer 146 with a citation",
    )
    cite = chat.find_element(By.CSS_SELECTOR, "details.bc-cite")
    assert "namdinh-2024.txt" in cite.text
    marks = [m.text for m in chat.find_elements(By.CSS_SELECTOR, "details.bc-cite mark")]
    assert "146" in marks
    # The interpreted filters are shown.
    _wait(d, lambda d: "Nam Định" in d.find_element(By.ID, "bc-filters-note").text, "the interpreted filters")
    _shot(d, "chat")

    # Feedback on that answer: 👎 with a comment lands in the JSONL log with the answer it judges.
    _wait(
        d,
        lambda d: next(
            (b for b in d.find_elements(By.TAG_NAME, "button") if "Góp ý về câu trả lời" in b.text), None
        ),
        "the feedback panel",
    ).click()
    comment = _wait(
        d,
        lambda d: next(
            (
                t
                for t in d.find_elements(By.CSS_SELECTOR, "label textarea")
                if t.is_displayed() and "Nhận xét" in t.find_element(By.XPATH, "./ancestor::label").text
            ),
            None,
        ),
        "the comment box",
    )
    comment.send_keys("nên ghi rõ đơn vị thẩm định")
    next(b for b in d.find_elements(By.TAG_NAME, "button") if b.text.strip() == "👎 Chưa đúng").click()
    _wait(
        d, lambda d: "Cảm ơn" in d.page_source and "Đã ghi nhận" in d.page_source, "the thanks for feedback"
    )
    row = json.loads((index_dir / "feedback.jsonl").read_text(encoding="utf-8").splitlines()[-1])
    assert row["rating"] == "down" and row["comment"] == "nên ghi rõ đơn vị thẩm định"
    assert row["question"] == EXAMPLES[0] and row["value"] == 146 and row["status"] == "answered"

    # 2. Upload a report through the file input.
    from test_app import NEW_REPORT

    report = tmp_path / "thaibinh-2023-03.txt"
    report.write_text(NEW_REPORT, encoding="utf-8")
    _tab(d, "Báo cáo")
    file_input = _wait(
        d, lambda d: d.find_element(By.CSS_SELECTOR, "#bc-upload input[type=file]"), "file input"
    )
    file_input.send_keys(str(report))
    _wait(d, lambda d: "thaibinh-2023-03" in d.find_element(By.ID, "bc-upload").text, "the chosen file")
    time.sleep(0.5)  # let the upload to the server finish before asking to ingest
    d.find_element(By.ID, "bc-upload-btn").click()
    _wait(d, lambda d: "Đã thêm" in d.find_element(By.ID, "bc-upload-status").text, "the upload confirmation")
    _wait(d, lambda d: "Thái Bình" in d.find_element(By.ID, "bc-reports").text, "the new report in the table")
    _shot(d, "reports")

    # 3. Open a summary of one report. The picker offers the report just uploaded too.
    _tab(d, "Tóm tắt")
    pick = _wait(d, lambda d: d.find_element(By.CSS_SELECTOR, "#bc-summary-doc input"), "the report picker")
    pick.click()
    _wait(
        d,
        lambda d: any(
            "thaibinh-2023-03.txt" in o.text
            for o in d.find_elements(By.CSS_SELECTOR, "ul.options li, [role=option]")
        ),
        "the uploaded report among the reports to summarise",
    )
    pick.send_keys(Keys.CONTROL, "a")
    pick.send_keys(Keys.BACK_SPACE)
    pick.send_keys("namdinh-2024")
    option = _wait(
        d,
        lambda d: next(
            (
                o
                for o in d.find_elements(By.CSS_SELECTOR, "ul.options li, [role=option]")
                if "namdinh-2024.txt" in o.text
            ),
            None,
        ),
        "the report in the list",
    )
    option.click()
    d.find_element(By.ID, "bc-summary-btn").click()
    summary = _wait(
        d,
        lambda d: (e := d.find_element(By.ID, "bc-summary")) and "Điểm chính" in e.text and e,
        "the summary",
        60,
    )
    assert "Nam Định" in summary.text
    _wait(d, lambda d: "Chỉ tiêu" in d.find_element(By.ID, "bc-summary-table").text, "the indicator table")
    _shot(d, "summary")

    # 4. The indicators tab opens filled, then draws a chart for a search term.
    _tab(d, "Chỉ số")
    _wait(d, lambda d: "số liệu" in d.find_element(By.ID, "bc-ind-label").text, "the tab filled on opening")
    term = _wait(
        d,
        lambda d: d.find_element(By.CSS_SELECTOR, "#bc-ind-search textarea, #bc-ind-search input"),
        "the indicator search box",
    )
    term.send_keys("doanh thu viễn thông")
    term.send_keys(Keys.ENTER)
    _wait(d, lambda d: "100.000" in d.find_element(By.ID, "bc-ind-table").text, "the indicator table")
    _wait(d, lambda d: _points(d, "bc-ind-line"), "the points of the keyword's line chart")
    _wait(
        d,
        lambda d: ".xlsx" in d.find_element(By.CSS_SELECTOR, "#bc-ind-files").text,
        "the XLSX download",
    )
    import openpyxl

    book = max((index_dir / "exports").glob("chi-so-*.xlsx"), key=lambda p: p.stat().st_mtime)
    sheet = openpyxl.load_workbook(book).active
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, (c.value for c in r), strict=True)) for r in sheet.iter_rows(min_row=2)]
    cell = next(r for r in rows if r["Số liệu"] and "100.000" in r["Số liệu"])
    assert cell["Giá trị"] == 100_000_000_000 and cell["Nguồn"].startswith("namdinh-2021-08.txt › ")
    assert all(r["Nguồn"] for r in rows)
    _shot(d, "indicators")

    # A series question draws one point per month that reports the figure (January and February were
    # ingested, March uploaded above), each point's value and source on hover.
    term.clear()
    term.send_keys("Doanh thu viễn thông của Thái Bình qua các tháng năm 2023?")
    term.send_keys(Keys.ENTER)
    _wait(d, lambda d: "3/3 kỳ" in d.find_element(By.ID, "bc-ind-label").text, "the series sentence")
    points = _wait(d, lambda d: len(_points(d, "bc-ind-line")) == 3 and _points(d, "bc-ind-line"), "3 points")
    labels = [p.get_attribute("aria-label") for p in points]
    assert [next(x for x in ("88.2", "90.1", "91.5") if x in lab) for lab in labels] == [
        "88.2",
        "90.1",
        "91.5",
    ]
    assert all("thaibinh-2023-0" in lab for lab in labels), labels
    assert not [e for e in d.find_elements(By.ID, "bc-ind-bar") if e.is_displayed()]  # no bars for a series
    _shot(d, "indicators-series")

    # 5. The checks tab opens on what the index holds: the Trà Vinh paragraph printed twice, both cited.
    _tab(d, "Kiểm tra số liệu")
    table = _wait(
        d,
        lambda d: (e := d.find_element(By.ID, "bc-check-table")) and "66.343" in e.text and e,
        "the consistency findings",
        30,
    )
    assert "66.543" in table.text and "travinh-2022-10.txt" in table.text
    _shot(d, "checks")
