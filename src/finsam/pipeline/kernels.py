"""Warm kernels: one Jupyter kernel per worker, reused for all the pages the worker executes.

Starting a kernel and importing pandas, DuckDB and the package costs seconds; executing a page's
cells well under one. A worker therefore starts its kernel once and, before each page, resets
it to the state of a fresh kernel: plotting and pandas options go back to their defaults, the
working folder to the notebooks' folder, and IPython's own reset empties the user namespace and
output cache and starts a new history session with the execution counter at 1, so a page's
cells are numbered as in a fresh kernel. What stays is what a page cannot change: imported
modules. Every page stays reproducible on its own, and a test holds that a warm kernel's
outputs equal a fresh kernel's.

Papermill remains the executor: the warm kernel is a papermill engine (``finsam-warm``,
registered in papermill's engine registry) that hands nbclient the worker's running kernel
instead of starting a new one. A kernel that failed a page or died is shut down and replaced
at the next page: a kernel in an unknown state is never reused.
"""

from __future__ import annotations

import atexit
import contextlib
import subprocess
import threading
import uuid
from pathlib import Path

from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync
from papermill.clientwrap import PapermillNotebookClient
from papermill.engines import NBClientEngine, papermill_engines
from papermill.log import logger
from traitlets import default

from finsam.paths import NOTEBOOK_DIR

KERNEL_NAME = "finsam"
WARM_ENGINE = "finsam-warm"

# Before every page: a fresh kernel's state, except for the modules already imported.
RESET_CODE = f"""\
import os as _os, sys as _sys, warnings as _warnings
_os.chdir({str(NOTEBOOK_DIR)!r})
if "matplotlib" in _sys.modules:
    import matplotlib as _mpl, matplotlib.pyplot as _plt
    _plt.close("all"); _mpl.rcdefaults()
if "pandas" in _sys.modules:
    with _warnings.catch_warnings():
        _warnings.simplefilter("ignore"); _sys.modules["pandas"].reset_option("all")
get_ipython().reset(new_session=True)  # namespace, output cache, history session, counter
"""


class LocalKernelManager(AsyncKernelManager):
    """A kernel on this machine over IPC sockets in the Jupyter runtime folder: nothing listens on
    a network port. The kernel's own log (start-up notes, the interrupt at shutdown) is not shown;
    what a cell prints or raises is still captured in the executed notebook."""

    async def _async_pre_start_kernel(self, **kw):
        kw.setdefault("stderr", subprocess.DEVNULL)
        return await super()._async_pre_start_kernel(**kw)

    @default("transport")
    def _default_transport(self) -> str:
        return "ipc"

    @default("ip")
    def _default_ip(self) -> str:
        from jupyter_core.paths import jupyter_runtime_dir

        folder = Path(jupyter_runtime_dir())
        folder.mkdir(parents=True, exist_ok=True)
        return str(folder / f"finsam-{uuid.uuid4().hex}-ipc")


class WarmKernel:
    """A running kernel and its client, started in the notebooks' folder."""

    def __init__(self, kernel_name: str, startup_timeout: float = 60) -> None:
        self.kernel_name = kernel_name
        self.km = LocalKernelManager(kernel_name=kernel_name)
        run_sync(self.km.start_kernel)(cwd=str(NOTEBOOK_DIR))
        self.kc = self.km.client()
        self.kc.start_channels()
        try:
            run_sync(self.kc.wait_for_ready)(timeout=startup_timeout)
        except BaseException:
            self.shutdown()
            raise
        self.pages = 0

    def reset(self, timeout: float = 60) -> None:
        """Bring the kernel back to a fresh kernel's state (see :data:`RESET_CODE`)."""
        reply = run_sync(self.kc.execute_interactive)(
            RESET_CODE, silent=True, store_history=False, timeout=timeout
        )
        if reply["content"]["status"] != "ok":
            raise RuntimeError(f"resetting the kernel failed: {reply['content'].get('evalue')}")

    def alive(self) -> bool:
        return bool(run_sync(self.km.is_alive)())

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            run_sync(self.km.shutdown_kernel)(now=True)


_local = threading.local()  # one warm kernel per worker thread (Dask runs tasks in threads)


def warm_kernel(kernel_name: str = KERNEL_NAME) -> WarmKernel:
    """This worker's kernel, started on first use, replaced when it died."""
    kernel: WarmKernel | None = getattr(_local, "kernel", None)
    if kernel is not None and (kernel.kernel_name != kernel_name or not kernel.alive()):
        discard_kernel()
        kernel = None
    if kernel is None:
        kernel = _local.kernel = WarmKernel(kernel_name)
    return kernel


def discard_kernel() -> None:
    """Shut this worker's kernel down (after a failed page, or when the worker ends)."""
    kernel: WarmKernel | None = getattr(_local, "kernel", None)
    _local.kernel = None
    if kernel is not None:
        with contextlib.suppress(Exception):  # already gone
            kernel.shutdown()


atexit.register(discard_kernel)  # the kernel ends with its worker


class WarmKernelEngine(NBClientEngine):
    """Papermill's nbclient engine on the worker's warm kernel, reset before the notebook."""

    @classmethod
    def execute_managed_notebook(
        cls,
        nb_man,
        kernel_name,
        log_output=False,
        stdout_file=None,
        stderr_file=None,
        start_timeout=60,
        execution_timeout=None,
        **kwargs,
    ):
        kernel = warm_kernel(kernel_name)
        kernel.reset()
        client = PapermillNotebookClient(
            nb_man,
            km=kernel.km,
            timeout=execution_timeout,
            startup_timeout=start_timeout,
            kernel_name=kernel_name,
            log=logger,
            log_output=log_output,
            stdout_file=stdout_file,
            stderr_file=stderr_file,
        )
        client.kc = kernel.kc
        kernel.pages += 1
        return client.execute()


papermill_engines.register(WARM_ENGINE, WarmKernelEngine)
