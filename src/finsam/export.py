"""Writing protected tables as tidy files for evaluators: one CSV or XLSX file per table.

Columns: ``kategori`` (code)[, second dimension], ``kon``, ``antal`` (integer, empty when
suppressed), ``andel`` (percent, unrounded, empty when suppressed or without a base) and
``undertryckt`` (``true``/``false``). Each file is written to a temporary name and moved into
place, so a reader never sees half a file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

FORMATS = ("csv", "xlsx")


def _tidy_for_file(table: pd.DataFrame) -> pd.DataFrame:
    out = table.copy()
    out["antal"] = out["antal"].astype("Int64")
    out["undertryckt"] = out["undertryckt"].map({True: "true", False: "false"})
    return out


def write_table(table: pd.DataFrame, target: Path) -> Path:
    """Write one table to ``target`` (``.csv`` or ``.xlsx``) atomically."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    try:
        tidy = _tidy_for_file(table)
        if target.suffix == ".csv":
            tidy.to_csv(tmp, index=False, encoding="utf-8", lineterminator="\n")
        else:
            tidy.to_excel(tmp, index=False, sheet_name=target.stem[:31], engine="openpyxl")
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return target


def export_tables(tables: dict[str, pd.DataFrame], out: Path, fmt: str = "csv") -> list[Path]:
    """Write every table as ``<out>/<id>.<fmt>``; returns the files written."""
    if fmt not in FORMATS:
        raise ValueError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    return [
        write_table(table, Path(out) / f"{table_id}.{fmt}") for table_id, table in tables.items()
    ]
