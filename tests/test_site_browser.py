"""End-to-end tests of the report site in headless Chromium.

The site is built once per session from ``tests/fixtures/small`` (fixture ``small_build`` in
conftest.py) and opened from the file system through ``file://`` URLs, as a reader who
downloaded it would. Every number asserted here is worked out by hand in
``tests/fixtures/small/README.md``.
"""

from __future__ import annotations

import csv
import json
import re
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

import pytest
import typst
from conftest import CHROMIUM
from playwright.sync_api import Browser, Page, expect

pytestmark = pytest.mark.browser

AXE_JS = Path(__file__).resolve().parents[1] / "node_modules" / "axe-core" / "axe.min.js"

FORBUND = "Samordningsförbundet Insjöriket"
INDEX = "index.html"
FORBUND_PAGE = "forbund/2022/samordningsforbundet-insjoriket.html"
MOLNDAL_PAGE = "kommun/2022/molndal.html"
RIKET_PAGE = "riket/2022/riket.html"
PARTILLE_PAGE = "kommun/2022/partille.html"
REPORT_PAGES = [FORBUND_PAGE, MOLNDAL_PAGE, PARTILLE_PAGE]


# --- browser -------------------------------------------------------------------------------------


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    tab = context.new_page()
    yield tab
    context.close()


def file_url(site: Path, rel: str) -> str:
    return (site / rel).resolve().as_uri()


def url_path(url: str) -> Path:
    """The file a ``file://`` URL points to (without query and fragment)."""
    parts = urlsplit(url)
    assert parts.scheme == "file", url
    return Path(url2pathname(unquote(parts.path)))


def row_values(page: Page, table_id: str, row_header: str) -> dict[str, str]:
    """The cells of the row headed ``row_header`` in table ``table_id``, by column header, as
    the reader sees them (whitespace, including no-break spaces, collapsed)."""
    table = page.locator(f"table#{table_id}")
    expect(table).to_be_visible()
    columns = [" ".join(t.split()) for t in table.locator("thead th").all_inner_texts()]
    header = page.locator("th", has_text=re.compile(rf"^\s*{re.escape(row_header)}\s*$"))
    row = page.locator(f"#{table_id} tbody tr", has=header)
    expect(row).to_have_count(1)
    cells = [" ".join(t.split()) for t in row.locator("td").all_inner_texts()]
    assert len(cells) == len(columns) - 1, (table_id, row_header, columns, cells)
    return dict(zip(columns[1:], cells, strict=True))


def kmt(kvinnor: int, man: int, totalt: int) -> dict[str, str]:
    """A row of a by-gender table as shown: Kvinnor, Män, Totalt."""
    return {"Kvinnor": str(kvinnor), "Män": str(man), "Totalt": str(totalt)}


def level_section(page: Page, heading: str):
    """The part of a list page under the level-2 heading ``heading``."""
    title = page.get_by_role("heading", level=2, name=heading, exact=True)
    return page.locator("section", has=title)


