"""Staging the Quarto project of the site: pages, list pages, search, static files, project file.

The stage is a complete Quarto website project: a copy of ``_quarto.yml`` with the navbar of
the pages present, the static pages and files of ``site/``, the generated start page, list
pages (:mod:`finsam.pipeline.navigation`), accessibility statement and search index, and the
executed notebooks under ``<kind>/<year>/`` as staged pages (:mod:`finsam.pipeline.staged_page`)
with their charts and downloads beside them. Either renderer turns the stage into the same site.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import yaml

from finsam.paths import QUARTO_PROJECT_FILE, SITE_SOURCE_DIR
from finsam.pipeline import navigation as nav
from finsam.pipeline.execute import WORKER_CONTEXT, RunResult, recorded_key, worker_setup
from finsam.pipeline.records import read_json, write_atomically
from finsam.pipeline.search import INDEX_FILE, search_index
from finsam.pipeline.site_pages import (
    ACCESSIBILITY_PAGE,
    SECTIONS,
    accessibility_markdown,
    colophon_markdown,
    index_markdown,
    search_entries,
    section_markdown,
)
from finsam.pipeline.staged_page import stage_page

STAGE_MANIFEST = ".finsam-stage.json"  # page → what was staged for it (see stage_site)
PAGES_PER_STAGING_WORKER = 16  # pages to stage for each worker process started


def project_file(lists: Iterable[tuple[str, str]]) -> str:
    """The staged ``_quarto.yml``: the project's, with a navbar item after "Start" for each
    list page (file, text) the site has."""
    project = yaml.safe_load(QUARTO_PROJECT_FILE.read_text(encoding="utf-8"))
    left = project["website"]["navbar"]["left"]
    for position, (file, text) in enumerate(lists, start=1):
        left.insert(position, {"href": file, "text": text})
    header = "# Staged copy of the project's _quarto.yml (made by finsam build).\n"
    return header + yaml.safe_dump(project, allow_unicode=True, sort_keys=False)


def _stage_pages(
    todo: list[tuple[RunResult, str]], stage: Path, meta: dict, jobs: int | None
) -> list[dict]:
    """Stage pages (result, navigation), in ``jobs`` worker processes when there are many
    (reading notebooks and writing workbooks is work a national site has 1 750 of)."""
    jobs = min(jobs or os.cpu_count() or 1, len(todo) // PAGES_PER_STAGING_WORKER)
    arguments = (
        [r for r, _ in todo],
        [stage] * len(todo),
        [n for _, n in todo],
        [meta] * len(todo),
    )
    if jobs <= 1:
        return list(map(stage_page, *arguments))
    with ProcessPoolExecutor(jobs, mp_context=WORKER_CONTEXT, initializer=worker_setup) as pool:
        return list(pool.map(stage_page, *arguments, chunksize=8))


def stage_site(
    results: list[RunResult],
    meta: dict,
    stage: Path,
    provenance: dict | None = None,
    jobs: int | None = None,
) -> str:
    """Bring the stage at ``stage`` up to date with ``results``; returns a digest of the staged
    project, which changes whenever any staged file does.

    Staging is incremental: a page is staged again only when it was executed anew (its cache
    key changed) or its navigation changed (``.finsam-stage.json`` keeps both, with the files
    staged beside it, its headings and key figures); generated pages and static files are
    written only when their content changed; files no longer in the site are removed. Pages
    are staged in up to ``jobs`` processes (default: one per CPU core)."""
    provenance = provenance or {}
    stage.mkdir(parents=True, exist_ok=True)
    manifest_file = stage / STAGE_MANIFEST
    manifest = read_json(manifest_file)
    pages = nav.SitePages(r.run for r in results)
    records: dict[str, dict] = {}
    todo: list[tuple[RunResult, str]] = []
    for result in results:
        run = result.run
        key = recorded_key(result.path) or ""
        navigation = nav.page_navigation(run, pages)
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
        records[run.page] = {"key": key, "nav": nav_digest}
        if current:
            records[run.page].update(record)
        else:
            todo.append((result, navigation))
    for (result, _), record in zip(todo, _stage_pages(todo, stage, meta, jobs), strict=True):
        records[result.run.page].update(record)

    files: dict[str, bytes] = {}
    lists: list[tuple[str, str]] = []
    for year in pages.years:
        files[f"{nav.year_page(year)}.qmd"] = nav.year_markdown(year, pages).encode()
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
    files[INDEX_FILE] = search_index(search_entries(pages, records, files)).encode("utf-8")
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
