"""The built-in renderer: the site Quarto would make, from nbconvert's formats, pandoc, Typst
and Jinja2, offline.

For every page of a staged Quarto project (``*.qmd`` and executed ``*.ipynb``) it writes
``<page>.html`` in the site layout and ``<page>.pdf`` through pandoc's Typst writer and the
``typst`` compiler. Notebook code is never shown: only markdown cells and display outputs
(HTML tables, PNG charts with their alt text, Markdown text). Title, navigation, footer, language
and paper size come from ``_quarto.yml``.
"""

from __future__ import annotations

import base64
import html
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


def _raw_html(fragment: str) -> str:
    return f"\n```{{=html}}\n{fragment}\n```\n"


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
                if "image/png" in data:
                    name = f"{rel.name}_files/figure-{len(images) + 1}.png"
                    images[name] = base64.b64decode(data["image/png"])
                    alt = (
                        output.get("metadata", {}).get("image/png", {}).get("alt")
                        or output.get("metadata", {}).get("alt")
                        or "Diagram"
                    )
                    parts.append(
                        _raw_html(
                            f'<p class="finsam-figure"><img src="{name}" '
                            f'alt="{html.escape(alt)}"></p>'
                        )
                    )
                elif "text/html" in data:
                    parts.append(_raw_html(data["text/html"]))
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


def render_builtin(stage: Path, out: Path, jobs: int | None = None) -> list[Path]:
    """Render every page of the staged project ``stage`` into ``out``, ``jobs`` pages at a time
    (default: one per CPU core); returns the pages."""
    config = yaml.safe_load((stage / "_quarto.yml").read_text(encoding="utf-8")) or {}
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
    jobs = max(1, min(jobs or os.cpu_count() or 1, len(sources) or 1))
    if jobs == 1:
        return [_render_one(source, stage, out, config) for source in sources]
    with ProcessPoolExecutor(jobs, mp_context=WORKER_CONTEXT, initializer=worker_setup) as pool:
        return list(
            pool.map(
                _render_one,
                sources,
                [stage] * len(sources),
                [out] * len(sources),
                [config] * len(sources),
            )
        )


def _write_page(
    page: Page, out: Path, template, website: dict, html_format: dict, typst_format: dict, lang: str
) -> Path:
    target_dir = out / page.rel.parent
    target_dir.mkdir(parents=True, exist_ok=True)
    for name, data in page.images.items():
        (target_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (target_dir / name).write_bytes(data)
    body = pypandoc.convert_text(
        page.markdown, "html5", format="markdown", extra_args=["--section-divs", "--wrap=none"]
    )
    root = "../" * len(page.rel.parent.parts)
    title = str(page.meta.get("title", page.rel.name))
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
    _write_pdf(page, body, title, target_dir, typst_format, lang)
    return target


def _as_list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def _write_pdf(
    page: Page, body: str, title: str, target_dir: Path, typst_format: dict, lang: str
) -> Path:
    meta_args = [
        f"--metadata=title:{title}",
        f"--variable=lang:{lang}",
        f"--variable=papersize:{typst_format.get('papersize', 'a4')}",
    ]
    if page.meta.get("subtitle"):
        meta_args.append(f"--metadata=subtitle:{page.meta['subtitle']}")
    source = pypandoc.convert_text(
        body, "typst", format="html", extra_args=["--standalone", *meta_args]
    )
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
