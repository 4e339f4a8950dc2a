"""Small-count protection (statistical disclosure control) for published tables.

A published table must not reveal small groups of people. The rule:

1. **Primary suppression.** Every count from 1 up to and including ``threshold`` (default 4,
   i.e. "fewer than 5") is suppressed and shown as :data:`SUPPRESSED` (``..``) with
   :func:`legend` under the table. Totals are cells like any other: a small total is
   suppressed too. Zeros are shown.
2. **Complementary suppression.** More cells are suppressed so that no suppressed value can be
   worked out from the row and column totals that are shown (see :func:`suppress` for the exact
   rules and what they guarantee).
3. Shares (``andel``) of suppressed cells are suppressed too, and so are shares whose
   denominator is suppressed (an unrounded share and its numerator give the denominator away).

The core, :func:`suppress`, works on a 2-D integer array and a list of :class:`Line` objects,
each an additive identity ``total = sum(parts)`` among cells. :func:`grid_lines` builds the
lines of the usual layout (row totals in the last column, column totals in the last row);
:func:`suppress_tidy` and :func:`with_total_row` apply the rule to the package's tidy tables
(``kategori`` × ``kon`` → ``antal``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
import pandas as pd

SUPPRESSED = ".."
"""What a suppressed cell shows in a published table."""

Cell = tuple[int, int]


class Reason(IntEnum):
    """Why a cell is (not) suppressed; the values of :func:`suppression_reasons`."""

    SHOWN = 0
    PRIMARY = 1  # 1 <= value <= threshold
    COMPLEMENT = 2  # suppressed so that another suppressed cell cannot be worked out


@dataclass(frozen=True)
class Line:
    """An additive identity among cells of a table: ``counts[total] == sum(counts[parts])``.

    Cells are ``(row, column)`` positions. The order of ``parts`` breaks ties when a
    complementary cell is chosen (the first one wins).
    """

    total: Cell
    parts: tuple[Cell, ...]

    @property
    def cells(self) -> tuple[Cell, ...]:
        """The parts, then the total."""
        return (*self.parts, self.total)


def legend(threshold: int) -> str:
    """The Swedish legend shown under a table in which cells are suppressed."""
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    return (
        f"{SUPPRESSED} = uppgiften visas inte för att skydda enskilda personer: antal från 1 till "
        f"och med {threshold} och de uppgifter som annars skulle gå att räkna fram ur summorna."
    )


def grid_lines(
    n_rows: int, n_cols: int, row_totals: bool = True, col_totals: bool = True
) -> list[Line]:
    """The lines of a table of shape ``(n_rows, n_cols)`` laid out the usual way.

    With ``row_totals`` the last column holds each row's total (``totalt``): one line per row,
    ``(r, n_cols - 1) = sum of (r, 0 .. n_cols - 2)``. With ``col_totals`` the last row holds each
    column's total: one line per column, ``(n_rows - 1, c) = sum of (0 .. n_rows - 2, c)``. With
    both, the bottom-right cell is the grand total; it is the total of the last column's line
    and of the last row's line, and the total row and total column have their own lines too.
    Use ``col_totals=False`` when the rows are not additive categories (e.g. a participant-flow
    table). Row lines come first (top to bottom), then column lines (left to right).
    """
    if n_rows < 1 or n_cols < 1:
        raise ValueError(f"a table needs at least one row and one column, got {n_rows}×{n_cols}")
    if row_totals and n_cols < 2:
        raise ValueError("row totals need at least one column besides the total column")
    if col_totals and n_rows < 2:
        raise ValueError("column totals need at least one row besides the total row")
    lines: list[Line] = []
    if row_totals:
        last = n_cols - 1
        lines += [Line((r, last), tuple((r, c) for c in range(last))) for r in range(n_rows)]
    if col_totals:
        last = n_rows - 1
        lines += [Line((last, c), tuple((r, c) for r in range(last))) for c in range(n_cols)]
    return lines


# --------------------------------------------------------------------------------------------
# The core


def suppress(
    counts: np.ndarray,
    lines: Sequence[Line],
    threshold: int = 4,
    *,
    protect_combinations: bool = True,
) -> np.ndarray:
    """Boolean mask (``True`` = suppressed) of ``counts`` (2-D, non-negative integers).

    **Rules**, applied in this order:

    1. *Primary:* every cell with ``1 <= value <= threshold`` is suppressed, total cells
       included. Zeros are not.
    2. *Complementary, per line*, repeated over all lines (in the given order) until nothing
       changes:

       a. if exactly one cell of a line (a part or its total) is suppressed, one more cell of the
          line is suppressed: the unsuppressed part with the smallest value > 0 (ties: the first
          in the line's order); if there is none, the total if it is unsuppressed and > 0; if
          still none, the first unsuppressed zero part; last, an unsuppressed zero total.
          (A zero can thus be a complement; otherwise the hidden cell would follow by
          subtraction.)
       b. since zeros are shown, a reader knows every suppressed cell is at least 1. So if a
          line's total is shown and its shown cells say that the suppressed parts add up to
          exactly their number (``total - shown parts == number of suppressed parts``), they
          are all 1 and disclosed; one more cell is then suppressed, chosen as in (a).
    3. *Complementary, across lines* (only with ``protect_combinations``, the default): a
       suppressed cell can also be worked out by combining several lines (e.g. adding two rows
       and subtracting two columns). Every suppressed cell whose value is fixed by the system of
       all line equations (exact linear algebra: the cell has no component in the null space of
       the equations over the suppressed cells) gets one more cell of one of its own lines
       suppressed, chosen as in (a) over all its lines (ties: first line, first cell), and rule
       2 is applied again; repeated until no suppressed cell is determined.

    **Termination and determinism.** Every step adds one unsuppressed cell to the mask and
    nothing is ever removed, so there are at most ``counts.size`` steps. Lines and cells are
    visited in a fixed order and all ties are broken by position, so the same input always
    gives the same mask.

    **What is guaranteed.** Afterwards every line has either no suppressed cell or at least two,
    so subtracting the shown cells of any single row or column from its shown total never yields
    a single suppressed value, only a sum of two or more. Nor can such subtractions be chained:
    an attacker who repeatedly solves lines with one unknown and reuses what was found has no
    first line to start from, so recovers nothing. No line gives away "all of these are 1"
    (rule 2b). With ``protect_combinations`` additionally no suppressed cell is fixed by any
    linear combination of the lines (rule 3), except where that cannot be helped because all
    cells of the cell's own lines are already suppressed (only possible with unusual,
    overlapping line structures; never in a grid from :func:`grid_lines`).

    **What is not guaranteed.**

    * *Interval disclosure.* Counts are non-negative and, zeros being shown, suppressed cells
      are at least 1; with these inequalities (linear programming, as in τ-ARGUS) a reader can
      bound a suppressed cell, sometimes tightly: two suppressed cells adding up to 3 are 1 and 2
      in some order. Only the extreme "all ones" case within one line is ruled out (2b); bounds
      from several lines together are not checked, and no minimum width of the interval a
      reader can derive (protection interval) is enforced.
    * *Attribute disclosure.* A shown zero can tell that all of a small group share a trait,
      e.g. a category with ``man`` 0 shown and ``kvinna`` and ``totalt`` suppressed says that
      everyone in it is a woman (though not how many).
    * *Knowledge of the algorithm.* Someone who knows that the complement is the smallest
      non-zero cell of a line learns that it is not larger than the line's shown cells.
    * *Other tables.* Only the given lines are considered. Differences between tables (two years,
      a förbund and its kommuner, overlapping categories) need their identities in ``lines``.
    * *Inconsistent input.* The reasoning assumes the lines hold for ``counts``; on inconsistent
      data the mask still satisfies the per-line guarantee, but zeros may be suppressed.

    Parameters: ``counts`` the table; ``lines`` its additive identities (e.g. from
    :func:`grid_lines`); ``threshold`` the largest count that is suppressed (0 suppresses
    nothing primarily); ``protect_combinations`` applies rule 3.
    """
    return suppression_reasons(
        counts, lines, threshold, protect_combinations=protect_combinations
    ) != int(Reason.SHOWN)


def suppression_reasons(
    counts: np.ndarray,
    lines: Sequence[Line],
    threshold: int = 4,
    *,
    protect_combinations: bool = True,
) -> np.ndarray:
    """Like :func:`suppress`, but an ``int8`` array of :class:`Reason` values per cell."""
    values, prepared = _prepare(counts, lines, threshold)
    reason = np.zeros(values.size, dtype=np.int8)
    reason[(values >= 1) & (values <= threshold)] = Reason.PRIMARY
    stuck: set[int] = set()
    while True:
        _close_lines(values, reason, prepared)
        if not protect_combinations:
            break
        pick = _combination_complement(values, reason, prepared, stuck)
        if pick is None:
            break
        reason[pick] = Reason.COMPLEMENT
    return reason.reshape(np.shape(counts))


def determined(counts: np.ndarray, lines: Sequence[Line], mask: np.ndarray) -> np.ndarray:
    """Boolean mask of the suppressed cells whose value follows exactly from the shown cells.

    A suppressed cell is determined when the line equations, restricted to the suppressed cells
    (the shown cells are constants), fix its value, whatever combination of lines is used (exact
    linear algebra; non-negativity is not used, see :func:`suppress`). An audit: after
    ``suppress(..., protect_combinations=True)`` this is all ``False`` but for the rare cases
    noted there.
    """
    _, prepared = _prepare(counts, lines, 0)
    mask = np.asarray(mask, dtype=bool)
    if mask.shape != np.shape(counts):
        raise ValueError(f"mask has shape {mask.shape}, counts {np.shape(counts)}")
    return _determined(mask.ravel(), prepared).reshape(mask.shape)


# A line as flat indices: (total, parts).
_Flat = tuple[int, tuple[int, ...]]


def _prepare(counts: np.ndarray, lines: Sequence[Line], threshold: int) -> tuple[np.ndarray, list]:
    counts = np.asarray(counts)
    if counts.ndim != 2:
        raise ValueError(f"counts must be 2-D, got {counts.ndim}-D")
    if counts.size and not np.issubdtype(counts.dtype, np.integer):
        raise ValueError(f"counts must be integers, got dtype {counts.dtype}")
    if (counts < 0).any():
        raise ValueError("counts must be non-negative")
    if threshold < 0:
        raise ValueError(f"threshold must be non-negative, got {threshold}")
    n_rows, n_cols = counts.shape

    def flat(cell: Cell) -> int:
        r, c = cell
        if not (0 <= r < n_rows and 0 <= c < n_cols):
            raise ValueError(f"cell {cell} is outside the {n_rows}×{n_cols} table")
        return r * n_cols + c

    prepared: list[_Flat] = []
    for line in lines:
        if not line.parts:
            raise ValueError(f"line {line} has no parts")
        if len(set(line.cells)) != len(line.cells):
            raise ValueError(f"line {line} uses a cell twice")
        prepared.append((flat(line.total), tuple(flat(p) for p in line.parts)))
    return counts.ravel().astype(np.int64), prepared


def _complement(values: np.ndarray, hidden: np.ndarray, total: int, parts: Sequence[int]):
    """Rule 2a's choice within one line: (tier, value, position, cell) or None."""
    best = None
    for pos, p in enumerate(parts):
        if not hidden[p] and values[p] > 0 and (best is None or values[p] < best[1]):
            best = (0, int(values[p]), pos, p)
    if best is not None:
        return best
    if not hidden[total] and values[total] > 0:
        return (1, int(values[total]), len(parts), total)
    for pos, p in enumerate(parts):
        if not hidden[p]:
            return (2, 0, pos, p)
    if not hidden[total]:
        return (3, int(values[total]), len(parts), total)
    return None


