"""Writing the protected tables of one page as tidy files for evaluators.

Every call writes one folder named by the page, ``<level>[-<name>]-<year>[-<period end>]``
(``-ej-skyddad`` added when small counts are not protected), so exports of different pages never
mix; a second export of the same page replaces its folder as a whole (built beside it, then
swapped in), so a reader never sees half an export or files left from an earlier one.

* **CSV:** one file per table, ``<table id>.csv`` (``<table id>-ej-skyddad.csv`` unprotected),
  and ``om.csv`` (what the files hold: page, year, period end, protection, dataset).
* **XLSX:** one workbook ``<folder>.xlsx`` with the sheet ``om`` and a sheet per table; counts
  and shares are numbers, a suppressed count is an empty cell, ``undertryckt`` a boolean; the
  header row is bold, shaded and frozen.

Columns of a statistics table: ``kategori`` (code)[, second dimension], ``kon``, ``antal``
(integer, empty when suppressed), ``andel`` (percent, unrounded, empty when suppressed or without
a base), ``undertryckt`` (``true``/``false``) and ``skydd`` (the protection, the same on every
row, so a table copied out of its file still says whether it may be published). A financial
report (level ``ekonomi``) exports its statements as ``post``, ``ar``, ``belopp``, ``enhet``; a
goal follow-up (``mal``) its goals with their results, the ratings, the protected participant
tables per insats and the budget per insats.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

FORMATS = ("csv", "xlsx")
UNPROTECTED_MARK = "ej-skyddad"
ABOUT = "om"


@dataclass(frozen=True)
class ExportedPage:
    """What an export holds: the page and how it was protected (``threshold`` 0: unprotected)."""

    level: str
    name: str | None
    year: int
    period_end: dt.date
    threshold: int
    dataset: str  # the dataset's fingerprint

    @property
    def protected(self) -> bool:
        return self.threshold > 0

    @property
    def protection(self) -> str:
        """The protection in Swedish, as the files state it."""
        if self.level == "ekonomi":
            return "Ekonomiska uppgifter: inga antal personer, inget att skydda."
        if not self.protected:
            return "EJ SKYDDAD: små antal visas. Endast för internt bruk, får inte publiceras."
        return f"Skyddad: antal 1–{self.threshold} och det som avslöjar dem är undertryckta."

    @property
    def folder(self) -> str:
        """``forbund-samordningsförbundet-insjöriket-2022`` and the like."""
        parts = [self.level, *([_slug(self.name)] if self.name else []), str(self.year)]
        if self.period_end != dt.date(self.year, 12, 31):
            parts.append(self.period_end.isoformat())
        if not self.protected:
            parts.append(UNPROTECTED_MARK)
        return "-".join(parts)

    def about(self) -> pd.DataFrame:
        """The ``om`` table: one row per fact (``uppgift``, ``varde``)."""
        facts = {
            "nivå": self.level,
            "namn": self.name or "Riket",
            "år": str(self.year),
            "periodens slut": self.period_end.isoformat(),
            "skydd": self.protection,
            "dataset (fingeravtryck)": self.dataset,
        }
        return pd.DataFrame({"uppgift": list(facts), "varde": list(facts.values())})


def _slug(name: str) -> str:
    """A folder-safe form of a name: lower case, letters (å, ä, ö kept) and digits, dashes."""
    return re.sub(r"[^\w]+", "-", name.lower()).strip("-_")


def export_page(
    tables: dict[str, pd.DataFrame], page: ExportedPage, out: Path, fmt: str = "csv"
) -> Path:
    """Write the tables of ``page`` into ``out/<page.folder>`` (replacing an earlier export of
    the same page as a whole); returns the folder."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    target = out / page.folder
    building = Path(tempfile.mkdtemp(prefix=f".{page.folder}-", dir=out))
    try:
        frames = {table_id: _tidy(table, page) for table_id, table in tables.items()}
        if fmt == "csv":
            _write_csv(frames, page, building)
        else:
            _write_workbook(frames, page, building / f"{page.folder}.xlsx")
        _swap_in(building, target)
    finally:
        shutil.rmtree(building, ignore_errors=True)
    return target


def _tidy(table: pd.DataFrame, page: ExportedPage) -> pd.DataFrame:
    out = table.copy()
    if "antal" in out:
        out["antal"] = out["antal"].astype("Int64")
    for flag in ("undertryckt", "avviker"):
        if flag in out:
            out[flag] = out[flag].astype(bool)
    out["skydd"] = page.protection
    return out


def _write_csv(frames: dict[str, pd.DataFrame], page: ExportedPage, folder: Path) -> None:
    suffix = "" if page.protected else f"-{UNPROTECTED_MARK}"
    page.about().to_csv(folder / f"{ABOUT}.csv", index=False, lineterminator="\n")
    for table_id, frame in frames.items():
        flags = [c for c in ("undertryckt", "avviker") if c in frame]
        text = frame.assign(**{c: frame[c].map({True: "true", False: "false"}) for c in flags})
        text.to_csv(folder / f"{table_id}{suffix}.csv", index=False, lineterminator="\n")


def _write_workbook(frames: dict[str, pd.DataFrame], page: ExportedPage, path: Path) -> None:
    from openpyxl.styles import Font, PatternFill

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", start_color="DDE4EE")
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        sheets = {ABOUT: page.about(), **frames}
        for sheet, frame in sheets.items():
            frame.to_excel(writer, sheet_name=sheet[:31], index=False)
            worksheet = writer.sheets[sheet[:31]]
            worksheet.freeze_panes = "A2"
            for cell in worksheet[1]:
                cell.font, cell.fill = header_font, header_fill
            for column, name in zip(worksheet.columns, frame.columns, strict=True):
                longest = max([len(str(name)), *(len(str(v)) for v in frame[name].head(200))])
                worksheet.column_dimensions[column[0].column_letter].width = min(60, longest + 2)


def _swap_in(building: Path, target: Path) -> None:
    """Move the finished folder ``building`` to ``target``; an existing ``target`` is moved
    aside first and removed after, so ``target`` is at every moment the old or the new export
    (between the two renames briefly absent, never mixed)."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        os.replace(target, old)
    os.replace(building, target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