def open_year(page: Page, site: Path, year: int) -> None:
    """From the start page to the list page of ``year``."""
    page.goto(file_url(site, INDEX))
    page.get_by_role("link", name=str(year), exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/ar/{year}\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Rapporter {year}")


# --- 1. navigation -------------------------------------------------------------------------------


def test_reader_navigates_from_index_to_forbund_and_kommun(page: Page, small_site: Path):
    page.goto(file_url(small_site, INDEX))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Uppföljning av samordningsförbundens insatser"
    )
    open_year(page, small_site, 2022)
    level_section(page, "Förbund").get_by_role("link", name=FORBUND, exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(FORBUND_PAGE) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FORBUND} 2022")
    expect(page).to_have_title(re.compile(rf"^{FORBUND} 2022"))
    assert row_values(page, "deltagarflode", "Samtliga") == kmt(3, 2, 5)
    assert row_values(page, "deltagarflode", "Unika") == kmt(2, 2, 4)
    # Shares are of the column totals (3 women, 2 men, 5 referrals): 2/3, 1/2, 3/5.
    assert row_values(page, "remisser_kommun", "Mölndal") == {
        **kmt(2, 1, 3),
        "Andel kvinnor": "67 %",
        "Andel män": "50 %",
        "Andel totalt": "60 %",
    }

    page.go_back()
    expect(page).to_have_url(re.compile(r"/ar/2022\.html$"))
    kommuner = level_section(page, "Kommuner")
    expect(kommuner.get_by_role("heading", level=3)).to_have_text([FORBUND])
    kommuner.get_by_role("link", name="Mölndal", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(MOLNDAL_PAGE) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mölndal 2022")
    # Kommun pages publish totals only (no split by gender).
    assert row_values(page, "deltagarflode", "Pågående") == {"Totalt": "1"}
    # Mölndal's referrals: 2 psykiatrin and 1 vårdcentral, 3 in all.
    assert row_values(page, "remisser_remittent", "Psykiatrin") == {
        "Totalt": "2",
        "Andel totalt": "67 %",
    }


# --- 2. no network -------------------------------------------------------------------------------


def test_pages_request_nothing_but_local_files(page: Page, small_site: Path):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for rel in (INDEX, FORBUND_PAGE, MOLNDAL_PAGE):
        page.goto(file_url(small_site, rel))
        page.wait_for_load_state("networkidle")
    outside = [u for u in requested if not u.startswith(("file://", "data:"))]
    assert not outside, f"requests that leave the file system: {outside}"
    # The recording works: the pages' own files, style sheet and charts were seen.
    assert any(u.endswith(FORBUND_PAGE) for u in requested), requested
    assert any(u.endswith("/styles.css") for u in requested), requested
    assert any(re.search(r"-figurer/[0-9a-f]{16}\.svg$", u) for u in requested), requested


# --- 3. synthetic notice -------------------------------------------------------------------------


@pytest.mark.parametrize("rel", [INDEX, *REPORT_PAGES])
def test_synthetic_data_notice_is_visible(page: Page, small_site: Path, rel: str):
    page.goto(file_url(small_site, rel))
    notice = page.locator(".finsam-notice")
    expect(notice).to_have_count(1)
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("role", "note")
    expect(notice).to_contain_text("syntetiska")


# --- 4. no code ----------------------------------------------------------------------------------


@pytest.mark.parametrize("rel", REPORT_PAGES)
def test_report_pages_show_no_code(page: Page, small_site: Path, rel: str):
    page.goto(file_url(small_site, rel))
    expect(page.locator("table.finsam-table").first).to_be_visible()  # the page has content
    blocks = page.locator("pre, code").all_inner_texts()
    code = [b for b in blocks if "import " in b or "show." in b]
    assert not code, f"{rel} shows code: {code}"
    text = page.locator("body").inner_text()
    for fragment in ("import ", "show.", "store_path", "from finsam", "<IPython"):
        assert fragment not in text, f"{rel} shows {fragment!r}"


# --- 5. charts -----------------------------------------------------------------------------------


def test_forbund_pages_have_described_charts_that_load(page: Page, small_site: Path):
    forbund_pages = sorted((small_site / "forbund").rglob("*.html"))
    assert [p.relative_to(small_site).as_posix() for p in forbund_pages] == [FORBUND_PAGE]
    for html_file in forbund_pages:
        page.goto(html_file.as_uri())
        charts = page.locator("img[alt^='Stapeldiagram']")
        assert charts.count() >= 3, f"{html_file}: {charts.count()} charts"
        for chart in charts.all():
            alt = chart.get_attribute("alt") or ""
            assert alt.startswith("Stapeldiagram") and len(alt) > len("Stapeldiagram: ")
            chart.scroll_into_view_if_needed()
            size = chart.evaluate("img => img.decode().then(() => img.naturalWidth)")
            assert size > 0, f"{html_file}: chart {chart.get_attribute('src')} does not load"


@pytest.mark.parametrize("rel", REPORT_PAGES)
def test_every_image_has_alt_text_and_loads(page: Page, small_site: Path, rel: str):
    page.goto(file_url(small_site, rel))
    page.wait_for_load_state("load")
    images = page.locator("img").all()
    assert images, f"{rel} has no images"
    for image in images:
        src = image.get_attribute("src")
        assert (image.get_attribute("alt") or "").strip(), f"{rel}: {src} has no alt text"
        assert image.evaluate("img => img.complete && img.naturalWidth") > 0, f"{rel}: {src}"


# --- 6. links ------------------------------------------------------------------------------------


def link_problem(ref: str, root: Path) -> str | None:
    """Why a link, image, script or style sheet address does not lead to a file of the site
    at ``root`` (or, with a fragment, an HTML page to an element with that id); ``None`` if it
    does."""
    if not ref.startswith("file://"):
        return "not a file of the site"
    target = url_path(ref).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return "no such file in the site"
    fragment = unquote(urlsplit(ref).fragment)
    page = target.read_text(encoding="utf-8") if target.suffix == ".html" else ""
    if fragment and page and f'id="{fragment}"' not in page:
        return f"no element with id {fragment!r}"
    return None


def check_links(page: Page, site: Path, rel: str) -> list[Path]:
    """Open ``rel`` and check that every link on it points to an existing file of the site
    (and, with a fragment, to an element with that id); returns the targets."""
    page.goto(file_url(site, rel))
    hrefs: list[str] = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    assert hrefs, f"{rel} has no links"
    root = site.resolve()
    targets = []
    broken = []
    for href in hrefs:
        problem = link_problem(href, root)
        if problem:
            broken.append(f"{href} ({problem})")
        else:
            targets.append(url_path(href).resolve())
    assert not broken, f"broken links on {rel}:\n" + "\n".join(broken)
    return targets


def test_every_link_on_index_resolves(page: Page, small_site: Path):
    targets = {
        t.relative_to(small_site.resolve()).as_posix() for t in check_links(page, small_site, INDEX)
    }
    lists = {"ar/2022.html", "forbund.html", "kommuner.html", "sok.html"}
    assert {INDEX, "index.pdf", "metod.html", "tillganglighet.html", *lists} <= targets, targets
    assert FORBUND_PAGE in targets  # the key figures of the newest year link the förbund


@pytest.mark.parametrize("rel", ["metod.html", *REPORT_PAGES])
def test_every_link_on_other_pages_resolves(page: Page, small_site: Path, rel: str):
    targets = {
        t.relative_to(small_site.resolve()).as_posix() for t in check_links(page, small_site, rel)
    }
    assert {INDEX, "metod.html", rel.removesuffix(".html") + ".pdf"} <= targets, targets


# --- 7. accessibility ----------------------------------------------------------------------------

AXE_RUN = """async () => {
  const results = await axe.run(document, { resultTypes: ["violations"] });
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html,
                                summary: n.failureSummary })),
  }));
}"""


def format_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"]:
            lines.append(f"    {node['target']}: {node['html']}")
            lines.append("      " + (node["summary"] or "").replace("\n", "\n      "))
    return "\n".join(lines)


@pytest.mark.parametrize("rel", [INDEX, FORBUND_PAGE, MOLNDAL_PAGE, RIKET_PAGE])
def test_no_serious_accessibility_violations(page: Page, small_site: Path, rel: str):
    page.goto(file_url(small_site, rel))
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(AXE_RUN)
    serious = [v for v in violations if v["impact"] in ("critical", "serious")]
    assert not serious, f"axe-core violations on {rel}:\n{format_violations(serious)}"


# --- 9. PDF --------------------------------------------------------------------------------------


def pdf_text(pdf: Path) -> str:
    """The PDF's text with whitespace (line breaks, layout spaces, no-break spaces) collapsed."""
    done = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    )
    return " ".join(done.stdout.split())


