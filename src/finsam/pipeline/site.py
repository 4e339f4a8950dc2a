"""Staging the Quarto project of the site: pages, index, static files, the project file.

The stage is a complete Quarto website project: a copy of ``_quarto.yml``, the static pages and
styles from ``site/``, a generated ``index.qmd`` that links every page, and the executed
notebooks under ``forbund/<year>/`` and ``kommun/<year>/`` with their title in a front-matter
cell. Either renderer turns the stage into the same set of pages.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from finsam.paths import QUARTO_PROJECT_FILE, SITE_SOURCE_DIR
from finsam.pipeline.execute import RunResult, recorded_key
from finsam.report.present import SYNTHETIC_NOTICE

if TYPE_CHECKING:
    import nbformat

HEADINGS = {
    "riket": "Riket",
    "forbund": "Förbund",
    "ekonomi": "Ekonomi",
    "mal": "Måluppfyllelse",
    "kommun": "Kommuner",
}
STAGE_MANIFEST = ".finsam-stage.json"  # page → cache key of the notebook staged for it
INDEX_TITLE = "Uppföljning av samordningsförbundens insatser"


def front_matter_cell(title: str, subtitle: str) -> nbformat.NotebookNode:
    import nbformat

    text = yaml.safe_dump({"title": title, "subtitle": subtitle}, allow_unicode=True).strip()
    return nbformat.v4.new_raw_cell(f"---\n{text}\n---")


def raw_html_block(fragment: str) -> str:
    """An HTML fragment as a raw HTML block of pandoc Markdown."""
    return f"\n```{{=html}}\n{fragment}\n```\n"


def html_outputs_as_markdown(nb: nbformat.NotebookNode) -> None:
    """Turn every HTML display output (a table, a notice, a list) into Markdown holding the
    same HTML as a raw block, in place.

    Quarto takes a notebook with any ``text/html`` output for a JavaScript widget page and
    loads require.js and jQuery from a CDN into its head (``src/core/jupyter/widgets.ts``); a
    Markdown output it includes as Markdown, and it parses the HTML tables of raw HTML blocks
    into pandoc tables for every format, HTML and Typst alike (HTML table processing, Quarto
    1.3 on). The executed notebooks keep their HTML outputs, which JupyterLab shows."""
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if "text/html" in data:
                output["data"] = {"text/markdown": raw_html_block(data["text/html"])}


def stage_page(result: RunResult, stage: Path) -> Path:
    """Copy an executed notebook into the stage with its title as front matter and its HTML
    outputs as Markdown (:func:`html_outputs_as_markdown`)."""
    import nbformat

    nb = nbformat.read(result.path, as_version=4)
    nb.cells.insert(0, front_matter_cell(result.run.title, result.run.subtitle))
    html_outputs_as_markdown(nb)
    target = stage / f"{result.run.page}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, nbformat.writes(nb).encode("utf-8"))
    return target


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


def index_markdown(results: Iterable[RunResult], meta: dict) -> str:
    """The start page: every förbund-year and kommun-year page, newest year first."""
    order = {kind: i for i, kind in enumerate(HEADINGS)}
    runs = sorted((r.run for r in results), key=lambda r: (-r.year, order[r.kind], r.name))
    lines = ["---", f"title: {INDEX_TITLE}", "---", ""]
    if meta.get("synthetic"):
        lines += ['::: {.finsam-notice role="note"}', SYNTHETIC_NOTICE, ":::", ""]
    lines += [
        "Här finns årets och tidigare års uppföljning av de insatser som samordningsförbunden "
        "finansierar: för varje förbund som helhet och för varje medlemskommun. "
        "Varje rapport finns också som PDF. Hur talen räknas står på [metodsidan](metod.html).",
        "",
    ]
    for year, of_year in groupby(runs, key=lambda r: r.year):
        lines += [f"## {year} {{#ar-{year}}}", ""]
        for kind, of_kind in groupby(of_year, key=lambda r: r.kind):
            lines += [f"### {HEADINGS[kind]}", ""]
            lines += [f"- [{run.name}]({run.page}.html)" for run in of_kind]
            lines.append("")
    if meta.get("fingerprint"):
        lines += [
            "## Om sidan {#om-sidan}",
            "",
            f"Byggd med finsam {meta.get('finsam_version', '')} från data med kontrollsumma "
            f"`{meta['fingerprint'][:12]}`.",
            "",
        ]
    return "\n".join(lines)


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
    for year, of_year in groupby(runs, key=lambda r: r.year):
        lines += [f"## {year} {{#{section.kind}-{year}}}", ""]
        lines += [f"- [{run.name}]({run.page}.html)" for run in of_year]
        lines.append("")
    return "\n".join(lines)


def project_file(sections: Iterable[Section]) -> str:
    """The staged ``_quarto.yml``: the project's, with a navbar item after "Rapporter" for each
    section the site has pages of."""
    project = yaml.safe_load(QUARTO_PROJECT_FILE.read_text(encoding="utf-8"))
    left = project["website"]["navbar"]["left"]
    for position, section in enumerate(sections, start=1):
        left.insert(position, {"href": section.file, "text": section.title})
    header = "# Staged copy of the project's _quarto.yml (made by finsam build).\n"
    return header + yaml.safe_dump(project, allow_unicode=True, sort_keys=False)


def stage_site(results: list[RunResult], meta: dict, stage: Path) -> str:
    """Bring the stage at ``stage`` up to date with ``results``; returns a digest of the staged
    project, which changes whenever any staged file does.

    Staging is incremental: a page's notebook is copied again only when it was executed anew
    (its cache key, recorded in ``.finsam-stage.json``, changed); the generated pages and static
    files are written only when their content changed; files of pages no longer in the site
    are removed."""
    stage.mkdir(parents=True, exist_ok=True)
    manifest_file = stage / STAGE_MANIFEST
    manifest = read_json(manifest_file)
    files: dict[str, bytes] = {}
    present = []
    for section in SECTIONS:
        text = section_markdown(section, results)
        if text is not None:
            files[section.file] = text.encode("utf-8")
            present.append(section)
    files["_quarto.yml"] = project_file(present).encode("utf-8")
    for item in SITE_SOURCE_DIR.iterdir():
        if item.is_file():
            files[item.name] = item.read_bytes()
    files["index.qmd"] = index_markdown(results, meta).encode("utf-8")
    for name, content in files.items():
        target = stage / name
        if not target.is_file() or target.read_bytes() != content:
            write_atomically(target, content)
    pages = {}
    for result in results:
        key = recorded_key(result.path) or ""
        target = stage / f"{result.run.page}.ipynb"
        if not key or manifest.get(result.run.page) != key or not target.is_file():
            stage_page(result, stage)
        pages[result.run.page] = key
    wanted = {stage / name for name in files} | {stage / f"{page}.ipynb" for page in pages}
    for item in list(stage.rglob("*")):
        hidden = any(part.startswith(".") for part in item.relative_to(stage).parts[:-1])
        if item.is_file() and not hidden and item != manifest_file and item not in wanted:
            item.unlink()  # a page no longer in the site (Quarto's own .quarto/ is kept)
    write_atomically(manifest_file, json.dumps(pages, sort_keys=True).encode("utf-8"))
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    digest.update(json.dumps(pages, sort_keys=True).encode())
    return digest.hexdigest()
