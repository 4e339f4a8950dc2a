"""One executed notebook as a page of the staged Quarto project.

A staged page is the executed notebook with

- its title and subtitle as a front-matter cell;
- the navigation block (breadcrumb and links to related pages, raw HTML) and the PDF's page
  title (raw Typst) as a Markdown cell after it (:mod:`finsam.pipeline.site`);
- every text that has a Markdown form besides its HTML (a notice, a legend, a list) as that
  Markdown, which every renderer carries into the page and the PDF alike;
- every other HTML output (a table) as Markdown holding the same HTML as a raw block, followed
  by the links to the table's downloads (:mod:`finsam.pipeline.downloads`) in a raw block of
  their own, which stays out of the PDF;
- every chart (SVG or PNG output) as a file beside the page, named by its content, and a
  Markdown image with the chart's alt text;
- its provenance as a last Markdown cell.

Quarto takes a notebook with any ``text/html`` output for a JavaScript widget page and loads
require.js and jQuery from a CDN into its head (``src/core/jupyter/widgets.ts``); a Markdown
output it includes as Markdown. It parses the HTML tables of raw HTML blocks into pandoc tables
for every format, HTML and Typst alike (HTML table processing, Quarto 1.3 on). An image output
gets its alt text in Quarto only from a caption or ``fig-alt``, never from the output's
metadata; a Markdown image carries it as its description. The executed notebooks keep their
outputs as they were, which JupyterLab shows.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from finsam.pipeline.downloads import TABLE_START, ShownTable, report_xlsx, table_links
from finsam.pipeline.execute import RunResult
from finsam.pipeline.matrix import Run
from finsam.pipeline.navigation import with_workbook
from finsam.pipeline.records import write_atomically
from finsam.pipeline.search import markdown_headings
from finsam.report.markdown import front_matter, markdown_escape, raw_html_block

if TYPE_CHECKING:
    import nbformat

FIGURE_TYPES = {"image/svg+xml": "svg", "image/png": "png"}  # chart outputs and their suffix


def figure_markdown(path: str, alt: str) -> str:
    """A chart as an inline Markdown image whose description is its alt text. The escaped space
    after it keeps pandoc (and Quarto) from making it a figure with the alt text as caption."""
    return f"\n![{markdown_escape(alt)}]({path}){{.finsam-chart}}\\ \n"


def _alt(output: dict, mime: str) -> str:
    metadata = output.get("metadata", {})
    return metadata.get(mime, {}).get("alt") or metadata.get("alt") or "Diagram"


def stage_outputs(
    nb: nbformat.NotebookNode, page: str
) -> tuple[dict[str, bytes], list[ShownTable]]:
    """Rewrite the outputs of the notebook of ``page`` (its path in the site, without suffix)
    in place as described in the module; returns the files to write beside it (charts,
    downloads) by their path within the stage, and the tables shown, in order."""
    directory, name = page.rpartition("/")[0], page.rpartition("/")[2]
    files: dict[str, bytes] = {}
    tables: list[ShownTable] = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            mime = next((m for m in FIGURE_TYPES if m in data), None)
            if mime:
                content = data[mime]
                raw = (
                    content.encode("utf-8")
                    if mime == "image/svg+xml"
                    else base64.b64decode(content)
                )
                digest = hashlib.sha256(raw).hexdigest()[:16]
                rel = f"{name}-figurer/{digest}.{FIGURE_TYPES[mime]}"
                files[f"{directory}/{rel}"] = raw
                output["data"] = {"text/markdown": figure_markdown(rel, _alt(output, mime))}
                output["metadata"] = {}
            elif "text/markdown" in data:  # a text shown as HTML in JupyterLab
                output["data"] = {"text/markdown": data["text/markdown"]}
            elif "text/html" in data:
                fragment = data["text/html"]
                text = raw_html_block(fragment)
                if TABLE_START in fragment:
                    links, written = table_links(fragment, name, tables)
                    text += raw_html_block(links)  # a block of its own: not parsed with the table
                    files.update({f"{directory}/{k}": v for k, v in written.items()})
                output["data"] = {"text/markdown": text}
    return files, tables


# --- the page -------------------------------------------------------------------------------


def _provenance_markdown(nb, run: Run, meta: dict) -> str:
    """The page's provenance, at its end (web page and PDF): when and with what it was
    computed, from which data and under which protection."""
    finsam = nb.metadata.get("finsam", {})
    computed = computed_at(nb)
    when = local_time(computed)
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


def computed_at(nb) -> str:
    """When an executed notebook's run ended (papermill's ISO time), or ``""``."""
    return (nb.metadata.get("papermill") or {}).get("end_time") or ""


def local_time(iso: str) -> str:
    """An ISO time as ``2026-11-24 12:31 UTC``; empty stays empty."""
    if not iso:
        return "vid okänd tid"
    moment = dt.datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(dt.UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _about_rows(run: Run, nb, meta: dict) -> list[tuple[str, str]]:
    """The ``om`` sheet of a report's workbook."""
    finsam = nb.metadata.get("finsam", {})
    computed = computed_at(nb)
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
        ("Beräknad", local_time(computed)),
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

    run = result.run
    nb = nbformat.read(result.path, as_version=4)
    name = run.page.rpartition("/")[2]
    files, tables = stage_outputs(nb, run.page)
    workbook = None
    if tables:
        workbook = f"{name}.xlsx"
        files[f"{run.page}.xlsx"] = report_xlsx(tables, _about_rows(run, nb, meta))
    headings = markdown_headings("\n".join(c.source for c in nb.cells if c.cell_type == "markdown"))
    nb.cells.insert(
        0, nbformat.v4.new_raw_cell(front_matter(title=run.title, subtitle=run.subtitle))
    )
    nb.cells.insert(
        1,
        nbformat.v4.new_markdown_cell(
            raw_html_block(with_workbook(navigation, workbook))
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
        "computed": computed_at(nb),
    }
