"""Reference data shipped in ``data/reference``: kommuner (SCB codes, län) and förbund membership.

Each file's source is described in ``data/reference/SOURCES.md``.
"""

from __future__ import annotations

import difflib
import re
from functools import cache
from pathlib import Path

import pandas as pd

from finsam.paths import REFERENCE_DIR


@cache
def kommuner(reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """All 290 municipalities: ``kommunkod`` (4-digit text), ``kommun``, ``lanskod``, ``lan``."""
    return pd.read_csv(reference_dir / "kommuner.csv", dtype=str, keep_default_na=False)


@cache
def forbund_members(reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """Förbund membership 2021: one row per (``forbund``, ``kommunkod``, ``kommun``)."""
    return pd.read_csv(reference_dir / "forbund_2021.csv", dtype=str, keep_default_na=False)


def forbund_names(reference_dir: Path = REFERENCE_DIR) -> frozenset[str]:
    """Names of every förbund in the register."""
    return frozenset(forbund_members(reference_dir)["forbund"])


def kommun_name(kommunkod: str, reference_dir: Path = REFERENCE_DIR) -> str:
    """Name of a kommun from its code (``1481`` → ``Mölndal``)."""
    return _name_by_code(reference_dir)[kommunkod]


@cache
def _name_by_code(reference_dir: Path) -> dict[str, str]:
    table = kommuner(reference_dir)
    return dict(zip(table["kommunkod"], table["kommun"], strict=True))


@cache
def _code_by_key(reference_dir: Path) -> dict[str, str]:
    table = kommuner(reference_dir)
    return {
        _key(name): code for code, name in zip(table["kommunkod"], table["kommun"], strict=True)
    }


def _key(name: str) -> str:
    return re.sub(r"[\s\-]+", " ", name.strip().casefold())


_SUFFIX = re.compile(r"(s)?\s+(kommun|stad)$")


def resolve_kommun(value: str, reference_dir: Path = REFERENCE_DIR) -> str | None:
    """The SCB kommunkod for a code or a name, or ``None`` if it names no kommun.

    Accepts ``1481``, ``481`` (a code whose leading zero a spreadsheet dropped is restored only
    for 3-digit codes), ``Mölndal``, ``mölndal``, ``Mölndals stad`` and ``Lerums kommun``.
    """
    text = str(value).strip()
    if text.isdigit():
        code = text.zfill(4) if len(text) == 3 else text
        return code if code in _name_by_code(reference_dir) else None
    by_key = _code_by_key(reference_dir)
    key = _key(text)
    if key in by_key:
        return by_key[key]
    bare = _SUFFIX.sub("", key)
    if bare in by_key:
        return by_key[bare]
    with_s = re.sub(r"\s+(kommun|stad)$", "", key)
    return by_key.get(with_s)


_TRANSLIT = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e", "ü": "u"})


def suggest_kommun(value: str, reference_dir: Path = REFERENCE_DIR) -> str | None:
    """The kommun name closest to a value that names none (``Molndal`` → ``Mölndal``), if any is
    close: same letters without diacritics, or a close spelling."""
    names = sorted(set(_name_by_code(reference_dir).values()))
    plain = {slugify(name): name for name in names}
    wanted = slugify(_SUFFIX.sub("", _key(str(value))))
    if wanted in plain:
        return plain[wanted]
    close = difflib.get_close_matches(wanted, list(plain), n=1, cutoff=0.8)
    return plain[close[0]] if close else None


def slugify(text: str) -> str:
    """Lowercase ASCII slug for paths: ``Härryda kommun`` → ``harryda-kommun``."""
    ascii_text = text.casefold().translate(_TRANSLIT)
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")


def kommun_slug(kommunkod: str, reference_dir: Path = REFERENCE_DIR) -> str:
    """The path segment of a kommun's pages: its name's slug (``molndal``), with its code added
    where two kommuner of the register share that slug (Håbo 0305 and Habo 0643 become
    ``habo-0305`` and ``habo-0643``), so no kommun's page takes the place of another's."""
    slug = slugify(kommun_name(kommunkod, reference_dir))
    return f"{slug}-{kommunkod}" if slug in _shared_slugs(reference_dir) else slug


@cache
def _shared_slugs(reference_dir: Path) -> frozenset[str]:
    slugs = kommuner(reference_dir)["kommun"].map(slugify)
    return frozenset(slugs[slugs.duplicated()])
