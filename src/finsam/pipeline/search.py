"""The site's search index: every page's title, names and section headings, prebuilt.

The index is a script (``search-index.js``) that sets ``window.FINSAM_SEARCH``, so that the
search page (``site/sok.qmd`` with ``site/search.js``) works from the file system, offline,
without a server: a browser does not let a page at a ``file://`` address fetch a JSON file,
but it runs a script beside it. Pages of one kind share their section headings, so the index
keeps each distinct list of headings once and the pages refer to it by number: for a national
site of some 1 750 pages it stays a few hundred kilobytes.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

INDEX_FILE = "search-index.js"
HEADING = re.compile(r"^#{2,3}\s+(.+?)\s*(\{[^}]*\})?\s*$", re.M)


@dataclass(frozen=True)
class SearchEntry:
    """One page in the index: its address within the site, title, a line saying what it is,
    the names a reader may search for (förbund, kommun) and its section headings."""

    url: str
    title: str
    about: str
    names: tuple[str, ...]
    headings: tuple[str, ...]


def markdown_headings(text: str) -> tuple[str, ...]:
    """The level-2 and level-3 headings of pandoc Markdown, without their attributes."""
    return tuple(match.group(1) for match in HEADING.finditer(text))


def search_index(entries: Iterable[SearchEntry]) -> str:
    """The index as the script ``search-index.js``."""
    heading_sets: dict[tuple[str, ...], int] = {}
    pages = []
    for entry in entries:
        number = heading_sets.setdefault(entry.headings, len(heading_sets))
        pages.append([entry.url, entry.title, entry.about, " ".join(entry.names), number])
    data = {
        "fields": ["url", "title", "about", "names", "headings"],
        "pages": pages,
        "headings": [list(h) for h in heading_sets],
    }
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"window.FINSAM_SEARCH = {text};\n"
