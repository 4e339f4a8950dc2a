"""The published site as its readers use it, in headless Chromium: navigation, breadcrumbs,
search, downloads, key figures over time, the start page, provenance and the accessibility
statement; the whole site crawled for broken links and requests to other hosts; axe-core's
WCAG 2.0/2.1 A and AA rules on every page type; the PDFs' tables, charts and page furniture.

Two sites: the small handmade dataset unprotected (``small_site``: its numbers are worked out by
hand in ``tests/fixtures/small/README.md``) and the embedded example as ``make site`` builds it
(``example_site``: every kind of page, four years, protected).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections import deque
from pathlib import Path
from urllib.parse import unquote, urlsplit

import nbformat
import pytest
import yaml
from openpyxl import load_workbook
from playwright.sync_api import Browser, Page, expect
from test_site_browser import (
    AXE_JS,
    FORBUND,
    FORBUND_PAGE,
    MOLNDAL_PAGE,
    file_url,
    format_violations,
    link_problem,
    pdf_text,
    url_path,
)

pytestmark = pytest.mark.browser

EXAMPLE_NAME = "Samordningsförbundet Insjöriket"
EXAMPLE_FORBUND = "forbund/2022/samordningsforbundet-insjoriket.html"
EXAMPLE_KOMMUN = "kommun/2022/partille.html"
EXAMPLE_EKONOMI = "ekonomi/2022/samordningsforbundet-insjoriket.html"
EXAMPLE_MAL = "mal/2022/samordningsforbundet-insjoriket.html"
EXAMPLE_RIKET = "riket/2022/riket.html"
# One page of every type of the site.
PAGE_TYPES = {
    "start": "index.html",
    "year": "ar/2022.html",
    "förbund list": "forbund.html",
    "kommun list": "kommuner.html",
    "ekonomi list": "ekonomi.html",
    "goal list": "maluppfyllelse.html",
    "search": "sok.html",
    "method": "metod.html",
    "accessibility": "tillganglighet.html",
    "riket": EXAMPLE_RIKET,
    "förbund": EXAMPLE_FORBUND,
    "kommun": EXAMPLE_KOMMUN,
    "ekonomi": EXAMPLE_EKONOMI,
    "goals": EXAMPLE_MAL,
}


@pytest.fixture
def page(browser: Browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    tab = context.new_page()
    yield tab
    context.close()


def cells(locator) -> list[str]:
    return [" ".join(t.split()) for t in locator.all_inner_texts()]


def shown_table(page: Page, table_id: str) -> tuple[list[str], list[list[str]]]:
    """A table's header and rows as the reader sees them."""
    table = page.locator(f"table#{table_id}")
    header = cells(table.locator("thead th"))
    rows = [cells(row.locator("th, td")) for row in table.locator("tbody tr").all()]
    return header, rows


def key_figures(page: Page) -> dict[str, list[str]]:
    """The table of key figures over time: year → the other cells."""
    header, rows = shown_table(page, "nyckeltal")
    assert header == [
        "År",
        "Deltagare",
        "Nya",
        "Avslutade",
        "Remisser",
        "Till arbete eller studier (andel av avslutade)",
    ]
    return {row[0]: row[1:] for row in rows}


# --- the staged project -------------------------------------------------------------------------


