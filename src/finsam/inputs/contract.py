"""The input data contract (version 1): tables, columns, types and codes.

A dataset is a folder of UTF-8 CSV files or one XLSX workbook with one sheet per table. This
module only *describes* the contract; :mod:`finsam.inputs.validate` checks a dataset against it and
:mod:`finsam.inputs.dataset` parses a valid one into typed tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from finsam.inputs import codes, finance_codes, goal_codes

CONTRACT_VERSION = 1

Kind = Literal["text", "code", "codes", "date", "year", "count", "integer", "kommun"]


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a contract table.

    ``required`` means the column must exist and every cell must be filled; ``conditional``
    columns must exist only when a rule elsewhere asks for them (checked in validate).
    """

    name: str
    kind: Kind
    required: bool = False
    allowed: tuple[str, ...] = ()
    description: str = ""  # what a cell must hold, where the generic text would be too long

    def expected(self) -> str:
        """Plain-English description of what a cell must hold."""
        if self.description:
            return self.description
        if self.kind in ("code", "codes") and self.allowed:
            one = "one of " + ", ".join(self.allowed)
            return one if self.kind == "code" else f"codes separated by ';', each {one}"
        return {
            "text": "a text",
            "date": "a date YYYY-MM-DD",
            "year": "a year (four digits, 1900-2100)",
            "count": "a whole number ≥ 0",
            "integer": "a whole number, with a minus sign if negative, without spaces",
            "kommun": "a kommun as 4-digit SCB kommunkod or name (e.g. 1481 or Mölndal)",
        }.get(self.kind, self.kind)


def _code(
    name: str, allowed: dict[str, str] | tuple[str, ...], required: bool = False
) -> ColumnSpec:
    return ColumnSpec(name, "code", required, tuple(allowed))


def _codes(name: str, allowed: dict[str, str]) -> ColumnSpec:
    return ColumnSpec(name, "codes", False, tuple(allowed))


ALL_INRIKTNING = tuple(dict.fromkeys([*codes.INRIKTNING_INDIVID, *codes.INRIKTNING_STRUKTUR]))

TABLES: dict[str, tuple[ColumnSpec, ...]] = {
    "deltaganden": (
        ColumnSpec("deltagande_id", "text", required=True),
        ColumnSpec("person_id", "text"),
        ColumnSpec("forbund", "text", required=True),
        ColumnSpec("insats", "text", required=True),
        ColumnSpec("kommun", "kommun"),
        _code("kon", codes.GENDERS, required=True),
        _code("registrering", codes.REGISTRERING, required=True),
        ColumnSpec("fodelsear", "year"),
        ColumnSpec("startdatum", "date", required=True),
        ColumnSpec("slutdatum", "date"),
        _code("utbildning", codes.UTBILDNING),
        _code("tid_offentlig_forsorjning", codes.TID_OFFENTLIG_FORSORJNING),
        _codes("forsorjning_fore", codes.FORSORJNING),
        _codes("forsorjning_efter", codes.FORSORJNING),
        _codes("sysselsattning_fore", codes.SYSSELSATTNING),
        _codes("sysselsattning_efter", codes.SYSSELSATTNING),
        _code("avslutsorsak", codes.AVSLUTSORSAK),
    ),
    "remisser": (
        ColumnSpec("remiss_id", "text", required=True),
        ColumnSpec("forbund", "text", required=True),
        ColumnSpec("datum", "date", required=True),
        ColumnSpec("kommun", "kommun", required=True),
        _code("kon", codes.GENDERS, required=True),
        _code("remittent", codes.REMITTENT, required=True),
        ColumnSpec("insats", "text"),
        _code("startad", codes.JA_NEJ),
    ),
    "insatser": (
        ColumnSpec("forbund", "text", required=True),
        ColumnSpec("insats", "text", required=True),
        _code("typ", codes.INSATSTYP, required=True),
        _code("inriktning", ALL_INRIKTNING, required=True),
        ColumnSpec("startar", "year"),
        ColumnSpec("slutar", "year"),
    ),
    "strukturdeltagare": (
        ColumnSpec("forbund", "text", required=True),
        ColumnSpec("insats", "text", required=True),
        ColumnSpec("ar", "year", required=True),
        ColumnSpec("antal", "count", required=True),
        ColumnSpec("kvinnor", "count"),
        ColumnSpec("man", "count"),
    ),
    # A förbund's published financial figures (optional; see finsam.inputs.finance_codes).
    "ekonomi": (
        ColumnSpec("forbund", "text", required=True),
        ColumnSpec("ar", "year", required=True),
        ColumnSpec(
            "post",
            "code",
            required=True,
            allowed=tuple(finance_codes.POSTS),
            description="a line code of the finance contract (src/finsam/inputs/finance_codes.py), "
            "e.g. rr_arets_resultat",
        ),
        ColumnSpec("del", "text"),
        ColumnSpec("belopp", "integer", required=True),
        _code("enhet", finance_codes.UNITS, required=True),
        ColumnSpec("kalla", "text"),
    ),
    # A förbund's goals per insats and year (optional; see finsam.inputs.goal_codes).
    "mal": (
        ColumnSpec("forbund", "text", required=True),
        ColumnSpec("ar", "year", required=True),
        ColumnSpec("insats", "text", required=True),
        ColumnSpec("mal", "text", required=True),
        _code("indikator", goal_codes.INDICATORS, required=True),
        ColumnSpec("malvarde", "count"),
        _code("enhet", goal_codes.GOAL_UNITS),
        ColumnSpec("resultat", "count"),
        _code("bedomning", goal_codes.RATINGS),
        ColumnSpec("kalla", "text"),
    ),
}

OPTIONAL_TABLES = frozenset({"ekonomi", "mal"})
"""Tables a dataset may leave out (a missing one is read as empty)."""

# Columns that must be present in the file even though cells may be empty: the contract says
# "yes for personuppgifter" (kommun) and "if registrering=personuppgifter" (person_id).
CONDITIONAL_COLUMNS: dict[str, tuple[str, ...]] = {"deltaganden": ("person_id", "kommun")}

UNIQUE_KEYS: dict[str, tuple[str, ...]] = {
    "deltaganden": ("deltagande_id",),
    "remisser": ("remiss_id",),
    "insatser": ("forbund", "insats"),
    "strukturdeltagare": ("forbund", "insats", "ar"),
    "mal": ("forbund", "ar", "insats", "mal"),
}
