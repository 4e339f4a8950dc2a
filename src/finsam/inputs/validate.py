"""Checking a dataset against the data contract, reporting every violation in one run.

Column rules (presence, required cells, codes, dates, numbers) are pandera schemas built from
:mod:`finsam.inputs.contract`; rules across columns and tables (unique keys, insats known for the
förbund, end after start, conditional columns) are vectorised checks here. The result is a
list of :class:`~finsam.errors.Violation`, sorted by file, row and column.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from finsam.errors import Violation
from finsam.inputs import codes, reference
from finsam.inputs.contract import CONDITIONAL_COLUMNS, TABLES, UNIQUE_KEYS, ColumnSpec
from finsam.inputs.finance_codes import MEMBERS
from finsam.inputs.goal_codes import INDICATOR_UNITS, RATINGS
from finsam.inputs.rawdata import RawTable, read_raw_dataset
from finsam.paths import REFERENCE_DIR

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_WHOLE = re.compile(r"-?\d+")
KOMMUN_COLUMNS = {spec.name for specs in TABLES.values() for spec in specs if spec.kind == "kommun"}


def validate_dataset(path: Path, reference_dir: Path = REFERENCE_DIR) -> list[Violation]:
    """Every violation of the contract in the dataset at ``path`` (empty list: valid)."""
    return check_dataset(path, reference_dir)[0]


def check_dataset(
    path: Path, reference_dir: Path = REFERENCE_DIR
) -> tuple[list[Violation], list[str]]:
    """Every violation of the dataset at ``path`` and the notes on how its files were read
    (encoding, separator, columns left out)."""
    from finsam.inputs.dataset import read_metadata  # its dataset.yml, checked (raises if invalid)

    extracted = read_metadata(Path(path)).get("extracted")
    tables, problems = read_raw_dataset(Path(path))
    notes = [note for table in tables.values() for note in table.notes]
    problems += check_tables(tables, reference_dir, extracted)
    return sorted(problems, key=_order), notes


def _order(v: Violation) -> tuple:
    return (v.source, v.row or 0, v.column or "", v.expected)


def check_tables(
    tables: dict[str, RawTable], reference_dir: Path = REFERENCE_DIR, extracted: str | None = None
) -> list[Violation]:
    """Column rules for each table present, then the rules across columns and tables
    (``extracted``: the extraction date from ``dataset.yml``, ISO; no date may lie after it)."""
    problems: list[Violation] = []
    for table in tables.values():
        problems += _column_rules(table, reference_dir)
    problems += _row_rules(tables, reference_dir)
    if extracted:
        problems += _not_after(tables, dt.date.fromisoformat(extracted))
    return problems


# The dates of events, which cannot lie after the data was taken out.
EVENT_DATES = {"deltaganden": ("startdatum", "slutdatum"), "remisser": ("datum",)}


def _not_after(tables: dict[str, RawTable], extracted: dt.date) -> list[Violation]:
    problems: list[Violation] = []
    for name, columns in EVENT_DATES.items():
        table = tables.get(name)
        for column in columns:
            if table is not None and _has(table, column):
                problems += _rows(
                    table,
                    _dates(table.frame[column]) > pd.Timestamp(extracted),
                    column,
                    f"a date on or before {extracted.isoformat()}, when the data was taken out "
                    "(extracted in dataset.yml)",
                )
    return problems


# --- column rules (pandera) -------------------------------------------------------------------


def _is_iso_date(text: str) -> bool:
    if not _ISO_DATE.match(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _is_year(text: str) -> bool:
    return text.isdigit() and len(text) == 4 and 1900 <= int(text) <= 2100


def _cell_check(spec: ColumnSpec, reference_dir: Path) -> pa.Check | None:
    allowed = frozenset(spec.allowed)
    test = {
        "code": lambda s: s in allowed,
        "codes": lambda s: all(part.strip() in allowed for part in s.split(";")),
        "date": _is_iso_date,
        "year": _is_year,
        "count": str.isdigit,
        "integer": lambda s: bool(_WHOLE.fullmatch(s)),
        "kommun": lambda s: reference.resolve_kommun(s, reference_dir) is not None,
    }.get(spec.kind)
    if test is None:
        return None
    return pa.Check(test, element_wise=True, error=spec.expected())


def schema_for(name: str, reference_dir: Path = REFERENCE_DIR) -> pa.DataFrameSchema:
    """The pandera schema of one contract table (cells as text)."""
    must_exist = set(CONDITIONAL_COLUMNS.get(name, ()))
    columns = {}
    for spec in TABLES[name]:
        check = _cell_check(spec, reference_dir)
        columns[spec.name] = pa.Column(
            object,
            checks=[check] if check else [],
            nullable=not spec.required,
            required=spec.required or spec.name in must_exist,
            coerce=False,
        )
    return pa.DataFrameSchema(columns, strict=False)


def _column_rules(table: RawTable, reference_dir: Path) -> list[Violation]:
    try:
        schema_for(table.name, reference_dir).validate(table.frame, lazy=True)
    except pa.errors.SchemaErrors as errors:
        return [
            _from_failure(table, case, reference_dir) for case in errors.failure_cases.itertuples()
        ]
    return []


def _from_failure(table: RawTable, case, reference_dir: Path) -> Violation:
    if case.check == "column_in_dataframe":
        return Violation(
            table.source,
            1,
            str(case.failure_case),
            None,
            f"a column named {case.failure_case} (required by the data contract)",
        )
    row = None if pd.isna(case.index) else int(case.index)
    value = "" if pd.isna(case.failure_case) else str(case.failure_case)
    expected = (
        "a value (this column is required)" if case.check == "not_nullable" else str(case.check)
    )
    if case.column in KOMMUN_COLUMNS and value:
        suggestion = reference.suggest_kommun(value, reference_dir)
        if suggestion:
            expected += f"; did you mean {suggestion}?"
    return Violation(table.source, row, str(case.column), value, expected)


# --- rules across columns and tables ---------------------------------------------------------


def _rows(table: RawTable, mask: pd.Series, column: str, expected: str) -> list[Violation]:
    hits = table.frame.loc[mask.fillna(False).astype(bool)]
    return [
        Violation(table.source, int(row), column, "" if pd.isna(v) else str(v), expected)
        for row, v in hits[column].items()
    ]


def _has(table: RawTable | None, *columns: str) -> bool:
    return table is not None and all(c in table.frame.columns for c in columns)


def _duplicates(table: RawTable, key: tuple[str, ...]) -> list[Violation]:
    if not _has(table, *key):
        return []
    frame = table.frame.dropna(subset=list(key))
    first_row = frame.reset_index().groupby(list(key), sort=False)["row"].transform("first")
    first_row.index = frame.index
    dup = frame.duplicated(subset=list(key), keep="first")
    label = " + ".join(key)
    return [
        Violation(
            table.source,
            int(row),
            key[-1],
            " / ".join(map(str, frame.loc[row, list(key)])),
            f"a unique {label} (already on row {first_row[row]})",
        )
        for row in frame.index[dup]
    ]


def _known_forbund(table: RawTable, names: frozenset[str]) -> list[Violation]:
    if not _has(table, "forbund"):
        return []
    col = table.frame["forbund"]
    return _rows(
        table,
        col.notna() & ~col.isin(names),
        "forbund",
        "a förbund named as in the förbund register (data/reference/forbund_2021.csv)",
    )


def _insats_known(table: RawTable, insatser: RawTable | None, typ: str | None) -> list[Violation]:
    if not (_has(table, "forbund", "insats") and _has(insatser, "forbund", "insats", "typ")):
        return []
    known = insatser.frame.dropna(subset=["forbund", "insats"])
    if typ:
        known = known[known["typ"] == typ]
    keys = set(zip(known["forbund"], known["insats"], strict=True))
    frame = table.frame
    pairs = pd.Series(list(zip(frame["forbund"], frame["insats"], strict=True)), index=frame.index)
    unknown = frame["insats"].notna() & frame["forbund"].notna() & ~pairs.isin(keys)
    kind = f" with typ {typ}" if typ else ""
    return _rows(
        table, unknown, "insats", f"an insats listed in insatser for the same förbund{kind}"
    )


def _row_rules(tables: dict[str, RawTable], reference_dir: Path) -> list[Violation]:
    problems: list[Violation] = []
    names = reference.forbund_names(reference_dir)
    insatser = tables.get("insatser")
    for name, key in UNIQUE_KEYS.items():
        if name in tables:
            problems += _duplicates(tables[name], key)
            problems += _known_forbund(tables[name], names)

    part = tables.get("deltaganden")
    if part is not None:
        f = part.frame
        problems += _insats_known(part, insatser, "individinriktad")
        if _has(part, "registrering", "person_id"):
            problems += _rows(
                part,
                f["registrering"].eq("personuppgifter") & f["person_id"].isna(),
                "person_id",
                "a person_id when registrering is personuppgifter",
            )
        if _has(part, "registrering", "kommun"):
            problems += _rows(
                part,
                f["registrering"].eq("personuppgifter") & f["kommun"].isna(),
                "kommun",
                "a kommun when registrering is personuppgifter",
            )
        if _has(part, "startdatum", "slutdatum"):
            start, end = _dates(f["startdatum"]), _dates(f["slutdatum"])
            problems += _rows(part, end < start, "slutdatum", "a date on or after startdatum")
            if _has(part, "avslutsorsak"):
                problems += _rows(
                    part,
                    end.notna() & f["avslutsorsak"].isna(),
                    "avslutsorsak",
                    "an avslutsorsak when slutdatum is set",
                )
                problems += _rows(
                    part,
                    f["slutdatum"].isna() & f["avslutsorsak"].notna(),
                    "avslutsorsak",
                    "empty while slutdatum is empty (ongoing)",
                )
            for after in ("sysselsattning_efter", "forsorjning_efter"):
                if _has(part, after):
                    problems += _rows(
                        part,
                        f["slutdatum"].isna() & f[after].notna(),
                        after,
                        "empty while slutdatum is empty (ongoing: nothing is known after it yet)",
                    )
            if _has(part, "fodelsear"):
                born = pd.to_numeric(
                    f["fodelsear"].where(f["fodelsear"].map(_is_year, na_action="ignore").eq(True))
                )
                problems += _rows(
                    part,
                    born > start.dt.year,
                    "fodelsear",
                    "a birth year not after the year of startdatum",
                )

    remisser = tables.get("remisser")
    if remisser is not None:
        problems += _insats_known(remisser, insatser, None)

    if insatser is not None and _has(insatser, "typ", "inriktning"):
        f = insatser.frame
        for typ, allowed in codes.INRIKTNING_BY_TYP.items():
            problems += _rows(
                insatser,
                f["typ"].eq(typ)
                & f["inriktning"].notna()
                & ~f["inriktning"].isin(list(allowed))
                & f["inriktning"].isin(_all_inriktning()),
                "inriktning",
                f"for typ {typ} one of " + ", ".join(allowed),
            )
        if _has(insatser, "startar", "slutar"):
            problems += _rows(
                insatser,
                _years(f["slutar"]) < _years(f["startar"]),
                "slutar",
                "a year not before startar",
            )

    finances = tables.get("ekonomi")
    if finances is not None:
        problems += _finance_rules(finances, names, reference_dir)

    goals = tables.get("mal")
    if goals is not None:
        problems += _goal_rules(goals, insatser)

    struktur = tables.get("strukturdeltagare")
    if struktur is not None:
        problems += _insats_known(struktur, insatser, "strukturovergripande")
        if _has(struktur, "antal", "kvinnor", "man"):
            f = struktur.frame
            split = _years(f["kvinnor"]).fillna(0) + _years(f["man"]).fillna(0)
            problems += _rows(
                struktur, split > _years(f["antal"]), "antal", "at least kvinnor + man"
            )
    return problems


def _finance_rules(table: RawTable, names: frozenset[str], reference_dir: Path) -> list[Violation]:
    """The förbund is in the register; a member contribution names its member; a figure is
    given once per förbund, year, line, part, unit and source."""
    problems = _known_forbund(table, names)
    f = table.frame
    if _has(table, "post", "del"):
        member = f["del"].map(
            lambda v: (
                v in MEMBERS
                or (
                    bool(re.fullmatch(r"\d{4}", v))
                    and reference.resolve_kommun(v, reference_dir) == v
                )
            ),
            na_action="ignore",
        )
        problems += _rows(
            table,
            f["post"].eq("not_driftbidrag") & ~member.eq(True),
            "del",
            "the member: staten, region or a member kommun's 4-digit kommunkod",
        )
    key = [c for c in ("forbund", "ar", "post", "del", "enhet", "kalla") if c in f]
    if len(key) == 6:
        problems += _rows(
            table,
            f[key].fillna("").duplicated(keep="first"),
            "post",
            "one figure per förbund, year, line, part, unit and source",
        )
    return problems


def _goal_rules(table: RawTable, insatser: RawTable | None) -> list[Violation]:
    """The insats is one of the förbund's; a measurable goal has a target in its unit and is
    set for an individual insats (structural participants are not in deltaganden); a percent
    is at most 100; the board rates an insats once a year (the same rating on all its goals)."""
    problems = _insats_known(table, insatser, None)
    f = table.frame
    if not _has(table, "indikator", "malvarde", "enhet", "resultat", "insats", "forbund"):
        return problems
    measurable = f["indikator"].isin(list(INDICATOR_UNITS))
    problems += _rows(
        table,
        measurable & f["malvarde"].isna(),
        "malvarde",
        "a target (a whole number: participants, referrals or a percent) for a measurable goal",
    )
    unit = f["indikator"].map(INDICATOR_UNITS).fillna(f["enhet"])
    problems += _rows(
        table,
        measurable & f["enhet"].notna() & f["enhet"].ne(unit),
        "enhet",
        "empty or the indicator's own unit (antal for counts, procent for shares)",
    )
    problems += _rows(
        table,
        f["indikator"].eq("fritext")
        & f["enhet"].isna()
        & (f["malvarde"].notna() | f["resultat"].notna()),
        "enhet",
        "antal or procent: the unit of a free-text goal's target and result",
    )
    for column in ("malvarde", "resultat"):
        problems += _rows(
            table,
            unit.eq("procent") & (_years(f[column]) > 100),
            column,
            "a percent from 0 to 100",
        )
    if _has(insatser, "forbund", "insats", "typ"):
        structural = insatser.frame[insatser.frame["typ"] == "strukturovergripande"]
        keys = set(zip(structural["forbund"], structural["insats"], strict=True))
        pairs = pd.Series(list(zip(f["forbund"], f["insats"], strict=True)), index=f.index)
        problems += _rows(
            table,
            measurable & pairs.isin(keys),
            "indikator",
            "fritext for a strukturövergripande insats (its participants are not counted "
            "one by one)",
        )
    if _has(table, "ar", "bedomning"):
        rated = f.dropna(subset=["forbund", "ar", "insats", "bedomning"])
        rated = rated[rated["bedomning"].isin(list(RATINGS))]
        first = rated.groupby(["forbund", "ar", "insats"], sort=False)["bedomning"]
        first_value, first_row = first.transform("first"), first.transform(lambda s: s.index[0])
        for row in rated.index[rated["bedomning"] != first_value]:
            problems.append(
                Violation(
                    table.source,
                    int(row),
                    "bedomning",
                    str(rated.loc[row, "bedomning"]),
                    f"{first_value[row]} as on row {first_row[row]}: the board rates an insats "
                    "once a year",
                )
            )
    return problems


def _all_inriktning() -> list[str]:
    return [c for allowed in codes.INRIKTNING_BY_TYP.values() for c in allowed]


def _dates(col: pd.Series) -> pd.Series:
    valid = col.map(_is_iso_date, na_action="ignore").eq(True)
    return pd.to_datetime(col.where(valid), format="%Y-%m-%d")


def _years(col: pd.Series) -> pd.Series:
    valid = col.map(lambda s: s.isdigit(), na_action="ignore").eq(True)
    return pd.to_numeric(col.where(valid))
