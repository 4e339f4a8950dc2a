"""The pages the build writes itself: the start page, the lists of financial reports and goal
follow-ups, the accessibility statement, the method page's colophon and the search index's
entries."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from finsam.inputs.yamlfile import read_yaml
from finsam.paths import PARAMS_DIR
from finsam.pipeline import navigation as nav
from finsam.pipeline.execute import RunResult
from finsam.pipeline.matrix import KINDS
from finsam.pipeline.search import SearchEntry, markdown_headings
from finsam.pipeline.staged_page import local_time
from finsam.report.markdown import front_matter, markdown_escape, raw_html_block
from finsam.report.present import SYNTHETIC_NOTICE, frame_html, swedish_order

INDEX_TITLE = "Uppföljning av samordningsförbundens insatser"
ACCESSIBILITY_PARAMS = PARAMS_DIR / "tillganglighet.yml"
ACCESSIBILITY_PAGE = "tillganglighet.qmd"


@dataclass(frozen=True)
class Section:
    """A kind of page with its own list page, linked from the navbar after "Rapporter"."""

    kind: str
    file: str
    title: str
    intro: str


SECTIONS = (
    Section(
        "ekonomi",
        "ekonomi.qmd",
        "Ekonomi",
        "Förbundens ekonomiska redovisning per år: resultat- och balansräkning, "
        "kassaflödesanalys, noter, medlemsavgifter, flerårsöversikt och avstämning.",
    ),
    Section(
        "mal",
        "maluppfyllelse.qmd",
        "Måluppfyllelse",
        "Förbundens mål per insats och år, resultaten räknade ur deltagaruppgifterna, "
        "måluppfyllelse och bedömning, deltagare per insats samt budget och utfall.",
    ),
)


def section_markdown(section: Section, results: Iterable[RunResult]) -> str | None:
    """The list page of a section: its pages, newest year first; ``None`` without any."""
    runs = sorted(
        (r.run for r in results if r.run.kind == section.kind),
        key=lambda r: (-r.year, swedish_order(r.name)),
    )
    if not runs:
        return None
    lines = [front_matter(title=section.title), section.intro, ""]
    for year in sorted({r.year for r in runs}, reverse=True):
        lines += [f"## {year}", ""]
        lines += [f"- [{r.name}]({nav.html_name(r.page)})" for r in runs if r.year == year]
        lines.append("")
    return "\n".join(lines)


def index_markdown(pages: nav.SitePages, records: dict[str, dict], meta: dict) -> str:
    """The start page: what the site covers, the newest year's key figures of each förbund and
    the ways in (by year, förbund, kommun, search)."""
    lines = [front_matter(title=INDEX_TITLE)]
    if meta.get("synthetic"):
        lines += ['::: {.finsam-notice role="note"}', SYNTHETIC_NOTICE, ":::", ""]
    forbund = sorted({r.forbund for r in pages.runs if r.forbund}, key=swedish_order)
    kommuner = {r.kommun for r in pages.runs if r.kind == "kommun"}
    years = pages.years
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    lines += [
        "Här redovisas uppföljningen av de insatser som samordningsförbunden finansierar: "
        f"för {span}, för {_count(len(forbund), 'förbund', 'förbund')} och "
        f"{_count(len(kommuner), 'medlemskommun', 'medlemskommuner')}"
        + (" och för riket" if any(r.kind == "riket" for r in pages.runs) else "")
        + ". Varje rapport finns som webbsida och PDF, och varje tabell kan laddas ned som "
        "CSV- och Excel-fil. Små antal visas inte, för att skydda enskilda personer; hur talen "
        "räknas och skyddas står på [metodsidan](metod.html).",
        "",
        "## Hitta en rapport",
        "",
        "- Per år: "
        + " · ".join(f"[{y}]({nav.html_name(nav.year_page(y))})" for y in reversed(years)),
    ]
    if forbund:
        lines.append(f"- [Alla förbund]({nav.html_name(nav.FORBUND_LIST)}) med rapporter per år")
    if kommuner:
        lines.append(f"- [Alla kommuner]({nav.html_name(nav.KOMMUN_LIST)}), under sitt förbund")
    for section in SECTIONS:
        if any(r.kind == section.kind for r in pages.runs):
            lines.append(f"- [{section.title}]({nav.html_name(section.file)})")
    lines += [f"- [Sök]({nav.html_name(nav.SEARCH_PAGE)}) på namn, år eller rubrik", ""]
    newest = [
        r for r in pages.runs if r.kind == "forbund" and r.year == years[-1] and not r.period_end
    ]
    rows = [(r, records.get(r.page, {}).get("key_figures")) for r in newest]
    rows = [(r, figures) for r, figures in rows if figures]
    if rows:
        import pandas as pd

        header = [h for h, _ in rows[0][1] if h != "År"]
        frame = pd.DataFrame(
            [[r.forbund, *(dict(figures).get(h, "") for h in header)] for r, figures in rows],
            columns=["Förbund", *header],
        )
        lines += [
            f"## Nyckeltal {years[-1]}",
            "",
            "Varje förbunds nyckeltal för det senaste året, som på förbundets sida. "
            "Följ länken till förbundets rapport för fler år och för kommunerna.",
            "",
            raw_html_block(
                frame_html(frame, f"Nyckeltal {years[-1]} per förbund", "nyckeltal_forbund")
            ),
        ]
        links = " · ".join(f"[{r.forbund}]({nav.html_name(r.page)})" for r, _ in rows)
        lines += [f"Förbundsrapporter {years[-1]}: {links}", ""]
    return "\n".join(lines)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def accessibility_markdown(params: Path = ACCESSIBILITY_PARAMS) -> str:
    """The accessibility statement (tillgänglighetsredogörelse) from ``params/``."""
    data = read_yaml(params, "accessibility statement")
    contact = data.get("contact") or {}
    shortcomings = data.get("known_shortcomings") or []
    lines = [
        front_matter(title="Tillgänglighetsredogörelse"),
        f"{data['organisation']} står bakom webbplatsen "
        f"*{data.get('site', 'Finsam uppföljning')}*. "
        "Vi vill att så många som möjligt ska kunna använda den. Här beskriver vi hur "
        "webbplatsen uppfyller lagen (2018:1937) om tillgänglighet till digital offentlig "
        "service, kända tillgänglighetsproblem och hur du kan rapportera brister till oss.",
        "",
        "## Hur tillgänglig är webbplatsen?",
        "",
        f"Webbplatsen är **{data.get('compliance', 'delvis förenlig')}** med lagen om "
        "tillgänglighet till digital offentlig service"
        + (", på grund av de brister som beskrivs nedan." if shortcomings else "."),
        "",
        "Varje rapport finns som webbsida och som PDF, varje tabell också som CSV- och "
        "Excel-fil, och varje diagram har en textbeskrivning och visar samma tal som tabellen "
        "bredvid.",
        "",
    ]
    if shortcomings:
        lines += ["## Kända brister", ""]
        lines += [f"- {' '.join(str(item).split())}" for item in shortcomings]
        lines.append("")
    lines += [
        "## Vad kan du göra om du inte kan använda delar av webbplatsen?",
        "",
        "Om du behöver innehåll i ett annat format kan du kontakta oss:",
        "",
    ]
    if contact.get("email"):
        lines.append(f"- E-post: <{contact['email']}>")
    if contact.get("phone"):
        lines.append(f"- Telefon: {contact['phone']}")
    if contact.get("answer_within"):
        lines.append(f"\nVi svarar normalt inom {contact['answer_within']}.")
    lines += [
        "",
        "## Rapportera brister i webbplatsens tillgänglighet",
        "",
        "Vi strävar hela tiden efter att förbättra webbplatsens tillgänglighet. Om du upptäcker "
        "problem som inte beskrivs på den här sidan, eller om du anser att vi inte uppfyller "
        "lagens krav, kontakta oss så att vi får veta att problemet finns.",
        "",
        "## Tillsyn",
        "",
        "Myndigheten för digital förvaltning (Digg) har ansvaret för tillsyn över lagen om "
        "tillgänglighet till digital offentlig service. Om du inte är nöjd med hur vi hanterar "
        "dina synpunkter kan du anmäla det till Digg på webbplatsen digg.se.",
        "",
        "## Hur vi testat webbplatsen",
        "",
        " ".join(str(data.get("assessment", "")).split()),
        "",
        f"Redogörelsen uppdaterades senast {data.get('statement_date', '')}.",
        "",
    ]
    return "\n".join(lines)


def colophon_markdown(meta: dict, provenance: dict, records: dict[str, dict], n_pages: int) -> str:
    """The colophon appended to the method page: the build's provenance."""
    computed = max((r.get("computed") or "" for r in records.values()), default="")
    described = meta.get("description") or "Uppgifter ur SUS enligt datakontraktet"
    rows = [
        ("Uppgifter", markdown_escape(described)),
        ("Datamängdens kontrollsumma", f"`{meta.get('fingerprint', '')}`"),
        ("Program", f"finsam {provenance.get('finsam_version', '')}"),
        ("Programversion (git)", markdown_escape(provenance.get("revision") or "okänd")),
        (
            "Körparametrar",
            f"`{provenance.get('params', '')}`; skyddströskel {provenance.get('threshold', '')}",
        ),
        ("Sidor", str(n_pages)),
        ("Senast beräknade sida", local_time(computed)),
    ]
    lines = [
        "",
        "## Om den här utgåvan {#kolofon}",
        "",
        "Webbplatsen är byggd med programmet finsam. Samma uppgifter och samma version av "
        "programmet ger samma tal; kontrollsumman identifierar uppgifterna.",
        "",
        *(f"- **{label}:** {value}" for label, value in rows),
        "",
    ]
    return "\n".join(lines)


def search_entries(
    pages: nav.SitePages, records: dict[str, dict], generated: dict[str, bytes]
) -> Iterator[SearchEntry]:
    """The search index's entries: every report page, list page and static page."""
    for run in pages.runs:
        names = tuple(n for n in (run.forbund, run.kommun_name) if n)
        about = f"{KINDS[run.kind]} {run.year}" + (
            f", {run.forbund}" if run.kind == "kommun" else ""
        )
        headings = tuple(records.get(run.page, {}).get("headings", []))
        yield SearchEntry(nav.html_name(run.page), run.title, about, names, headings)
    for file, content in sorted(generated.items()):
        if not file.endswith(".qmd") or file == "index.qmd":
            continue
        text = content.decode("utf-8")
        title = yaml.safe_load(text.split("---", 2)[1]).get("title", file)
        yield SearchEntry(nav.html_name(file), title, "Sida", (), markdown_headings(text))
