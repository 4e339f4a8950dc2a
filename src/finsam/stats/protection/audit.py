"""The attacker: how narrowly can a reader pin down each hidden cell from everything published?

A reader of a site sees every shown count and knows how the tables hang together: the
:class:`Relation` s among cells (a total is the sum of its parts, a förbund the sum of its
kommuner, this year's participants last year's ongoing plus this year's new ones, …). Counts are
whole numbers, not negative, and since zeros are shown, a hidden cell is at least 1. With these
facts an integer linear program gives, for every hidden cell, the smallest and the largest value
it can take: its *interval*. The protection promise is that every interval spans at least four
values (``max − min ≥ 3``).

The audit is generic: cells are positions in a vector of true counts, relations are sums with
coefficients ±1. Per connected group of hidden cells it builds one HiGHS model. A cell passes as
soon as whole-numbered solutions (witnesses) have shown it at values MIN_WIDTH apart; a cell
fails only on a bound that holds its interval. In order of cost:

1. joint solves that push every open cell up, then down (the best integer solution within 5 %
   when the linear optimum is not whole-numbered): one solution is a witness for many cells;
2. in a large group, small programs over the rows around one cell (the 3 000 nearest cells; the
   others fixed at their true values for witnesses, free for bounds);
3. linear bounds of the whole group and integer points beyond them (feasibility problems);
4. the exact integer optimum (HiGHS's branch and bound), for what is still undecided and for
   exact intervals of failing cells.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_WIDTH = 3
"""A hidden cell passes when ``max − min >= MIN_WIDTH``: at least four possible values."""

_INTEGRAL = 1e-6
_BATCHES = 20  # at most this many joint solves per group and direction before per-cell ones
_LOCAL_CELLS = 3000  # cells of large groups are first decided among this many nearest cells


@dataclass(frozen=True)
class Relation:
    """``sum(cells[plus]) − sum(cells[minus]) == 0`` (``equal``) or ``<= 0`` (not ``equal``).

    ``kind`` says where the relation comes from (``table``, ``link``, ``level``, ``year``,
    ``quality``), for reports and for the order in which complements are chosen.
    """

    plus: tuple[int, ...]
    minus: tuple[int, ...]
    equal: bool = True
    kind: str = "table"

    @property
    def cells(self) -> tuple[int, ...]:
        return (*self.plus, *self.minus)

    def holds(self, values: np.ndarray) -> bool:
        difference = int(values[list(self.plus)].sum()) - int(values[list(self.minus)].sum())
        return difference == 0 if self.equal else difference <= 0


def total_part(total: int, parts: Sequence[int], kind: str = "table") -> Relation:
    """``total == sum(parts)``."""
    return Relation(tuple(parts), (total,), True, kind)


def at_most(smaller: Sequence[int], larger: Sequence[int], kind: str = "table") -> Relation:
    """``sum(smaller) <= sum(larger)``."""
    return Relation(tuple(smaller), tuple(larger), False, kind)


@dataclass(frozen=True)
class Interval:
    """What a reader can derive about one hidden cell: ``low <= value <= high`` (``high`` may be
    infinite)."""

    cell: int
    low: float
    high: float

    @property
    def width(self) -> float:
        return self.high - self.low

    @property
    def passes(self) -> bool:
        return self.width >= MIN_WIDTH


def intervals(
    values: np.ndarray,
    hidden: np.ndarray,
    relations: Sequence[Relation],
    *,
    hidden_min: int = 1,
    only: Sequence[int] | None = None,
    stop_when_passing: bool = False,
    exact: bool = True,
) -> dict[int, Interval]:
    """The interval of every hidden cell (or of the hidden cells in ``only``).

    With ``stop_when_passing`` a cell's second bound is not computed once the first shows that
    it passes (its interval then holds the true value in place of that bound); failing cells
    get their exact interval unless ``exact`` is false (then a failing cell whose largest value
    is within ``MIN_WIDTH`` of ``hidden_min`` gets ``[hidden_min, largest]``, which holds its
    interval).

    ``values`` are the true counts (the shown ones are what the reader sees; the hidden ones are
    used only to check that the system is consistent), ``hidden`` a boolean mask, ``hidden_min``
    what the reader knows as the least value of a hidden cell (1 when zeros are always shown).
    Raises :class:`ValueError` if the relations do not hold for ``values``.
    """
    values = np.asarray(values, dtype=np.int64)
    hidden = np.asarray(hidden, dtype=bool)
    wanted = set(np.flatnonzero(hidden).tolist()) if only is None else set(only)
    rows, groups = _system(values, hidden, relations)
    rows_of: dict[int, list[_Row]] = {}
    for row in rows:
        rows_of.setdefault(row[0], []).append(row)
    out: dict[int, Interval] = {}
    for root, group in groups.items():
        cells = [c for c in group if c in wanted]
        if not cells:
            continue
        group_rows = rows_of.get(root, [])
        if not group_rows:
            out.update({c: Interval(c, hidden_min, math.inf) for c in cells})
            continue
        out.update(
            _group_intervals(group, group_rows, cells, values, hidden_min, stop_when_passing, exact)
        )
    return out


def failures(
    values: np.ndarray,
    hidden: np.ndarray,
    relations: Sequence[Relation],
    *,
    hidden_min: int = 1,
    only: Sequence[int] | None = None,
    exact: bool = True,
) -> list[Interval]:
    """The hidden cells (of ``only``, default all) whose interval spans fewer than four values,
    by cell, with their exact intervals (see :func:`intervals` for ``exact``)."""
    found = intervals(
        values,
        hidden,
        relations,
        hidden_min=hidden_min,
        only=only,
        stop_when_passing=True,
        exact=exact,
    )
    return [found[c] for c in sorted(found) if not found[c].passes]


def pinning_relations(
    values: np.ndarray,
    hidden: np.ndarray,
    relations: Sequence[Relation],
    cells: Sequence[int],
    *,
    hidden_min: int = 1,
) -> dict[int, list[int]]:
    """For each hidden cell of ``cells``: the indices of the relations that hold its linear
    bounds (non-zero dual values when the cell is pushed up and down), nearest first. Hiding a
    shown cell of one of them turns a known constant of a binding row into an unknown, which is
    where a complement can widen the cell's interval; a complement elsewhere leaves the bounds
    as they are."""
    rows, groups = _system(values, np.asarray(hidden, dtype=bool), relations)
    root_of = {c: root for root, group in groups.items() for c in group}
    rows_of: dict[int, list[_Row]] = {}
    for row in rows:
        rows_of.setdefault(row[0], []).append(row)
    models: dict[int, tuple[_Model, dict[int, int]]] = {}
    out = {}
    for cell in cells:
        root = root_of[cell]
        if root not in models:
            group = groups[root]
            column = {c: i for i, c in enumerate(group)}
            models[root] = (_Model(group, rows_of.get(root, []), column, hidden_min), column)
        model, column = models[root]
        out[cell] = model.binding(column[cell])
    return out


# A row of the attacker's system: (group root, hidden cells, coefficients, low, high, index of
# the relation it comes from).
_Row = tuple[int, tuple[int, ...], tuple[float, ...], float, float, int]


def _system(
    values: np.ndarray, hidden: np.ndarray, relations: Sequence[Relation]
) -> tuple[list[_Row], dict[int, list[int]]]:
    """The relations with the shown cells moved to the right-hand side, and the groups of hidden
    cells that relations connect (union–find)."""
    parent = {int(c): int(c) for c in np.flatnonzero(hidden)}

    def find(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    rows: list[tuple[tuple[int, ...], tuple[float, ...], float, float, int]] = []
    for index, relation in enumerate(relations):
        if not relation.holds(values):
            raise ValueError(f"relation {relation} does not hold for the true counts")
        coefficient: dict[int, float] = {}
        constant = 0
        for sign, cells in ((1, relation.plus), (-1, relation.minus)):
            for c in cells:
                if hidden[c]:
                    coefficient[c] = coefficient.get(c, 0.0) + sign
                else:
                    constant += sign * int(values[c])
        coefficient = {c: a for c, a in coefficient.items() if a != 0}
        if not coefficient:
            continue
        cells = tuple(coefficient)
        low = -constant if relation.equal else -math.inf
        rows.append((cells, tuple(coefficient[c] for c in cells), low, -constant, index))
        first = find(cells[0])
        for c in cells[1:]:
            parent[find(c)] = first
    groups: dict[int, list[int]] = {}
    for c in parent:
        groups.setdefault(find(c), []).append(c)
    shaped = [(find(row[0][0]), *row) for row in rows]
    return shaped, {root: sorted(cells) for root, cells in groups.items()}


def _group_intervals(
    group: list[int],
    rows: list[_Row],
    cells: list[int],
    values: np.ndarray,
    hidden_min: int,
    stop_when_passing: bool,
    exact: bool,
) -> dict[int, Interval]:
    import highspy

    column = {c: i for i, c in enumerate(group)}
    n = len(group)
    model = _Model(group, rows, column, hidden_min)
    highs = model.highs(np.full(n, highspy.kHighsInf))
    true = values[group].astype(np.float64)
    # Whole-numbered solutions seen so far: every one is a witness for every cell it moves.
    seen_low, seen_high = true.copy(), true.copy()
    out: dict[int, Interval] = {}
    wanted = set(cells)

    def harvest(point: np.ndarray | None, positions: np.ndarray | None = None) -> None:
        if point is None or not stop_when_passing:
            return
        at = np.arange(n) if positions is None else positions
        seen_low[at] = np.minimum(seen_low[at], point)
        seen_high[at] = np.maximum(seen_high[at], point)
        for i in at[seen_high[at] - seen_low[at] >= MIN_WIDTH - _INTEGRAL]:
            c = group[i]
            if c in wanted and c not in out:
                out[c] = Interval(c, float(round(seen_low[i])), float(round(seen_high[i])))

    every = np.arange(n, dtype=np.int32)
    if stop_when_passing:
        # Joint solves that push every uncertified cell up (then down) at once, capped at the
        # width needed so the program stays bounded, certify most cells before any per-cell
        # solve.
        for sense, lower in (
            (highspy.ObjSense.kMaximize, np.full(n, float(hidden_min))),
            (highspy.ObjSense.kMinimize, np.maximum(hidden_min, true - MIN_WIDTH)),
        ):
            highs.changeColsBounds(n, every, lower, true + MIN_WIDTH)
            for _ in range(_BATCHES):
                open_cells = [column[c] for c in cells if c not in out]
                if not open_cells:
                    break
                cost = np.zeros(n)
                cost[open_cells] = 1.0
                highs.changeColsCost(n, every, cost)
                before = len(out)
                harvest(_batch_point(highs, n, sense))
                if len(out) == before:
                    break
        highs.changeColsBounds(
            n, every, np.full(n, float(hidden_min)), np.full(n, highspy.kHighsInf)
        )
        highs.changeColsCost(n, every, np.zeros(n))
    previous: int | None = None
    for cell in cells:
        if cell in out:
            continue
        j = column[cell]
        if stop_when_passing and n > _LOCAL_CELLS:
            decided = model.local(j, true, seen_low, seen_high)
            if decided is not None and decided[0] == "witness":
                harvest(decided[1], decided[2])
            elif decided is not None and not exact:
                out[cell] = Interval(cell, decided[1], decided[2])
            if cell in out:
                continue
        if previous is not None:
            highs.changeColCost(previous, 0.0)
        highs.changeColCost(j, 1.0)
        previous = j
        if stop_when_passing:
            decided = _bounds_and_witnesses(highs, n, j, seen_low, seen_high, hidden_min, harvest)
            if cell in out:
                continue
            if decided is not None and not exact:
                out[cell] = Interval(cell, *decided)
                continue
        high, point = _optimum(highs, n, highspy.ObjSense.kMaximize, j)
        harvest(point)
        if cell in out:
            continue
        if not exact and high - hidden_min < MIN_WIDTH:
            out[cell] = Interval(cell, hidden_min, high)
            continue
        low, point = _optimum(highs, n, highspy.ObjSense.kMinimize, j)
        harvest(point)
        if not low <= true[j] <= high:  # the true value is always feasible
            raise RuntimeError(f"audit: cell {cell} = {true[j]:g} outside [{low}, {high}]")
        out.setdefault(cell, Interval(cell, low, high))
    return out


class _Model:
    """A group's rows in HiGHS's column-wise terms, and small programs around one cell."""

    def __init__(self, group: list[int], rows: list[_Row], column: dict[int, int], least: int):
        self.n = len(group)
        self.least = least
        self.rows = [
            (np.array([column[c] for c in cells], dtype=np.int32), np.array(coef), low, high)
            for _, cells, coef, low, high, _ in rows
        ]
        self.relation_of = [row[5] for row in rows]
        self.rows_of: list[list[int]] = [[] for _ in range(self.n)]
        for r, (columns, _, _, _) in enumerate(self.rows):
            for j in columns:
                self.rows_of[j].append(r)

    def highs(self, upper: np.ndarray, columns: np.ndarray | None = None, rows=None):
        """A HiGHS model over ``columns`` (default all) and ``rows`` (default all; every cell
        of a chosen row must be among ``columns``)."""
        import highspy

        columns = np.arange(self.n, dtype=np.int32) if columns is None else columns
        position = np.full(self.n, -1, dtype=np.int32)
        position[columns] = np.arange(len(columns), dtype=np.int32)
        chosen = range(len(self.rows)) if rows is None else rows
        starts, indices, coefficients, lows, highs_ = [], [], [], [], []
        for r in chosen:
            row_columns, row_coefficients, low, high = self.rows[r]
            starts.append(len(indices))
            indices += position[row_columns].tolist()
            coefficients += row_coefficients.tolist()
            lows.append(-highspy.kHighsInf if math.isinf(low) else low)
            highs_.append(high)
        highs = _quiet_highs()
        highs.setOptionValue("mip_rel_gap", 0.0)
        m = len(columns)
        highs.addCols(
            m, np.zeros(m), np.full(m, float(self.least)), upper, 0,
            np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0),
        )  # fmt: skip
        highs.addRows(
            len(starts),
            np.array(lows, dtype=np.float64),
            np.array(highs_, dtype=np.float64),
            len(indices),
            np.array(starts, dtype=np.int32),
            np.array(indices, dtype=np.int32),
            np.array(coefficients, dtype=np.float64),
        )
        return highs

    def around(self, j: int) -> tuple[list[int], list[int], list[int]]:
        """The ``_LOCAL_CELLS`` columns nearest ``j`` (breadth first, ``j`` first), the rows that
        touch them, and the other columns of those rows."""
        near = [j]
        known = {j}
        for c in near:
            for r in self.rows_of[c]:
                for k in self.rows[r][0]:
                    if int(k) not in known and len(near) < _LOCAL_CELLS:
                        known.add(int(k))
                        near.append(int(k))
            if len(near) >= _LOCAL_CELLS:
                break
        touched = sorted({r for c in near for r in self.rows_of[c]})
        beyond = sorted({int(k) for r in touched for k in self.rows[r][0]} - known)
        return near, touched, beyond

    def binding(self, j: int) -> list[int]:
        """The relations (indices) of the rows with a non-zero dual value when column ``j`` is
        pushed up and when it is pushed down, in the linear program over the rows around it
        with the columns beyond free (over the whole group when that is unbounded both ways):
        the relations that hold its linear bounds, nearest to ``j`` first."""
        import highspy

        near, touched, beyond = self.around(j)
        order = np.full(self.n, len(near), dtype=np.int64)
        order[near] = np.arange(len(near))
        for columns, rows, position in (
            (np.array(near + beyond, dtype=np.int32), touched, 0),
            (None, None, j),
        ):
            rows = range(len(self.rows)) if rows is None else rows
            m = self.n if columns is None else len(columns)
            highs = self.highs(np.full(m, highspy.kHighsInf), columns, rows)
            highs.changeColCost(position, 1.0)
            found: list[int] = []
            for sense in (highspy.ObjSense.kMaximize, highspy.ObjSense.kMinimize):
                highs.changeObjectiveSense(sense)
                highs.run()
                if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                    continue
                duals = np.asarray(highs.getSolution().row_dual)
                found += [rows[r] for r in np.flatnonzero(np.abs(duals) > 1e-9)]
            if found:
                distance = {r: int(order[self.rows[r][0]].min()) for r in set(found)}
                nearest = sorted(distance, key=lambda r: (distance[r], r))
                return [self.relation_of[r] for r in nearest]
            if len(touched) == len(self.rows):
                break
        return []

    def local(self, j: int, true: np.ndarray, seen_low: np.ndarray, seen_high: np.ndarray):
        """Decide cell ``j`` in a small program: the rows that touch the ``_LOCAL_CELLS`` cells
        nearest ``j`` (breadth first). With the cells of those rows beyond the nearest fixed at
        their true values, a whole-numbered solution is a witness of the whole group (a
        restriction); with them free, the program drops rows, so its linear bounds hold the
        cell's interval (a relaxation). Returns ``("witness", point, columns)``,
        ``("fails", low, high)`` or ``None`` when neither decides."""
        import highspy

        near, touched, beyond = self.around(j)
        columns = np.array(near + beyond, dtype=np.int32)
        m, inner = len(columns), len(near)
        highs = self.highs(np.full(m, highspy.kHighsInf), columns, touched)
        every = np.arange(m, dtype=np.int32)
        fixed = np.arange(inner, m, dtype=np.int32)
        highs.changeColsBounds(len(fixed), fixed, true[beyond], true[beyond])
        highs.changeColsIntegrality(m, every, np.full(m, highspy.HighsVarType.kInteger, np.uint8))
        for bound in (
            (seen_low[j] + MIN_WIDTH, highspy.kHighsInf),
            (float(self.least), seen_high[j] - MIN_WIDTH),
        ):
            if bound[1] < bound[0]:
                continue
            highs.changeColBounds(0, *bound)
            highs.run()
            if highs.getModelStatus() == highspy.HighsModelStatus.kOptimal:
                return "witness", np.round(np.asarray(highs.getSolution().col_value)), columns
            highs.changeColBounds(0, float(self.least), highspy.kHighsInf)
        highs.changeColsIntegrality(
            m, every, np.full(m, highspy.HighsVarType.kContinuous, np.uint8)
        )
        highs.changeColsBounds(
            len(fixed), fixed, np.full(len(fixed), float(self.least)),
            np.full(len(fixed), highspy.kHighsInf),
        )  # fmt: skip
        highs.changeColCost(0, 1.0)
        bounds = []
        for sense in (highspy.ObjSense.kMinimize, highspy.ObjSense.kMaximize):
            highs.changeObjectiveSense(sense)
            highs.run()
            status = highs.getModelStatus()
            if status != highspy.HighsModelStatus.kOptimal:
                return None  # unbounded (or undecided): the whole group decides
            bounds.append(highs.getSolution().col_value[0])
        low, high = math.ceil(bounds[0] - _INTEGRAL), math.floor(bounds[1] + _INTEGRAL)
        return ("fails", low, high) if high - low < MIN_WIDTH else None


def _bounds_and_witnesses(
    highs, n: int, j: int, seen_low, seen_high, least: int, harvest
) -> tuple[float, float] | None:
    """Cheap steps towards deciding cell ``j``: linear bounds, and integer witnesses MIN_WIDTH
    above the least value seen or below the largest (each found point is harvested, which
    certifies the cell). Returns bounds ``(low, high)`` holding the cell's interval when they
    show that it fails, else ``None`` (passing, or undecided: the exact bounds decide)."""
    import highspy

    upper, point = _optimum(highs, n, highspy.ObjSense.kMaximize, j, integer=False)
    harvest(point)
    high = upper if math.isinf(upper) else math.floor(upper + _INTEGRAL)
    if high >= seen_low[j] + MIN_WIDTH:
        if _found(harvest, _integer_point_with(highs, n, j, seen_low[j] + MIN_WIDTH)):
            return None
        high = seen_low[j] + MIN_WIDTH - 1  # no whole-numbered solution reaches further
    lower, point = _optimum(highs, n, highspy.ObjSense.kMinimize, j, integer=False)
    harvest(point)
    low = max(least, math.ceil(lower - _INTEGRAL))
    if high - low < MIN_WIDTH:
        return float(low), float(high)
    if low <= seen_high[j] - MIN_WIDTH:
        if _found(harvest, _integer_point_with(highs, n, j, least, seen_high[j] - MIN_WIDTH)):
            return None
        low = seen_high[j] - MIN_WIDTH + 1
    return (float(low), float(high)) if high - low < MIN_WIDTH else None


def _found(harvest, point: np.ndarray | None) -> bool:
    harvest(point)
    return point is not None


def _batch_point(highs, n: int, sense) -> np.ndarray | None:
    """A whole-numbered point that scores well on the model's objective (in ``sense``): the linear
    optimum when it is whole-numbered, else the best integer solution found within a 5 % gap.
    Any whole-numbered feasible point is a witness, so optimality is not needed."""
    import highspy

    _bound, point = _optimum(highs, n, sense, integer=False)
    if point is not None:
        return point
    every = np.arange(n, dtype=np.int32)
    highs.changeColsIntegrality(n, every, np.full(n, highspy.HighsVarType.kInteger, np.uint8))
    highs.setOptionValue("mip_rel_gap", 0.05)
    try:
        highs.run()
        solution = highs.getSolution()
        feasible = int(highspy.SolutionStatus.kSolutionStatusFeasible)
        if highs.getInfo().primal_solution_status != feasible or not solution.value_valid:
            return None
        return np.round(np.asarray(solution.col_value))
    finally:
        highs.setOptionValue("mip_rel_gap", 0.0)
        highs.changeColsIntegrality(
            n, every, np.full(n, highspy.HighsVarType.kContinuous, np.uint8)
        )


def _integer_point_with(
    highs, n: int, j: int, low: float, high: float = math.inf
) -> np.ndarray | None:
    """A whole-numbered solution with column ``j`` from ``low`` to ``high``, or ``None`` if there
    is none (the model's objective and bounds are restored)."""
    import highspy

    lower, upper = _column_bounds(highs, j)
    if high < low:
        return None
    costs = np.zeros(n)
    costs[j] = 1.0
    every = np.arange(n, dtype=np.int32)
    highs.changeColsCost(n, every, np.zeros(n))
    highs.changeColBounds(j, low, min(upper, high))
    highs.changeColsIntegrality(n, every, np.full(n, highspy.HighsVarType.kInteger, np.uint8))
    try:
        highs.run()
        if highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        return np.round(np.asarray(highs.getSolution().col_value))
    finally:
        highs.changeColsIntegrality(
            n, every, np.full(n, highspy.HighsVarType.kContinuous, np.uint8)
        )
        highs.changeColBounds(j, lower, upper)
        highs.changeColsCost(n, every, costs)


def _column_bounds(highs, j: int) -> tuple[float, float]:
    lp = highs.getLp()
    return float(lp.col_lower_[j]), float(lp.col_upper_[j])


def _quiet_highs():
    """A HiGHS instance that prints nothing (its banner is written to the process's standard
    output, below Python, when the first instance is made)."""
    import os
    import sys

    import highspy

    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as devnull:
            os.dup2(devnull.fileno(), 1)
            highs = highspy.Highs()
            highs.setOptionValue("output_flag", False)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    return highs


def _optimum(
    highs, n: int, sense, j: int | None = None, integer: bool = True
) -> tuple[float, np.ndarray | None]:
    """The exact integer optimum of the objective (linear first, integer only if the linear
    optimum is not whole-numbered) and a whole-numbered optimal point (``None`` if unbounded).
    With ``j`` the objective is column ``j`` alone, else the model's. Without ``integer`` the
    linear optimum (a bound of the integer one) and its point if it is whole-numbered."""
    import highspy

    infinite = math.inf if sense == highspy.ObjSense.kMaximize else -math.inf
    highs.changeObjectiveSense(sense)
    highs.run()
    status = highs.getModelStatus()
    if status not in (highspy.HighsModelStatus.kOptimal, highspy.HighsModelStatus.kUnbounded):
        highs.clearSolver()  # a warm start can end undecided on an unbounded problem: solve anew
        highs.run()
        status = highs.getModelStatus()
    if status == highspy.HighsModelStatus.kUnbounded:
        return infinite, None
    if status != highspy.HighsModelStatus.kOptimal:
        raise RuntimeError(f"audit: linear program ended with {highs.modelStatusToString(status)}")
    solution = np.asarray(highs.getSolution().col_value)
    value = solution[j] if j is not None else highs.getInfo().objective_function_value
    if np.all(np.abs(solution - np.round(solution)) < _INTEGRAL):
        return float(round(value)), np.round(solution)
    if not integer:
        return float(value), None
    integer = np.full(n, highspy.HighsVarType.kInteger, dtype=np.uint8)
    continuous = np.full(n, highspy.HighsVarType.kContinuous, dtype=np.uint8)
    every = np.arange(n, dtype=np.int32)
    highs.changeColsIntegrality(n, every, integer)
    try:
        highs.run()
        status = highs.getModelStatus()
        if status in (
            highspy.HighsModelStatus.kUnbounded,
            highspy.HighsModelStatus.kUnboundedOrInfeasible,
        ):
            return infinite, None
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(
                f"audit: integer program ended with {highs.modelStatusToString(status)}"
            )
        solution = np.round(np.asarray(highs.getSolution().col_value))
        value = solution[j] if j is not None else highs.getInfo().objective_function_value
        return float(round(value)), solution
    finally:
        highs.changeColsIntegrality(n, every, continuous)
