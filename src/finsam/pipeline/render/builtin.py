"""The built-in renderer: the site Quarto would make, from nbconvert's formats, pandoc, Typst
and Jinja2, offline.

For every page of a staged Quarto project (``*.qmd`` and executed ``*.ipynb``) it writes
``<page>.html`` in the site layout and ``<page>.pdf``, both from one run of pandoc (its HTML and
Typst writers) and the ``typst`` compiler. Notebook code is never shown: only markdown cells and
Markdown outputs (staging turns tables and charts into Markdown). Title,
navigation, footer, language and paper size come from ``_quarto.yml``.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import shutil
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import nbformat
import pypandoc
import typst
import yaml
from jinja2 import Environment, PackageLoader, select_autoescape

from finsam.errors import FinsamError
from finsam.pipeline.execute import WORKER_CONTEXT, worker_setup

SVG = "image/svg+xml"
IMAGE_TYPES = {SVG: "svg", "image/png": "png"}  # chart outputs and their files' suffix
LUA_WRITER = Path(__file__).resolve().parent / "templates" / "html-and-typst.lua"
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?", re.S)


@dataclass
class Page:
    """A page converted to pandoc Markdown, with its metadata."""

    source: Path
    rel: Path  # path within the site without suffix, e.g. forbund/2022/x
    meta: dict
    markdown: str


def _split_front_matter(text: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end() :]


def read_qmd(source: Path, rel: Path) -> Page:
    meta, body = _split_front_matter(source.read_text(encoding="utf-8"))
    return Page(source, rel, meta, body)


def read_notebook(source: Path, rel: Path) -> Page:
    """Markdown cells and Markdown outputs of a staged notebook, in order; no code. (Staging
    turns every table and chart output into Markdown, see
    :mod:`finsam.pipeline.staged_page`.)"""
    nb = nbformat.read(source, as_version=4)
    meta: dict = {}
    parts: list[str] = []
    for cell in nb.cells:
        if cell.cell_type == "raw" and not meta:
            meta, rest = _split_front_matter(cell.source)
            parts.append(rest)
        elif cell.cell_type == "markdown":
            parts.append(cell.source)
        elif cell.cell_type == "code":
            for output in cell.get("outputs", []):
                if output.output_type == "error":
                    raise FinsamError(f"{source}: a cell ended in {output.ename}: {output.evalue}")
                if output.output_type not in ("display_data", "execute_result"):
                    continue  # streams (log lines, warnings) are not page content
                data = output.get("data", {})
                if "text/markdown" in data:
                    parts.append(data["text/markdown"])
    return Page(source, rel, meta, "\n\n".join(parts))


def _nav_href(href: str) -> str:
    return re.sub(r"\.(qmd|ipynb)(?=$|#)", ".html", href)


@cache
def _template():
    env = Environment(
        loader=PackageLoader("finsam", "pipeline/render/templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    return env.get_template("page.html.j2")


def _render_one(source: Path, stage: Path, out: Path, config: dict) -> Path:
    rel = source.relative_to(stage).with_suffix("")
    page = read_notebook(source, rel) if source.suffix == ".ipynb" else read_qmd(source, rel)
    formats = config.get("format") or {}
    return _write_page(
        page,
        out,
        _template(),
        config.get("website", {}),
        formats.get("html") or {},
        formats.get("typst") or {},
        config.get("lang", "sv"),
    )


def render_builtin(
    stage: Path, out: Path, jobs: int | None = None, cache: Path | None = None
) -> list[Path]:
    """Render every page of the staged project ``stage`` into ``out``, ``jobs`` pages at a time
    (default: one per CPU core); returns the pages' sources. With ``cache``, a page is rendered
    only if no earlier render of the same source, project file and renderer is kept there;
    its files are linked into ``out`` from the cache."""
    config_text = (stage / "_quarto.yml").read_text(encoding="utf-8")
    config = yaml.safe_load(config_text) or {}
    sources = sorted(
        p
        for p in stage.rglob("*")
        if p.suffix in (".qmd", ".ipynb")
        and not any(part.startswith(("_", ".")) for part in p.relative_to(stage).parts)
    )
    out.mkdir(parents=True, exist_ok=True)
    for resource in stage.rglob("*"):
        rel = resource.relative_to(stage)
        if (
            resource.is_file()
            and resource.suffix not in (".qmd", ".ipynb", ".yml", ".json")
            and not any(part.startswith(("_", ".")) for part in rel.parts)
        ):
            _link(resource, out / rel)  # charts, downloads, styles, scripts
    if cache is None:
        targets = {source: out for source in sources}
    else:
        common = hashlib.sha256(config_text.encode() + _renderer_fingerprint().encode())
        targets = {}
        for source in sources:
            digest = common.copy()
            digest.update(source.relative_to(stage).as_posix().encode() + b"\0")
            digest.update(source.read_bytes())
            targets[source] = Path(cache) / digest.hexdigest()[:32]
    todo = [s for s in sources if cache is None or not targets[s].is_dir()]
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(todo) or 1))
    n = len(todo)
    entries = [cache is not None] * n
    arguments = (todo, [stage] * n, [targets[s] for s in todo], [config] * n, entries)
    if jobs == 1:
        list(map(_render_cached, *arguments))
    else:
        with ProcessPoolExecutor(jobs, mp_context=WORKER_CONTEXT, initializer=worker_setup) as pool:
            list(pool.map(_render_cached, *arguments))
    if cache is not None:
        for source in sources:
            _link_tree(targets[source], out)
        for entry in Path(cache).iterdir():  # pages of earlier renders no longer in the site
            if entry not in targets.values():
                shutil.rmtree(entry, ignore_errors=True)
    return sources


def _render_cached(source: Path, stage: Path, target: Path, config: dict, entry: bool) -> Path:
    """Render one page into ``target``: straight into the site, or (``entry``) into a cache
    entry that appears only when complete."""
    if not entry:
        return _render_one(source, stage, target, config)
    temporary = target.with_name(f".{target.name}.{os.getpid()}")
    shutil.rmtree(temporary, ignore_errors=True)
    _render_one(source, stage, temporary, config)
    shutil.rmtree(target, ignore_errors=True)
    os.replace(temporary, target)
    return target


def _link_tree(source: Path, target: Path) -> None:
    """Hard-link every file under ``source`` to the same place under ``target`` (copy where
    the two are on different file systems)."""
    for file in source.rglob("*"):
        if file.is_file():
            _link(file, target / file.relative_to(source))


def _link(file: Path, destination: Path) -> None:
    """Hard-link ``file`` at ``destination`` (a copy across file systems)."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(file, destination)
    except OSError:
        shutil.copy2(file, destination)


