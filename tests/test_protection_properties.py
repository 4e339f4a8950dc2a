"""Property tests of the small-count protection against an independent brute-force attacker.

The audit (:mod:`finsam.stats.protection.audit`) solves linear and integer programs with
HiGHS. Here a second attacker that shares no code with it searches every integer assignment of the
hidden cells
(each at least 1, the shown cells at their true values) that satisfies every relation, and takes
the smallest and largest value of each hidden cell. The search runs over the box ``[1, cap]``
with ``cap`` larger than every true count, prunes with bound propagation on the relations, and is
itself checked against a plain ``itertools.product`` enumeration. A cell is unbounded exactly when
the homogeneous system has a non-negative ray that moves it; that is tested with the same search
(small integer rays suffice: the relations are sums with coefficients ±1).

The tests:

* hand-made systems whose intervals are worked out in comments, for the audit and the reference;
* random tiny tables: the audit's intervals and failures equal the reference's exactly;
* random linked tables: :func:`~finsam.stats.protection.linked.protect` hides every small
  count, never a zero, leaves no failure (by the audit and, where the search is small, by the
  reference) and
  gives the same mask twice;
* monotonicity: hiding more cells never narrows an interval;
* the relations that hold a cell's bounds (worked out by hand), and the order complements are
  taken in for a cell held across förbund families;
* two regression tests of fully hidden groups, on which the audit once crashed (see their
  docstrings).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from finsam.stats.protection import audit
from finsam.stats.protection.audit import (
    MIN_WIDTH,
    Interval,
    Relation,
    at_most,
    failures,
    intervals,
    pinning_relations,
    total_part,
)
from finsam.stats.protection.linked import (
    _best_complement,
    _close_local,
    _complement_order,
    _nearest_shown,
    _need,
    protect,
)

INF = math.inf
T = TypeVar("T")
THRESHOLD = 4
RAY_BOUND = 2
"""Largest component of the rays the reference tries (±1 sums have 0/1 extreme rays)."""
BRUTE_HIDDEN = 10
"""Up to this many hidden cells the protection test also runs the reference attacker."""

Bounds = dict[int, tuple[float, float]]

# ---------------------------------------------------------------------------------------------
# The reference attacker
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """``low <= sum(coefficient * x[variable] for variable, coefficient in terms) <= high``."""

    terms: tuple[tuple[int, int], ...]
    low: float
    high: float


def reference_rows(
    values: np.ndarray, cells: Sequence[int], relations: Sequence[Relation]
) -> list[Row]:
    """The relations over the hidden ``cells`` (variable ``i`` is ``cells[i]``), with the shown
    cells moved to the right-hand side."""
    variable = {c: i for i, c in enumerate(cells)}
    rows = []
    for relation in relations:
        assert relation.holds(values), relation
        coefficient: dict[int, int] = {}
        constant = 0
        for sign, side in ((1, relation.plus), (-1, relation.minus)):
            for c in side:
                if c in variable:
                    coefficient[variable[c]] = coefficient.get(variable[c], 0) + sign
                else:
                    constant += sign * int(values[c])
        terms = tuple((v, a) for v, a in sorted(coefficient.items()) if a != 0)
        if terms:
            rows.append(Row(terms, -constant if relation.equal else -INF, -constant))
    return rows


def homogeneous(rows: Sequence[Row]) -> list[Row]:
    """The rows with a zero right-hand side: the directions ``d`` along which a solution stays a
    solution (equalities stay ``== 0``, inequalities ``<= 0``)."""
    return [Row(row.terms, 0 if row.low == row.high else -INF, 0) for row in rows]


def _ceil_div(p: int, q: int) -> int:
    return -((-p) // q)


def propagate(rows: Sequence[Row], low: list[int], high: list[int]) -> bool:
    """Tighten ``low``/``high`` in place by bound propagation over ``rows``; False if some row
    cannot hold within the box (then the box holds no solution)."""
    changed = True
    while changed:
        changed = False
        for row in rows:
            least = [a * (low[v] if a > 0 else high[v]) for v, a in row.terms]
            most = [a * (high[v] if a > 0 else low[v]) for v, a in row.terms]
            total_least, total_most = sum(least), sum(most)
            if total_most < row.low or total_least > row.high:
                return False
            for k, (v, a) in enumerate(row.terms):
                top = int(row.high) - (total_least - least[k])  # a * x <= top
                bottom = row.low - (total_most - most[k])  # a * x >= bottom (maybe -inf)
                if a > 0:
                    new_low = low[v] if bottom == -INF else max(low[v], _ceil_div(int(bottom), a))
                    new_high = min(high[v], top // a)
                else:
                    new_low = max(low[v], _ceil_div(top, a))
                    new_high = high[v] if bottom == -INF else min(high[v], int(bottom) // a)
                if new_low > new_high:
                    return False
                if (new_low, new_high) != (low[v], high[v]):
                    low[v], high[v] = new_low, new_high
                    changed = True
    return True


def feasible(rows: Sequence[Row], low: list[int], high: list[int]) -> bool:
    """Whether some integer point of the box ``[low, high]`` satisfies every row (depth-first
    search, branching on the variable with the fewest values left)."""
    low, high = list(low), list(high)
    if not propagate(rows, low, high):
        return False
    free = [v for v in range(len(low)) if low[v] < high[v]]
    if not free:
        return True
    v = min(free, key=lambda u: (high[u] - low[u], u))
    for value in range(low[v], high[v] + 1):
        fixed_low, fixed_high = list(low), list(high)
        fixed_low[v] = fixed_high[v] = value
        if feasible(rows, fixed_low, fixed_high):
            return True
    return False


def extreme(rows: Sequence[Row], n: int, cap: int, v: int, largest: bool) -> int:
    """The largest (or smallest) value of variable ``v`` over the integer solutions in
    ``[1, cap]^n``."""
    low, high = [1] * n, [cap] * n
    assert propagate(rows, low, high), "the true counts are a solution"
    candidates = range(high[v], low[v] - 1, -1) if largest else range(low[v], high[v] + 1)
    for value in candidates:
        fixed_low, fixed_high = list(low), list(high)
        fixed_low[v] = fixed_high[v] = value
        if feasible(rows, fixed_low, fixed_high):
            return value
    raise AssertionError("the true counts are a solution")


def search_bounds(
    values: np.ndarray, hidden: np.ndarray, relations: Sequence[Relation], cap: int
) -> Bounds:
    """Smallest and largest value of each hidden cell over the integer solutions with every
    hidden cell in ``[1, cap]`` (pruned search)."""
    cells = np.flatnonzero(hidden).tolist()
    rows = reference_rows(values, cells, relations)
    return {
        c: (extreme(rows, len(cells), cap, i, False), extreme(rows, len(cells), cap, i, True))
        for i, c in enumerate(cells)
    }


def plain_bounds(
    values: np.ndarray, hidden: np.ndarray, relations: Sequence[Relation], cap: int
) -> Bounds:
    """:func:`search_bounds` by plain enumeration of every assignment in ``[1, cap]^hidden``
    (vectorised; tiny systems only)."""
    cells = np.flatnonzero(hidden)
    grid = np.array(list(itertools.product(range(1, cap + 1), repeat=cells.size)), np.int64)
    trials = np.tile(np.asarray(values, np.int64), (len(grid), 1))
    trials[:, cells] = grid.reshape(len(grid), cells.size)
    holds = np.ones(len(grid), bool)
    for relation in relations:
        difference = trials[:, list(relation.plus)].sum(1) - trials[:, list(relation.minus)].sum(1)
        holds &= difference == 0 if relation.equal else difference <= 0
    solutions = grid[holds]
    return {
        int(c): (int(solutions[:, i].min()), int(solutions[:, i].max()))
        for i, c in enumerate(cells)
    }


def reference_intervals(
    values: np.ndarray, hidden: np.ndarray, relations: Sequence[Relation]
) -> Bounds:
    """The exact interval of every hidden cell: unbounded above when a non-negative ray moves
    it, else the largest value in a box larger than every count (checked not to bind)."""
    values = np.asarray(values, dtype=np.int64)
    cells = np.flatnonzero(hidden).tolist()
    n = len(cells)
    rows = reference_rows(values, cells, relations)
    rays = homogeneous(rows)
    cap = int(values.sum()) + MIN_WIDTH + 1
    out: Bounds = {}
    for i, c in enumerate(cells):
        low = extreme(rows, n, cap, i, largest=False)
        ray_low = [0] * n
        ray_low[i] = 1
        if feasible(rays, ray_low, [RAY_BOUND] * n):
            out[c] = (low, INF)
            continue
        high = extreme(rows, n, cap, i, largest=True)
        assert high < cap, f"the box binds cell {c}: raise the cap"
        out[c] = (low, high)
    return out


def audit_bounds(found: dict[int, Interval] | list[Interval]) -> Bounds:
    """The audit's intervals (by cell, or a list such as :func:`failures` gives) as
    ``{cell: (low, high)}``."""
    if isinstance(found, list):
        found = {interval.cell: interval for interval in found}
    return {c: (interval.low, interval.high) for c, interval in found.items()}


def failing(bounds: Bounds) -> Bounds:
    """The cells of ``bounds`` whose interval spans fewer than four values."""
    return {c: (low, high) for c, (low, high) in bounds.items() if high - low < MIN_WIDTH}


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layout:
    """Positions of one two-way table's cells in the value vector."""

    inner: tuple[tuple[int, ...], ...]
    rows: tuple[int, ...]
    columns: tuple[int, ...]
    grand: int


