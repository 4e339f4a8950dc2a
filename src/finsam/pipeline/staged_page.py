"""One executed notebook as a page of the staged Quarto project.

A staged page is the executed notebook with

- its title and subtitle as a front-matter cell;
- the navigation block (breadcrumb and links to related pages) as a Markdown cell after it;
- every HTML output (a table, a notice, a list) as Markdown holding the same HTML as a raw
  block, followed by the links to the table's downloads;
- every chart (SVG or PNG output) as a file beside the page and a Markdown image with the
  chart's alt text.

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
import hashlib
from typing import TYPE_CHECKING

import yaml

from finsam.pipeline.downloads import TABLE_START, ShownTable, table_links
from finsam.report.present import markdown_escape

if TYPE_CHECKING:
    import nbformat

FIGURE_TYPES = {"image/svg+xml": "svg", "image/png": "png"}  # chart outputs and their suffix


def front_matter_cell(title: str, subtitle: str) -> nbformat.NotebookNode:
    import nbformat

    text = yaml.safe_dump({"title": title, "subtitle": subtitle}, allow_unicode=True).strip()
    return nbformat.v4.new_raw_cell(f"---\n{text}\n---")


def raw_html_block(fragment: str) -> str:
    """An HTML fragment as a raw HTML block of pandoc Markdown."""
    return f"\n```{{=html}}\n{fragment}\n```\n"


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