def test_staged_project_is_what_quarto_renders_offline_and_alike(example_site: Path):
    """What Quarto 1.11 makes of the stage, by its documented behaviour and source: a chart's
    alt text reaches the page only as a Markdown image's description (not from output
    metadata); files linked from raw HTML are published through ``project: resources``; the
    PDF is labelled by ``format-links``; its own search is off (it fetches its index, which a
    site opened from the file system cannot); no folder is called ``<page>_files`` (Quarto's
    own, which it moves and deletes)."""
    stage = example_site.parent / "build" / "site"
    project = yaml.safe_load((stage / "_quarto.yml").read_text(encoding="utf-8"))
    charts = 0
    for path in sorted(stage.rglob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                assert set(output.get("data", {})) <= {"text/markdown", "text/plain"}, path
                text = output.get("data", {}).get("text/markdown", "")
                for alt, target in re.findall(r"!\[((?:[^\]\\]|\\.)*)\]\(([^)]+)\)", text):
                    charts += 1
                    assert re.match(r"(Stapel|Linje)diagram", alt) and len(alt) > 40, alt
                    assert (path.parent / target).is_file(), target
        assert "<finsam-page-title>" in path.read_text(encoding="utf-8")  # the PDF's header
    assert charts >= 10
    website, html_format = project["website"], project["format"]["html"]
    assert website["search"] is False
    assert html_format["format-links"] == [
        "html",
        {"format": "typst", "text": "PDF", "icon": "file-pdf"},
    ]
    assert "include-in-header" in project["format"]["typst"]
    links = [item["href"] for item in website["navbar"]["left"]]
    links += [item["href"] for item in website["page-footer"]["right"]]
    assert all((stage / link.split("#")[0]).is_file() for link in links), links
    resources = project["project"]["resources"]
    published = [
        f.relative_to(stage)
        for f in stage.rglob("*")
        if f.is_file() and ("-tabeller" in f.parent.name or f.suffix in (".xlsx", ".js"))
    ]
    assert len(published) > 40
    unlisted = [f for f in published if not any(f.match(glob) for glob in resources)]
    assert not unlisted, unlisted
    assert not [d for d in stage.rglob("*_files") if d.is_dir()]


# --- navigation ----------------------------------------------------------------------------------


def test_breadcrumb_and_links_between_forbund_and_kommuner(page: Page, small_site: Path):
    page.goto(file_url(small_site, MOLNDAL_PAGE))
    crumbs = page.get_by_role("navigation", name="Brödsmulor")
    assert cells(crumbs.locator("li")) == ["Start", "2022", FORBUND, "Mölndal"]
    expect(crumbs.locator("[aria-current=page]")).to_have_text("Mölndal")
    crumbs.get_by_role("link", name=FORBUND).click()
    expect(page).to_have_url(re.compile(re.escape(FORBUND_PAGE) + "$"))
    assert cells(page.get_by_role("navigation", name="Brödsmulor").locator("li")) == [
        "Start",
        "2022",
        FORBUND,
    ]
    related = page.get_by_role("navigation", name="Relaterade sidor")
    expect(related).to_contain_text("Förbundets kommuner 2022: Mölndal · Partille")
    related.get_by_role("link", name="Partille", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Partille 2022")
    related = page.get_by_role("navigation", name="Relaterade sidor")
    expect(related.locator("[aria-current=page]")).to_have_text("Partille")
    related.get_by_role("link", name="Mölndal", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mölndal 2022")
    page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name="2022").click()
    expect(page).to_have_url(re.compile(r"/ar/2022\.html$"))
    page.get_by_role("navigation", name="Brödsmulor").get_by_role("link", name="Start").click()
    expect(page).to_have_url(re.compile(r"/index\.html$"))


def test_links_between_the_years_of_a_report(page: Page, example_site: Path):
    page.goto(file_url(example_site, EXAMPLE_KOMMUN))
    related = page.get_by_role("navigation", name="Relaterade sidor")
    expect(related).to_contain_text("Samma rapport andra år: 2019 · 2020 · 2021 · 2022")
    expect(related.locator("[aria-current=page]").first).to_have_text("2022")
    related.get_by_role("link", name="2021", exact=True).click()
    expect(page).to_have_url(re.compile(r"/kommun/2021/partille\.html$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Partille 2021")
    # From a kommun to its förbund's financial report of the year (the example's finances
    # give statements for 2019, 2021 and 2022).
    page.get_by_role("link", name="Ekonomi 2021", exact=True).click()
    expect(page).to_have_url(re.compile(r"/ekonomi/2021/samordningsforbundet-insjoriket\.html$"))
    crumbs = page.get_by_role("navigation", name="Brödsmulor")
    assert cells(crumbs.locator("li")) == ["Start", "2021", EXAMPLE_NAME, "Ekonomi"]


def test_list_pages_lead_to_every_report(page: Page, example_site: Path):
    # The year: riket, förbund, kommuner under their förbund, ekonomi, måluppfyllelse.
    page.goto(file_url(example_site, "ar/2021.html"))
    headings = cells(page.locator("main h2"))
    assert headings == ["Riket", "Förbund", "Kommuner", "Ekonomi", "Måluppfyllelse"]
    kommuner = page.locator("section", has=page.get_by_role("heading", name="Kommuner", level=2))
    links = cells(kommuner.get_by_role("link"))
    assert links == ["Alingsås", "Härryda", "Lerum", "Mölndal", "Partille"]
    expect(page.locator(".finsam-related")).to_contain_text("Andra år: 2019 · 2020 · 2022")
    # All kommuner, each with a link per year.
    page.goto(file_url(example_site, "kommuner.html"))
    item = page.locator("li", has_text="Lerum")
    assert cells(item.get_by_role("link")) == ["2019", "2020", "2021", "2022"]
    item.get_by_role("link", name="2019").click()
    expect(page).to_have_url(re.compile(r"/kommun/2019/lerum\.html$"))
    # All förbund, with their reports of every year and their kommuner.
    page.goto(file_url(example_site, "forbund.html"))
    expect(page.locator("main")).to_contain_text("Förbundsrapport: 2019 · 2020 · 2021 · 2022")
    page.get_by_role("link", name="Härryda").click()
    assert unquote(page.url).endswith("/kommuner.html#k_samordningsförbundet_insjöriket_härryda")
    expect(page.locator("li", has_text="Härryda")).to_be_in_viewport()


def test_start_page_shows_the_newest_key_figures_and_the_ways_in(page: Page, small_site: Path):
    page.goto(file_url(small_site, "index.html"))
    # Förbund 2022 (README): samtliga 5, nya 3, avslutade 2, remisser 5; of the two ended, D01
    # ended to work or studies: 50 %.
    header, rows = shown_table(page, "nyckeltal_forbund")
    assert header[0] == "Förbund"
    assert rows == [[FORBUND, "5", "3", "2", "5", "50 %"]]
    main = page.locator("main")
    for way in ("2022", "Alla förbund", "Alla kommuner", "Sök"):
        expect(main.get_by_role("link", name=way, exact=True)).to_be_visible()
    expect(main).to_contain_text("för 2022, för 1 förbund och 2 medlemskommuner och för riket")


# --- key figures over time -----------------------------------------------------------------------


def test_key_figures_of_every_year_hand_worked(small_build):
    """The small data reaches 2021–2023 (first referral 2021, last start 2023). Worked out in
    the fixture's README: förbund 2021 D01 D04 D06 active, D01 D06 new, D04 ended (to
    rehabilitation), R5 received; 2022 as on its page, D01 of the two ended to work or studies;
    2023 D02 D05 D06 D07 active, D07 new, D06 ended (annat). Mölndal: 2021 D01; 2022 D01 D02
    D03 (R1–R3); 2023 D02 D07; no one ended in 2021 or 2023, so there is no share."""
    from finsam.report.over_time import key_figures_over_time

    store = small_build.build_dir / "store.duckdb"
    columns = ["ar", "Deltagare", "Nya", "Avslutade", "Remisser", "Till arbete eller studier"]

    def figures(level: str, name: str) -> list[list]:
        frame = key_figures_over_time(store, level, name, None, 0)
        assert not frame.filter(like="_undertryckt").any().any()  # threshold 0: nothing hidden
        return frame[columns].fillna(-1).values.tolist()

    assert figures("forbund", FORBUND) == [
        [2021, 3, 2, 1, 1, 0.0],
        [2022, 5, 3, 2, 5, 50.0],
        [2023, 4, 1, 1, 0, 0.0],
    ]
    assert figures("kommun", "Mölndal") == [
        [2021, 1, 1, 0, 0, -1],
        [2022, 3, 2, 2, 3, 50.0],
        [2023, 2, 1, 0, 0, -1],
    ]


def test_key_figures_on_the_page(page: Page, small_site: Path):
    """The small site has the year 2022 only: its pages show that year's key figures, with
    a chart of the participants."""
    page.goto(file_url(small_site, FORBUND_PAGE))
    assert key_figures(page) == {"2022": ["5", "3", "2", "5", "50 %"]}
    chart = page.locator("img[alt^='Stapeldiagram: Deltagare per år']")
    expect(chart).to_have_attribute("alt", re.compile(r"Totalt per grupp: 2022 5\.$"))
    page.goto(file_url(small_site, MOLNDAL_PAGE))
    assert key_figures(page) == {"2022": ["3", "2", "2", "3", "50 %"]}


def test_key_figures_over_time_are_protected_as_each_years_page(page: Page, example_site: Path):
    """Every year's key figures are the cells of that year's own page, shown or hidden alike."""
    for level, slug in (("kommun", "partille"), ("forbund", "samordningsforbundet-insjoriket")):
        page.goto(file_url(example_site, f"{level}/2022/{slug}.html"))
        over_time = key_figures(page)
        assert list(over_time) == ["2019", "2020", "2021", "2022"]
        hidden = 0
        for year, figures in over_time.items():
            page.goto(file_url(example_site, f"{level}/{year}/{slug}.html"))
            _, flow = shown_table(page, "deltagarflode")
            flow_total = {row[0]: row[-1] for row in flow}
            columns, referrals = shown_table(page, "remisser_remittent")
            assert referrals[-1][0] == "Totalt"
            referrals_total = referrals[-1][columns.index("Totalt")]
            _, reasons = shown_table(page, "avslutsorsak")
            work = next(row for row in reasons if row[0] == "Arbete eller studier")
            assert figures == [
                flow_total["Samtliga"],
                flow_total["Nya"],
                flow_total["Avslutade"],
                referrals_total,
                work[-1],
            ], (level, year)
            hidden += figures.count("..")
        if level == "kommun":
            assert hidden > 0  # the check meets hidden cells, not only shown ones


# --- search --------------------------------------------------------------------------------------


def search_results(page: Page) -> list[str]:
    return cells(page.locator("#finsam-search-results > li > a"))


def test_search_finds_pages_by_name_kind_year_and_heading(page: Page, example_site: Path):
    page.goto(file_url(example_site, "index.html"))
    page.get_by_role("link", name="Sök", exact=True).first.click()
    box = page.get_by_label("Sökord")
    box.fill("molndal")  # without diacritics
    expect(page.locator("#finsam-search-status")).to_have_text("4 träffar.")
    assert sorted(search_results(page)) == [f"Mölndal {y}" for y in (2019, 2020, 2021, 2022)]
    box.fill("ekonomi 2021")
    results = search_results(page)
    # Best first: the financial report of 2021 (both words in its title and kind), then the
    # list of financial reports (with a heading 2021) and the year's list (a heading Ekonomi).
    assert results[0] == f"{EXAMPLE_NAME} 2021"
    assert sorted(results[1:]) == ["Ekonomi", "Rapporter 2021"]
    expect(page.locator("#finsam-search-results")).to_contain_text("Ekonomisk redovisning 2021")
    # A section heading: the pages that have it, with the heading named.
    box.fill("avslutsorsak lerum 2020")
    assert search_results(page) == ["Lerum 2020"]
    expect(page.locator(".finsam-search-where")).to_have_text("Avsnitt: Avslutsorsak")
    box.fill("tillgänglighet")
    assert "Tillgänglighetsredogörelse" in search_results(page)
    box.fill("ingenting sådant")
    expect(page.locator("#finsam-search-status")).to_have_text("Inga träffar.")
    # The address of a search can be shared: sok.html?q=…
    page.goto(file_url(example_site, "sok.html") + "?q=partille+2019")
    assert search_results(page) == ["Partille 2019"]
    page.get_by_role("link", name="Partille 2019").click()
    expect(page).to_have_url(re.compile(r"/kommun/2019/partille\.html$"))


# --- downloads -----------------------------------------------------------------------------------


def shown_number(text: str) -> object:
    """What a download holds for a cell shown as ``text``: a number for a count, amount or
    share (without its %), otherwise the text; an empty cell is ``None``."""
    text = " ".join(text.split())
    if not text:
        return None
    digits = text.removesuffix("%").replace(" ", "").replace("−", "-").replace(",", ".")
    if re.fullmatch(r"-?\d+(\.\d+)?", digits):
        return float(digits)
    return text


def csv_values(data: bytes) -> list[list[object]]:
    assert data.startswith("\ufeff".encode()), "CSV without byte-order mark"
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return [[row[0], *(shown_number(v) if v else None for v in row[1:])] for row in rows[1:]], rows[
        0
    ]


def sheet_values(sheet) -> tuple[list[list[object]], list[str], str]:
    rows = list(sheet.iter_rows(values_only=True))
    caption, header, body = rows[0][0], ["" if h is None else h for h in rows[1]], rows[2:]
    values = [
        [row[0], *(float(v) if isinstance(v, int | float) else v for v in row[1:])] for row in body
    ]
    return values, header, caption


@pytest.mark.parametrize(
    "rel", [EXAMPLE_RIKET, EXAMPLE_FORBUND, EXAMPLE_KOMMUN, EXAMPLE_EKONOMI, EXAMPLE_MAL]
)
def test_every_table_downloads_with_the_numbers_shown(page: Page, example_site: Path, rel: str):
    page.goto(file_url(example_site, rel))
    tables = page.locator("table.finsam-table")
    assert tables.count() >= 3
    report = load_workbook(url_path(file_url(example_site, rel.replace(".html", ".xlsx"))))
    assert report.sheetnames[0] == "om"
    sheets = report.sheetnames[1:]
    assert len(sheets) == tables.count(), (sheets, tables.count())
    for index, table in enumerate(tables.all()):
        table_id = table.get_attribute("id")
        header = cells(table.locator("thead th"))
        rows = [cells(r.locator("th, td")) for r in table.locator("tbody tr").all()]
        shown = [[row[0], *(shown_number(c) for c in row[1:])] for row in rows]
        caption = " ".join(table.locator("caption").inner_text().split())
        links = page.locator(".finsam-downloads").nth(index)
        csv_link = links.get_by_role("link", name=f"{caption} som CSV")
        xlsx_link = links.get_by_role("link", name=f"{caption} som Excel-fil")
        csv_file = url_path(csv_link.evaluate("a => a.href"))
        xlsx_file = url_path(xlsx_link.evaluate("a => a.href"))
        assert csv_file.name == f"{table_id}.csv" and xlsx_file.name == f"{table_id}.xlsx"
        values, csv_header = csv_values(csv_file.read_bytes())
        assert values == shown, table_id
        # A column of shares shown with "%" says "(%)" in its header instead.
        assert all(c in (h, f"{h} (%)") for c, h in zip(csv_header, header, strict=True))
        for sheet in (load_workbook(xlsx_file).active, report[sheets[index]]):
            sheet_rows, sheet_header, sheet_caption = sheet_values(sheet)
            assert sheet_rows == shown, table_id
            assert sheet_header == csv_header and sheet_caption == caption, table_id


def test_report_workbook_says_what_it_holds(example_site: Path):
    report = load_workbook(example_site / EXAMPLE_KOMMUN.replace(".html", ".xlsx"))
    about = {row[0]: row[1] for row in report["om"].iter_rows(values_only=True)}
    assert about["Rapport"] == "Partille 2022 – Kommunrapport, Samordningsförbundet Insjöriket"
    assert about["Period"] == "2022"
    assert "syntetiska" in about["Källa"].lower() or "Syntetiska" in about["Observera"]
    assert about["Skydd av små antal"].startswith("Antal från 1 till och med 4 visas inte (..)")
    assert re.fullmatch(r"[0-9a-f]{64}", about["Datamängdens kontrollsumma"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d UTC", about["Beräknad"])
    assert about["Program"].startswith("finsam ")
    colophon = (example_site / "metod.html").read_text(encoding="utf-8")
    assert about["Datamängdens kontrollsumma"] in colophon  # the same data as the site's


# --- provenance and the accessibility statement ---------------------------------------------


@pytest.mark.parametrize("rel", list(PAGE_TYPES.values()))
def test_every_page_has_the_footer(page: Page, example_site: Path, rel: str):
    page.goto(file_url(example_site, rel))
    footer = page.locator("footer")
    expect(footer).to_contain_text("små antal visas inte")
    statement = footer.get_by_role("link", name="Tillgänglighetsredogörelse")
    assert url_path(statement.evaluate("a => a.href")) == (example_site / "tillganglighet.html")
    footer.get_by_role("link", name="Om utgåvan").click()
    expect(page).to_have_url(re.compile(r"/metod\.html#kolofon$"))
    expect(page.locator("#kolofon")).to_be_in_viewport()


def test_report_pages_state_their_provenance(page: Page, example_site: Path):
    page.goto(file_url(example_site, "metod.html"))
    colophon = page.locator("section#kolofon")
    fingerprint = re.search(r"[0-9a-f]{64}", colophon.inner_text()).group(0)
    expect(colophon).to_contain_text("Körparametrar: params/site.yml; skyddströskel 4")
    expect(colophon).to_contain_text("Sidor: 35")
    for rel in (EXAMPLE_KOMMUN, EXAMPLE_EKONOMI):
        page.goto(file_url(example_site, rel))
        provenance = page.locator(".finsam-provenance")
        expect(provenance).to_contain_text(f"kontrollsumma {fingerprint[:12]}")
        expect(provenance).to_contain_text(re.compile(r"beräknades \d{4}-\d\d-\d\d \d\d:\d\d UTC"))
        expect(provenance).to_contain_text("år 2022, förbund Samordningsförbundet Insjöriket")


def test_accessibility_statement_comes_from_params(page: Page, example_site: Path):
    from finsam.inputs.yamlfile import read_yaml
    from finsam.pipeline.site_pages import ACCESSIBILITY_PARAMS

    params = read_yaml(ACCESSIBILITY_PARAMS, "accessibility statement")
    page.goto(file_url(example_site, "tillganglighet.html"))
    main = page.locator("main")
    expect(main).to_contain_text(f"{params['organisation']} står bakom webbplatsen")
    expect(main).to_contain_text(f"Webbplatsen är {params['compliance']} med lagen")
    expect(main.get_by_role("link", name=params["contact"]["email"])).to_have_attribute(
        "href", f"mailto:{params['contact']['email']}"
    )
    shortcomings = page.locator("section", has=page.get_by_role("heading", name="Kända brister"))
    assert len(cells(shortcomings.locator("li"))) == len(params["known_shortcomings"])
    expect(main).to_contain_text("Myndigheten för digital förvaltning (Digg)")


# --- the whole site ------------------------------------------------------------------------------


def test_crawler_finds_no_broken_link_and_no_request_to_another_host(
    page: Page, example_site: Path
):
    """From the start page, every page reachable by links; every link, image, script and style
    sheet points to a file of the site (and an anchor to an element on its page); nothing is
    requested from anywhere but the file system; every page of the site is reachable."""
    root = example_site.resolve()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    queue, seen, broken = deque([root / "index.html"]), {root / "index.html"}, []
    while queue:
        current = queue.popleft()
        page.goto(current.as_uri())
        page.wait_for_load_state("load")
        refs = page.eval_on_selector_all(
            "a[href], img[src], script[src], link[href]",
            "els => els.map(e => e.href || e.src)",
        )
        for ref in refs:
            if urlsplit(ref).scheme == "mailto":
                continue
            problem = link_problem(ref, root)
            if problem:
                broken.append(f"{current.relative_to(root)}: {ref} ({problem})")
                continue
            target = url_path(ref).resolve()
            if target.suffix == ".html" and target not in seen:
                seen.add(target)
                queue.append(target)
    assert not broken, "broken links:\n" + "\n".join(broken)
    outside = [u for u in requested if not u.startswith(("file://", "data:"))]
    assert not outside, f"requests that leave the file system: {outside}"
    pages = set(root.rglob("*.html"))
    orphans = sorted(p.relative_to(root).as_posix() for p in pages - seen)
    assert not orphans, f"pages no link leads to: {orphans}"
    assert len(pages) >= 45


AXE_WCAG = """async () => {
  const results = await axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    resultTypes: ["violations"],
  });
  return results.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({ target: n.target.join(" "), html: n.html,
                                summary: n.failureSummary })),
  }));
}"""


@pytest.mark.parametrize("kind", list(PAGE_TYPES))
def test_axe_finds_no_wcag_a_or_aa_violation(page: Page, example_site: Path, kind: str):
    rel = PAGE_TYPES[kind]
    page.goto(file_url(example_site, rel) + ("?q=partille" if kind == "search" else ""))
    page.wait_for_load_state("load")
    page.add_script_tag(path=str(AXE_JS))
    violations = page.evaluate(AXE_WCAG)
    assert not violations, f"axe-core, WCAG A/AA, {rel}:\n{format_violations(violations)}"


# --- PDFs ----------------------------------------------------------------------------------------


def pdf_pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.M).group(1))


def test_pdfs_hold_tables_charts_and_page_furniture(example_site: Path):
    pdf = example_site / EXAMPLE_KOMMUN.replace(".html", ".pdf")
    text = pdf_text(pdf)
    pages = pdf_pages(pdf)
    assert pages >= 3
    # Page header (report title and period) and "sida N av M" on every page.
    for n in range(1, pages + 1):
        assert f"sida {n} av {pages}" in text, n
    assert text.count("Partille 2022 · Kommunrapport") >= pages
    # The tables, as text: the key figures of every year and the flow table.
    assert "Nyckeltal per år, Partille" in text
    assert re.search(r"\b2019( \S+){5} 2020", text), text[:3000]
    assert "Deltagarflöde" in text
    # The charts, as text (vector graphics with their labels): the participants per year.
    assert "Deltagare per år, Partille" in text
    # The web page's navigation and download links stay out of the PDF.
    assert "Brödsmulor" not in text and "Ladda ned tabellen" not in text
    assert "Samma rapport andra år" not in text


def test_pdf_tables_right_align_numbers_and_do_not_hyphenate_headers(example_site: Path):
    pdf = example_site / EXAMPLE_KOMMUN.replace(".html", ".pdf")
    layout = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # Table headers: from each caption ("Tabell N: …") to the table's first row of numbers.
    headers, inside = [], False
    for line in layout.splitlines():
        if re.match(r"\s*Tabell \d+:", line):
            inside = True
        elif inside and re.search(r"\d", line):
            inside = False
        elif inside:
            headers.append(line)
    assert headers and any("Avslutade" in line for line in headers)
    broken = [line for line in headers if "\u00ad" in line or re.search(r"\w-\s*$", line)]
    assert not broken, broken
    # In the key figures the numbers of a column end at the same place (right-aligned).
    rows = [line for line in layout.splitlines() if re.match(r"\s*20(19|20|21|22)\s+\d", line)]
    assert len(rows) >= 4
    ends = {m.end() for line in rows[:4] for m in [re.search(r"^\s*\d{4}\s+\S+", line)]}
    assert len(ends) == 1, rows[:4]
    # Labels start at the same place (left-aligned): the flow table's rows.
    labels = ("Samtliga", "Unika", "Nya", "Pågående", "Avslutade", "Anonyma", "Volym")
    starts = {
        line.index(label)
        for line in layout.splitlines()
        for label in labels
        if re.match(rf"\s*{label}\s+(\d|\.\.)", line)
    }
    assert len(starts) == 1, starts


def test_a_page_without_tables_links_no_workbook():
    from finsam.pipeline.matrix import Run
    from finsam.pipeline.navigation import SitePages, page_navigation, with_workbook

    riket = Run("riket", 2022, "")
    navigation = page_navigation(riket, SitePages([riket]))
    assert "xlsx" in with_workbook(navigation, "riket.xlsx")
    alone = with_workbook(navigation, None)
    assert "Excel" not in alone and "Relaterade sidor" not in alone  # no empty list of links
    assert alone.endswith('<li aria-current="page">Riket</li></ol></nav>')


def test_every_pdf_holds_the_tables_and_charts_of_its_page(example_site: Path):
    """Every report's PDF has each table of its web page (by caption) and each bar chart (by
    the title drawn in it, text in the vector graphics)."""
    import html as html_module

    reports = sorted(
        p
        for kind in ("riket", "forbund", "kommun", "ekonomi", "mal")
        for p in (example_site / kind).rglob("*.html")
    )
    assert len(reports) == 35
    for page in reports:
        source = page.read_text(encoding="utf-8")
        text = pdf_text(page.with_suffix(".pdf")).replace("\u00ad ", "").replace("\u00ad", "")
        captions = [
            " ".join(html_module.unescape(c).split())
            for c in re.findall(r"<caption>(.*?)</caption>", source)
        ]
        charts = [
            html_module.unescape(t)
            for t in re.findall(r'alt="Stapeldiagram: (.*?)\. Totalt per grupp', source)
        ]
        assert captions, page
        missing = [c for c in captions + charts if c not in text]
        assert not missing, (page.relative_to(example_site).as_posix(), missing)


# --- protected pages as a reader sees them -------------------------------------------------------

AGE_GROUPS = {"-29 år": (0, 29), "30-44 år": (30, 44), "45-59 år": (45, 59), "60 år -": (60, 200)}


def ages_from_the_raw_file(kommun: str | None, year: int = 2022) -> dict[tuple[str, str], int]:
    """{(age group as shown, column header): count} of the example's participations with personal
    data active any day of ``year`` (of the förbund, or of one kommun code), counted with the
    csv module from the dataset's own file: the age at start is the start year minus the year
    of birth."""
    counts: dict[tuple[str, str], int] = {}
    column = {"kvinna": "Kvinnor", "man": "Män"}
    with (Path(__file__).parents[1] / "data/example/deltaganden.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["registrering"] != "personuppgifter" or kommun not in (None, row["kommun"]):
                continue
            ended_before = row["slutdatum"] and row["slutdatum"] < f"{year}-01-01"
            if row["startdatum"] > f"{year}-12-31" or ended_before:
                continue
            group = "Uppgift saknas"
            if row["fodelsear"]:
                age = int(row["startdatum"][:4]) - int(row["fodelsear"])
                group = next(g for g, (low, high) in AGE_GROUPS.items() if low <= age <= high)
            for header in (column.get(row["kon"]), "Totalt"):
                if header:
                    counts[group, header] = counts.get((group, header), 0) + 1
    return counts


@pytest.mark.parametrize(("rel", "kommun"), [(EXAMPLE_FORBUND, None), (EXAMPLE_KOMMUN, "1402")])
def test_a_protected_page_shows_the_counts_of_the_raw_file_or_hides_them(
    page: Page, example_site: Path, rel: str, kommun: str | None
):
    """The age table of the förbund's and of Partille's page 2022 (threshold 4), read in the
    browser: every shown count is the count of the raw file, every count from 1 to 4 is "..",
    and the share beside a hidden count is hidden too."""
    raw = ages_from_the_raw_file(kommun)
    page.goto(file_url(example_site, rel))
    header, rows = shown_table(page, "alder")
    counted = [h for h in header[1:] if not h.startswith("Andel")]
    assert counted == (["Kvinnor", "Män", "Totalt"] if kommun is None else ["Totalt"])
    hidden = shown = 0
    for row in rows[:-1]:
        for name in counted:
            count, share = row[header.index(name)], row[header.index(name) + 1]
            true = raw.get((row[0], name), 0)
            if count == "..":
                hidden += 1
                assert share == ".."
            else:
                shown += 1
                assert int(count.replace("\u00a0", "").replace(" ", "")) == true, (rel, row[0])
                assert not 1 <= true <= 4, (rel, row[0], name, true)
    assert rows[-1][0] == "Totalt"
    total = sum(n for (_, name), n in raw.items() if name == "Totalt")
    assert rows[-1][header.index("Totalt")] == str(total)
    assert hidden and shown  # the table meets both kinds of cells


def test_the_data_quality_text_of_a_protected_page_hides_what_its_table_hides(
    page: Page, example_site: Path
):
    """The förbund page 2022: the quality list's first item names the registrations, the
    persons and the repeated registrations with the numbers of the flow table (".." where it
    hides them), never a count the table hides."""
    page.goto(file_url(example_site, EXAMPLE_FORBUND))
    _, flow = shown_table(page, "deltagarflode")
    totals = {row[0]: row[-1] for row in flow}
    first = cells(page.locator(".finsam-quality li").first)[0]
    expected = (
        f"{totals['Samtliga']} deltaganden med personuppgifter under 2022 gäller "
        f"{totals['Unika']} unika personer"
    )
    assert expected in first, first
    repeated = re.search(r": (\S+) deltaganden är en persons andra", first)
    assert repeated, first
    if ".." not in (totals["Samtliga"], totals["Unika"]):
        samtliga, unika = (int(totals[k].replace("\u00a0", "")) for k in ("Samtliga", "Unika"))
        assert repeated[1] in ("..", str(samtliga - unika))
