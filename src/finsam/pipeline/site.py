"""Staging the Quarto project of the site: pages, list pages, search, static files, project file.

The stage is a complete Quarto website project: a copy of ``_quarto.yml`` with the navbar of
the pages present, the static pages and files of ``site/``, the generated start page, list
pages (:mod:`finsam.pipeline.navigation`), accessibility statement and search index, and the
executed notebooks under ``<kind>/<year>/`` as staged pages (:mod:`finsam.pipeline.staged_page`)
with their charts and downloads beside them. Either renderer turns the stage into the same site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from finsam.inputs.yamlfile import read_yaml
from finsam.paths import PARAMS_DIR, QUARTO_PROJECT_FILE, SITE_SOURCE_DIR
from finsam.pipeline import navigation as nav
from finsam.pipeline.execute import RunResult, recorded_key
from finsam.pipeline.matrix import KINDS, Run
from finsam.pipeline.search import INDEX_FILE, SearchEntry, markdown_headings, search_index
from finsam.pipeline.staged_page import raw_html_block
from finsam.report.present import SYNTHETIC_NOTICE, frame_html, markdown_escape

STAGE_MANIFEST = ".finsam-stage.json"  # page → what was staged for it (see stage_site)
INDEX_TITLE = "Uppföljning av samordningsförbundens insatser"
ACCESSIBILITY_PARAMS = PARAMS_DIR / "tillganglighet.yml"
ACCESSIBILITY_PAGE = "tillganglighet.qmd"


def read_json(path: Path) -> dict:
    """A JSON record of an earlier build; empty if it is missing or damaged."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file beside it: a reader sees the old
    file or the new one, never a part."""
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_bytes(content)
    os.replace(temporary, path)


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
        (r.run for r in results if r.run.kind == section.kind), key=lambda r: (-r.year, r.name)
    )
    if not runs:
        return None
    lines = ["---", f"title: {section.title}", "---", "", section.intro, ""]
    for year in sorted({r.year for r in runs}, reverse=True):
        lines += [f"## {year}", ""]
        lines += [f"- [{r.name}]({nav.html_name(r.page)})" for r in runs if r.year == year]
        lines.append("")
    return "\n".join(lines)


def project_file(lists: Iterable[tuple[str, str]]) -> str:
    """The staged ``_quarto.yml``: the project's, with a navbar item after "Start" for each
    list page (file, text) the site has."""
    project = yaml.safe_load(QUARTO_PROJECT_FILE.read_text(encoding="utf-8"))
    left = project["website"]["navbar"]["left"]
    for position, (file, text) in enumerate(lists, start=1):
        left.insert(position, {"href": file, "text": text})
    header = "# Staged copy of the project's _quarto.yml (made by finsam build).\n"
    return header + yaml.safe_dump(project, allow_unicode=True, sort_keys=False)


# --- pages -----------------------------------------------------------------------------------


def _provenance_markdown(nb, run: Run, meta: dict) -> str:
    """The page's provenance, at its end (web page and PDF): when and with what it was
    computed, from which data and under which protection."""
    finsam = nb.metadata.get("finsam", {})
    computed = (nb.metadata.get("papermill") or {}).get("end_time") or ""
    when = _local_time(computed)
    revision = f", programversion {finsam['revision']}" if finsam.get("revision") else ""
    parts = [
        f"Sidan beräknades {when} med finsam {finsam.get('finsam_version', '')}{revision}",
        f"från uppgifter med kontrollsumma `{meta.get('fingerprint', '')[:12]}`",
    ]
    text = " ".join(parts) + "."
    if run.threshold:
        text += (
            f" Antal från 1 till och med {run.threshold} visas inte (..), skyddade för hela "
            "webbplatsen tillsammans."
        )
    text += f" Parametrar: {_parameters_text(run)}."
    return f"\n::: {{.finsam-provenance}}\n**Om sidan.** {text}\n:::\n"


def _parameters_text(run: Run) -> str:
    parts = [f"rapport {run.kind}", f"år {run.year}"]
    if run.forbund:
        parts.append(f"förbund {run.forbund}")
    if run.kommun:
        parts.append(f"kommun {run.kommun_name} ({run.kommun})")
    if run.period_end:
        parts.append(f"periodens slut {run.period_end}")
    return ", ".join(parts)


def _local_time(iso: str) -> str:
    """An ISO time as ``2026-11-24 12:31 UTC``; empty stays empty."""
    if not iso:
        return "vid okänd tid"
    moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _about_rows(run: Run, nb, meta: dict) -> list[tuple[str, str]]:
    """The ``om`` sheet of a report's workbook."""
    finsam = nb.metadata.get("finsam", {})
    computed = (nb.metadata.get("papermill") or {}).get("end_time") or ""
    rows = [
        ("Rapport", f"{run.title} – {run.subtitle}"),
        ("Period", f"{run.year}" + (f", till och med {run.period_end}" if run.period_end else "")),
        ("Källa", meta.get("description") or "Uppgifter ur SUS enligt datakontraktet"),
        ("Datamängdens kontrollsumma", meta.get("fingerprint", "")),
        (
            "Skydd av små antal",
            f"Antal från 1 till och med {run.threshold} visas inte (..), inte heller uppgifter "
            "som skulle göra det möjligt att räkna fram dem ur andra uppgifter på webbplatsen."
            if run.threshold
            else "Sidan publicerar inga antal personer.",
        ),
        ("Parametrar", _parameters_text(run)),
        ("Beräknad", _local_time(computed)),
        ("Program", f"finsam {finsam.get('finsam_version', '')}"),
        ("Programversion (git)", finsam.get("revision") or "okänd"),
        ("Tabeller", "En flik per tabell, med talen som de visas på sidan."),
    ]
    if meta.get("synthetic"):
        rows.insert(
            0, ("Observera", "Syntetiska uppgifter: inte statistik över verkliga personer.")
        )
    return rows