@dataclass(frozen=True)
class System:
    """A published system: true counts and the relations among them."""

    values: np.ndarray
    relations: tuple[Relation, ...]


def _append(values: list[int], value: int) -> int:
    values.append(value)
    return len(values) - 1


def signed_sum(coefficients: Sequence[int], total: int) -> Relation:
    """``Σ coefficients[c] · cell c == total`` (coefficients ±1 or 0, by cell position)."""
    plus = tuple(c for c, a in enumerate(coefficients) if a == 1)
    minus = tuple(c for c, a in enumerate(coefficients) if a == -1)
    return Relation(plus, (*minus, total))


def add_table(
    values: list[int], relations: list[Relation], inner: Sequence[Sequence[int]]
) -> Layout:
    """Append a table with inner counts ``inner``, its row totals, column totals and grand total
    (row-major inner cells, then row totals, column totals, grand total), and its relations."""
    cells = tuple(tuple(_append(values, v) for v in row) for row in inner)
    rows = tuple(_append(values, sum(row)) for row in inner)
    columns = tuple(_append(values, sum(column)) for column in zip(*inner, strict=True))
    grand = _append(values, sum(map(sum, inner)))
    relations += [total_part(r, row) for r, row in zip(rows, cells, strict=True)]
    relations += [
        total_part(t, column) for t, column in zip(columns, zip(*cells, strict=True), strict=True)
    ]
    relations += [total_part(grand, rows), total_part(grand, columns)]
    return Layout(cells, rows, columns, grand)


def single_table(inner: Sequence[Sequence[int]]) -> System:
    """One two-way table with all its margins."""
    values: list[int] = []
    relations: list[Relation] = []
    add_table(values, relations, inner)
    return System(np.array(values, dtype=np.int64), tuple(relations))


def linked_tables(first: Sequence[Sequence[int]], second: Sequence[Sequence[int]]) -> System:
    """Two tables with the same row totals (published in both, linked) and grand totals."""
    values: list[int] = []
    relations: list[Relation] = []
    a = add_table(values, relations, first)
    b = add_table(values, relations, second)
    relations += [
        Relation((x,), (y,), kind="link")
        for x, y in zip((*a.rows, a.grand), (*b.rows, b.grand), strict=True)
    ]
    return System(np.array(values, dtype=np.int64), tuple(relations))


@st.composite
def tiny_tables(draw: st.DrawFn) -> System:
    """A 2×2 or 2×3 table with counts 0..7 and its margins."""
    k = draw(st.integers(2, 3))
    row = st.lists(st.integers(0, 7), min_size=k, max_size=k)
    return single_table(draw(st.lists(row, min_size=2, max_size=2)))


@st.composite
def small_linked_tables(draw: st.DrawFn) -> System:
    """Two 2×k tables (k = 2 or 3, counts 0..12) with equal row totals."""
    k = draw(st.integers(2, 3))
    first = draw(
        st.lists(st.lists(st.integers(0, 12), min_size=k, max_size=k), min_size=2, max_size=2)
    )
    second = []
    for row in first:
        left, parts = sum(row), []
        for j in range(k - 1):
            part = draw(st.integers(max(0, left - 12 * (k - 1 - j)), min(12, left)))
            parts.append(part)
            left -= part
        second.append([*parts, left])
    return linked_tables(first, second)


