"""The financial report page (``ekonomi``) as a reader sees it: built from the small dataset
with Insjöriket's finances as Årsredovisning 2022, Insjöriket publishes them, read in
headless Chromium and in the PDF text, with numbers worked out by hand from the statements."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest
from finsam_command import finsam
from playwright.sync_api import Browser, Page
from test_site_browser import AXE_JS, AXE_RUN, file_url, format_violations, row_values

from finsam.inputs.dataset import load_dataset
from finsam.pipeline.build import build_site
from finsam.report import finance_report

ROOT = Path(__file__).parents[1]
SMALL = Path(__file__).parent / "fixtures" / "small"
PAGE = "ekonomi/2022/samordningsforbundet-insjoriket"
MATRIX = """years: [2022]
forbund:
  - name: Samordningsförbundet Insjöriket
    kommuner: []
"""


@pytest.fixture(scope="module")
def finance_site(tmp_path_factory) -> Path:
    """The small dataset with the finances published in Årsredovisning 2022 (statements of
    2022 and 2021, the overview 2019–2022), built as a site."""
    root = tmp_path_factory.mktemp("finance_site")
    data = root / "data"
    shutil.copytree(SMALL, data)
    finances = load_dataset(ROOT / "data" / "example").tables["ekonomi"]
    of_2022 = finances["kalla"].str.startswith("Årsredovisning 2022")
    finances[of_2022].to_csv(data / "ekonomi.csv", index=False)
    (root / "matrix.yml").write_text(MATRIX, encoding="utf-8")
    built = build_site(data, root / "site", root / "build", root / "matrix.yml", "builtin")
    assert [r.run.page for r in built.results] == [
        "forbund/2022/samordningsforbundet-insjoriket",
        PAGE,
    ]
    return root / "site"


@pytest.fixture
def page(browser: Browser, finance_site: Path) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    tab = context.new_page()
    tab.goto(file_url(finance_site, f"{PAGE}.html"))
    yield tab
    context.close()


def test_the_derived_cash_flow_and_the_statements_as_a_reader_sees_them(page: Page):
    # 8 668 327 − 6 586 529 = 2 081 798 (2022); 6 586 529 − 5 756 188 = 830 341 (2021).
    assert row_values(page, "kassaflodesanalys", "Årets kassaflöde") == {
        "2022": "2 081 798",
        "2021": "830 341",
    }
    # 683 099 − 222 168 = 460 931: receivables fell, cash came in.
    flow = row_values(page, "kassaflodesanalys", "Ökning (−)/minskning (+) kortfristiga fordringar")
    assert flow["2022"] == "460 931" and flow["2021"] == "–"  # no balance sheet of 2020
    assert row_values(page, "resultatrakning", "Verksamhetens kostnader")["2022"] == "−12 395 613"


def test_overview_soliditet_and_member_split(page: Page):
    # 6 561 484 / 8 890 495 = 73.8 % and 4 334 992 / 7 269 628 = 59.6 %; 2020 and 2019 as the
    # overview publishes them (no balance sheets of those years in these data).
    assert row_values(page, "flerarsoversikt", "Soliditet (%)") == {
        "2022": "74",
        "2021": "60",
        "2020": "42",
        "2019": "30",
    }
    # Not 1, 2022: Mölndal 1 077 000 of 14 311 000 = 7.5 %.
    molndal = row_values(page, "medlemsavgifter", "Mölndal")
    assert molndal["Belopp i kr"] == "1 077 000" and molndal["Andel (%)"] == "7,5"


def test_the_reports_inconsistencies_are_pointed_out(page: Page):
    items = [i.replace("\u00a0", " ") for i in page.locator(".finsam-quality li").all_inner_texts()]
    costs = [i for i in items if i.startswith("Driftredovisningens kostnader")]
    # The driftredovisning states 12 333 tkr; the income statement gives 12 396 tkr.
    assert costs and "Redovisat 12 333 tkr, enligt övriga uppgifter 12 396 tkr" in costs[0]


def test_the_pdf_holds_the_derived_figures(finance_site: Path):
    text = subprocess.run(
        ["pdftotext", "-layout", str(finance_site / f"{PAGE}.pdf"), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    flat = " ".join(text.replace("\u00a0", " ").split())
    assert "Kassaflödesanalys" in flat and "Årets kassaflöde 2 081 798 830 341" in flat


def test_the_financial_report_has_no_serious_accessibility_violations(page: Page):
    page.add_script_tag(path=str(AXE_JS))
    serious = [v for v in page.evaluate(AXE_RUN) if v["impact"] in ("critical", "serious")]
    assert not serious, format_violations(serious)


def test_the_year_page_links_the_financial_report(finance_site: Path):
    year = (finance_site / "ar" / "2022.html").read_text(encoding="utf-8")
    assert f'href="../{PAGE}.html"' in year and "Ekonomi" in year


def test_overview_without_statements_uses_the_published_overview():
    """2020 has no statements: its figures come from the overview of Årsredovisning 2022."""
    finances = load_dataset(ROOT / "data" / "example").tables["ekonomi"]
    page = finance_report.FinancePage("Samordningsförbundet Insjöriket", 2022, finances, {})
    figures = page.overview_figures()
    assert figures[2020].tolist() == [16_539, 15_374, 1_165, 42, 1]
    assert isinstance(figures, pd.DataFrame) and list(figures.columns) == [2022, 2021, 2020, 2019]


def test_the_navbar_leads_to_the_financial_reports(browser: Browser, finance_site: Path):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    tab = context.new_page()
    tab.goto(file_url(finance_site, "index.html"))
    tab.get_by_role("link", name="Ekonomi", exact=True).first.click()
    assert tab.url.endswith("/ekonomi.html")
    tab.get_by_role("link", name="Samordningsförbundet Insjöriket").click()
    assert tab.url.endswith(f"/{PAGE}.html")
    assert tab.locator("h1").inner_text() == "Samordningsförbundet Insjöriket 2022"
    context.close()


@pytest.mark.pipeline
def test_one_financial_report_runs_alone_and_a_year_without_statements_is_refused(tmp_path):
    common = ("--build-dir", str(tmp_path / "b"), "--renderer", "builtin")
    done = finsam("run", "ekonomi", "--year", "2019", *common)
    assert done.returncode == 0, done.stderr
    html = Path(done.stdout.split("html:")[1].split()[0]).read_text(encoding="utf-8")
    html = html.replace(' style="text-align: right"', "")  # the cells' PDF alignment
    flat = " ".join(html.replace("\u00a0", " ").split())
    # Årsredovisning 2019: cash 5 714 775 → 4 014 306, and "En väg in" budget 9 600 against
    # 9 671 tkr spent (deviation −71).
    assert '<th scope="row">Årets kassaflöde</th><td class="num">−1 700 469</td>' in flat
    assert (
        '<th scope="row">En väg in</th><td class="num">9 600</td><td class="num">9 671</td>'
        '<td class="num">−71</td>'
    ) in flat
    refused = finsam("run", "ekonomi", "--year", "2020", *common)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert (
        "no income statement of Samordningsförbundet Insjöriket for 2020; years with them: "
        "2018, 2019, 2021, 2022" in refused.stderr
    )
