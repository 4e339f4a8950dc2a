"""Benchmarks: ratios against a baseline measured in the same run (machines here are noisy).

1. Validation + ingest of the embedded example versus only reading its CSV files with pandas
   (the floor any reader pays).
2. Building the site of the example for one year: two parallel runs versus one at a time, and a
   rebuild with nothing changed (cached runs) versus the cold build.

Run with ``make bench`` or ``.venv/bin/python bench/run.py [--repeat N]``.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from finsam.paths import EXAMPLE_DATASET
from finsam.pipeline.build import build_site, prepare_store

MATRIX = """years: [2022]
forbund:
  - name: Samordningsförbundet Insjöriket
    kommuner: auto
"""


def timed(action: Callable[[], object], repeat: int) -> float:
    """Median wall-clock seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    work = Path(tempfile.mkdtemp(prefix="finsam-bench-"))
    try:
        baseline = timed(
            lambda: [pd.read_csv(f, dtype=str) for f in EXAMPLE_DATASET.glob("*.csv")], repeat
        )
        # Each ingest into a fresh build folder: an unchanged dataset's store is otherwise reused.
        ingest = timed(
            lambda: prepare_store(EXAMPLE_DATASET, Path(tempfile.mkdtemp(dir=work))), repeat
        )
        reuse = timed(lambda: prepare_store(EXAMPLE_DATASET, work / "reused"), repeat + 1)
        print(f"read CSV only (baseline)      {baseline:8.3f} s")
        print(f"validate + ingest             {ingest:8.3f} s   ratio {ingest / baseline:6.1f}×")
        print(f"reuse the unchanged store     {reuse:8.3f} s   ratio {reuse / baseline:6.1f}×")

        matrix = work / "matrix.yml"
        matrix.write_text(MATRIX, encoding="utf-8")

        def cold(jobs: int) -> tuple[float, int]:
            build_dir = work / f"build-{jobs}"
            shutil.rmtree(build_dir, ignore_errors=True)
            start = time.perf_counter()
            built = build_site(
                EXAMPLE_DATASET, work / f"site-{jobs}", build_dir, matrix, "builtin", jobs
            )
            return time.perf_counter() - start, len(built.results)

        serial, pages = cold(1)
        parallel, _ = cold(2)
        cached = timed(
            lambda: build_site(
                EXAMPLE_DATASET, work / "site-2", work / "build-2", matrix, "builtin", 2
            ),
            1,
        )
        ratio = parallel / serial
        print(f"build {pages} pages, 1 job (base)   {serial:8.3f} s")
        print(f"build {pages} pages, 2 jobs         {parallel:8.3f} s   ratio {ratio:6.2f}×")
        print(f"rebuild, nothing changed      {cached:8.3f} s   ratio {cached / serial:6.2f}×")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
