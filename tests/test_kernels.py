"""Warm kernels: a page executed on a kernel that already ran other pages gives exactly the
outputs of a fresh kernel, and the kernel is started once per worker."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from jupyter_core.utils import run_sync

from finsam.paths import EXAMPLE_DATASET
from finsam.pipeline import kernels
from finsam.pipeline.build import prepare_store
from finsam.pipeline.execute import ensure_kernel, execute_run
from finsam.pipeline.matrix import plan_runs

pytestmark = pytest.mark.pipeline

MATRIX = {
    "years": [2022],
    "riket": True,
    "forbund": [{"name": "Samordningsförbundet Insjöriket", "kommuner": ["Mölndal"]}],
}

# What a careless page could leave behind: variables, pandas and matplotlib options, another
# working folder, a high execution counter.
POLLUTION = """
import os, pandas as pd, matplotlib as mpl
page = None; show = None
pd.set_option("display.precision", 1)
mpl.rcParams["font.size"] = 30
os.chdir("/")
"""


def _cells(path: Path) -> list[tuple]:
    """What a reader of the notebook sees: each cell's source, execution count and outputs
    (papermill's timings left out)."""
    nb = nbformat.read(path, as_version=4)
    return [
        (cell.cell_type, cell.source, cell.get("execution_count"), cell.get("outputs"))
        for cell in nb.cells
    ]


@pytest.fixture(scope="module")
def runs_and_store(tmp_path_factory):
    ensure_kernel()
    store = prepare_store(EXAMPLE_DATASET, tmp_path_factory.mktemp("store"))
    runs = plan_runs(MATRIX, store)
    kinds = [run.kind for run in runs]
    assert {"riket", "forbund", "kommun", "ekonomi", "mal"} <= set(kinds), kinds
    return runs, store


def test_a_warm_kernel_gives_a_fresh_kernels_outputs(runs_and_store, tmp_path):
    runs, store = runs_and_store
    kernels.discard_kernel()
    # Every kind of page one after the other on one kernel, dirtied between pages.
    order = [*runs, runs[0]]
    warm_outputs = []
    for i, run in enumerate(order):
        result = execute_run(run, store.path, tmp_path / f"warm{i}", f"key{i}", warm=True)
        assert result.error is None, result.error
        warm_outputs.append(_cells(result.path))
        kernel = kernels.warm_kernel()
        reply = run_sync(kernel.kc.execute_interactive)(POLLUTION, store_history=True, timeout=30)
        assert reply["content"]["status"] == "ok"
        if i == 0:
            first_kernel = kernel.km.kernel_id
    assert kernels.warm_kernel().km.kernel_id == first_kernel  # one kernel for every page
    assert kernels.warm_kernel().pages == len(order)
    kernels.discard_kernel()

    fresh_outputs = []
    for i, run in enumerate(runs):
        fresh = execute_run(run, store.path, tmp_path / f"fresh{i}", f"key{i}", warm=False)
        assert fresh.error is None, fresh.error
        fresh_outputs.append(_cells(fresh.path))
    for run, warm_cells, fresh_cells in zip(
        order, warm_outputs, [*fresh_outputs, fresh_outputs[0]], strict=True
    ):
        assert len(fresh_cells) == len(warm_cells)
        for warm_cell, fresh_cell in zip(warm_cells, fresh_cells, strict=True):
            assert warm_cell == fresh_cell, f"{run.page}: warm {warm_cell!r:.800}"
    # The pages' code cells are numbered from 1 on, as in a fresh kernel.
    counts = [c[2] for c in warm_outputs[-1] if c[0] == "code"]
    assert counts == list(range(1, len(counts) + 1))


def test_a_failed_page_does_not_leave_its_kernel_to_the_next(runs_and_store, tmp_path):
    runs, store = runs_and_store
    kernels.discard_kernel()
    first = execute_run(runs[0], store.path, tmp_path / "a", "k1")
    assert first.error is None
    kernel = kernels.warm_kernel()
    broken = runs[1].__class__(**{**runs[1].__dict__, "protection": str(tmp_path / "none")})
    failed = execute_run(broken, store.path, tmp_path / "b", "k2")
    assert failed.error and "no such protection file" in failed.error
    assert getattr(kernels._local, "kernel", None) is None  # discarded, not reused
    assert not run_sync(kernel.km.is_alive)()
    again = execute_run(runs[1], store.path, tmp_path / "c", "k3")
    assert again.error is None
    kernels.discard_kernel()
