"""Executing report notebooks with papermill: one run per page, cached, in parallel.

Each run executes a notebook from ``notebooks/`` with the project's own Jupyter kernel
(``finsam``, registered inside the virtual environment) so that a run never picks up another
Python, on a warm kernel that the worker keeps for its pages (:mod:`finsam.pipeline.kernels`). A
run is skipped when its executed notebook was made with the same cache key: the notebook, its
parameters, the data the page reads (:mod:`finsam.pipeline.dependencies`) and the package's
source. Outputs are written once, to a temporary file moved into place.
"""

from __future__ import annotations

import functools
import hashlib
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from finsam import __version__
from finsam.paths import NOTEBOOK_DIR
from finsam.pipeline.matrix import Run

# Papermill, nbformat and the kernels are imported where a page is executed, not here: a
# rebuild with nothing to execute never needs them (nbformat alone takes a second to import).

# Workers are fresh processes, not forked from this one: the build has already run threaded
# libraries (HiGHS, DuckDB) whose locks a forked child could inherit held and hang on. They are
# the build's own children, so that they can end with it (see worker_setup).
WORKER_CONTEXT = multiprocessing.get_context("spawn")

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # the whole finsam package
PAGES_PER_WORKER = 8  # pages to execute for each worker started


def ensure_kernel() -> None:
    """Register the ``finsam`` kernel in this environment if it is not there yet."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    from finsam.pipeline.kernels import KERNEL_NAME

    try:
        spec = KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        spec = None
    if spec is not None and Path(spec.argv[0]).resolve() == Path(sys.executable).resolve():
        return
    from ipykernel.kernelspec import install

    install(kernel_name=KERNEL_NAME, display_name="Python (finsam)", prefix=sys.prefix)


@functools.cache
def code_revision() -> str | None:
    """The git commit of the project's checkout (``abc1234``, ``-modified`` when it has
    uncommitted changes), or ``None`` outside a git checkout: the provenance of a page."""
    try:
        done = subprocess.run(
            ["git", "describe", "--always", "--dirty=-modified", "--abbrev=12"],
            cwd=PACKAGE_DIR,
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
            env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},  # reads only: no index refresh
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None


def source_fingerprint() -> str:
    """SHA-256 over the package's Python sources: a code change invalidates cached runs."""
    digest = hashlib.sha256(__version__.encode())
    for file in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(file.relative_to(PACKAGE_DIR).as_posix().encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def cache_key(run: Run, notebook: bytes, data_digest: str, code_fingerprint: str) -> str:
    """The run's ``notebook`` (its file's bytes), its parameters (not the paths of the store
    and the mask, which name their content), the digest of the data it reads
    (:mod:`finsam.pipeline.dependencies`) and the package's source."""
    parameters = {k: v for k, v in run.__dict__.items() if k != "protection"}
    payload = json.dumps(
        {"run": parameters, "data": data_digest, "code": code_fingerprint},
        sort_keys=True,
        default=str,
    ).encode()
    return hashlib.sha256(notebook + payload).hexdigest()


def output_path(run: Run, build_dir: Path) -> Path:
    return Path(build_dir) / "runs" / f"{run.page}.ipynb"


def _key_path(notebook: Path) -> Path:
    """The cache key of an executed notebook, beside it (read without parsing the notebook)."""
    return notebook.with_suffix(".key")


def recorded_key(notebook: Path) -> str | None:
    """The cache key an executed notebook was made with; ``None`` if it has none."""
    try:
        return _key_path(notebook).read_text(encoding="ascii") if notebook.is_file() else None
    except (OSError, UnicodeDecodeError):  # no key, or a damaged one: executed again
        return None


def is_current(run: Run, build_dir: Path, key: str) -> bool:
    """Whether the run's executed notebook exists and was made with ``key``."""
    return recorded_key(output_path(run, build_dir)) == key


def failed_path(run: Run, build_dir: Path) -> Path:
    """Where the notebook of a failed run is kept for inspection (until the run succeeds)."""
    return Path(build_dir) / "failed" / f"{run.page}.ipynb"


@dataclass(frozen=True)
class RunResult:
    """``path`` is the executed notebook, or for a failed run (``error``: the error's first
    line) the notebook as far as it ran."""

    run: Run
    path: Path
    executed: bool
    error: str | None = None

    @property
    def state(self) -> str:
        return "failed" if self.error else "executed" if self.executed else "unchanged"


def execute_run(
    run: Run, store_path: Path, build_dir: Path, key: str, warm: bool = True
) -> RunResult:
    """Execute one run unless its cached output is current; returns where the output is. A
    notebook that fails is kept in ``build_dir/failed/`` and reported in the result, not
    raised: one failing page does not stop the others. ``warm``: on this worker's warm kernel
    (see :mod:`finsam.pipeline.kernels`), else on a kernel of its own."""
    import nbformat
    import papermill as pm

    from finsam.pipeline.kernels import KERNEL_NAME, WARM_ENGINE, LocalKernelManager, discard_kernel

    out = output_path(run, build_dir)
    failed = failed_path(run, build_dir)
    if is_current(run, build_dir, key):
        failed.unlink(missing_ok=True)
        return RunResult(run, out, False)
    _key_path(out).unlink(missing_ok=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".ipynb", dir=out.parent)
    os.close(fd)
    notebook = nbformat.read(NOTEBOOK_DIR / f"{run.kind}.ipynb", as_version=4)
    notebook.metadata["finsam"] = {
        "cache_key": key,
        "run": dict(run.__dict__),
        "finsam_version": __version__,
        "revision": code_revision(),
    }
    try:
        pm.execute_notebook(
            notebook,
            tmp,  # written once, when the run ends (or fails)
            parameters=run.parameters(Path(store_path).resolve()),
            engine_name=WARM_ENGINE if warm else None,
            request_save_on_cell_execute=False,
            kernel_name=KERNEL_NAME,
            cwd=str(NOTEBOOK_DIR),
            progress_bar=False,
            log_output=False,
            kernel_manager_class=LocalKernelManager,
        )
        os.replace(tmp, out)
        _key_path(out).write_text(key, encoding="ascii")
    except Exception as error:  # a failing cell, or a kernel that died: this page only
        discard_kernel()  # a kernel in an unknown state is not reused
        failed.parent.mkdir(parents=True, exist_ok=True)
        if os.path.getsize(tmp):
            os.replace(tmp, failed)
        if isinstance(error, pm.PapermillExecutionError):
            text = f"cell {error.exec_count}: {error.ename}: {error.evalue}"
        else:
            text = f"{type(error).__name__}: {error}"
        return RunResult(run, failed, True, (text.strip().splitlines() or [""])[0])
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    failed.unlink(missing_ok=True)
    return RunResult(run, out, True)


def worker_setup() -> None:
    """In each worker: leave Ctrl-C to the build, which stops the workers itself (so a worker
    prints no traceback of its own), and end with the build's process tree even when the build
    is killed (Linux: the parent-death signal)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


def _stop(pool: ProcessPoolExecutor, seconds: float = 5.0) -> None:
    """Cancel the queued runs and end the running ones: their workers are terminated (a kernel
    ends with its worker) and joined, so no process outlives the build."""
    workers = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.join(seconds)
        if worker.is_alive():
            worker.kill()


def execute_runs(
    runs: Iterable[Run],
    store_path: Path,
    build_dir: Path,
    data_digests: Mapping[Run, str],
    jobs: int | None = None,
    on_done: Callable[[RunResult], None] | None = None,
    scheduler: str | None = None,
) -> list[RunResult]:
    """Execute every run whose output is not current, ``jobs`` at a time (default: one per CPU
    core), or on the Dask cluster at ``scheduler``; ``data_digests`` holds what each run reads
    of the data (:class:`finsam.pipeline.dependencies.PageInputs`). The current ones are
    reported unchanged without starting a worker."""
    runs = list(runs)
    code = source_fingerprint()
    kinds = {run.kind for run in runs}
    notebooks = {kind: (NOTEBOOK_DIR / f"{kind}.ipynb").read_bytes() for kind in kinds}
    keys = {run: cache_key(run, notebooks[run.kind], data_digests[run], code) for run in runs}
    results: list[RunResult] = []

    def done(result: RunResult) -> None:
        results.append(result)
        if on_done:
            on_done(result)

    pending = []
    for run in runs:
        if is_current(run, build_dir, keys[run]):
            failed_path(run, build_dir).unlink(missing_ok=True)
            done(RunResult(run, output_path(run, build_dir), False))
        else:
            pending.append(run)
    if pending:
        arguments = [(run, store_path, build_dir, keys[run]) for run in pending]
        if scheduler:
            from finsam.pipeline.distributed import execute_on_cluster

            execute_on_cluster(scheduler, arguments, done)
        else:
            ensure_kernel()
            _execute_locally(arguments, jobs, done)
    order = {run: i for i, run in enumerate(runs)}
    return sorted(results, key=lambda r: order[r.run])


def _execute_locally(
    arguments: list[tuple], jobs: int | None, done: Callable[[RunResult], None]
) -> None:
    from finsam.pipeline.kernels import discard_kernel

    # A worker costs a process and a kernel start (2–3 s), as much as some ten pages: small
    # builds run on fewer workers than jobs, a handful of pages in this process.
    workers = -(-len(arguments) // PAGES_PER_WORKER)
    jobs = max(1, min(jobs or os.cpu_count() or 1, workers))
    if jobs == 1:
        try:
            for args in arguments:
                done(execute_run(*args))
        finally:
            discard_kernel()
        return
    pool = ProcessPoolExecutor(jobs, mp_context=WORKER_CONTEXT, initializer=worker_setup)
    try:
        futures = [pool.submit(execute_run, *args) for args in arguments]
        for future in as_completed(futures):
            done(future.result())
    except BaseException:  # Ctrl-C or an error here: stop now, not after the queued pages
        _stop(pool)
        raise
    pool.shutdown()
