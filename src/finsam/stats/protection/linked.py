"""Small-count protection over linked tables: everything published together is protected as one
system of cells and :class:`~finsam.stats.protection.audit.Relation` s.

The rule (the method page states it in Swedish):

1. **Primary suppression.** Every count from 1 up to and including the threshold (default 4) is
   hidden. Zeros are shown, and a zero is never hidden, so a reader rightly knows that a hidden
   cell is at least 1.
2. **Complements, quickly.** A relation with exactly one hidden cell would give it away by
   subtraction, and hidden cells on one side of a relation whose sum is small are narrowed to
   a few values: one more cell of that relation is hidden (see :func:`_close_local`).
3. **Complements until the attacker fails.** The audit
   (:mod:`finsam.stats.protection.audit`) computes the interval of every hidden cell from all
   relations at once; for each hidden cell whose
   interval spans fewer than four values, one more cell is hidden: in one of its own relations
   (table relations first), else in one of the relations that hold its bounds
   (:func:`~finsam.stats.protection.audit.pinning_relations`). A cell held by a relation across
   förbund families (a national sum) takes it from the nearest relation that holds it within a
   family: a complement in its own table would leave the national sum holding it, and one in
   another förbund is often held the same way, which made the rounds run on
   (:func:`_complement_order`). Steps 2–3 repeat until every interval spans at least four
   values.

**Speed.** Hiding one more cell only widens the intervals of the others (every solution
before is still one after, with the new cell at its true value, which is at least 1), so a cell
that passed once is not audited again; each round audits only the failing and the newly hidden
cells. A national site is protected in two stages: first within each förbund family (a förbund
and its kommun pages; small groups of cells, quick audits), then against all relations
including the national page's sums over förbund, starting from the first stage's result.

**Termination.** Each round hides at least one more positive cell or stops; when every cell of a
group of connected relations is hidden, every interval is unbounded (all counts can be scaled
up), so the loop ends with a passing audit at the latest when everything is hidden.

**Determinism.** Cells are visited in index order and ties broken by position; the same input
gives the same mask.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

from finsam.stats.protection.audit import MIN_WIDTH, Relation, failures, pinning_relations

# Complements come first from the table itself, then from linked tables, levels and years.
KIND_ORDER = {"table": 0, "link": 1, "quality": 2, "level": 3, "year": 4}


def protect(
    values: np.ndarray,
    relations: Sequence[Relation],
    threshold: int,
    *,
    protectable: np.ndarray | None = None,
    local: Sequence[Relation] | None = None,
    max_rounds: int = 10_000,
) -> np.ndarray:
    """Boolean mask (``True`` = hidden) of ``values`` (non-negative integers) such that the audit
    passes: every hidden cell's interval spans at least four values.

    ``protectable`` marks the cells that count people (default all); the others (e.g. counts of
    insatser) are never hidden but still take part in the relations. ``threshold`` 0 hides
    nothing. ``local`` is a subset of ``relations`` that splits the cells into small groups
    (e.g. the relations within each förbund of a national site): the cells are protected
    against it first, where each audit is quick, and from that start against all relations,
    where most cells then pass at the first audit.
    """
    values = np.asarray(values, dtype=np.int64)
    if (values < 0).any():
        raise ValueError("counts must be non-negative")
    can_hide = np.ones(values.size, bool) if protectable is None else np.asarray(protectable, bool)
    hidden = can_hide & (values >= 1) & (values <= threshold)
    if not hidden.any():
        return hidden
    if local is None:
        return _protect_from(values, relations, threshold, can_hide, hidden, max_rounds)
    hidden = _protect_from(values, local, threshold, can_hide, hidden, max_rounds)
    within = set(local)
    wide = frozenset(i for i, relation in enumerate(relations) if relation not in within)
    return _protect_from(values, relations, threshold, can_hide, hidden, max_rounds, wide)


def _protect_from(
    values: np.ndarray,
    relations: Sequence[Relation],
    threshold: int,
    can_hide: np.ndarray,
    hidden: np.ndarray,
    max_rounds: int,
    wide: frozenset[int] = frozenset(),
) -> np.ndarray:
    """Add complements to ``hidden`` until every hidden cell passes the audit of ``relations``
    (``wide``: indices of the relations that join families, where complements come last)."""
    hidden = hidden.copy()
    of_cell: list[list[int]] = [[] for _ in range(values.size)]
    for index, relation in enumerate(relations):
        for c in set(relation.cells):
            of_cell[c].append(index)
    candidates = can_hide & (values > 0)
    equalities = [r for r in relations if r.equal]
    equalities_of: list[list[Relation]] = [[] for _ in range(values.size)]
    for relation in equalities:
        for c in set(relation.cells):
            equalities_of[c].append(relation)

    def spread(c: int) -> int:
        """Equalities of ``c`` that hiding it would leave with a single hidden cell."""
        return sum(not hidden[list(r.cells)].any() for r in equalities_of[c])

    passed = np.zeros(values.size, bool)  # hiding more never narrows an interval
    for _ in range(max_rounds):
        _close_local(values, hidden, candidates, equalities, threshold, spread)
        pending = np.flatnonzero(hidden & ~passed)
        failed = failures(values, hidden, relations, only=pending, exact=False)
        passed[pending] = True
        passed[[f.cell for f in failed]] = False
        if not failed:
            return hidden
        pinning: dict[int, list[int]] = {}
        if wide:
            pinning = pinning_relations(values, hidden, relations, [f.cell for f in failed])
        touched: set[int] = set()
        added = False
        for interval in failed:
            cell = interval.cell
            if touched & set(of_cell[cell]):
                continue  # a relation of this cell got a new hidden cell this round
            pick = None
            for chosen in _complement_order(
                cell, of_cell[cell], pinning, wide, values, hidden, relations
            ):
                pick = _best_complement(
                    values,
                    hidden,
                    candidates,
                    (relations[i] for i in chosen),
                    cell,
                    threshold,
                    spread=spread,
                )
                if pick is not None:
                    break
            if pick is None:
                pick = _nearest_shown(
                    values, hidden, candidates, relations, of_cell, cell, threshold
                )
            if pick is None:
                continue
            hidden[pick] = True
            touched |= set(of_cell[pick])
            added = True
        if not added:
            cells = ", ".join(f"{f.cell} in [{f.low:g}, {f.high:g}]" for f in failed[:5])
            raise RuntimeError(f"protection cannot widen the intervals of cells {cells}")
    raise RuntimeError("protection did not converge")


def _complement_order(
    cell: int,
    own: list[int],
    pinning: dict[int, list[int]],
    wide: frozenset[int],
    values: np.ndarray,
    hidden: np.ndarray,
    relations: Sequence[Relation],
) -> Iterator[list[int]]:
    """The groups of relations (indices) to take a complement for ``cell`` from, in turn.

    A cell held by a relation across families (another förbund's cells of a national sum):
    the relations that hold its bounds one at a time, nearest first, those within a family
    before the wide ones. A complement in the cell's own table would leave the national sum
    holding it, and one in another förbund is often held the same way by its own tables.
    Any other cell: its own relations within a family (table relations first, the cheapest
    complement in information lost), then those that hold its bounds, then all its own.
    """
    pinned = pinning.get(cell)
    if pinned is None and not wide:
        yield own
        pinned = pinning_relations(values, hidden, relations, [cell])[cell]
        yield pinned
        yield own
        return
    pinned = pinned or []
    if any(i in wide for i in pinned):
        for i in sorted(pinned, key=lambda i: i in wide):  # stable: nearest first
            yield [i]
    else:
        yield [i for i in own if i not in wide]
        yield pinned
    yield own


def _need(values: np.ndarray, cell: int, threshold: int) -> int:
    """How large a complement should be so that it and ``cell`` together hide more people than
    the threshold plus the width the interval needs."""
    return max(1, threshold + MIN_WIDTH - int(values[cell]))


def _best_complement(
    values: np.ndarray,
    hidden: np.ndarray,
    candidates: np.ndarray,
    relations: Iterable[Relation],
    cell: int,
    threshold: int,
    need: int | None = None,
    spread: Callable[[int], int] = lambda c: 0,
) -> int | None:
    """The shown cell to hide for ``cell`` among ``relations`` (table relations first), the one
    that leaves the fewest other equalities with a single hidden cell (``spread``), then the
    smallest count that is at least ``need`` (default :func:`_need`), else the largest count;
    ties by position."""
    need = _need(values, cell, threshold) if need is None else need
    best = None
    for relation in relations:
        rank = KIND_ORDER.get(relation.kind, len(KIND_ORDER))
        for c in relation.cells:
            if hidden[c] or not candidates[c]:
                continue
            v = int(values[c])
            key = (rank, spread(c), 0, v, c) if v >= need else (rank, spread(c), 1, -v, c)
            if best is None or key < best[0]:
                best = (key, c)
    return None if best is None else best[1]


def _nearest_shown(
    values: np.ndarray,
    hidden: np.ndarray,
    candidates: np.ndarray,
    relations: Sequence[Relation],
    of_cell: list[list[int]],
    cell: int,
    threshold: int,
) -> int | None:
    """When all cells of ``cell``'s relations are hidden: the best complement in the relations
    of the hidden cells connected to it (breadth first)."""
    seen, frontier = {cell}, [cell]
    while frontier:
        following = []
        for c in frontier:
            for index in of_cell[c]:
                for d in relations[index].cells:
                    if d in seen or not hidden[d]:
                        continue
                    seen.add(d)
                    following.append(d)
        for c in following:
            mine = (relations[i] for i in of_cell[c])
            pick = _best_complement(values, hidden, candidates, mine, c, threshold)
            if pick is not None:
                return pick
        frontier = following
    return None


def _close_local(
    values: np.ndarray,
    hidden: np.ndarray,
    candidates: np.ndarray,
    equalities: Sequence[Relation],
    threshold: int,
    spread: Callable[[int], int] = lambda c: 0,
) -> None:
    """Rule 2, and its cheap generalisation: an equality whose hidden cells all stand on one
    side fixes their sum ``s``; with ``k`` of them, each lies in ``[1, s − k + 1]``, so one
    hidden cell alone is disclosed and ``k`` cells with ``s − k < MIN_WIDTH`` fail the audit.
    Until no equality is in that state, hide a complement in it (a cell on the same side that
    is large enough, see :func:`_best_complement`)."""
    changed = True
    while changed:
        changed = False
        for relation in equalities:
            plus = [c for c in relation.plus if hidden[c]]
            minus = [c for c in relation.minus if hidden[c]]
            if (plus and minus) or not (plus or minus):
                continue
            side = plus or minus
            total = int(values[side].sum())
            if len(side) >= 2 and total - len(side) >= MIN_WIDTH:
                continue
            pick = _best_complement(
                values,
                hidden,
                candidates,
                (relation,),
                side[0],
                threshold,
                need=MIN_WIDTH + len(side) + 1 - total,
                spread=spread,
            )
            if pick is not None:
                hidden[pick] = True
                changed = True