def test_forbund_pdf_has_title_and_flow_table(small_site: Path):
    pdf = small_site / FORBUND_PAGE.replace(".html", ".pdf")
    assert pdf.is_file()
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = pdf_text(pdf)
    assert f"{FORBUND} 2022" in text, text[:500]
    assert re.search(r"\bSamtliga 3 2 5\b", text), text
    assert re.search(r"\bUnika 2 2 4\b", text), text


def test_kommun_pdf_has_title_and_flow_table(small_site: Path):
    pdf = small_site / MOLNDAL_PAGE.replace(".html", ".pdf")
    text = pdf_text(pdf)
    assert "Mölndal 2022" in text, text[:500]
    assert re.search(r"\bPågående 1\b", text), text
    assert "Kvinnor" not in text


# --- 10. privacy ---------------------------------------------------------------------------------

# What identifies a person in tests/fixtures/small/deltaganden.csv; checked against the file by
# test_privacy_scanner_finds_what_it_looks_for.
PERSON_IDS = [f"P{i}" for i in range(1, 7)]
DELTAGANDE_IDS = [f"D{i:02d}" for i in range(1, 12)]
BIRTH_YEARS = ["1990", "1985", "1970", "2001", "1962", "1995"]
COLUMNS = ["person_id", "deltagande_id", "fodelsear"]

