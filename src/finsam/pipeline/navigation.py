"""How a reader finds a page: the list pages, breadcrumbs and links between related pages.

The site is laid out for a national site too (some 350 pages a year over five years): no page
lists every report. The start page leads to

- a page per year (``ar/<year>``) with its reports by level: riket, förbund, kommuner grouped by
  förbund, financial reports and goal follow-ups;
- a page of all förbund (``forbund.qmd``) with each one's reports of every year and its
  kommuner;
- a page of all kommuner (``kommuner.qmd``), grouped by förbund, with their reports per year;
- the search page (:mod:`finsam.pipeline.search`).

Every report page starts with a breadcrumb (Start › year › förbund › kommun) and links to the
same report of the other years, between a förbund and its kommuner and to the förbund's
financial report and goal follow-up. All of it is raw HTML in the staged Markdown, so that it is
the same under Quarto and the built-in renderer and stays out of the PDFs.
"""

from __future__ import annotations

import html
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import groupby

from finsam.pipeline.matrix import KINDS, Run
from finsam.report.markdown import front_matter, raw_html_block
from finsam.report.present import swedish_order

LEVEL_HEADINGS = {
    "riket": "Riket",
    "forbund": "Förbund",
    "kommun": "Kommuner",
    "ekonomi": "Ekonomi",
    "mal": "Måluppfyllelse",
}
KIND_ORDER = {kind: i for i, kind in enumerate(LEVEL_HEADINGS)}
YEAR_DIR = "ar"
FORBUND_LIST = "forbund.qmd"
KOMMUN_LIST = "kommuner.qmd"
SEARCH_PAGE = "sok.qmd"


def year_page(year: int) -> str:
    """The list page of a year, without suffix."""
    return f"{YEAR_DIR}/{year}"


def html_name(source: str) -> str:
    """A staged source's page in the site: ``ar/2022`` and ``forbund.qmd`` → ``….html``."""
    return source.removesuffix(".qmd") + ".html"


def _link(root: str, page: str, text: str) -> str:
    return f'<a href="{html.escape(root + html_name(page))}">{html.escape(text)}</a>'


def _label(run: Run) -> str:
    """A page's name in a list: the förbund or kommun, the period end if it has its own."""
    return f"{run.name} (t.o.m. {run.period_end})" if run.period_end else run.name


class SitePages:
    """Every report page of the site, indexed for the navigation (lookups in constant time:
    a national site has some 1 750 pages, each asking for its relatives)."""

    def __init__(self, runs: Iterable[Run]) -> None:
        self.runs = tuple(
            sorted(
                runs,
                key=lambda r: (
                    r.year,
                    KIND_ORDER[r.kind],
                    swedish_order(r.forbund),
                    swedish_order(r.name),
                ),
            )
        )
        self.years = sorted({r.year for r in self.runs})
        self._series: dict[tuple, list[Run]] = defaultdict(list)
        self._of_year: dict[tuple, Run] = {}
        self._kommuner: dict[tuple, list[Run]] = defaultdict(list)
        for run in self.runs:
            if run.period_end:
                continue  # a page with its own period end is listed, not linked from others
            self._series[(run.kind, run.forbund, run.kommun)].append(run)
            self._of_year.setdefault((run.kind, run.year, run.forbund), run)
            if run.kind == "kommun":
                self._kommuner[(run.year, run.forbund)].append(run)

    def other_years(self, run: Run) -> list[Run]:
        """The same report (kind, förbund, kommun; default period) of every year, run's
        included."""
        return self._series.get((run.kind, run.forbund, run.kommun), [])

    def find(self, kind: str, year: int, forbund: str) -> Run | None:
        """The förbund's page of a kind (förbund, ekonomi, mål) and year."""
        return self._of_year.get((kind, year, forbund))

    def kommuner(self, year: int, forbund: str) -> list[Run]:
        """The förbund's kommun pages of the year, by name."""
        return self._kommuner.get((year, forbund), [])


def breadcrumb(trail: Sequence[tuple[str | None, str]], root: str) -> str:
    """A breadcrumb of (page or ``None`` for the current one, text) as raw HTML."""
    items = [
        f'<li><a href="{html.escape(root)}index.html">Start</a></li>',
        *(
            f'<li aria-current="page">{html.escape(text)}</li>'
            if page is None
            else f"<li>{_link(root, page, text)}</li>"
            for page, text in trail
        ),
    ]
    return f'<nav class="finsam-breadcrumb" aria-label="Brödsmulor"><ol>{"".join(items)}</ol></nav>'


def _links(root: str, runs: Iterable[Run], current: Run | None, text=_label) -> str:
    return " · ".join(
        f'<span aria-current="page">{html.escape(text(r))}</span>'
        if r == current
        else _link(root, r.page, text(r))
        for r in runs
    )


WORKBOOK_LINK = '<p>Alla tabeller på sidan: <a href="{workbook}">Excel-fil (XLSX)</a></p>'


def with_workbook(navigation: str, workbook: str | None) -> str:
    """A page's navigation block (from :func:`page_navigation`) with the link to its
    workbook, or without it for a page without tables (and without the related-pages list if
    that link was all it held)."""
    line = WORKBOOK_LINK.format(workbook=html.escape(workbook)) if workbook else ""
    navigation = navigation.replace(WORKBOOK_LINK, line)
    return navigation.replace(
        '<nav class="finsam-related" aria-label="Relaterade sidor"></nav>', ""
    )