@st.composite
def sums_over_hidden_cells(draw: st.DrawFn) -> System:
    """Three to five hidden cells (counts 1..9, the first ones of the vector) and two to four
    shown sums of them with coefficients ±1: systems whose linear bounds are often not whole
    numbers, unlike those of tables."""
    n = draw(st.integers(3, 5))
    hidden_values = draw(st.lists(st.integers(1, 9), min_size=n, max_size=n))
    signs = st.lists(st.sampled_from([-1, 0, 1]), min_size=n, max_size=n).filter(any)
    rows = draw(st.lists(signs, min_size=2, max_size=4))
    values = list(hidden_values)
    relations = []
    for row in rows:
        total = sum(a * v for a, v in zip(row, hidden_values, strict=True))
        if total < 0:
            row, total = [-a for a in row], -total
        relations.append(signed_sum(row, _append(values, total)))
    return System(np.array(values, dtype=np.int64), tuple(relations))


@st.composite
def hidden_subsets(draw: st.DrawFn, system: System, at_most_hidden: int) -> np.ndarray:
    """A mask hiding up to ``at_most_hidden`` positive cells of ``system``."""
    positive = np.flatnonzero(system.values > 0).tolist()
    chosen = draw(
        st.lists(
            st.sampled_from(positive) if positive else st.nothing(),
            unique=True,
            max_size=min(at_most_hidden, len(positive)),
        )
    )
    mask = np.zeros(system.values.size, bool)
    mask[chosen] = True
    return mask


def mask_of(size: int, cells: Sequence[int]) -> np.ndarray:
    """Boolean mask of ``size`` cells with ``cells`` set."""
    mask = np.zeros(size, bool)
    mask[list(cells)] = True
    return mask


