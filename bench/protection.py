"""What site-wide small-count protection costs, against table-by-table protection of the same
pages, measured in the same run.

For the site of a run matrix (default: the embedded example, ``params/site.yml``, 28 pages) it
prints, per page level, the share of non-zero published counts that are hidden (the information
lost to protection) by

* *before*: table by table, kommun pages with every table split by gender (what the pages
  published before);
* *table by table*: the same baseline on today's layout (kommun pages without a gender split
  and without the support, occupation and result tables);
* *site-wide*: the protection every build uses,

how many hidden cells the attacker narrows to fewer than four values under each, and the
seconds each took (time ratio site-wide / table by table).

Run with ``.venv/bin/python bench/protection.py [--data DIR] [--params FILE]``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from finsam.paths import EXAMPLE_DATASET, PARAMS_DIR
from finsam.pipeline.build import prepare_store
from finsam.pipeline.matrix import plan_runs, read_matrix
from finsam.stats.catalog import GENDER_SPLIT, PAGE_TABLES
from finsam.stats.protection.audit import intervals
from finsam.stats.protection.plan import (
    Protection,
    information_loss,
    pages_of,
    protect_pages,
    protect_table_by_table,
)
from finsam.stats.protection.publication import Publication, publication

# What kommun pages published before: every table of the förbund page but the per-kommun and
# structural ones, split by gender.
BEFORE_KOMMUN_TABLES = tuple(
    t
    for t in PAGE_TABLES["forbund"]
    if t not in ("remisser_kommun", "deltagare_kommun", "struktur")
)


def table_by_table(pub: Publication, threshold: int) -> Protection:
    """The baseline mask of ``pub`` and what the attacker makes of it."""
    started = time.perf_counter()
    mask = protect_table_by_table(pub, threshold)
    seconds = time.perf_counter() - started
    attacked = intervals(pub.values, mask, pub.relations, stop_when_passing=True)
    return Protection(pub, mask, threshold, attacked, seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=EXAMPLE_DATASET)
    parser.add_argument("--params", type=Path, default=PARAMS_DIR / "site.yml")
    parser.add_argument("--threshold", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="finsam-bench-") as work:
        store = prepare_store(args.data, Path(work))
        runs = plan_runs(read_matrix(args.params), store)
        keys = sorted({k for run in runs for k in run.protection_keys})
        site_wide = protect_pages(store, keys, args.threshold)
        pub = site_wide.publication
        baseline = table_by_table(pub, args.threshold)
        layout = PAGE_TABLES["kommun"]
        GENDER_SPLIT["kommun"] = True
        PAGE_TABLES["kommun"] = BEFORE_KOMMUN_TABLES
        try:
            split = publication(pages_of(store, sorted(keys)))
        finally:
            GENDER_SPLIT["kommun"] = False
            PAGE_TABLES["kommun"] = layout
        before = table_by_table(split, args.threshold)

    print(f"{len(keys)} pages, {len(pub.cells) - 1} counts, {len(pub.relations)} relations")
    print(f"{'level':8} {'before':>24} {'table by table':>24} {'site-wide':>24}")
    losses = [information_loss(p) for p in (before, baseline, site_wide)]
    for rows in zip(*(loss.itertuples() for loss in losses), strict=True):
        print(
            f"{rows[0].level:8} "
            + " ".join(f"{r.hidden:5} of {r.nonzero:5} ({r.share:5.1f} %)" for r in rows)
        )
    named = (("before", before), ("table by table", baseline), ("site-wide", site_wide))
    for name, protection in named:
        values = protection.publication.values
        failed = protection.failures
        exact = sum(1 for i in failed if i.width == 0)
        values = values[[i.cell for i in failed]]
        print(
            f"{name:15} hidden {int(protection.hidden.sum()):5}; attacker narrows "
            f"{len(failed):5} to < 4 values, {exact:5} exactly "
            f"({int((values <= args.threshold).sum())} of them counts 1–{args.threshold}); "
            f"{protection.seconds:6.1f} s"
        )
    print(f"time ratio site-wide / table by table: {site_wide.seconds / baseline.seconds:.1f}×")
    assert not np.any(site_wide.hidden & (pub.values == 0))


if __name__ == "__main__":
    main()
