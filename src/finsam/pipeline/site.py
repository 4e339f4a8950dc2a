"""Staging the Quarto project of the site: pages, index, static files, the project file.

The stage is a complete Quarto website project: a copy of ``_quarto.yml``, the static pages and
styles from ``site/``, a generated ``index.qmd`` that links every page, and the executed
notebooks under ``forbund/<year>/`` and ``kommun/<year>/`` with their title in a front-matter
cell. Either renderer turns the stage into the same set of pages.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path

import nbformat
import yaml

from finsam.paths import QUARTO_PROJECT_FILE, SITE_SOURCE_DIR
from finsam.pipeline.execute import RunResult
from finsam.report.present import SYNTHETIC_NOTICE

HEADINGS = {
    "riket": "Riket",
    "forbund": "Förbund",
    "ekonomi": "Ekonomi",
    "mal": "Måluppfyllelse",
    "kommun": "Kommuner",
}
INDEX_TITLE = "Uppföljning av samordningsförbundens insatser"


def front_matter_cell(title: str, subtitle: str) -> nbformat.NotebookNode:
    text = yaml.safe_dump({"title": title, "subtitle": subtitle}, allow_unicode=True).strip()
    return nbformat.v4.new_raw_cell(f"---\n{text}\n---")


def stage_page(result: RunResult, stage: Path) -> Path:
    """Copy an executed notebook into the stage with its title as front matter."""
    nb = nbformat.read(result.path, as_version=4)
    nb.cells.insert(0, front_matter_cell(result.run.title, result.run.subtitle))
    target = stage / f"{result.run.page}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, target)
    return target


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


def stage_site(results: list[RunResult], meta: dict, stage: Path) -> Path:
    """Write a fresh stage at ``stage`` (its previous content is removed)."""
    shutil.rmtree(stage, ignore_errors=True)
    stage.mkdir(parents=True)
    present = []
    for section in SECTIONS:
        text = section_markdown(section, results)
        if text is not None:
            (stage / section.file).write_text(text, encoding="utf-8")
            present.append(section)
    (stage / "_quarto.yml").write_text(project_file(present), encoding="utf-8")
    for item in SITE_SOURCE_DIR.iterdir():
        if item.is_file():
            shutil.copy2(item, stage / item.name)
    (stage / "index.qmd").write_text(index_markdown(results, meta), encoding="utf-8")
    for result in results:
        stage_page(result, stage)
    return stage