# ---------------------------------------------------------------------------------------------
# Hand-made systems
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A system, the cells hidden in it, and the intervals worked out by hand."""

    name: str
    system: System
    hidden: tuple[int, ...]
    expected: Bounds


# The 2×2 table [[1, 4], [3, 6]]: cells 0..3 inner (row-major), 4, 5 row totals 5, 9,
# 6, 7 column totals 4, 10, 8 grand total 14.
TABLE = single_table([[1, 4], [3, 6]])
# Cells 0..2: a1 = 1, a2 = 6, T1 = 7; cells 3..5: b1 = 3, b2 = 4, T2 = 7; T1 == T2 (link).
LINKED = System(
    np.array([1, 6, 7, 3, 4, 7]),
    (total_part(2, [0, 1]), total_part(5, [3, 4]), Relation((2,), (5,), kind="link")),
)

CASES = [
    # Inner cells hidden, margins shown. With (0,0) = x: (0,1) = 5 − x, (1,0) = 4 − x,
    # (1,1) = 10 − (5 − x) = 5 + x. All at least 1: 5 − x >= 1 and 4 − x >= 1, so x in [1, 3];
    # then (0,1) in [2, 4], (1,0) in [1, 3], (1,1) in [6, 8]. Every cell fails (width 2).
    Case("2x2 inner", TABLE, (0, 1, 2, 3), {0: (1, 3), 1: (2, 4), 2: (1, 3), 3: (6, 8)}),
    # Row 0 and its total hidden, everything else shown: the columns give (0,0) = 4 − 3 = 1 and
    # (0,1) = 10 − 6 = 4, so the row total is 5: all three disclosed.
    Case("2x2 row", TABLE, (0, 1, 4), {0: (1, 1), 1: (4, 4), 4: (5, 5)}),
    # (0,0), its row total, its column total and the grand total hidden: adding t to all four
    # keeps every relation, so all are unbounded above; at (0,0) = 1 the others are 5 − 4 + 1,
    # 4 − 3 + 1 and 14 − 13 + 1 above their shown neighbours: 5, 4 and 14.
    Case("2x2 corner", TABLE, (0, 4, 6, 8), {0: (1, INF), 4: (5, INF), 6: (4, INF), 8: (14, INF)}),
    # x + z = 7 (shown) and x <= y = 4 (shown), x = 2 and z = 5 hidden: x in [1, min(6, 4)],
    # z = 7 − x in [3, 6].
    Case(
        "inequality",
        System(np.array([2, 5, 7, 4]), (total_part(2, [0, 1]), at_most([0], [3]))),
        (0, 1),
        {0: (1, 4), 1: (3, 6)},
    ),
    # 2x + y = 8 (x counted twice), x = 2, y = 4 hidden: y = 8 − 2x >= 1 gives x <= 3.5, so
    # x in [1, 3] (the linear optimum is not whole) and y in {6, 4, 2}: [2, 6].
    Case(
        "coefficient 2",
        System(np.array([2, 4, 8]), (Relation((0, 0, 1), (2,)),)),
        (0, 1),
        {0: (1, 3), 1: (2, 6)},
    ),
    # a1 and T1 hidden, but T1 == T2 = 7 is shown in the other table: a1 = 7 − 6 = 1.
    Case("link discloses", LINKED, (0, 2), {0: (1, 1), 2: (7, 7)}),
    # Table A entirely hidden, table B shown: T1 = T2 = 7, so a1, a2 in [1, 6].
    Case("link total", LINKED, (0, 1, 2), {0: (1, 6), 1: (1, 6), 2: (7, 7)}),
    # Both totals hidden as well: b1 + b2 = 7 still fixes them.
    Case(
        "link both totals",
        LINKED,
        (0, 1, 2, 5),
        {0: (1, 6), 1: (1, 6), 2: (7, 7), 5: (7, 7)},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hand_made_intervals(case: Case) -> None:
    """The audit and the reference both find the intervals worked out by hand."""
    values, relations = case.system.values, case.system.relations
    hidden = mask_of(values.size, case.hidden)
    assert reference_intervals(values, hidden, relations) == case.expected
    assert audit_bounds(intervals(values, hidden, relations)) == case.expected
    found = failures(values, hidden, relations)
    assert audit_bounds(found) == failing(case.expected)


# Everything in TABLE hidden: adding t to (0,0), its row and column totals and the grand total
# keeps every relation, so every cell is unbounded above; the least values are 1 for the inner
# cells, 1 + 1 for each margin and 4 × 1 for the grand total.
ALL_HIDDEN = {
    **{c: (1, INF) for c in range(4)},
    **{c: (2, INF) for c in range(4, 8)},
    8: (4, INF),
}


def outcome(run: Callable[[], T]) -> T | str:
    """What ``run`` returns, or the message of the :class:`RuntimeError` it raises (so that a
    crash of the audit shows up in an assertion next to the expected result)."""
    try:
        return run()
    except RuntimeError as error:
        return f"RuntimeError: {error}"


def test_fully_hidden_table_is_unbounded() -> None:
    """Every cell of a table hidden entirely is unbounded above.

    A regression test: ``intervals`` raised ``RuntimeError: audit: linear program ended with
    Unknown``. The per-cell solves in ``audit._group_intervals`` are warm-started from the
    previous one; for the grand total (the ninth solve) HiGHS 1.16's dual simplex stops with
    model status ``kUnknown`` on this unbounded program (a fresh solve, e.g. with ``only=[8]``,
    says ``kUnbounded``), which ``audit._optimum`` must solve again from scratch.
    """
    values, relations = TABLE.values, TABLE.relations
    hidden = np.ones(values.size, bool)
    assert reference_intervals(values, hidden, relations) == ALL_HIDDEN
    assert audit_bounds(intervals(values, hidden, relations, only=[8])) == {8: (4, INF)}
    found = outcome(lambda: audit_bounds(intervals(values, hidden, relations)))
    assert found == ALL_HIDDEN, "the audit crashes on an unbounded cell after a warm start"


def test_negative_counts_are_refused() -> None:
    """A count below zero is no count of people: protection refuses it rather than guess."""
    with pytest.raises(ValueError) as refused:
        protect(np.array([3, -1, 2]), [total_part(2, [0, 1])], THRESHOLD)
    assert str(refused.value) == "counts must be non-negative"


def test_protect_all_small_linked_tables() -> None:
    """Two linked 2×2 tables of ones: every cell is a small count, so all are hidden, and every
    interval is unbounded.

    A regression test of the crash of :func:`test_fully_hidden_table_is_unbounded`, reached
    through ``failures`` (the capped first solve cannot move every cell by three, so cells are
    solved one by one): ``protect`` raised instead of returning the all-hidden mask.
    """
    system = linked_tables([[1, 1], [1, 1]], [[1, 1], [1, 1]])
    mask = outcome(lambda: protect(system.values, system.relations, THRESHOLD))
    assert isinstance(mask, np.ndarray), f"protect crashed: {mask}"
    assert mask.all()
    assert failures(system.values, mask, system.relations) == []


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_search_matches_plain_enumeration(data: st.DataObject) -> None:
    """The pruned search of the reference equals enumerating every assignment of a small box."""
    system = data.draw(tiny_tables())
    hidden = data.draw(hidden_subsets(system, 4))
    cap = max(system.values[hidden], default=1) + data.draw(st.integers(0, 3))
    args = (system.values, hidden, system.relations, cap)
    assert search_bounds(*args) == plain_bounds(*args)


# ---------------------------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------------------------


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_audit_matches_brute_force(data: st.DataObject) -> None:
    """On random tiny tables the audit's intervals and failures are exactly the reference's, and
    the early-stopping intervals agree on which cells pass."""
    system = data.draw(tiny_tables())
    hidden = data.draw(hidden_subsets(system, 6))
    values, relations = system.values, system.relations
    expected = reference_intervals(values, hidden, relations)
    event("a cell fails" if failing(expected) else "no cell fails")
    event("a cell is unbounded" if any(high == INF for _, high in expected.values()) else "bounded")
    assert audit_bounds(intervals(values, hidden, relations)) == expected
    found = failures(values, hidden, relations)
    assert [f.cell for f in found] == sorted(failing(expected))
    assert audit_bounds(found) == failing(expected)
    only = data.draw(st.sets(st.sampled_from(sorted(expected)))) if expected else set()
    chosen = {c: expected[c] for c in only}
    assert audit_bounds(intervals(values, hidden, relations, only=sorted(only))) == chosen
    quick = intervals(values, hidden, relations, stop_when_passing=True)
    assert quick.keys() == expected.keys()
    for c, interval in quick.items():
        low, high = expected[c]
        assert low <= interval.low <= values[c] <= interval.high <= high
        assert interval.passes == (high - low >= MIN_WIDTH)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_linked_tables())
def test_protect_linked_tables(system: System) -> None:
    """After :func:`protect` every count 1..4 is hidden, no zero is, no hidden cell fails (by the
    audit and, for up to ``BRUTE_HIDDEN`` hidden cells, by the reference), and the mask is the
    same when computed again."""
    values, relations = system.values, system.relations
    mask = protect(values.copy(), relations, THRESHOLD)
    small = (values >= 1) & (values <= THRESHOLD)
    assert mask[small].all()
    assert not mask[values == 0].any()
    assert failures(values, mask, relations) == []
    event(
        f"{mask.sum()} hidden cells, reference {'run' if mask.sum() <= BRUTE_HIDDEN else 'not run'}"
    )
    if mask.sum() <= BRUTE_HIDDEN:
        reference = reference_intervals(values, mask, relations)
        assert sorted(reference) == np.flatnonzero(mask).tolist()
        assert failing(reference) == {}
    assert np.array_equal(protect(values.copy(), list(relations), THRESHOLD), mask)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_hiding_more_never_narrows(data: st.DataObject) -> None:
    """Intervals with a larger mask contain those with a smaller one (what lets the protection
    loop skip cells that passed once)."""
    system = data.draw(st.one_of(tiny_tables(), small_linked_tables()))
    values, relations = system.values, system.relations
    smaller = data.draw(hidden_subsets(system, 8))
    extra = data.draw(hidden_subsets(system, 6))
    larger = smaller | extra
    before = intervals(values, smaller, relations)
    after = intervals(values, larger, relations)
    assert before.keys() == set(np.flatnonzero(smaller).tolist())
    for c, interval in before.items():
        assert after[c].low <= interval.low <= values[c] <= interval.high <= after[c].high


def record_neighbourhood_decisions(patch: pytest.MonkeyPatch) -> list[str]:
    """The audit's decisions in small programs around a cell, in order, as they are made."""
    decisions: list[str] = []
    decide = audit._Model.local

    def recorded(model, *args):
        decided = decide(model, *args)
        decisions.append("undecided" if decided is None else decided[0])
        return decided

    patch.setattr(audit._Model, "local", recorded)
    return decisions


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_neighbourhood_decisions_match_brute_force(data: st.DataObject) -> None:
    """With the neighbourhood programs used for every group (as for the large groups of a
    national site), a witness found near a cell and a failure found in the relaxed program agree
    with the reference: passing cells pass, failing cells fail, intervals hold the true value."""
    system = data.draw(st.one_of(tiny_tables(), small_linked_tables()))
    hidden = data.draw(hidden_subsets(system, 6))
    values, relations = system.values, system.relations
    expected = reference_intervals(values, hidden, relations)
    nearest = data.draw(st.integers(1, 8))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit, "_LOCAL_CELLS", nearest)
        patch.setattr(audit, "_BATCHES", data.draw(st.sampled_from([0, 20])))
        decisions = record_neighbourhood_decisions(patch)
        quick = intervals(values, hidden, relations, stop_when_passing=True, exact=False)
        exact = intervals(values, hidden, relations, stop_when_passing=True)
    for decision in set(decisions):
        event(f"neighbourhood program: {decision}")
    assert quick.keys() == expected.keys() == exact.keys()
    assert all(quick[c].cell == exact[c].cell == c for c in expected)
    for c in expected:
        low, high = expected[c]
        assert quick[c].passes == exact[c].passes == (high - low >= MIN_WIDTH)
        if quick[c].passes:
            assert low <= quick[c].low <= values[c] <= quick[c].high <= high
        else:  # a failing cell's reported interval holds its true interval
            assert quick[c].low <= low and high <= quick[c].high < quick[c].low + MIN_WIDTH


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_linked_tables(), st.data())
def test_protecting_in_two_stages_passes_the_whole_audit(system: System, data) -> None:
    """Protected first against part of the relations (as a national site is, within each förbund
    family) and then against all of them, no hidden cell fails the audit of all relations."""
    values, relations = system.values, system.relations
    local = data.draw(st.sets(st.sampled_from(range(len(relations)))))
    mask = protect(values, relations, THRESHOLD, local=[relations[i] for i in sorted(local)])
    assert mask[(values >= 1) & (values <= THRESHOLD)].all()
    assert failures(values, mask, relations) == []


