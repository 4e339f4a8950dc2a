"""Pandoc Markdown written by the program: literal text, raw HTML blocks, front matter."""

from __future__ import annotations

import re

import yaml

ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def markdown_escape(text: str) -> str:
    """``text`` as literal pandoc Markdown: every ASCII punctuation character escaped, line
    breaks as spaces."""
    return ASCII_PUNCTUATION.sub(r"\\\1", " ".join(text.split()))


def raw_html_block(fragment: str) -> str:
    """An HTML fragment as a raw HTML block of pandoc Markdown (kept out of other formats)."""
    return f"\n```{{=html}}\n{fragment}\n```\n"


def front_matter(**fields: str) -> str:
    """A page's YAML front matter (``title``, ``subtitle``), quoted where YAML needs it."""
    return f"---\n{yaml.safe_dump(fields, allow_unicode=True, sort_keys=False).strip()}\n---\n"