@cache
def _renderer_fingerprint() -> str:
    """This renderer's code, templates and the pandoc and typst versions."""
    digest = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for file in sorted([*here.glob("*.py"), *(here / "templates").glob("*")]):
        digest.update(file.read_bytes())
    digest.update(f"{pypandoc.get_pandoc_version()} {typst.__version__}".encode())
    return digest.hexdigest()


def _write_page(
    page: Page, out: Path, template, website: dict, html_format: dict, typst_format: dict, lang: str
) -> Path:
    target_dir = out / page.rel.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    title = str(page.meta.get("title", page.rel.name))
    body, typst_source = _convert(page, title, typst_format, lang)
    root = "../" * len(page.rel.parent.parts)
    toc = (
        [
            (m.group(1), html.unescape(re.sub(r"<[^>]+>", "", m.group(2))))
            for m in re.finditer(r'<section id="([^"]+)" class="level2">\s*<h2>(.*?)</h2>', body)
        ]
        if html_format.get("toc")
        else []
    )
    page_html = template.render(
        lang=lang,
        title=title,
        subtitle=page.meta.get("subtitle"),
        body=body,
        root=root,
        site_title=website.get("title", ""),
        toc=toc,
        toc_title=html_format.get("toc-title"),
        nav=[
            {"href": root + _nav_href(item["href"]), "text": item.get("text", item["href"])}
            for item in (website.get("navbar") or {}).get("left", [])
        ],
        css=[root + css for css in _as_list(html_format.get("css"))],
        footer=_footer(website.get("page-footer") or {}, root),
        pdf=f"{page.rel.name}.pdf",
    )
    target = out / f"{page.rel}.html"
    target.write_text(page_html, encoding="utf-8")
    _write_pdf(page, typst_source, target_dir / f"{page.rel.name}.pdf")
    return target


def _footer(footer: dict | str, root: str) -> dict[str, list[dict]]:
    """Quarto's ``page-footer`` (a text, or ``left``/``center``/``right`` each a text or a list
    of navigation items) as the template's parts: per side a list of {text, href}."""
    if isinstance(footer, str):
        footer = {"center": footer}
    parts = {}
    for side in ("left", "center", "right"):
        items = footer.get(side)
        if isinstance(items, str):
            parts[side] = [{"text": items, "href": None}]
        elif items:
            parts[side] = [
                {"text": item.get("text", item["href"]), "href": root + _nav_href(item["href"])}
                for item in items
            ]
    return parts


def _as_list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _convert(page: Page, title: str, typst_format: dict, lang: str) -> tuple[str, str]:
    """The page's HTML body and the Typst source of its PDF, from one run of pandoc (the
    writer ``templates/html-and-typst.lua``)."""
    args = [
        "--section-divs",
        "--wrap=none",
        f"--metadata=title:{title}",
        f"--variable=lang:{lang}",
        f"--variable=papersize:{typst_format.get('papersize', 'a4')}",
    ]
    if page.meta.get("subtitle"):
        args.append(f"--metadata=subtitle:{page.meta['subtitle']}")
    for item in _as_list(typst_format.get("include-in-header")):
        text = item.get("text") if isinstance(item, dict) else None
        if text:  # Quarto's `include-in-header: - text: …` (raw Typst)
            args.append(f"--variable=header-includes:{text}")
    both = json.loads(
        pypandoc.convert_text(page.markdown, str(LUA_WRITER), format="markdown", extra_args=args)
    )
    return both["html"], both["typst"]


def _write_pdf(page: Page, source: str, pdf: Path) -> Path:
    """Compile the page's Typst source beside its staged source, where the charts it shows
    are, into ``pdf``."""
    typ = page.source.with_name(f".{page.rel.name}.{os.getpid()}.typ")
    typ.write_text(source, encoding="utf-8")
    try:
        typst.compile(str(typ), output=str(pdf), root=str(typ.parent))
    except Exception as error:  # typst raises its own error type with the compiler's message
        raise FinsamError(f"PDF of {page.rel}: typst failed: {error}") from None
    finally:
        os.unlink(typ)
    return pdf