def test_one_joint_solve_certifies_a_whole_table(monkeypatch) -> None:
    """A 2×2 table, every inner cell hidden (5 each) with its margins (10) shown. Pushing all
    four cells up at once, each capped at 5 + 3, reaches a corner of the table's only freedom
    (a = d = t, b = c = 10 − t, 2 ≤ t ≤ 8): t = 2 or t = 8, every cell 3 away from its true
    value. That one solution certifies every cell, so no program about one cell is run."""
    table = single_table([[5, 5], [5, 5]])
    a, b, c, d = range(4)
    joint, single = [], []
    batch_point, bounds_and_witnesses = audit._batch_point, audit._bounds_and_witnesses
    monkeypatch.setattr(
        audit, "_batch_point", lambda *args: joint.append(args[2]) or batch_point(*args)
    )
    monkeypatch.setattr(
        audit,
        "_bounds_and_witnesses",
        lambda *args: single.append(args[2]) or bounds_and_witnesses(*args),
    )
    hidden = mask_of(len(table.values), [a, b, c, d])
    found = intervals(table.values, hidden, table.relations, stop_when_passing=True)
    assert (len(joint), single) == (1, [])
    assert all(found[cell].cell == cell for cell in found)
    up, down = (5, 8), (2, 5)
    assert audit_bounds(found) in (
        {a: up, b: down, c: down, d: up},
        {a: down, b: up, c: up, d: down},
    )


def test_a_witness_found_among_the_nearest_cells_certifies_a_cell(monkeypatch) -> None:
    """A 2×2 table, every inner cell hidden (5 each) with its margins (10) shown, and one more
    hidden cell e = 2 with e ≤ d. Among the four nearest cells of a (a, b, c, d; e beyond, held at
    its true value), a + 3, b − 3, c − 3, d + 3 is a whole-numbered solution: a passes without
    any program over the whole group."""
    values = np.array([5, 5, 5, 5, 2, 10, 10, 10, 10])
    a, b, c, d, e, row1, row2, col1, col2 = range(9)
    relations = [
        total_part(row1, [a, b]),
        total_part(col1, [a, c]),
        total_part(col2, [b, d]),
        total_part(row2, [c, d]),
        at_most([e], [d]),
    ]
    hidden = np.array([True] * 5 + [False] * 4)
    monkeypatch.setattr(audit, "_LOCAL_CELLS", 4)
    monkeypatch.setattr(audit, "_BATCHES", 0)
    decisions = record_neighbourhood_decisions(monkeypatch)
    found = intervals(values, hidden, relations, only=[a], stop_when_passing=True)
    assert decisions == ["witness"]
    assert (found[a].low, found[a].high) == (5, 8)


@pytest.mark.parametrize("batches", [0, 20])
def test_a_cell_whose_linear_bound_is_not_reached_by_whole_numbers(monkeypatch, batches) -> None:
    """Four sums over five hidden cells (true 6, 6, 4, 3, 9). The linear program lets cell 0
    reach 9 (= 6 + 3), but no whole-numbered solution does (its largest is 8): the quick audit
    must then look at the cell's least value before it calls the cell failing or passing, and
    agree with the exact intervals."""
    values = np.array([6, 6, 4, 3, 9, 28, 2, 8, 16])
    rows = [  # coefficients of cells 0–4, then the shown sum
        ([1, 1, 1, 1, 1], 5),
        ([-1, 0, -1, 1, 1], 6),
        ([0, 1, -1, -1, 1], 7),
        ([1, 1, 1, 0, 0], 8),
    ]
    relations = [signed_sum(row, total) for row, total in rows]
    hidden = np.array([True] * 5 + [False] * 4)
    monkeypatch.setattr(audit, "_BATCHES", batches)
    expected = reference_intervals(values, hidden, relations)
    assert expected[0] == (2, 8)  # by the brute-force reference
    quick = intervals(values, hidden, relations, stop_when_passing=True, exact=False)
    for c, (low, high) in expected.items():
        assert quick[c].passes == (high - low >= MIN_WIDTH)


@pytest.mark.parametrize("batches", [0, 20])
def test_a_failing_cell_is_given_its_exact_interval_unless_asked_for_less(
    monkeypatch, batches
) -> None:
    """Four hidden cells (true 7, 2, 3, 9) with x0 + x1 = x3, x0 − x1 − x2 = 2 and
    x1 + x2 + x3 = 14. Eliminating x0 and x3 leaves 3·x1 + 2·x2 = 12, whose only solution in
    whole numbers ≥ 1 is x1 = 2, x2 = 3: every cell is pinned (x0 = 7, x3 = 9). Without whole
    numbers, x1 runs from 1 to 10/3 and x2 from 1 to 4.5.

    Asked for less than exact intervals (``exact=False``), a failing cell gets bounds that hold
    its interval: x1 its linear bounds rounded inwards, [1, 3]; x2, whose linear bounds [1, 4]
    would let it pass, the least value of a hidden cell and its largest whole-numbered value 3,
    [1, 3]; x0 and x3 their exact values, which the linear program already pins."""
    values = np.array([7, 2, 3, 9, 2, 14])
    x0, x1, x2, x3, two, fourteen = range(6)
    relations = [
        Relation((x0, x1), (x3,)),
        Relation((x0,), (x1, x2, two)),
        total_part(fourteen, [x1, x2, x3]),
    ]
    hidden = mask_of(6, [x0, x1, x2, x3])
    monkeypatch.setattr(audit, "_BATCHES", batches)
    pinned = {x0: (7, 7), x1: (2, 2), x2: (3, 3), x3: (9, 9)}
    assert reference_intervals(values, hidden, relations) == pinned
    assert audit_bounds(failures(values, hidden, relations)) == pinned
    quick = failures(values, hidden, relations, exact=False)
    assert audit_bounds(quick) == {
        x0: (7, 7),
        x1: (1, 3),
        x2: (1, 3),
        x3: (9, 9),
    }