def typst_page_title(text: str) -> str:
    """A raw Typst block naming the page for the header of every PDF page (``_quarto.yml``,
    ``format.typst.include-in-header``); web pages leave it out."""
    quoted = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'\n```{{=typst}}\n#metadata("{quoted}") <finsam-page-title>\n```\n'


def stage_page(result: RunResult, stage: Path, navigation: str, meta: dict) -> dict:
    """Stage one executed notebook (see :mod:`finsam.pipeline.staged_page`) with its navigation
    block; returns what the manifest keeps of it: the files written beside it, its headings
    (for the search index) and its key figures of the year (for the start page)."""
    import nbformat

    from finsam.pipeline.staged_page import front_matter_cell, stage_outputs

    run = result.run
    nb = nbformat.read(result.path, as_version=4)
    name = run.page.rpartition("/")[2]
    files, tables = stage_outputs(nb, run.page)
    workbook = None
    if tables:
        from finsam.pipeline.downloads import report_xlsx

        workbook = f"{name}.xlsx"
        files[f"{run.page}.xlsx"] = report_xlsx(tables, _about_rows(run, nb, meta))
    headings = markdown_headings("\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))
    nb.cells.insert(0, front_matter_cell(run.title, run.subtitle))
    nb.cells.insert(
        1,
        nbformat.v4.new_markdown_cell(
            raw_html_block(navigation.replace("{workbook}", workbook or ""))
            + typst_page_title(f"{run.title} · {run.subtitle}")
        ),
    )
    nb.cells.append(nbformat.v4.new_markdown_cell(_provenance_markdown(nb, run, meta)))
    target = stage / f"{run.page}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    for rel, content in files.items():
        (stage / rel).parent.mkdir(parents=True, exist_ok=True)
        write_atomically(stage / rel, content)
    write_atomically(target, nbformat.writes(nb).encode("utf-8"))
    figures = next((t for t in tables if t.id == "nyckeltal"), None)
    year_row = (
        next((row for row in figures.rows if row[:1] == [str(run.year)]), None) if figures else None
    )
    return {
        "files": sorted(files),
        "headings": list(headings),
        # [header, cell] pairs in the table's order (the manifest's keys are sorted)
        "key_figures": [list(p) for p in zip(figures.header, year_row, strict=True)]
        if year_row
        else None,
        "computed": (nb.metadata.get("papermill") or {}).get("end_time") or "",
    }


# --- generated pages -------------------------------------------------------------------------


def index_markdown(pages: nav.SitePages, records: dict[str, dict], meta: dict) -> str:
    """The start page: what the site covers, the newest year's key figures of each förbund and
    the ways in (by year, förbund, kommun, search)."""
    lines = ["---", f"title: {INDEX_TITLE}", "---", ""]
    if meta.get("synthetic"):
        lines += ['::: {.finsam-notice role="note"}', SYNTHETIC_NOTICE, ":::", ""]
    forbund = sorted({r.forbund for r in pages.runs if r.forbund})
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
        "---",
        'title: "Tillgänglighetsredogörelse"',
        "---",
        "",
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
        ("Senast beräknade sida", _local_time(computed)),
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


def _entries(pages: nav.SitePages, records: dict[str, dict], generated: dict[str, bytes]):
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
        title = next(
            (
                line.split(":", 1)[1].strip().strip('"')
                for line in text.splitlines()
                if line.startswith("title:")
            ),
            file,
        )
        yield SearchEntry(nav.html_name(file), title, "Sida", (), markdown_headings(text))


def stage_site(
    results: list[RunResult], meta: dict, stage: Path, provenance: dict | None = None
) -> str:
    """Bring the stage at ``stage`` up to date with ``results``; returns a digest of the staged
    project, which changes whenever any staged file does.

    Staging is incremental: a page is staged again only when it was executed anew (its cache
    key changed) or its navigation changed (``.finsam-stage.json`` keeps both, with the files
    staged beside it, its headings and key figures); generated pages and static files are
    written only when their content changed; files no longer in the site are removed."""
    provenance = provenance or {}
    stage.mkdir(parents=True, exist_ok=True)
    manifest_file = stage / STAGE_MANIFEST
    manifest = read_json(manifest_file)
    pages = nav.SitePages.of(r.run for r in results)
    records: dict[str, dict] = {}
    for result in results:
        run = result.run
        key = recorded_key(result.path) or ""
        navigation = nav.page_navigation(run, pages, workbook="{workbook}")
        nav_digest = hashlib.sha256(navigation.encode()).hexdigest()
        record = manifest.get(run.page)
        current = (
            isinstance(record, dict)
            and key
            and record.get("key") == key
            and record.get("nav") == nav_digest
            and (stage / f"{run.page}.ipynb").is_file()
            and all((stage / f).is_file() for f in record.get("files", []))
        )
        if not current:
            record = stage_page(result, stage, navigation, meta)
        records[run.page] = {**record, "key": key, "nav": nav_digest}

    files: dict[str, bytes] = {}
    lists: list[tuple[str, str]] = []
    for year in pages.years:
        files[f"{nav.year_page(year)}.qmd"] = nav.year_markdown(
            year, pages, raw_html_block
        ).encode()
    for file, title, text in (
        (nav.FORBUND_LIST, "Förbund", nav.forbund_markdown(pages)),
        (nav.KOMMUN_LIST, "Kommuner", nav.kommun_markdown(pages)),
    ):
        if text is not None:
            files[file] = text.encode("utf-8")
            lists.append((file, title))
    for section in SECTIONS:
        text = section_markdown(section, results)
        if text is not None:
            files[section.file] = text.encode("utf-8")
            lists.append((section.file, section.title))
    files["_quarto.yml"] = project_file(lists).encode("utf-8")
    for item in SITE_SOURCE_DIR.iterdir():
        if item.is_file():
            files[item.name] = item.read_bytes()
    files["metod.qmd"] += colophon_markdown(meta, provenance, records, len(results)).encode()
    files[ACCESSIBILITY_PAGE] = accessibility_markdown().encode("utf-8")
    files["index.qmd"] = index_markdown(pages, records, meta).encode("utf-8")
    files[INDEX_FILE] = search_index(_entries(pages, records, files)).encode("utf-8")
    for name, content in files.items():
        target = stage / name
        if not target.is_file() or target.read_bytes() != content:
            target.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(target, content)

    wanted = {stage / name for name in files}
    for page, record in records.items():
        wanted.add(stage / f"{page}.ipynb")
        wanted.update(stage / f for f in record["files"])
    for item in list(stage.rglob("*")):
        hidden = any(part.startswith(".") for part in item.relative_to(stage).parts[:-1])
        if item.is_file() and not hidden and item != manifest_file and item not in wanted:
            item.unlink()  # a page no longer in the site (Quarto's own .quarto/ is kept)
    for folder in sorted((d for d in stage.rglob("*") if d.is_dir()), reverse=True):
        if not any(folder.iterdir()) and not folder.name.startswith("."):
            folder.rmdir()
    write_atomically(manifest_file, json.dumps(records, sort_keys=True).encode("utf-8"))
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    digest.update(json.dumps(records, sort_keys=True).encode())
    return digest.hexdigest()