def _close_lines(values: np.ndarray, reason: np.ndarray, prepared: list[_Flat]) -> None:
    """Rules 2a and 2b until no line triggers either."""
    changed = True
    while changed:
        changed = False
        for total, parts in prepared:
            n_hidden = int(reason[total] != 0) + sum(reason[p] != 0 for p in parts)
            if n_hidden == 1:
                pass  # rule 2a
            elif n_hidden >= 2 and reason[total] == 0:  # rule 2b
                shown = sum(int(values[p]) for p in parts if reason[p] == 0)
                if int(values[total]) - shown != n_hidden:
                    continue
            else:
                continue
            choice = _complement(values, reason != 0, total, parts)
            if choice is not None:  # always, as a line has >= 2 cells and one is shown
                reason[choice[3]] = Reason.COMPLEMENT
                changed = True


def _determined(hidden: np.ndarray, prepared: list[_Flat]) -> np.ndarray:
    """Which hidden cells the line equations fix (flat boolean array)."""
    out = np.zeros(hidden.size, dtype=bool)
    unknown = np.flatnonzero(hidden)
    if not unknown.size:
        return out
    column = {int(c): i for i, c in enumerate(unknown)}
    a = np.zeros((max(len(prepared), 1), unknown.size))
    for row, (total, parts) in enumerate(prepared):
        for p in parts:
            if p in column:
                a[row, column[p]] += 1.0
        if total in column:
            a[row, column[total]] -= 1.0
    # The cell is fixed iff e_cell is in the row space of a, i.e. it has no null-space component.
    _, s, vt = np.linalg.svd(a, full_matrices=True)
    rank = int((s > 1e-9).sum())
    null = vt[rank:]
    out[unknown] = (null**2).sum(axis=0) < 1e-12 if null.size else True
    return out