def test_relations_that_do_not_hold_for_the_true_counts_are_refused() -> None:
    """A sum that is off by one, or a "not more than" that is exceeded by one, is a mistake in
    the tables' relations, not something to audit against."""
    values = np.array([3, 2, 5])
    assert total_part(2, [0, 1]).holds(values) and at_most([1], [0]).holds(values)
    assert not at_most([0], [1]).holds(values)  # 3 ≤ 2 by one too many
    for wrong in (total_part(2, [0, 0]), at_most([0], [1])):
        with pytest.raises(ValueError) as refused:
            intervals(values, mask_of(3, [0, 1]), [wrong])
        assert str(refused.value) == f"relation {wrong} does not hold for the true counts"


def test_a_hidden_cell_in_no_relation_is_unbounded_and_the_others_still_audited() -> None:
    """x0 = 2 hidden in no relation can be anything from 1 up; x1 = 1 and x2 = 4 hidden with
    their sum 5 shown run from 1 to 4 each. Every interval names its own cell."""
    values = np.array([2, 1, 4, 5])
    found = intervals(values, mask_of(4, [0, 1, 2]), [total_part(3, [1, 2])])
    assert audit_bounds(found) == {0: (1, INF), 1: (1, 4), 2: (1, 4)}
    assert [interval.cell for interval in found.values()] == list(found)


def test_the_audit_prints_nothing(capfd) -> None:
    """HiGHS's log and banner would land in a build's output and a notebook's cells: the audit
    keeps them quiet."""
    table = single_table([[5, 5], [5, 5]])
    hidden = mask_of(len(table.values), range(4))
    assert failures(table.values, hidden, table.relations) == []
    assert capfd.readouterr() == ("", "")


@settings(max_examples=800, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sums_over_hidden_cells(), st.sampled_from([0, 20]))
def test_the_quick_audit_agrees_with_the_exact_one_where_linear_bounds_are_not_whole(
    system: System, batches: int
) -> None:
    """Where the linear program's bounds are not whole numbers, the audit that protection runs
    (``exact=False``) fails exactly the cells the exact audit fails, and gives each an interval
    that holds the exact one and is still too narrow."""
    values, relations = system.values, system.relations
    hidden = mask_of(len(values), range(len(values) - len(relations)))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(audit, "_BATCHES", batches)
        quick = failures(values, hidden, relations, exact=False)
        exact = failures(values, hidden, relations)
    event(f"{len(exact)} failing cells")
    assert [f.cell for f in quick] == [f.cell for f in exact]
    for q, e in zip(quick, exact, strict=True):
        assert q.low <= e.low <= values[e.cell] <= e.high <= q.high < q.low + MIN_WIDTH


def test_pinning_relations_name_the_relations_that_hold_a_bound() -> None:
    """x0 = 2 and x1 = 3 hidden with x0 + x1 = 5 (relation 0), x0 ≤ 9 (relation 1, slack) and
    x0 ≤ 2 (relation 2, tight). x0's largest value 2 is held by relation 2 alone (x1 ≥ 1 would
    allow 4), its least value 1 by no relation (only "a hidden cell is at least 1"). x1's largest
    value 4 is held by relation 0, its least value 3 by relations 0 and 2; relation 0 holds x1
    itself, so it comes first. Relation 1 never holds anything."""
    values = np.array([2, 3, 5, 9, 2])
    x0, x1, total, loose, tight = range(5)
    relations = [total_part(total, [x0, x1]), at_most([x0], [loose]), at_most([x0], [tight])]
    hidden = np.array([True, True, False, False, False])
    assert pinning_relations(values, hidden, relations, [x0, x1]) == {x0: [2], x1: [0, 2]}
    # the same relations numbered backwards: nearest first still, not by number
    backwards = relations[::-1]
    assert pinning_relations(values, hidden, backwards, [x0, x1]) == {x0: [0], x1: [2, 0]}


@pytest.mark.parametrize(("shown", "pinning"), [(2, [0]), (0, [])])
def test_a_bound_held_only_from_one_side(shown, pinning) -> None:
    """x = 3 hidden with ``shown ≤ x`` and nothing above it: its largest value is unbounded;
    its least is held by the relation when the shown count is 2, by "a hidden cell is at least
    1" alone when it is 0. A hidden cell in no relation is held by none."""
    values = np.array([3, shown])
    relations = [at_most([1], [0])]
    assert pinning_relations(values, np.array([True, False]), relations, [0]) == {0: pinning}
    assert pinning_relations(values, np.array([True, False]), [], [0]) == {0: []}  # no relation


def test_the_complement_needed_for_a_cell() -> None:
    """With threshold 4 a complement c makes cell + c exceed 4 + 3: for cells 1, 4, 6 and 9 it
    needs at least 6, 3, 1 and 1."""
    values = np.array([1, 4, 6, 9])
    assert [_need(values, c, 4) for c in range(4)] == [6, 3, 1, 1]


def test_complements_for_a_cell_held_across_families_come_from_within_a_family() -> None:
    """A cell held by a national sum (relation 7, across families) and by relations 5 (nearest)
    and 3 within its family takes its complement from 5, then 3, and from the national sum
    only after them; a cell held only within its family takes it from its own relations (1, 3)
    first. Without relations across families: its own relations, then those that hold its
    bounds (here x1 of :func:`test_pinning_relations_name_the_relations_that_hold_a_bound`),
    then its own again."""
    own, wide = [1, 3, 7], frozenset({7})
    held_across = list(_complement_order(0, own, {0: [5, 7, 3]}, wide, *_UNUSED))
    assert held_across == [[5], [3], [7], own]
    held_within = list(_complement_order(0, own, {0: [3, 5]}, wide, *_UNUSED))
    assert held_within == [[1, 3], [3, 5], own]
    values, hidden = np.array([2, 3, 5, 9, 2]), np.array([True, True, False, False, False])
    relations = [total_part(2, [0, 1]), at_most([0], [3]), at_most([0], [4])]
    alone = list(_complement_order(1, [0], {}, frozenset(), values, hidden, relations))
    assert alone == [[0], [0, 2], [0]]


