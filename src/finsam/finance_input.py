"""Reading and validating a förbund's finance file (``ekonomi.csv`` in a dataset folder, or the
sheet ``ekonomi`` of a dataset workbook): every violation named by file, row, column, value and
what was expected, like the rest of the contract; nothing is returned from a file with any.

The file is optional: a dataset without finances gives an empty table.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from finsam import reference
from finsam.errors import InvalidDataset, Violation
from finsam.finance_codes import MEMBERS, POSTS, UNITS
from finsam.paths import REFERENCE_DIR

FINANCE_TABLE = "ekonomi"
COLUMNS = ("forbund", "ar", "post", "del", "belopp", "enhet", "kalla")
_WHOLE = re.compile(r"^-?\d+$")


def finance_source(path: Path) -> Path | None:
    """The finance file of the dataset at ``path`` (folder or workbook), or ``None``."""
    path = Path(path)
    if path.is_dir():
        file = path / f"{FINANCE_TABLE}.csv"
        return file if file.is_file() else None
    return path if path.suffix == ".xlsx" else None


def read_finances(path: Path, reference_dir: Path = REFERENCE_DIR) -> pd.DataFrame:
    """The finance table of the dataset at ``path``: ``ar`` and ``belopp`` as integers, ``del``
    as text (empty when none). Raises :class:`InvalidDataset` listing every violation."""
    source = finance_source(path)
    if source is None:
        return empty_finances()
    if source.suffix == ".xlsx":
        try:
            raw = pd.read_excel(source, sheet_name=FINANCE_TABLE, dtype=str)
        except ValueError:  # no such sheet: the workbook has no finances
            return empty_finances()
        name = f"{source.name}, sheet {FINANCE_TABLE}"
    else:
        raw = pd.read_csv(source, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        name = source.name
    raw = raw.rename(columns=lambda c: str(c).strip().lower())
    raw = raw.map(lambda v: v.strip() if isinstance(v, str) else v).replace("", None)
    raw.index = raw.index + 2  # spreadsheet row numbers: the header is row 1
    problems = check_finances(raw, name, reference_dir)
    if problems:
        raise InvalidDataset(str(source), problems)
    out = raw.reindex(columns=list(COLUMNS)).reset_index(drop=True)
    out["ar"] = out["ar"].astype(int)
    out["belopp"] = out["belopp"].astype("int64")
    out["del"] = out["del"].fillna("")
    return out


def empty_finances() -> pd.DataFrame:
    return pd.DataFrame(
        {c: pd.Series(dtype="int64" if c in ("ar", "belopp") else object) for c in COLUMNS}
    )


def finance_schema(reference_dir: Path = REFERENCE_DIR) -> pa.DataFrameSchema:
    """The pandera schema of the finance table (cells as text)."""
    forbund = frozenset(reference.forbund_names(reference_dir))

    def column(check, error: str, required: bool = True) -> pa.Column:
        return pa.Column(
            None,  # cells are text; pandas may type them object or str
            checks=[pa.Check(check, element_wise=True, error=error)] if check else [],
            nullable=not required,
            required=required,
        )

    return pa.DataFrameSchema(
        {
            "forbund": column(forbund.__contains__, "a förbund named as in the förbund register"),
            "ar": column(lambda s: bool(re.fullmatch(r"(19|20)\d\d", s)), "a year (four digits)"),
            "post": column(
                POSTS.__contains__,
                "a line code of the finance contract "
                "(docs/data-contract.md, e.g. rr_arets_resultat)",
            ),
            "del": column(None, "", required=False),
            "belopp": column(
                lambda s: bool(_WHOLE.match(s)), "a whole number, minus sign for costs, no spaces"
            ),
            "enhet": column(frozenset(UNITS).__contains__, "one of " + ", ".join(UNITS)),
            "kalla": column(None, "", required=False),
        },
        strict=False,
    )


def check_finances(
    raw: pd.DataFrame, source: str, reference_dir: Path = REFERENCE_DIR
) -> list[Violation]:
    """Every violation of the finance table ``raw`` (indexed by spreadsheet row)."""
    problems: list[Violation] = []
    try:
        finance_schema(reference_dir).validate(raw, lazy=True)
    except pa.errors.SchemaErrors as errors:
        for case in errors.failure_cases.itertuples():
            if case.check == "column_in_dataframe":
                problems.append(
                    Violation(
                        source,
                        1,
                        str(case.failure_case),
                        None,
                        f"a column named {case.failure_case}",
                    )
                )
                continue
            value = "" if pd.isna(case.failure_case) else str(case.failure_case)
            expected = "a value" if case.check == "not_nullable" else str(case.check)
            row = None if pd.isna(case.index) else int(case.index)
            problems.append(Violation(source, row, str(case.column), value, expected))
    if {"post", "del"} <= set(raw.columns):
        for row, post, part in zip(raw.index, raw["post"], raw["del"], strict=True):
            if post == "not_driftbidrag" and not _is_member(part, reference_dir):
                problems.append(
                    Violation(
                        source,
                        int(row),
                        "del",
                        "" if part is None else str(part),
                        "the member: staten, region or a member kommun's 4-digit kommunkod",
                    )
                )
    keys = [c for c in ("forbund", "ar", "post", "del", "enhet", "kalla") if c in raw.columns]
    if len(keys) == 6:
        repeated = raw.fillna("").duplicated(subset=keys, keep="first")
        for row in raw.index[repeated]:
            problems.append(
                Violation(
                    source,
                    int(row),
                    "post",
                    str(raw.at[row, "post"]),
                    "one figure per förbund, year, line, part, unit and source",
                )
            )
    return sorted(problems, key=lambda v: (v.row or 0, v.column or ""))


def _is_member(part: object, reference_dir: Path) -> bool:
    if not isinstance(part, str):
        return False
    if part in MEMBERS:
        return True
    return bool(re.fullmatch(r"\d{4}", part)) and (
        reference.resolve_kommun(part, reference_dir) == part
    )
