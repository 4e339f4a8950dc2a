"""Reading a dataset's tables exactly as written: every cell as text, nothing converted.

A dataset is a folder of CSV files (``deltaganden.csv`` …) or one XLSX workbook with one sheet
per table; an optional table (``ekonomi``, ``mal``) may be missing. Each table comes back as a
DataFrame of strings (missing cells as ``NA``) whose index is the row number a spreadsheet
program shows (header = row 1), so that every later message can name the row. Input files are
opened read-only and never modified.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from finsam.errors import FinsamError, Violation
from finsam.inputs.contract import OPTIONAL_TABLES, TABLES


@dataclass(frozen=True)
class RawTable:
    """One table of a dataset as text; ``source`` names the file (and sheet) for messages."""

    name: str
    source: str
    frame: pd.DataFrame
    notes: tuple[str, ...] = ()  # how the file was read, where that differs from the contract


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


def _column_key(name: str) -> str:
    return "".join(name.split()).casefold()


def match_header(
    table: str, source: str, header: list[str]
) -> tuple[list[str], list[Violation], list[str]]:
    """The header with contract columns matched case- and space-insensitively (``Kon`` and
    ``Fodelsear`` are ``kon`` and ``fodelsear``), a violation for every other column that is a
    near miss of a contract column the file lacks (``slut_datum`` for ``slutdatum``: reading on
    would silently count wrong), and a note for each column left out."""
    contract = [spec.name for spec in TABLES[table]]
    by_key = {_column_key(c): c for c in contract}
    names = [by_key.get(_column_key(name), name) for name in header]
    missing = [c for c in contract if c not in names]
    problems, notes = [], []
    for original, name in zip(header, names, strict=True):
        if name in contract or not name:
            continue
        near = _near_miss(name, missing)
        if near:
            problems.append(
                Violation(
                    source,
                    1,
                    original,
                    original,
                    f"the contract column {near} (rename the column: as it is, {near} would be "
                    "read as empty)",
                )
            )
        else:
            notes.append(f"{source}: column {original!r} is not in the data contract; left out")
    return names, problems, notes


def _near_miss(name: str, candidates: list[str]) -> str | None:
    key = _column_key(name).replace("_", "").replace("-", "")
    plain = {c.replace("_", ""): c for c in candidates}
    if key in plain:
        return plain[key]
    close = difflib.get_close_matches(key, list(plain), n=1, cutoff=0.8)
    return plain[close[0]] if close else None


_SEPARATORS = {",": "comma", ";": "semicolon", "\t": "tab"}


def _decode(data: bytes) -> tuple[str | None, str | None]:
    """The text of a CSV file and how it was read: UTF-8 (with or without BOM) or, failing that,
    Windows-1252 (what Excel writes for "CSV" on Swedish Windows). ``(None, reason)`` if
    neither."""
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return (
            None,
            f"line {line} holds byte 0x{data[error.start]:02X}, neither UTF-8 nor Windows-1252",
        )


def _separator(first_line: str) -> str:
    """The separator the header row uses (the one giving it the most columns; comma on ties)."""
    counts = {sep: len(next(csv.reader([first_line], delimiter=sep))) for sep in _SEPARATORS}
    return max(_SEPARATORS, key=lambda sep: (counts[sep], sep == ","))


def _read_csv_folder(folder: Path) -> tuple[dict[str, RawTable], list[Violation]]:
    tables: dict[str, RawTable] = {}
    problems: list[Violation] = []
    for name in TABLES:
        file = folder / f"{name}.csv"
        source = file.name
        if not file.is_file():
            if name not in OPTIONAL_TABLES:
                problems.append(Violation(source, None, None, None, _missing_file(folder, name)))
            continue
        text, encoding = _decode(file.read_bytes())
        if text is None:
            problems.append(
                Violation(
                    source, None, None, None, f"UTF-8 text (save it as 'CSV UTF-8'): {encoding}"
                )
            )
            continue
        notes = [f"{source}: read as Windows-1252, not UTF-8"] if encoding else []
        lines = text.splitlines()
        if not lines or not lines[0].strip():
            problems.append(Violation(source, 1, None, None, "a header row naming the columns"))
            continue
        separator = _separator(lines[0])
        if separator != ",":
            notes.append(f"{source}: columns separated by {_SEPARATORS[separator]}s, not commas")
        records = list(csv.reader(lines, delimiter=separator))
        header, header_problems, header_notes = match_header(
            name, source, [cell.strip() for cell in records[0]]
        )
        problems += _header_violations(source, header) + header_problems
        notes += header_notes
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
                        f"{len(header)} {_SEPARATORS[separator]}-separated fields as in the header",
                    )
                )
                continue
            rows.append((number, cells))
        tables[name] = RawTable(name, source, _frame(header, rows), tuple(notes))
    return tables, problems


def _missing_file(folder: Path, name: str) -> str:
    """What a missing table file should be, naming a file that looks like it (``insatser
    (1).csv``, ``Insatser.CSV``)."""
    expected = f"a file {name}.csv in {folder}"
    others = [p.name for p in folder.iterdir() if p.is_file()] if folder.is_dir() else []
    keys = {re.sub(r"[^a-z]", "", Path(other).stem.casefold()): other for other in others}
    near = keys.get(name) or next(
        (keys[k] for k in difflib.get_close_matches(name, list(keys), n=1, cutoff=0.85)), None
    )
    return f"{expected} (found {near!r}: rename it to {name}.csv)" if near else expected


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
                if name not in OPTIONAL_TABLES:
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
            header, header_problems, notes = match_header(name, source, header)
            problems += _header_violations(source, header) + header_problems
            rows = []
            for number, values in enumerate(records, start=2):
                cells = [_cell_text(v) for v in values[: len(header)]]
                cells += [""] * (len(header) - len(cells))
                if any(c.strip() for c in cells):
                    rows.append((number, cells))
            tables[name] = RawTable(name, source, _frame(header, rows), tuple(notes))
    finally:
        workbook.close()
    return tables, problems