def group_model(values: np.ndarray, relations: list[Relation]):
    """The audit's model of the one group of hidden cells when the cells on the ``plus`` side of
    the relations are hidden (the sums on the other side shown), its cells, and their true
    values."""
    hidden = np.array([c in {x for r in relations for x in r.plus} for c in range(len(values))])
    rows, groups = audit._system(values, hidden, relations)
    ((_, group),) = groups.items()
    model = audit._Model(group, rows, {c: i for i, c in enumerate(group)}, 1)
    return model, group, values[group].astype(np.float64)


@pytest.mark.parametrize(
    ("a", "b", "decided"),
    [
        (1, 3, ("fails", 1, 3)),  # a + b = 4: no whole-numbered a ≥ 4, the relaxation gives 1–3
        (2, 3, None),  # a + b = 5: no a ≥ 5 and none ≤ −1; 1–4 is wide enough: undecided
        (4, 1, ("witness", [1, 4])),  # a + b = 5: a = 1 is 3 below the true 4, a witness
    ],
)
def test_the_program_around_a_cell_finds_witnesses_or_a_narrow_relaxation(a, b, decided) -> None:
    """Two hidden cells a and b with their sum shown, decided in the small program around a
    (with the least and largest values seen so far the true ones)."""
    model, _, true = group_model(np.array([a, b, a + b]), [total_part(2, [0, 1])])
    found = model.local(0, true, true.copy(), true.copy())
    if decided is not None and decided[0] == "witness":
        assert found[0] == "witness" and found[1].tolist() == decided[1]
    else:
        assert found == decided


def quick_bounds(values, relations, cell: int) -> tuple[tuple | None, list]:
    """The audit's cheap steps for ``cell`` (in :func:`group_model`, the least and largest
    values seen so far the true ones): what they return and every point they found (``None``
    where a search found none), in order."""
    import highspy

    model, group, true = group_model(values, relations)
    n, j = len(group), group.index(cell)
    highs = model.highs(np.full(n, highspy.kHighsInf))
    highs.changeColCost(j, 1.0)
    points: list = []
    found = audit._bounds_and_witnesses(
        highs, n, j, true.copy(), true.copy(), 1,
        lambda p: points.append(None if p is None else p.tolist()),
    )  # fmt: skip
    return found, points


@pytest.mark.parametrize(
    ("a", "b", "found", "points"),
    [
        # a + b = 4: the linear bounds 1 and 3 are whole-numbered and 2 apart: a fails
        (1, 3, (1.0, 3.0), [[3, 1], [1, 3]]),
        # a + b = 5: bounds 1 and 4, wide enough, but no witness was asked for: undecided
        (2, 3, None, [[4, 1], [1, 4]]),
        # a + b = 8: a reaches 7 = 4 + 3, a witness 3 above the true value: a passes
        (4, 4, None, [[7, 1], [7, 1]]),
        # a + b = 5 with a = 4: its least value 1 is exactly 3 below: the witness a = 1
        (4, 1, None, [[4, 1], [1, 4], [1, 4]]),
    ],
)
def test_the_quick_steps_of_the_audit_by_hand(a, b, found, points) -> None:
    values = np.array([a, b, a + b])
    assert quick_bounds(values, [total_part(2, [0, 1])], 0) == (found, points)


def test_the_quick_steps_find_a_witness_below_the_true_value() -> None:
    """a + b = 8 with a = 7: the linear bounds are 7 and 1, and 1 is 3 or more below 7; a
    whole-numbered point with a from 1 to 4 is a witness: a passes."""
    found, points = quick_bounds(np.array([7, 1, 8]), [total_part(2, [0, 1])], 0)
    assert found is None and points[:2] == [[7, 1], [1, 7]]
    assert len(points) == 3 and 1 <= points[2][0] <= 4 and sum(points[2]) == 8


def test_the_quick_steps_when_the_linear_bound_is_not_whole_numbered() -> None:
    """The five cells of :func:`test_a_cell_whose_linear_bound_is_not_reached_by_whole_numbers`:
    cell 0 (true 6) has the linear bound 9 from a point that is not whole-numbered, and no
    whole-numbered point reaches 9 = 6 + 3; below, a whole-numbered point at 3 or less exists."""
    values = np.array([6, 6, 4, 3, 9, 28, 2, 8, 16])
    relations = [
        Relation((0, 1, 2, 3, 4), (5,)), Relation((3, 4), (0, 2, 6)),
        Relation((1, 4), (2, 3, 7)), Relation((0, 1, 2), (8,)),
    ]  # fmt: skip
    found, points = quick_bounds(values, relations, 0)
    assert found is None
    assert points[:2] == [None, None]  # the linear optimum 9, then no whole number reaches it
    assert points[-1] is not None and points[-1][0] <= 3


def test_the_complement_chosen_among_a_cells_relations() -> None:
    """Hidden cell 0 (1 person), threshold 4: a complement should hold 4 + 3 − 1 = 6 or more.
    In its table relation the shown 3, 6 and 9 (cells 2–4); in a link relation a 6 (cell 1).
    A table relation comes first, so cell 3 (the smallest of at least 6), not cell 1. Asked
    for at least 20, nothing is enough: the largest, 9 (cell 4)."""
    values = np.array([1, 6, 3, 6, 9])
    relations = [Relation((0, 1), (), kind="link"), Relation((0, 2, 3, 4), ())]
    hidden = np.array([True, False, False, False, False])
    assert _best_complement(values, hidden, ~hidden, relations, 0, 4) == 3
    assert _best_complement(values, hidden, ~hidden, relations, 0, 4, need=20) == 4


def test_a_cell_whose_relations_are_all_hidden_takes_the_nearest_shown_complement() -> None:
    """Hidden a 1, b 2, c 3; shown f 9 and g 30. a's only relation holds a and b; b's other one
    b and c; c's third one c, f and g. The search goes a → b → c and takes from c's relation
    the smallest count of at least 4 + 3 − 3 = 4: f."""
    values = np.array([1, 2, 3, 9, 30])
    a, b, c, f, g = range(5)
    relations = [Relation((a, b), ()), Relation((b, c), ()), Relation((c, f, g), ())]
    of_cell = [[i for i, r in enumerate(relations) if x in r.cells] for x in range(5)]
    hidden = np.array([True, True, True, False, False])
    assert _nearest_shown(values, hidden, ~hidden, relations, of_cell, a, 4) == f
    assert _nearest_shown(values, hidden, np.zeros(5, bool), relations, of_cell, a, 4) is None


