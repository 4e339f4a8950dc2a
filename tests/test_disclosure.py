"""Small-count protection: hand-worked tables, the tidy wrapper, and property tests with
attackers that try to recover suppressed cells from the shown cells and totals."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from finsam.disclosure import (
    SUPPRESSED,
    Line,
    Reason,
    determined,
    grid_lines,
    legend,
    suppress,
    suppress_tidy,
    suppression_reasons,
    with_total_row,
)

# --------------------------------------------------------------------------------------------
# Helpers


def with_totals(inner, row_totals: bool = True, col_totals: bool = True) -> np.ndarray:
    """``inner`` with a row-total column and/or a column-total row appended."""
    table = np.asarray(inner, dtype=np.int64)
    if row_totals:
        table = np.c_[table, table.sum(axis=1)]
    if col_totals:
        table = np.r_[table, table.sum(axis=0)[None, :]]
    return table


def hidden_cells(mask: np.ndarray) -> set[tuple[int, int]]:
    return {(int(r), int(c)) for r, c in zip(*np.nonzero(mask), strict=True)}


def single_line_attack(counts, lines, mask) -> dict[tuple[int, int], int]:
    """Subtract the shown cells of each line from its total (or the reverse): whatever line has
    exactly one suppressed cell gives it away."""
    found = {}
    for line in lines:
        unknown = [cell for cell in line.cells if mask[cell]]
        if len(unknown) == 1:
            found[unknown[0]] = solve_line(line, unknown[0], lambda cell: int(counts[cell]))
    return found


def solve_line(line: Line, cell, known) -> int:
    if cell == line.total:
        return sum(known(p) for p in line.parts)
    return known(line.total) - sum(known(p) for p in line.parts if p != cell)


def iterated_attack(counts, lines, mask) -> dict[tuple[int, int], int]:
    """Repeated single-line subtraction, reusing what was found, plus the "all ones" inference
    (zeros are shown, so suppressed cells are >= 1: hidden parts adding up to their number are
    all 1). Returns the recovered suppressed cells; asserts the attacker is right."""
    known = {cell: int(counts[cell]) for cell in zip(*np.nonzero(~mask), strict=True)}
    known = {(int(r), int(c)): v for (r, c), v in known.items()}
    recovered: dict[tuple[int, int], int] = {}
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [cell for cell in line.cells if cell not in known]
            if len(unknown) == 1:
                value = solve_line(line, unknown[0], known.__getitem__)
                known[unknown[0]] = recovered[unknown[0]] = value
                progress = True
            elif unknown and line.total in known:
                rest = known[line.total] - sum(known[p] for p in line.parts if p in known)
                if rest == len(unknown):
                    for cell in unknown:
                        known[cell] = recovered[cell] = 1
                    progress = True
    for cell, value in recovered.items():
        assert value == counts[cell]  # the attacker is sound on consistent tables
    return recovered


def linear_attack(counts, lines, mask) -> set[tuple[int, int]]:
    """Suppressed cells fixed by some linear combination of the line equations, checked
    independently of the module: e_cell is in the row space of the equations A iff the
    projection I - pinv(A) A onto the null space has a zero diagonal entry for it."""
    unknown = sorted(hidden_cells(mask))
    if not unknown:
        return set()
    col = {cell: i for i, cell in enumerate(unknown)}
    a = np.zeros((len(lines) + 1, len(unknown)))
    for row, line in enumerate(lines):
        for p in line.parts:
            if p in col:
                a[row, col[p]] += 1
        if line.total in col:
            a[row, col[line.total]] -= 1
    null_projection = np.eye(len(unknown)) - np.linalg.pinv(a) @ a
    return {cell for cell, i in col.items() if abs(null_projection[i, i]) < 1e-9}


# --------------------------------------------------------------------------------------------
# Hand-worked tables (rows: categories, then the total row; columns: kvinna, man, totalt)


def test_one_small_cell_takes_a_rectangle_with_it():
    #              kv  man  tot
    # A            10    2   12   man 2 is primary
    # B             8   15   23
    # C             6    9   15
    # total        24   26   50
    counts = with_totals([[10, 2], [8, 15], [6, 9]])
    lines = grid_lines(4, 3)
    reasons = suppression_reasons(counts, lines)
    # Row A: only A/man hidden -> the smallest non-zero part of the row, A/kvinna 10.
    # Column kvinna: only A/kvinna hidden -> smallest of B 8 and C 6: C/kvinna.
    # Column man: only A/man hidden -> smallest of B 15 and C 9: C/man.
    # Row C now has two hidden cells; every line has 0 or 2. Totals all shown.
    assert reasons.tolist() == [[2, 1, 0], [0, 0, 0], [2, 2, 0], [0, 0, 0]]
    mask = suppress(counts, lines)
    assert hidden_cells(mask) == {(0, 0), (0, 1), (2, 0), (2, 1)}
    assert single_line_attack(counts, lines, mask) == {}
    assert linear_attack(counts, lines, mask) == set()  # a rectangle is a cycle: not fixed


def test_threshold_is_configurable():
    counts = with_totals([[10, 3], [8, 15], [6, 9]])
    lines = grid_lines(4, 3)
    assert hidden_cells(suppress(counts, lines, threshold=4)) == {(0, 0), (0, 1), (2, 0), (2, 1)}
    assert not suppress(counts, lines, threshold=2).any()  # 3 > 2: nothing to protect
    assert hidden_cells(suppress(counts, lines, threshold=3)) == {(0, 0), (0, 1), (2, 0), (2, 1)}


def test_nothing_small_suppresses_nothing():
    counts = with_totals([[10, 12], [8, 15], [0, 9]])
    assert not suppress(counts, grid_lines(4, 3)).any()


def test_small_total_with_a_zero_beside_it():
    #              kv  man  tot
    # A             3    0    3   A/kvinna and A/totalt are both primary
    # B            12   10   22
    # C             7    9   16
    # total        22   19   41
    counts = with_totals([[3, 0], [12, 10], [7, 9]])
    lines = grid_lines(4, 3)
    reasons = suppression_reasons(counts, lines)
    # Row A already has two hidden cells (3 and 3), so A/man 0 is shown: "kvinna + 0 = totalt"
    # says nothing about the size. Column kvinna: C/kvinna 7 (< 12) joins A/kvinna; column
    # totalt: C/totalt 16 (< 22) joins A/totalt; row C then has two hidden cells.
    assert reasons.tolist() == [[1, 0, 1], [0, 0, 0], [2, 0, 2], [0, 0, 0]]
    mask = reasons != 0
    assert not mask[0, 1]  # the zero is shown
    assert iterated_attack(counts, lines, mask) == {}
    assert linear_attack(counts, lines, mask) == set()


def test_hidden_parts_that_must_be_ones_get_company():
    # One row, no column totals: 1 + 1 + 10 = 12. Hiding the two 1s alone would still say they
    # are both 1 (12 - 10 = 2 over two cells that are not zero), so the 10 goes too.
    counts = np.array([[1, 1, 10, 12]])
    lines = grid_lines(1, 4, col_totals=False)
    assert suppress(counts, lines).tolist() == [[True, True, True, False]]
    # 2 + 1 + 10 = 13: 13 - 10 = 3 over two cells is 1 + 2 or 2 + 1; the 10 stays.
    counts = np.array([[2, 1, 10, 13]])
    assert suppress(counts, lines).tolist() == [[True, True, False, False]]


def test_zero_can_be_a_complement_on_inconsistent_lines():
    # A line whose total does not match its parts: 2 + 0 = 0. Nothing non-zero is left to
    # protect the hidden 2, and "0 - 0" would give the hidden part away, so the zero is hidden.
    counts = np.array([[2, 0, 0]])
    lines = [Line(total=(0, 2), parts=((0, 0), (0, 1)))]
    reasons = suppression_reasons(counts, lines)
    assert reasons.tolist() == [[Reason.PRIMARY, Reason.COMPLEMENT, Reason.SHOWN]]


def test_combinations_of_lines_are_covered_by_rule_three():
    # Found by random search: with the per-line rules alone, threshold 3, the hidden cells form
    # two rectangles joined by row 2; every line has 0 or >= 2 hidden cells, yet
    # rows 0 + 1 - column 0 give (0,1) + (1,1), and column 1 then gives the primary 2 at (2,1).
    counts = np.array(
        [
            [13, 17, 17, 30, 77],
            [5, 13, 6, 26, 50],
            [17, 2, 5, 27, 51],
            [13, 29, 2, 8, 52],
            [16, 0, 12, 14, 42],
            [64, 61, 42, 105, 272],
        ]
    )
    lines = grid_lines(6, 5)
    per_line = suppress(counts, lines, threshold=3, protect_combinations=False)
    assert hidden_cells(per_line) == {
        (0, 0), (0, 1), (1, 0), (1, 1), (2, 1), (2, 2), (3, 2), (3, 3), (4, 2), (4, 3)
    }  # fmt: skip
    assert iterated_attack(counts, lines, per_line) == {}  # no single line helps ...
    # ... but a combination does, worked out by hand:
    rows01 = (77 - 17 - 30) + (50 - 6 - 26)  # (0,0)+(0,1) + (1,0)+(1,1) = 48
    col0 = 64 - 17 - 13 - 16  # (0,0)+(1,0) = 18
    col1 = 61 - 29 - 0  # (0,1)+(1,1)+(2,1) = 32
    assert col1 - (rows01 - col0) == counts[2, 1] == 2
    assert linear_attack(counts, lines, per_line) == {(2, 1), (2, 2)}
    assert hidden_cells(determined(counts, lines, per_line)) == {(2, 1), (2, 2)}

    full = suppress(counts, lines, threshold=3)
    assert per_line.sum() < full.sum() and (full >= per_line).all()
    assert linear_attack(counts, lines, full) == set()
    assert not determined(counts, lines, full).any()


def test_grid_lines_layout():
    lines = grid_lines(3, 3)
    assert lines[0] == Line((0, 2), ((0, 0), (0, 1)))
    assert lines[2] == Line((2, 2), ((2, 0), (2, 1)))  # the total row's own line
    assert lines[3] == Line((2, 0), ((0, 0), (1, 0)))
    assert lines[5] == Line((2, 2), ((0, 2), (1, 2)))  # grand total: last row and last column
    assert len(lines) == 6
    assert grid_lines(3, 3, col_totals=False) == lines[:3]
    assert grid_lines(3, 3, row_totals=False) == lines[3:]
    with pytest.raises(ValueError):
        grid_lines(3, 1)


def test_bad_input_is_refused():
    lines = grid_lines(2, 2)
    with pytest.raises(ValueError, match="non-negative"):
        suppress(np.array([[1, -1], [1, -1]]), lines)
    with pytest.raises(ValueError, match="integers"):
        suppress(np.array([[1.0, 1.0], [1.0, 1.0]]), lines)
    with pytest.raises(ValueError, match="outside"):
        suppress(np.zeros((2, 2), dtype=int), [Line((0, 0), ((5, 5),))])
    with pytest.raises(ValueError, match="twice"):
        suppress(np.zeros((2, 2), dtype=int), [Line((0, 0), ((0, 1), (0, 1)))])
    with pytest.raises(ValueError, match="no parts"):
        suppress(np.zeros((2, 2), dtype=int), [Line((0, 0), ())])


def test_legend():
    assert SUPPRESSED == ".."
    assert legend(4) == (
        ".. = uppgiften visas inte för att skydda enskilda personer: antal från 1 till och med 4 "
        "och de uppgifter som annars skulle gå att räkna fram ur summorna."
    )
    assert "till och med 2 och" in legend(2)


# --------------------------------------------------------------------------------------------
# Tidy tables


def tidy(table: dict[str, tuple[int, ...]], genders=("kvinna", "man")) -> pd.DataFrame:
    rows = [
        (kategori, kon, antal)
        for kategori, values in table.items()
        for kon, antal in zip((*genders, "totalt"), (*values, sum(values)), strict=True)
    ]
    return pd.DataFrame(rows, columns=["kategori", "kon", "antal"])


def test_suppress_tidy_shares_and_order():
    # kvinna 37 + 60 + 32 = 129, man 20 + 2 + 10 = 32, totalt 57 + 62 + 42 = 161.
    # Y/man 2 is primary; row Y takes Y/kvinna; column kvinna takes Z/kvinna (32 < 37);
    # column man takes Z/man (10 < 20); the column totals and totalt all stay shown.
    table = tidy({"X": (37, 20), "Y": (60, 2), "Z": (32, 10)})
    table.index = range(100, 109)
    out = suppress_tidy(table)
    assert list(out.index) == list(table.index)
    assert list(out.columns) == ["kategori", "kon", "antal", "undertryckt", "andel"]
    assert out["antal"].dtype == "Int64"
    hidden = out[out["undertryckt"]]
    assert list(zip(hidden["kategori"], hidden["kon"], strict=True)) == [
        ("Y", "kvinna"),
        ("Y", "man"),
        ("Z", "kvinna"),
        ("Z", "man"),
    ]
    assert hidden["antal"].isna().all() and hidden["andel"].isna().all()
    shown = out[~out["undertryckt"]].set_index(["kategori", "kon"])
    assert shown.loc[("X", "kvinna"), "andel"] == 100 * 37 / 129  # unrounded
    assert shown.loc[("X", "man"), "andel"] == 100 * 20 / 32
    assert shown.loc[("Z", "totalt"), "andel"] == 100 * 42 / 161
    assert shown.loc[("Y", "totalt"), "antal"] == 62
    assert table["antal"].dtype == "int64"  # the input is left alone


def test_with_total_row_matches_the_mask():
    table = tidy({"X": (37, 20), "Y": (60, 2), "Z": (32, 10)})
    out = with_total_row(table)
    pd.testing.assert_frame_equal(out.iloc[:9], suppress_tidy(table).reset_index(drop=True))
    total = out.iloc[9:]
    assert total["kategori"].tolist() == ["totalt"] * 3
    assert total["kon"].tolist() == ["kvinna", "man", "totalt"]
    assert total["antal"].tolist() == [129, 32, 161]
    assert not total["undertryckt"].any()
    assert total["andel"].tolist() == [100.0, 100.0, 100.0]
    with pytest.raises(ValueError, match="before suppression"):
        with_total_row(suppress_tidy(table))


def test_small_column_total_is_hidden_in_the_total_row():
    # man: 0 + 3 + 0 = 3, a small column total -> hidden in the total row, as is Y/man; the
    # shares in that column are hidden too (their denominator is hidden).
    table = tidy({"X": (30, 0), "Y": (20, 3), "Z": (25, 0)})
    out = with_total_row(table).set_index(["kategori", "kon"])
    assert out.loc[("totalt", "man"), "undertryckt"]
    assert pd.isna(out.loc[("totalt", "man"), "antal"])
    assert out.loc[("Y", "man"), "undertryckt"]
    assert not out.loc[("X", "man"), "undertryckt"]  # zeros are shown ...
    assert math.isnan(out.loc[("X", "man"), "andel"])  # ... but not as a share of a hidden total
    counts = out["antal"].dropna()
    assert not counts.between(1, 4).any()


def test_flow_table_with_an_identity_between_categories():
    # samtliga = pagaende + avslutade per gender; rows are not additive categories.
    # Women: 10 = 3 + 7. pagaende/kvinna 3 is primary; samtliga - avslutade would give it away,
    # so avslutade/kvinna is hidden too (and the men's cells by the row totals).
    table = tidy({"samtliga": (10, 12), "pagaende": (3, 6), "avslutade": (7, 6)})
    out = suppress_tidy(
        table, additive_categories=False, extra_lines=[("samtliga", ("pagaende", "avslutade"))]
    ).set_index(["kategori", "kon"])
    assert out.loc[("pagaende", "kvinna"), "undertryckt"]
    assert out.loc[("avslutade", "kvinna"), "undertryckt"]
    assert not out.loc[("samtliga", "kvinna"), "undertryckt"]
    assert out["andel"].isna().all()  # no column total without additive categories
    # Without the identity only the row line protects pagaende/kvinna.
    plain = suppress_tidy(table, additive_categories=False).set_index(["kategori", "kon"])
    assert not plain.loc[("avslutade", "kvinna"), "undertryckt"]
    assert plain.loc[("pagaende", "man"), "undertryckt"]


def test_tidy_input_errors():
    table = tidy({"X": (37, 20)})
    with pytest.raises(ValueError, match="unknown categories"):
        suppress_tidy(table, extra_lines=[("X", ("nope",))])
    with pytest.raises(ValueError, match="reserved"):
        suppress_tidy(tidy({"totalt": (1, 2)}))
    with pytest.raises(ValueError, match="every kategori"):
        suppress_tidy(tidy({"X": (37, 20), "Y": (5, 6)}).iloc[:-1])
    with pytest.raises(ValueError, match="twice"):
        suppress_tidy(pd.concat([table, table]))


# --------------------------------------------------------------------------------------------
# Properties on random tables


@st.composite
def tables(draw, consistent: bool = True):
    n_rows = draw(st.integers(1, 8))
    n_cols = draw(st.integers(1, 4))
    totals = draw(st.sampled_from([(True, True), (True, True), (True, False), (False, True)]))
    cells = st.integers(0, 30)
    counts = with_totals(
        draw(arrays(np.int64, (n_rows, n_cols), elements=cells, fill=st.nothing())), *totals
    )
    if not consistent:  # the last column (totals, or a category) replaced by random numbers
        counts[:, -1] = draw(arrays(np.int64, counts.shape[0], elements=cells, fill=st.nothing()))
    lines = grid_lines(*counts.shape, *totals)
    return counts, lines, draw(st.integers(1, 6))


@settings(max_examples=300, deadline=None)
@given(tables())
def test_nothing_small_is_published(case):
    counts, lines, threshold = case
    mask = suppress(counts, lines, threshold)
    shown = counts[~mask]
    assert not ((shown >= 1) & (shown <= threshold)).any()
    assert mask[(counts >= 1) & (counts <= threshold)].all()


@settings(max_examples=300, deadline=None)
@given(tables(), st.booleans())
def test_no_line_gives_a_hidden_cell_away(case, combinations):
    counts, lines, threshold = case
    mask = suppress(counts, lines, threshold, protect_combinations=combinations)
    for line in lines:
        assert sum(bool(mask[cell]) for cell in line.cells) != 1
    assert single_line_attack(counts, lines, mask) == {}
    # Chained subtraction (and the "all ones" inference) has no first step to take, with or
    # without the combination rule.
    assert iterated_attack(counts, lines, mask) == {}


@settings(max_examples=300, deadline=None)
@given(tables())
def test_no_combination_of_lines_gives_a_hidden_cell_away(case):
    counts, lines, threshold = case
    mask = suppress(counts, lines, threshold)
    assert linear_attack(counts, lines, mask) == set()
    assert not determined(counts, lines, mask).any()


@settings(max_examples=300, deadline=None)
@given(tables(), st.booleans())
def test_zeros_are_shown(case, combinations):
    counts, lines, threshold = case
    reasons = suppression_reasons(counts, lines, threshold, protect_combinations=combinations)
    # A zero is never primary. On a consistent table the per-line rules never even need one:
    # a line with one hidden cell and nothing non-zero left to hide would be all zeros.
    assert not (reasons[counts == 0] == Reason.PRIMARY).any()
    if not combinations:
        assert not reasons[counts == 0].any()


@settings(max_examples=300, deadline=None)
@given(tables(consistent=False))
def test_inconsistent_tables_keep_the_per_line_guarantee(case):
    counts, lines, threshold = case
    reasons = suppression_reasons(counts, lines, threshold)
    mask = reasons != 0
    for line in lines:
        assert sum(bool(mask[cell]) for cell in line.cells) != 1
    hidden_zeros = reasons[(counts == 0) & mask]
    assert (hidden_zeros == Reason.COMPLEMENT).all()  # a zero is hidden only as a complement


@settings(max_examples=300, deadline=None)
@given(tables())
def test_deterministic_and_monotone(case):
    counts, lines, threshold = case
    first = suppress(counts, lines, threshold)
    assert (suppress(counts.copy(), list(lines), threshold) == first).all()
    # Suppressing the result again changes nothing the attacker could use, and the combination
    # rule only ever adds cells to the per-line result.
    per_line = suppress(counts, lines, threshold, protect_combinations=False)
    assert (first >= per_line).all()


@settings(max_examples=50, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 20), st.integers(0, 20), st.integers(0, 3)),
        min_size=1,
        max_size=8,
    ),
    st.integers(1, 6),
)
def test_tidy_tables_publish_nothing_small(rows, threshold):
    table = tidy({f"k{i}": values for i, values in enumerate(rows)}, ("kvinna", "man", "okant"))
    out = with_total_row(table, threshold=threshold)
    hidden = out["undertryckt"].to_numpy()
    shown = out["antal"][~hidden].astype(int)
    assert not shown.between(1, threshold).any()
    assert out["antal"][hidden].isna().all() and out["andel"][hidden].isna().all()
    # Each published share is antal / published column total.
    totals = out[out["kategori"] == "totalt"].set_index("kon")["antal"]
    with_share = out[out["andel"].notna()]
    expected = 100 * with_share["antal"].astype(float) / with_share["kon"].map(totals).astype(float)
    assert (with_share["andel"] == expected).all()
