"""Downloads of the tables a page shows: CSV and XLSX per table, one XLSX per report.

The downloads are made from the tables as shown (the HTML of the page's outputs, after
protection), so that they hold exactly the numbers on the page:

- a count or amount shown as ``1 234`` is the number 1234, ``−12,5`` is -12.5;
- a share shown as ``67 %`` is the number 67 in a column whose header ends in ``(%)``;
- a suppressed count ``..`` stays ``..``; an empty cell stays empty; words stay words.

CSV files are UTF-8 with a byte-order mark (so that Excel reads å, ä, ö), comma-separated, with
``.`` as the decimal mark. Workbooks hold numbers as numbers, a frozen header row and, in the
report's workbook, an ``om`` sheet first with the page, period, source, protection rule and
provenance.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from html.parser import HTMLParser

TABLE_START = '<table class="finsam-table'
NUMBER = re.compile(r"^[−-]?\d+(,\d+)?$")
SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
SUPPRESSED = ".."
SHEET_NAME_MAX = 31


@dataclass
class ShownTable:
    """A table as a reader sees it: its id, caption, header and rows of cell texts."""

    id: str
    caption: str
    header: list[str]
    rows: list[list[str]]

    @cached_property
    def values(self) -> tuple[list[str], list[list]]:
        """Header and rows as the downloads hold them (:func:`table_values`), parsed once for
        the table's CSV, its workbook and the report's workbook."""
        return table_values(self)


class _TableParser(HTMLParser):
    """The ``finsam-table`` tables of an HTML fragment (our own, well-formed markup)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[ShownTable] = []
        self._cell: list[str] | None = None
        self._caption: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "table" and "finsam-table" in (attributes.get("class") or ""):
            self.tables.append(ShownTable(attributes.get("id") or "", "", [], []))
        elif not self.tables:
            return
        elif tag == "caption":
            self._caption = []
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if not self.tables:
            return
        table = self.tables[-1]
        if tag == "caption" and self._caption is not None:
            table.caption = _clean("".join(self._caption))
            self._caption = None
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(_clean("".join(self._cell)))
            self._cell = None
        elif tag == "tr" and self._row is not None:
            if self._in_head:
                table.header = self._row
            else:
                table.rows.append(self._row)
            self._row = None
        elif tag == "thead":
            self._in_head = False

    def handle_data(self, data: str) -> None:
        for part in (self._cell, self._caption):
            if part is not None:
                part.append(data)


def _clean(text: str) -> str:
    return SPACES.sub(" ", text).strip()


def shown_tables(fragment: str) -> list[ShownTable]:
    """The tables of an HTML fragment, as shown."""
    parser = _TableParser()
    parser.feed(fragment)
    parser.close()
    return parser.tables


def shown_value(text: str) -> tuple[str | int | float | None, bool]:
    """A cell's value and whether it is a share (shown with ``%``): ``"1 234"`` → 1234,
    ``"−12,5"`` → -12.5, ``"67 %"`` → (67, True), ``".."`` and words as they are, ``""`` →
    ``None``."""
    text = _clean(text)
    if not text:
        return None, False
    share = text.endswith("%")
    digits = text.removesuffix("%").replace(" ", "") if share else text.replace(" ", "")
    if not NUMBER.match(digits):
        return text, False
    number = digits.replace("−", "-").replace(",", ".")
    return (float(number) if "." in number else int(number)), share


def table_values(table: ShownTable) -> tuple[list[str], list[list]]:
    """The header (a share column's header ends in ``(%)``) and the rows as values; the first
    column (row headers) stays text."""
    rows = [
        [cell if i == 0 else shown_value(cell)[0] for i, cell in enumerate(row)]
        for row in table.rows
    ]
    header = list(table.header)
    for i in range(1, len(header)):
        if any(len(row) > i and shown_value(row[i])[1] for row in table.rows):
            header[i] = f"{header[i]} (%)"
    return header, rows


def table_csv(table: ShownTable) -> bytes:
    """The table as CSV (UTF-8 with byte-order mark, ``.`` as decimal mark)."""
    header, rows = table.values
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if v is None else v for v in row] for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _add_table_sheet(workbook, name: str, table: ShownTable) -> None:
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    sheet = workbook.create_sheet(name)
    sheet.freeze_panes = "A3"
    header, rows = table.values
    sheet.append([table.caption])
    bold = []
    for text in header:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = Font(bold=True)
        bold.append(cell)
    sheet.append(bold)
    for row in rows:
        sheet.append(row)


def _workbook_bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_xlsx(table: ShownTable) -> bytes:
    """The table as a workbook of one sheet: the caption, the header, the rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    _add_table_sheet(workbook, sheet_name(table.id, set()), table)
    return _workbook_bytes(workbook)


def sheet_name(table_id: str, taken: set[str]) -> str:
    """A sheet name from a table id: at most 31 characters, unique in ``taken`` (added)."""
    name = table_id[:SHEET_NAME_MAX] or "tabell"
    n = 1
    while name in taken:
        n += 1
        suffix = f"_{n}"
        name = table_id[: SHEET_NAME_MAX - len(suffix)] + suffix
    taken.add(name)
    return name


def report_xlsx(tables: Sequence[ShownTable], about: Sequence[tuple[str, str]]) -> bytes:
    """One workbook for a report: the sheet ``om`` (``about``: label, value) and a sheet per
    table, in the page's order."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    readme = workbook.create_sheet("om")
    for row in about:
        readme.append(list(row))
    taken = {"om"}
    for table in tables:
        _add_table_sheet(workbook, sheet_name(table.id, taken), table)
    return _workbook_bytes(workbook)


def table_links(
    fragment: str, page_name: str, tables: list[ShownTable]
) -> tuple[str, dict[str, bytes]]:
    """The download links of the tables in an HTML fragment of page ``page_name``, as raw HTML
    (shown on the web page, not in its PDF), and the files they point to (path beside the
    page → content). The tables are appended to ``tables`` (for the report's workbook); a table
    id met before on the page gets a number, so that no download replaces another."""
    links: list[str] = []
    files: dict[str, bytes] = {}
    taken = {table.id for table in tables}
    for table in shown_tables(fragment):
        name = table.id if table.id not in taken else sheet_name(table.id, taken)
        taken.add(name)
        tables.append(table)
        base = html.escape(f"{page_name}-tabeller/{name}")
        files[f"{page_name}-tabeller/{name}.csv"] = table_csv(table)
        files[f"{page_name}-tabeller/{name}.xlsx"] = table_xlsx(table)
        label = html.escape(table.caption or table.id)
        links.append(
            f'<p class="finsam-downloads">Ladda ned tabellen: '
            f'<a href="{base}.csv" type="text/csv" aria-label="{label} som CSV">CSV</a> · '
            f'<a href="{base}.xlsx" aria-label="{label} som Excel-fil">Excel</a></p>'
        )
    return "".join(links), files
