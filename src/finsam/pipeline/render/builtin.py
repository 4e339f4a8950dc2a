"""The built-in renderer: the site Quarto would make, from nbconvert's formats, pandoc, Typst
and Jinja2, offline.

For every page of a staged Quarto project (``*.qmd`` and executed ``*.ipynb``) it writes
``<page>.html`` in the site layout and ``<page>.pdf``, both from one run of pandoc (its HTML and
Typst writers) and the ``typst`` compiler. Notebook code is never shown: only markdown cells and
display outputs (HTML tables, SVG and PNG charts with their alt text, Markdown text). Title,
navigation, footer, language and paper size come from ``_quarto.yml``.
"""

from __future__ import annotations

import base64
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
from finsam.pipeline.site import raw_html_block

SVG = "image/svg+xml"
IMAGE_TYPES = {SVG: "svg", "image/png": "png"}  # chart outputs and their files' suffix
LUA_WRITER = Path(__file__).resolve().parent / "templates" / "html-and-typst.lua"
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n?", re.S)


@dataclass
class Page:
    """A page converted to pandoc Markdown, with its metadata and the images it refers to."""

    source: Path
    rel: Path  # path within the site without suffix, e.g. forbund/2022/x
    meta: dict
    markdown: str
    images: dict[str, bytes]


def _split_front_matter(text: str) -> tuple[dict, str]:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}, text
    return yaml.safe_load(match.group(1)) or {}, text[match.end() :]


def read_qmd(source: Path, rel: Path) -> Page:
    meta, body = _split_front_matter(source.read_text(encoding="utf-8"))
    return Page(source, rel, meta, body, {})


def read_notebook(source: Path, rel: Path) -> Page:
    """Markdown cells and display outputs of an executed notebook, in order; no code."""
    nb = nbformat.read(source, as_version=4)
    meta: dict = {}
    parts: list[str] = []
    images: dict[str, bytes] = {}
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
                image = next((m for m in IMAGE_TYPES if m in data), None)
                if image:
                    name = f"{rel.name}_files/figure-{len(images) + 1}.{IMAGE_TYPES[image]}"
                    content = data[image]
                    images[name] = (
                        content.encode("utf-8") if image == SVG else base64.b64decode(content)
                    )
                    alt = (
                        output.get("metadata", {}).get(image, {}).get("alt")
                        or output.get("metadata", {}).get("alt")
                        or "Diagram"
                    )
                    parts.append(
                        raw_html_block(
                            f'<p class="finsam-figure"><img src="{name}" '
                            f'alt="{html.escape(alt)}"></p>'
                        )
                    )
                elif "text/html" in data:
                    parts.append(raw_html_block(data["text/html"]))
                elif "text/markdown" in data:
                    parts.append(data["text/markdown"])
    return Page(source, rel, meta, "\n\n".join(parts), images)


def _nav_href(href: str) -> str:
    return re.sub(r"\.(qmd|ipynb)$", ".html", href)


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
    for asset in stage.iterdir():
        if asset.is_file() and asset.suffix in (".css", ".png", ".svg", ".js"):
            shutil.copy2(asset, out / asset.name)
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
            destination = target / file.relative_to(source)
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
    for name, data in page.images.items():
        (target_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (target_dir / name).write_bytes(data)
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
        footer=(website.get("page-footer") or {}).get("center", ""),
        pdf=f"{page.rel.name}.pdf",
    )
    target = out / f"{page.rel}.html"
    target.write_text(page_html, encoding="utf-8")
    _write_pdf(page, typst_source, target_dir)
    return target


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
    both = json.loads(
        pypandoc.convert_text(page.markdown, str(LUA_WRITER), format="markdown", extra_args=args)
    )
    return both["html"], both["typst"]


def _write_pdf(page: Page, source: str, target_dir: Path) -> Path:
    typ = target_dir / f".{page.rel.name}.typ"
    pdf = target_dir / f"{page.rel.name}.pdf"
    typ.write_text(source, encoding="utf-8")
    try:
        typst.compile(str(typ), output=str(pdf), root=str(target_dir))
    except Exception as error:  # typst raises its own error type with the compiler's message
        raise FinsamError(f"PDF of {page.rel}: typst failed: {error}") from None
    finally:
        os.unlink(typ)
    return pdf
