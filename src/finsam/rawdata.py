"""Reading a dataset's tables exactly as written: every cell as text, nothing converted.

A dataset is a folder of CSV files (``deltaganden.csv`` …) or one XLSX workbook with one sheet
per table. Each table comes back as a DataFrame of strings (missing cells as ``NA``) whose index
is the row number a spreadsheet program shows (header = row 1), so that every later message can
name the row. Input files are opened read-only and never modified.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finsam.contract import TABLES
from finsam.errors import FinsamError, Violation


@dataclass(frozen=True)
class RawTable:
    """One table of a dataset as text; ``source`` names the file (and sheet) for messages."""

    name: str
    source: str
    frame: pd.DataFrame


def read_raw_dataset(path: Path) -> tuple[dict[str, RawTable], list[Violation]]:
    """Read every contract table of the dataset at ``path``; problems come back as violations."""
    path = Path(path)
    if path.is_dir():
        return _read_csv_folder(path)
    if path.is_file() and path.suffix.lower() == ".xlsx":
        return _read_workbook(path)
    if not path.exists():
        raise FinsamError(
            f"{path}: no such dataset (expected a folder of CSV files or an .xlsx file)"
        )
    raise FinsamError(f"{path}: not a dataset (expected a folder of CSV files or an .xlsx file)")


def dataset_fingerprint(path: Path) -> str:
    """SHA-256 over the dataset's table files (names and bytes): identifies the input of a build."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(p for p in path.iterdir() if p.is_file())
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _frame(header: list[str], rows: list[tuple[int, list[str]]]) -> pd.DataFrame:
    frame = pd.DataFrame(
        [cells for _, cells in rows],
        columns=header,
        index=pd.Index([number for number, _ in rows], name="row"),
        dtype=object,
    )
    frame = frame.apply(lambda col: col.str.strip()) if len(frame) else frame
    return frame.mask(frame.eq("")).astype(object)


def _header_violations(source: str, header: list[str]) -> list[Violation]:
    seen: set[str] = set()
    problems = []
    for name in header:
        if name in seen:
            problems.append(Violation(source, 1, name, name, "each column name only once"))
        seen.add(name)
    if any(not name for name in header):
        problems.append(Violation(source, 1, None, "", "a name for every column in the header row"))
    return problems


def _read_csv_folder(folder: Path) -> tuple[dict[str, RawTable], list[Violation]]:
    tables: dict[str, RawTable] = {}
    problems: list[Violation] = []
    for name in TABLES:
        file = folder / f"{name}.csv"
        source = file.name
        if not file.is_file():
            problems.append(Violation(source, None, None, None, f"a file {name}.csv in {folder}"))
            continue
        try:
            text = file.read_bytes().decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = file.read_bytes()[: error.start].count(b"\n") + 1
            problems.append(
                Violation(
                    source, line, None, repr(error.object[error.start : error.end]), "UTF-8 text"
                )
            )
            continue
        records = list(csv.reader(text.splitlines()))
        if not records:
            problems.append(Violation(source, 1, None, None, "a header row naming the columns"))
            continue
        header = [cell.strip() for cell in records[0]]
        problems += _header_violations(source, header)
        rows: list[tuple[int, list[str]]] = []
        for number, cells in enumerate(records[1:], start=2):
            if not cells or all(not c.strip() for c in cells):
                continue
            if len(cells) != len(header):
                problems.append(
                    Violation(
                        source,
                        number,
                        None,
                        f"{len(cells)} fields",
                        f"{len(header)} comma-separated fields as in the header",
                    )
                )
                continue
            rows.append((number, cells))
        tables[name] = RawTable(name, source, _frame(header, rows))
    return tables, problems


def _cell_text(value: object) -> str:
    """A workbook cell as the text a CSV would hold (dates ISO, whole numbers without .0)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_workbook(file: Path) -> tuple[dict[str, RawTable], list[Violation]]:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(file, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many types for a damaged file
        raise FinsamError(f"{file}: cannot be read as an XLSX workbook ({error})") from None
    tables: dict[str, RawTable] = {}
    problems: list[Violation] = []
    try:
        for name in TABLES:
            source = f"{file.name}, sheet {name}"
            if name not in workbook.sheetnames:
                problems.append(Violation(file.name, None, None, None, f"a sheet named {name}"))
                continue
            records = workbook[name].iter_rows(values_only=True)
            first = next(records, None)
            if first is None:
                problems.append(Violation(source, 1, None, None, "a header row naming the columns"))
                continue
            header = [_cell_text(c).strip() for c in first]
            while header and not header[-1]:
                header.pop()
            problems += _header_violations(source, header)
            rows = []
            for number, values in enumerate(records, start=2):
                cells = [_cell_text(v) for v in values[: len(header)]]
                cells += [""] * (len(header) - len(cells))
                if any(c.strip() for c in cells):
                    rows.append((number, cells))
            tables[name] = RawTable(name, source, _frame(header, rows))
    finally:
        workbook.close()
    return tables, problems