_UNUSED = (np.zeros(0), np.zeros(0, bool), [])  # values, hidden, relations: not read here


def test_relations_say_what_they_state() -> None:
    """total_part(t, parts): the parts add up to the total; at_most(a, b): a ≤ b; both within a
    table unless told. A relation holds or not for given counts."""
    whole = total_part(2, [0, 1])
    assert (whole.plus, whole.minus, whole.equal, whole.kind) == ((0, 1), (2,), True, "table")
    part = at_most([0], [2])
    assert (part.plus, part.minus, part.equal, part.kind) == ((0,), (2,), False, "table")
    assert at_most([0], [2], kind="link").kind == "link"
    assert total_part(2, [0], kind="level").kind == "level"
    assert whole.cells == (0, 1, 2)
    values = np.array([2, 3, 5])
    assert whole.holds(values) and part.holds(values)
    assert not total_part(2, [0]).holds(values) and not at_most([2], [0]).holds(values)
    assert Interval(0, 1, 4).passes and not Interval(0, 1, 3).passes
    assert Interval(0, 1, 4).width == 3 == MIN_WIDTH


@pytest.mark.parametrize(
    "inner",
    [
        [[2, 20], [30, 40]],
        [[2, 20, 25], [30, 40, 50]],
        [[2, 30], [20, 40], [25, 50]],
        [[1, 9, 30], [12, 40, 50], [15, 25, 60]],
        [[40, 50, 60], [12, 40, 3], [15, 25, 60]],
    ],
)
def test_one_small_cell_of_a_table_costs_a_rectangle_of_four_inner_cells(inner) -> None:
    """The textbook case: a table with all its margins and one small count. The least that
    protects it is a rectangle of four inner cells (two in its row, two in its column, one
    opposite), every margin shown: a reader who adds the row and the column can then move the
    small count by as much as the smallest of the four, at least four here."""
    system = single_table(inner)
    mask = protect(system.values.copy(), system.relations, THRESHOLD)
    width = len(inner[0])
    hidden = [divmod(int(c), width) for c in np.flatnonzero(mask)]
    small = next((r, c) for r, row in enumerate(inner) for c, v in enumerate(row) if v <= 4)
    assert len(hidden) == 4 and all(r < len(inner) for r, _ in hidden)  # no margin hidden
    assert small in hidden
    assert len({r for r, _ in hidden}) == len({c for _, c in hidden}) == 2  # a rectangle
    assert failures(system.values, mask, system.relations) == []


def test_protection_says_when_it_cannot_widen_an_interval() -> None:
    """3 = a 1 + b 2 with the total not a count of people (never hidden): a and b are hidden
    and each lies in [1, 2], and there is nothing else to hide."""
    values = np.array([1, 2, 3])
    protectable = np.array([True, True, False])
    with pytest.raises(RuntimeError, match=r"cells 0 in \[1, 2\], 1 in \[1, 2\]$"):
        protect(values, [total_part(2, [0, 1])], THRESHOLD, protectable=protectable, max_rounds=3)


def test_three_sums_that_pin_their_cells_together() -> None:
    """x 4, y 6, z 4 with x + y = 10, y + z = 10 and x + z = 8 shown. Each sum alone leaves
    its two cells room, but together they pin every cell (x = (10 − 10 + 8) / 2): only the
    audit sees it. Round 1 hides x and z (small) and y (x's sum would give it away), the audit
    fails all three; x takes the smallest total of its sums of at least 4 + 3 − 4 = 3 (8), y the
    first of its totals 10 and 10 (the sum with x), z's sums already have a new hidden cell.
    Round 2 passes: x = 8' − z can be anything, y = 10 − z lies in [1, 9]. Stopped after one
    round, protection says it did not converge."""
    x, y, z, xy, yz, xz = range(6)
    values = np.array([4, 6, 4, 10, 10, 8])
    relations = [total_part(xy, [x, y]), total_part(yz, [y, z]), total_part(xz, [x, z])]
    mask = protect(values, relations, THRESHOLD)
    assert np.flatnonzero(mask).tolist() == [x, y, z, xy, xz]
    with pytest.raises(RuntimeError, match=r"^protection did not converge$"):
        protect(values, relations, THRESHOLD, max_rounds=1)  # round 2 is needed to pass


def test_sums_that_would_give_their_hidden_cells_away_get_a_complement() -> None:
    """19 = a 1 + b 2 + c 2 + d 3 + e 11 and 13 = p 10 + d 3, with a and b hidden. a + b = 3
    hides two cells in [1, 2]: the sum needs a complement of at least 3 + 2 + 1 − 3 = 3, the
    smallest is d. Now d stands alone in 13 = p + d and needs one of at least 3 + 1 + 1 − 3 = 2
    there: p. Then a + b + d = 6 leaves each of the three cells room (6 − 3 ≥ 3)."""
    a, b, c, d, e, total, p, other = range(8)
    values = np.array([1, 2, 2, 3, 11, 19, 10, 13])
    equalities = [total_part(other, [p, d]), total_part(total, [a, b, c, d, e])]
    hidden = np.array([True, True, False, False, False, False, False, False])
    _close_local(values, hidden, values > 0, equalities, THRESHOLD)
    assert np.flatnonzero(hidden).tolist() == [a, b, d, p]


def test_failures_of_some_cells_and_with_zeros_hidden_too() -> None:
    """4 = a 1 + b 3 and 20 = c 10 + d 10, every part hidden: a and b each lie in [1, 3] and
    fail, c and d pass. Asked about a and c only, only a fails. Where zeros can be hidden too
    (least value 0), a and b lie in [0, 4] and pass."""
    a, b, c, d = range(4)
    values = np.array([1, 3, 10, 10, 4, 20])
    relations = [total_part(4, [a, b]), total_part(5, [c, d])]
    hidden = np.array([True] * 4 + [False] * 2)
    assert [(f.cell, f.low, f.high) for f in failures(values, hidden, relations)] == [
        (a, 1, 3), (b, 1, 3),
    ]  # fmt: skip
    assert [f.cell for f in failures(values, hidden, relations, only=[a, c])] == [a]
    assert failures(values, hidden, relations, hidden_min=0) == []