def _combination_complement(
    values: np.ndarray, reason: np.ndarray, prepared: list[_Flat], stuck: set[int]
) -> int | None:
    """Rule 3's next cell to suppress, or None when no determined cell can be helped."""
    hidden = reason != 0
    for cell in np.flatnonzero(_determined(hidden, prepared)):
        if cell in stuck:
            continue
        best = None
        for index, (total, parts) in enumerate(prepared):
            if cell != total and cell not in parts:
                continue
            choice = _complement(values, hidden, total, parts)
            if choice is None:
                continue
            key = (choice[0], choice[1], index, choice[2])
            if best is None or key < best[0]:
                best = (key, choice[3])
        if best is not None:
            return best[1]
        stuck.add(int(cell))
    return None


# --------------------------------------------------------------------------------------------
# Tidy tables


def suppress_tidy(
    tidy: pd.DataFrame,
    threshold: int = 4,
    category: str = "kategori",
    gender: str = "kon",
    value: str = "antal",
    total_label: str = "totalt",
    additive_categories: bool = True,
    extra_lines: Sequence[tuple[str, tuple[str, ...]]] = (),
) -> pd.DataFrame:
    """A copy of a tidy table with the rule of :func:`suppress` applied.

    ``tidy`` has one row per (``category``, ``gender``) with a non-negative integer ``value``;
    ``gender`` holds e.g. ``kvinna``, ``man``, maybe ``okant``, and ``total_label`` (the row
    total, ``kvinna + man + okant``). The lines enforced are:

    * per category, the genders add up to ``total_label`` (if that column is there);
    * with ``additive_categories``, per gender (``total_label`` included), the categories add
      up to a column total, which counts as published (the caller shows it, see
      :func:`with_total_row`). Categories may be multi-valued mentions: the column total is then
      a sum of mentions, not of people, which is just as additive;
    * each ``extra_lines`` entry ``(total, parts)``, e.g. ``("samtliga", ("pagaende",
      "avslutade"))`` for ``samtliga = pagaende + avslutade``, per gender.

    Returns the rows in their input order (same index) with ``value`` as nullable ``Int64``
    (``<NA>`` where suppressed) and two new columns: ``undertryckt`` (bool) and ``andel``, the
    unrounded percentage of the column total (``100 * value / column total``); ``andel`` is NaN
    where the cell or its column total is suppressed, where the column total is 0 and everywhere
    without ``additive_categories`` (there is no column total then).
    """
    full, n_original = _suppress_tidy_full(
        tidy,
        threshold,
        category,
        gender,
        value,
        total_label,
        additive_categories,
        extra_lines,
    )
    return full.iloc[:n_original]


