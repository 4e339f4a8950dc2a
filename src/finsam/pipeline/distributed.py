"""Executing pages on a Dask distributed cluster (``finsam build --scheduler ADDRESS``).

Each page is one task running :func:`finsam.pipeline.execute.execute_run` on a worker, with the
worker's warm kernel, exactly as a local worker would. The workers need the project installed
in the same version and the build folder (store, mask, executed notebooks) on a path they all
reach under the same name, e.g. a shared file system. Start a cluster with
``dask scheduler`` and ``dask worker tcp://HOST:8786 --nthreads 1`` on each machine (one thread
per worker process: a thread has its own kernel).
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from finsam.errors import FinsamError
from finsam.pipeline.execute import RunResult, ensure_kernel, execute_run, failed_path


def _refuse_closed_port(scheduler: str) -> None:
    """Raise ``OSError`` at once when nothing listens at a ``tcp://`` or ``tls://`` scheduler
    address; Dask's client would retry a refused connection until its time-out."""
    from distributed.comm.addressing import parse_address, parse_host_port

    scheme, location = parse_address(scheduler)
    if scheme in ("tcp", "tls"):
        with socket.create_connection(parse_host_port(location), timeout=10):
            pass


def execute_on_cluster(
    scheduler: str, arguments: list[tuple], done: Callable[[RunResult], None]
) -> None:
    """Run ``execute_run(*args)`` for each of ``arguments`` on the cluster at ``scheduler``,
    reporting each result to ``done`` as it arrives. A task lost with its worker is reported
    as that page's failure; an interrupt cancels the tasks not yet finished."""
    from distributed import Client, as_completed

    try:
        _refuse_closed_port(scheduler)
        client = Client(scheduler, timeout="10s")
    except OSError as error:
        raise FinsamError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
    with client:
        client.run(ensure_kernel)
        futures = {}
        for run, store_path, build_dir, key in arguments:
            future = client.submit(
                execute_run,
                run,
                Path(store_path).resolve(),
                Path(build_dir).resolve(),
                key,
                key=f"finsam-page-{run.page}-{key[:12]}",
                pure=False,
            )
            futures[future] = (run, build_dir)
        try:
            for future in as_completed(futures):
                try:
                    done(future.result())
                except Exception as error:  # the worker died or the task could not run
                    run, build_dir = futures[future]
                    text = f"{type(error).__name__}: {error}".splitlines()[0]
                    done(RunResult(run, failed_path(run, build_dir), True, text))
        except BaseException:
            client.cancel(list(futures))
            raise
