"""The build engine at national scale, on the synthetic national dataset, in one run:

1. **Cold build** of the one-year national site (``params/riket-2021.yml``: the national page,
   every förbund and every member kommun, HTML and PDF) with 2 jobs, seconds per phase, against
   the target of 120 s.
2. **Unchanged rebuild** (target ≤ 3 s): nothing executed, staged or rendered.
3. **One kommun corrected**: one participation of one kommun changed, rebuilt; the pages that
   executed again and the seconds.
4. **Plain papermill loop against the build** on a fixed sample of 20 kommun pages: each page
   with ``papermill.execute_notebook`` on a fresh kernel, one after the other (how a notebook
   project runs without this engine), against the build's execution of the same 20 pages (warm
   kernels, 2 workers); wall-clock and CPU seconds (this process and its children), target ≥ 5×.

Run with ``.venv/bin/python bench/national_build.py [--keep DIR]``; ``--keep`` reuses (or
writes) the dataset and the build there instead of a temporary folder.
"""

from __future__ import annotations

import argparse
import csv
import resource
import shutil
import tempfile
import time
from pathlib import Path

from finsam.inputs.synth import write_tables
from finsam.inputs.synth_national import synthesize_national
from finsam.paths import NOTEBOOK_DIR, PARAMS_DIR
from finsam.pipeline.build import build_site, prepare_store
from finsam.pipeline.dependencies import PageInputs
from finsam.pipeline.execute import ensure_kernel, execute_runs
from finsam.pipeline.kernels import KERNEL_NAME
from finsam.pipeline.progress import BuildProgress

PARAMS = PARAMS_DIR / "riket-2021.yml"
SAMPLE = 20
TARGET_BUILD, TARGET_NOOP, TARGET_RATIO = 120, 3, 5


class Phases(BuildProgress):
    """Seconds per build phase."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._phase, self._start = "preparing the store", time.perf_counter()

    def phase(self, name: str, total: int | None = None) -> None:
        now = time.perf_counter()
        self.seconds[self._phase] = now - self._start
        self._phase, self._start = name, now

    def close(self) -> None:
        self.phase("done")

    def text(self) -> str:
        return ", ".join(f"{name} {s:.1f} s" for name, s in self.seconds.items())


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def timed_build(data: Path, work: Path, label: str):
    phases = Phases()
    start = time.perf_counter()
    result = build_site(data, work / "site", work / "build", PARAMS, "builtin", 2, phases)
    seconds = time.perf_counter() - start
    print(
        f"{label}: {seconds:.1f} s, {len(result.results)} pages, {result.executed} executed, "
        f"site {'rendered' if result.rendered else 'unchanged'} ({phases.text()})",
        flush=True,
    )
    return result, seconds


def correct_one_kommun(data: Path) -> str:
    """Change the education of the first participation (by id) of a kommun; returns its code."""
    path = data / "deltaganden.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    row = min(
        (r for r in rows if r["kommun"] and r["utbildning"]), key=lambda r: r["deltagande_id"]
    )
    row["utbildning"] = "gymnasium" if row["utbildning"] != "gymnasium" else "grundskola"
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return row["kommun"]


def papermill_loop(runs, store_path: Path, out: Path) -> None:
    import papermill as pm

    from finsam.pipeline.kernels import LocalKernelManager

    for run in runs:
        pm.execute_notebook(
            str(NOTEBOOK_DIR / f"{run.kind}.ipynb"),
            str(out / f"{run.slug}.ipynb"),
            parameters=run.parameters(store_path),
            kernel_name=KERNEL_NAME,
            cwd=str(NOTEBOOK_DIR),
            progress_bar=False,
            kernel_manager_class=LocalKernelManager,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--keep", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=3)
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="finsam-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    data = work / "riket"
    if not (data / "deltaganden.csv").is_file():
        write_tables(data, synthesize_national(args.seed), "benchmark", args.seed)
    try:
        _, cold_seconds = timed_build(data, work, "cold national build, 2 jobs")
        print(f"  {cold_seconds / TARGET_BUILD:.2f}× the {TARGET_BUILD} s target")
        _, noop = timed_build(data, work, "unchanged rebuild")
        print(f"  {noop / TARGET_NOOP:.2f}× the {TARGET_NOOP} s target")
        kommun = correct_one_kommun(data)
        corrected, _ = timed_build(data, work, f"rebuild after correcting kommun {kommun}")
        pages = sorted(r.run.page for r in corrected.results if r.executed)
        print(f"  executed: {', '.join(pages)}")

        store = prepare_store(data, work / "build")
        runs = [r for r in corrected.results if r.run.kind == "kommun"][:SAMPLE]
        sample = [r.run for r in runs]
        ensure_kernel()
        loop_dir = work / "loop"
        shutil.rmtree(loop_dir, ignore_errors=True)
        loop_dir.mkdir()
        cpu, start = cpu_seconds(), time.perf_counter()
        papermill_loop(sample, store.path, loop_dir)
        loop_wall, loop_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        inputs = PageInputs(store, Path(sample[0].protection) if sample[0].protection else None)
        fresh = work / "sample-build"
        shutil.rmtree(fresh, ignore_errors=True)
        cpu, start = cpu_seconds(), time.perf_counter()
        execute_runs(sample, store.path, fresh, {r: inputs.digest(r) for r in sample}, jobs=2)
        build_wall, build_cpu = time.perf_counter() - start, cpu_seconds() - cpu
        print(
            f"{SAMPLE} kommun pages: papermill loop {loop_wall:.1f} s wall / {loop_cpu:.1f} CPU-s "
            f"({loop_wall / SAMPLE:.2f} s a page); build {build_wall:.1f} s wall / "
            f"{build_cpu:.1f} CPU-s ({build_wall / SAMPLE:.2f} s a page): "
            f"{loop_wall / build_wall:.1f}× faster wall-clock, {loop_cpu / build_cpu:.1f}× less "
            f"CPU (target {TARGET_RATIO}×)"
        )
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