def with_total_row(
    tidy: pd.DataFrame,
    threshold: int = 4,
    category: str = "kategori",
    gender: str = "kon",
    value: str = "antal",
    total_label: str = "totalt",
    extra_lines: Sequence[tuple[str, tuple[str, ...]]] = (),
) -> pd.DataFrame:
    """:func:`suppress_tidy` (with additive categories) of the *unsuppressed* ``tidy``, plus
    the total row: one row per gender with ``category == total_label`` holding the column sum,
    suppressed exactly as in the mask the cells were protected with (``andel`` 100 where shown
    and non-zero). The index is reset.
    """
    if "undertryckt" in tidy.columns:
        raise ValueError("pass the table before suppression, not the output of suppress_tidy")
    full, _ = _suppress_tidy_full(
        tidy, threshold, category, gender, value, total_label, True, extra_lines
    )
    return full.reset_index(drop=True)


def _suppress_tidy_full(
    tidy: pd.DataFrame,
    threshold: int,
    category: str,
    gender: str,
    value: str,
    total_label: str,
    additive_categories: bool,
    extra_lines: Sequence[tuple[str, tuple[str, ...]]],
) -> tuple[pd.DataFrame, int]:
    """The suppressed table with the total rows appended (if additive), and the original
    row count."""
    missing = [c for c in (category, gender, value) if c not in tidy.columns]
    if missing:
        raise ValueError(f"tidy table lacks column(s) {missing}")
    if tidy[value].isna().any():
        raise ValueError(f"column {value!r} has missing values")
    numbers = tidy[value].to_numpy(dtype=np.float64)
    if (numbers != np.round(numbers)).any():
        raise ValueError(f"column {value!r} must hold whole numbers")
    if tidy.duplicated([category, gender]).any():
        raise ValueError(f"some ({category}, {gender}) pair occurs twice")

    categories = list(pd.unique(tidy[category]))
    genders = list(pd.unique(tidy[gender]))
    if total_label in genders:  # the row total goes last
        genders = [g for g in genders if g != total_label] + [total_label]
    if additive_categories and total_label in categories:
        raise ValueError(
            f"{category} {total_label!r} is reserved for the total row; leave it out "
            "(with_total_row adds it) or use additive_categories=False"
        )
    row_of = {c: i for i, c in enumerate(categories)}
    col_of = {g: j for j, g in enumerate(genders)}
    n_rows = len(categories) + int(additive_categories)
    grid = np.zeros((n_rows, len(genders)), dtype=np.int64)
    rows = tidy[category].map(row_of).to_numpy(dtype=np.int64)
    cols = tidy[gender].map(col_of).to_numpy(dtype=np.int64)
    present = np.zeros(grid.shape, dtype=bool)
    grid[rows, cols] = numbers.astype(np.int64)
    present[rows, cols] = True
    if not present[: len(categories)].all():
        raise ValueError(f"every {category} needs a row for every {gender}")
    if additive_categories:
        grid[-1] = grid[:-1].sum(axis=0)

    has_row_totals = total_label in genders and len(genders) >= 2
    lines = (
        grid_lines(n_rows, len(genders), row_totals=has_row_totals, col_totals=additive_categories)
        if (has_row_totals or additive_categories)
        else []
    )
    for total, parts in extra_lines:
        unknown = [c for c in (total, *parts) if c not in row_of]
        if unknown:
            raise ValueError(f"extra line {(total, parts)} names unknown categories {unknown}")
        lines += [
            Line((row_of[total], j), tuple((row_of[p], j) for p in parts))
            for j in range(len(genders))
        ]
    mask = suppress(grid, lines, threshold)

    if additive_categories:
        col_total = grid[-1].astype(np.float64)
        col_total[mask[-1] | (grid[-1] == 0)] = np.nan
    else:
        col_total = np.full(len(genders), np.nan)

    out = tidy.copy()
    if additive_categories:
        total_rows = pd.DataFrame(
            {category: total_label, gender: genders, value: grid[-1]},
        )
        out = pd.concat([out, total_rows], ignore_index=False)
        rows = np.concatenate([rows, np.full(len(genders), n_rows - 1)])
        cols = np.concatenate([cols, np.arange(len(genders))])
    hidden = mask[rows, cols]
    out[value] = pd.arrays.IntegerArray(np.where(hidden, 0, grid[rows, cols]), hidden.copy())
    out["undertryckt"] = hidden
    share = 100.0 * grid[rows, cols] / col_total[cols]
    out["andel"] = np.where(hidden, np.nan, share)
    return out, len(tidy)
