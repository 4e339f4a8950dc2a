"""User-facing errors: what went wrong, where, and what was expected. Never a traceback."""

from __future__ import annotations

from dataclasses import dataclass


class FinsamError(Exception):
    """An error the user can act on; the command line prints its message and exits 1."""


@dataclass(frozen=True, order=True)
class Violation:
    """One breach of the data contract.

    ``source`` names the file (and sheet), ``row`` is the row number as a spreadsheet program
    shows it (the header is row 1), ``column`` the column name; ``row``/``column``/``value``
    are ``None`` where the violation concerns a whole file or column.
    """

    source: str
    row: int | None
    column: str | None
    value: str | None
    expected: str

    def __str__(self) -> str:
        where = [self.source]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        value = "" if self.value is None else f": value {self.value!r}"
        return f"{', '.join(where)}{value} — expected {self.expected}"


class InvalidDataset(FinsamError):
    """A dataset failed validation; carries every violation found."""

    def __init__(self, dataset: str, violations: list[Violation]):
        self.dataset = dataset
        self.violations = violations
        super().__init__(f"{dataset}: {len(violations)} violation(s) of the data contract")