# Whole tokens only: "P1" but not "P10", "AP1" or "P1_x"; "1990" but not "19900".
SECRET_TOKEN = re.compile(
    r"(?<!\w)(?:" + "|".join(PERSON_IDS + DELTAGANDE_IDS + BIRTH_YEARS) + r")(?!\w)"
)
SECRET_COLUMN = re.compile("|".join(COLUMNS), re.IGNORECASE)
DATA_URI = re.compile(r"data:[\w/+.-]+;base64,[A-Za-z0-9+/=\s]+")


def find_secrets(text: str) -> list[str]:
    """Every person id, deltagande id, birth year (whole tokens) and personal column name in
    ``text``; base64 data URIs are skipped (their alphabet produces such tokens by chance)."""
    text = DATA_URI.sub(" ", text)
    found = [m.group(0) for m in SECRET_TOKEN.finditer(text)]
    return found + [m.group(0) for m in SECRET_COLUMN.finditer(text)]


def png_text(data: bytes) -> str:
    """The text chunks (tEXt, zTXt, iTXt) of a PNG: the only text a PNG file carries."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    texts, at = [], 8
    while at + 8 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind, body = data[at + 4 : at + 8], data[at + 8 : at + 8 + length]
        if kind == b"tEXt":
            texts.append(body.decode("latin-1"))
        elif kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            texts.append(key.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1"))
        elif kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, rest = rest[0], rest[2:]
            _lang, _, rest = rest.partition(b"\0")
            _tkey, _, value = rest.partition(b"\0")
            value = zlib.decompress(value) if compressed else value
            texts.append(key.decode("latin-1") + " " + value.decode("utf-8"))
        at += 12 + length
    return "\n".join(texts)


def workbook_text(path: Path) -> str:
    """Every sheet name and cell value of a workbook, one cell per line."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    lines = []
    for sheet in workbook.worksheets:
        lines.append(sheet.title)
        for row in sheet.iter_rows(values_only=True):
            lines += [str(value) for value in row if value is not None]
    workbook.close()
    return "\n".join(lines)


def file_text(path: Path) -> str:
    """What a file says: the text of a PDF (and its metadata), the text chunks of a PNG, any
    other file as UTF-8 text (an unexpected binary file fails)."""
    if path.suffix == ".pdf":
        info = subprocess.run(
            ["pdfinfo", "-enc", "UTF-8", str(path)], capture_output=True, text=True, check=True
        ).stdout
        return pdf_text(path) + "\n" + info
    if path.suffix == ".xlsx":
        return workbook_text(path)
    data = path.read_bytes()
    if path.suffix == ".png":
        return png_text(data)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pytest.fail(
            f"{path}: unexpected binary file in the site, cannot check it for personal data"
        )


def notebook_outputs_text(notebook: Path) -> str:
    """The outputs of every cell of an executed notebook (not the sources, which hold the
    parameters), without image data (base64 pixels; a chart's alt text is kept)."""
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    outputs = []
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            output = dict(output)
            if "data" in output:
                output["data"] = {
                    k: v for k, v in output["data"].items() if not k.startswith("image/")
                }
            outputs.append(json.dumps(output, ensure_ascii=False))
    return "\n".join(outputs)


