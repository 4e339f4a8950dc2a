"""Site-wide small-count protection at national scale, on the synthetic national dataset.

It writes the national dataset (``finsam synth --scale riket``: every förbund and member kommun
of the register, 2017–2021, the published national volumes) and times it against the target of
60 s; then, for the one-year site of the first N förbund (default all 76: the national page,
every förbund page and every member kommun's page of one year), it protects every page together
as ``finsam audit`` and ``finsam build`` do and prints the size of the site, the information lost
per page level (beside the table-by-table rule's loss on the same pages, unaudited), the
seconds per phase (tables of every page, protection within each förbund and
then across förbund, the final audit of every hidden count) and whether the audit passed.

Run with ``.venv/bin/python bench/national.py [--forbund N ...] [--year Y] [--seed S]``; several
``--forbund`` values give a scaling table from the same dataset.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from finsam.inputs.synth import write_tables
from finsam.inputs.synth_national import synthesize_national
from finsam.pipeline.build import prepare_store
from finsam.pipeline.matrix import plan_runs
from finsam.stats.protection.audit import MIN_WIDTH
from finsam.stats.protection.plan import (
    Protection,
    information_loss,
    protect_pages,
    protect_table_by_table,
)

TARGET_SYNTH_SECONDS = 60


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forbund", type=int, nargs="*", default=[76])
    parser.add_argument("--year", type=int, default=2021)
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--threshold", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="finsam-bench-") as work:
        started = time.perf_counter()
        tables = synthesize_national(args.seed)
        write_tables(Path(work) / "riket", tables, "benchmark", args.seed)
        seconds = time.perf_counter() - started
        rows = len(tables["deltaganden"])
        print(
            f"synth --scale riket: {rows} participations in {seconds:.1f} s "
            f"({seconds / TARGET_SYNTH_SECONDS:.2f}× the {TARGET_SYNTH_SECONDS} s target)"
        )
        names = sorted({row["forbund"] for row in tables["deltaganden"]})
        for n in args.forbund:
            chosen = set(names[:n])
            folder = Path(work) / f"first-{n}"
            subset = {
                table: [row for row in rows if row["forbund"] in chosen]
                for table, rows in tables.items()
            }
            write_tables(folder, subset, f"the first {n} förbund", args.seed)
            store = prepare_store(folder, Path(work) / f"build-{n}")
            matrix = {"years": [args.year], "riket": True, "forbund": "auto"}
            keys = sorted({k for run in plan_runs(matrix, store) for k in run.protection_keys})
            protection = protect_pages(store, keys, args.threshold)
            report(n, len(keys), protection)


def report(n: int, pages: int, protection: Protection) -> None:
    pub = protection.publication
    failed = protection.failures
    baseline = Protection(pub, protect_table_by_table(pub, protection.threshold), 4, {}, 0.0)
    shares = " / ".join(
        f"{row.level} {row.share:.1f} % (table by table {base.share:.1f} %)"
        for row, base in zip(
            information_loss(protection).itertuples(),
            information_loss(baseline).itertuples(),
            strict=True,
        )
    )
    phases = ", ".join(f"{name} {s:.1f} s" for name, s in protection.phases.items())
    print(
        f"{n:3} förbund: {pages} pages, {len(pub.cells) - 1} counts, {len(pub.relations)} "
        f"relations; hidden {int(protection.hidden.sum())} ({shares}); "
        f"{len(failed)} cells narrower than {MIN_WIDTH + 1} values; "
        f"{protection.seconds:.1f} s ({phases})"
    )


if __name__ == "__main__":
    main()