def page_navigation(run: Run, pages: SitePages) -> str:
    """The navigation block at the top of a report page: its breadcrumb, then links to the same
    report of other years, to the related pages of the year and to the report's workbook of all
    its tables (a placeholder, see :func:`with_workbook`)."""
    root = "../" * run.page.count("/")
    trail: list[tuple[str | None, str]] = [(year_page(run.year), str(run.year))]
    if run.kind in ("kommun", "ekonomi", "mal"):
        forbund_page = pages.find("forbund", run.year, run.forbund)
        trail.append((forbund_page.page if forbund_page else FORBUND_LIST, run.forbund))
    trail.append((None, LEVEL_HEADINGS[run.kind] if run.kind in ("ekonomi", "mal") else run.name))
    lines = []
    years = pages.other_years(run)
    if len(years) > 1:
        lines.append(
            f"Samma rapport andra år: {_links(root, years, run, text=lambda r: str(r.year))}"
        )
    if run.kind == "forbund":
        kommuner = pages.kommuner(run.year, run.forbund)
        if kommuner:
            lines.append(f"Förbundets kommuner {run.year}: {_links(root, kommuner, None)}")
    if run.kind == "kommun":
        others = pages.kommuner(run.year, run.forbund)
        if len(others) > 1:
            lines.append(f"Kommunerna i förbundet {run.year}: {_links(root, others, run)}")
    if run.kind != "riket":
        related = [
            r
            for kind in ("forbund", "ekonomi", "mal")
            if kind != run.kind and (r := pages.find(kind, run.year, run.forbund))
        ]
        if related:
            text = {"forbund": "Förbundsrapport", "ekonomi": "Ekonomi", "mal": "Måluppfyllelse"}
            lines.append(
                f"Förbundet {run.year}: "
                + _links(root, related, None, text=lambda r: f"{text[r.kind]} {r.year}")
            )
    related = "".join(f"<p>{line}</p>" for line in lines) + WORKBOOK_LINK
    return (
        breadcrumb(trail, root)
        + f'<nav class="finsam-related" aria-label="Relaterade sidor">{related}</nav>'
    )


def year_markdown(year: int, pages: SitePages) -> str:
    """The list page of one year: its reports by level, kommuner grouped by förbund."""
    root = "../"
    runs = [r for r in pages.runs if r.year == year]
    lines = [front_matter(title=f"Rapporter {year}")]
    lines += [raw_html_block(breadcrumb([(None, str(year))], root)), ""]
    others = [y for y in pages.years if y != year]
    if others:
        links = " · ".join(_link(root, year_page(y), str(y)) for y in others)
        lines += [raw_html_block(f'<p class="finsam-related">Andra år: {links}</p>'), ""]
    for kind, of_kind in groupby(sorted(runs, key=lambda r: KIND_ORDER[r.kind]), lambda r: r.kind):
        lines += [f"## {LEVEL_HEADINGS[kind]}", ""]
        if kind == "kommun":
            for forbund, of_forbund in groupby(of_kind, key=lambda r: r.forbund):
                lines += [f"### {forbund}", ""]
                lines += [f"- [{_label(r)}](../{html_name(r.page)})" for r in of_forbund]
                lines.append("")
        else:
            lines += [f"- [{_label(r)}](../{html_name(r.page)})" for r in of_kind]
            lines.append("")
    return "\n".join(lines)


def _year_links(runs: Iterable[Run]) -> str:
    return " · ".join(f"[{r.year}]({html_name(r.page)})" for r in runs if not r.period_end)


def forbund_markdown(pages: SitePages) -> str | None:
    """The list of all förbund, each with its reports of every year and its kommuner."""
    by_forbund: dict[str, list[Run]] = defaultdict(list)
    for run in pages.runs:
        if run.forbund:
            by_forbund[run.forbund].append(run)
    if not by_forbund:
        return None
    lines = [front_matter(title="Förbund")]
    lines += ["Varje förbunds rapporter per år och dess kommuner.", ""]
    for forbund in sorted(by_forbund, key=swedish_order):
        runs = by_forbund[forbund]
        lines += [f"## {forbund}", ""]
        for kind in ("forbund", "ekonomi", "mal"):
            of_kind = [r for r in runs if r.kind == kind]
            if of_kind:
                lines.append(f"- {KINDS[kind]}: {_year_links(of_kind)}")
        kommuner = sorted({r.name for r in runs if r.kind == "kommun"}, key=swedish_order)
        if kommuner:
            names = ", ".join(
                f"[{k}]({html_name(KOMMUN_LIST)}#{kommun_anchor(forbund, k)})" for k in kommuner
            )
            lines.append(f"- Kommuner: {names}")
        lines.append("")
    return "\n".join(lines)


def kommun_anchor(forbund: str, kommun: str) -> str:
    """The id of a kommun (under a förbund) in the list of kommuner: letters, digits and ``_``
    (no hyphen, which Quarto would read as a cross-reference label)."""
    return "".join(c if c.isalnum() else "_" for c in f"k {forbund} {kommun}".lower())


def kommun_markdown(pages: SitePages) -> str | None:
    """The list of all kommuner, grouped by förbund, each with its reports per year."""
    runs = sorted(
        (r for r in pages.runs if r.kind == "kommun"),
        key=lambda r: (swedish_order(r.forbund), swedish_order(r.name), r.year),
    )
    if not runs:
        return None
    lines = [front_matter(title="Kommuner")]
    lines += ["Varje medlemskommuns rapporter per år, under sitt förbund.", ""]
    for forbund, of_forbund in groupby(runs, key=lambda r: r.forbund):
        lines += [f"## {forbund}", ""]
        for name, of_kommun in groupby(of_forbund, key=lambda r: r.name):
            anchor = kommun_anchor(forbund, name)
            lines.append(f"- [{name}]{{#{anchor}}}: {_year_links(of_kommun)}")
        lines.append("")
    return "\n".join(lines)