def test_privacy_scanner_finds_what_it_looks_for(small_build, tmp_path: Path):
    """The scanner would catch a leak: the fixture's identifiers are the ones it looks for, it
    finds them in the fixture CSV and in leaked HTML, PDF and notebook outputs, and it does not
    flag innocent text."""
    with (small_build.data / "deltaganden.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert set(COLUMNS) <= set(rows[0])
    assert {r["person_id"] for r in rows if r["person_id"]} == set(PERSON_IDS)
    assert [r["deltagande_id"] for r in rows] == DELTAGANDE_IDS
    assert {r["fodelsear"] for r in rows if r["fodelsear"]} == set(BIRTH_YEARS)

    raw = (small_build.data / "deltaganden.csv").read_text(encoding="utf-8")
    found = set(find_secrets(raw))
    assert set(PERSON_IDS + DELTAGANDE_IDS + BIRTH_YEARS + COLUMNS) <= found, found

    assert find_secrets("<tr><th>P1</th><td>1990</td></tr>") == ["P1", "1990"]
    assert find_secrets('<img alt="Totalt: D07 1">') == ["D07"]
    assert find_secrets("Person_ID,Fodelsear") == ["Person_ID", "Fodelsear"]
    innocent = "P10 AP1 P1_a P7 D12 D1 19900 1 990 2022-01-05 #1d4f7a 2019 födelseår"
    assert find_secrets(innocent) == [], find_secrets(innocent)
    assert find_secrets('<img src="data:image/png;base64,AAP1+P1/1990=">') == []

    # A PDF whose table leaks an id: found through pdftotext.
    typ = tmp_path / "leak.typ"
    typ.write_text("#table(columns: 2, [P4], [2001])\n", encoding="utf-8")
    typst.compile(str(typ), output=str(tmp_path / "leak.pdf"))
    assert set(find_secrets(file_text(tmp_path / "leak.pdf"))) == {"P4", "2001"}

    # A notebook: the parameters cell source is not scanned, its outputs are.
    notebook = tmp_path / "leak.ipynb"
    notebook.write_text(
        json.dumps(
            {
                "cells": [
                    {"cell_type": "code", "source": "person_id = 'P1'", "outputs": []},
                    {
                        "cell_type": "code",
                        "source": "df",
                        "outputs": [
                            {
                                "output_type": "execute_result",
                                "data": {"text/plain": "  person_id\n0  P2", "image/png": "P3"},
                            }
                        ],
                    },
                ]
            }
        ),
        encoding="utf-8",
    )
    assert find_secrets(notebook_outputs_text(notebook)) == ["P2", "person_id"]


def test_site_contains_no_personal_data(small_site: Path):
    files = sorted(p for p in small_site.rglob("*") if p.is_file())
    suffixes = {p.suffix for p in files}
    # the walk sees the site: pages, PDFs, charts, styles, scripts, downloads
    assert {".html", ".pdf", ".svg", ".png", ".css", ".js", ".csv", ".xlsx"} <= suffixes, suffixes
    leaks = {}
    for path in files:
        found = find_secrets(file_text(path))
        if found:
            leaks[path.relative_to(small_site).as_posix()] = sorted(set(found))
    assert not leaks, f"personal data in the site: {leaks}"


def test_executed_notebooks_contain_no_personal_data(small_build):
    notebooks = sorted(small_build.build_dir.rglob("*.ipynb"))
    runs = [p for p in notebooks if "runs" in p.relative_to(small_build.build_dir).parts]
    assert len(runs) == 4, notebooks  # riket, förbund, Mölndal, Partille
    leaks = {}
    for notebook in notebooks:
        text = notebook_outputs_text(notebook)
        assert "Stapeldiagram" in text, f"{notebook}: no chart output, are outputs read?"
        found = find_secrets(text)
        if found:
            leaks[notebook.relative_to(small_build.build_dir).as_posix()] = sorted(set(found))
    assert not leaks, f"personal data in notebook outputs: {leaks}"


def test_tools_are_present():
    """The external programs these tests use (fail clearly rather than with a traceback)."""
    for tool in ("pdftotext", "pdfinfo"):
        assert shutil.which(tool), f"{tool} not on PATH (poppler-utils)"
    assert Path(CHROMIUM).is_file(), CHROMIUM
    assert AXE_JS.is_file(), AXE_JS


# --- 11. the full statistics ----------------------------------------------------------------------


def test_forbund_page_holds_every_table_of_the_catalog(page: Page, small_site: Path):
    """Every table but those of the goal follow-up (tests/test_goals.py)."""
    from finsam.stats.catalog import PAGE_TABLES

    page.goto(file_url(small_site, FORBUND_PAGE))
    for table_id in PAGE_TABLES["forbund"]:
        tables = page.locator(f"table[id='{table_id}'], table[id^='{table_id}_']")
        assert tables.count() >= 1, table_id
        expect(tables.first).to_be_visible()
    # Hand-worked: the ages at start 2022 are 21 (D05), 31 (D01), 32 (D02), 37 (D03), 59 (D06).
    assert row_values(page, "alder", "30-44 år") == {
        **kmt(2, 1, 3),
        "Andel kvinnor": "67 %",
        "Andel män": "50 %",
        "Andel totalt": "60 %",
    }
    assert row_values(page, "alder", "Totalt") == {
        **kmt(3, 2, 5),
        "Andel kvinnor": "100 %",
        "Andel män": "100 %",
        "Andel totalt": "100 %",
    }
    # Of the two ended participations, D01 (a woman) went to work and studies: 1 of 1, 0 of 1.
    assert row_values(page, "resultat_alla", "Arbete eller studier efter insats") == {
        **kmt(1, 0, 1),
        "Andel kvinnor": "100 %",
        "Andel män": "0 %",
        "Andel totalt": "50 %",
    }


def test_forbund_page_reports_data_quality(page: Page, small_site: Path):
    page.goto(file_url(small_site, FORBUND_PAGE))
    section = page.locator("section#datakvalitet")
    expect(section).to_be_visible()
    text = " ".join(section.inner_text().split())
    # 5 participations with personal data in 2022 belong to 4 persons (P1 twice).
    assert "Registreringar och unika personer: Avvikelse." in text
    assert "5 deltaganden med personuppgifter under 2022 gäller 4 unika personer" in text
    # 2 ongoing at the start (D01, D06) + 3 new − 2 ended = 3 ongoing on 31 December.
    assert "Pågående vid årets början 2 + nya 3 − avslutade 2 = 3" in text


def test_national_page_from_the_index(page: Page, small_site: Path):
    open_year(page, small_site, 2022)
    level_section(page, "Riket").get_by_role("link", name="Riket", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(RIKET_PAGE) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Riket 2022")
    # Försäkringskassans rapport 2021, Tabell 5: work or studies after an ended insats 2021 — 31 %,
    # 36 %, 34 %.
    assert row_values(page, "nationellt_arbete_studier_over_tid", "2021") == {
        "Kvinnor": "31 %",
        "Män": "36 %",
        "Totalt": "34 %",
    }
    # Försäkringskassans rapport 2021, Tabell 4: 24 102 participants in 2021.
    assert row_values(page, "nationellt_deltagare_over_tid", "2021") == {
        "Deltagare totalt under året": "24 102"
    }
    # Försäkringskassans rapport 2021, Tabell 7: days with sickness benefit, 2020: −7,7.
    assert (
        row_values(page, "nationellt_dagar_skillnad_over_tid", "2020")[
            "Sjuk- eller rehabiliteringspenning"
        ]
        == "-7,7"
    )
    # The data's own ages beside the national shares of 2021 (6 272 of 17 501 = 36 %).
    assert row_values(page, "jamforelse_alder", "-29 år") == {
        "Andel 2022": "20 %",
        "Andel nationellt 2021": "36 %",
    }
    lines = page.locator("img[alt^='Linjediagram']")
    assert lines.count() == 5
