"""The whole pipeline: validate → ingest → execute notebooks → stage → render.

Each stage's output is derived and can be deleted and rebuilt: the build directory holds the
store, the executed notebooks and the staged Quarto project; the site directory holds the
rendered pages. An interrupted build can simply be run again; runs whose inputs did not change
are not executed again.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from finsam import __version__
from finsam.errors import FinsamError
from finsam.inputs import dataset as dataset_module
from finsam.inputs.contract import TABLES
from finsam.inputs.rawdata import dataset_fingerprint
from finsam.inputs.reference import slugify
from finsam.inputs.store import STORE_FILE, STORES_DIR, Store, ingest
from finsam.paths import PROJECT_ROOT, REFERENCE_DIR
from finsam.pipeline.buildlock import exclusive_build
from finsam.pipeline.dependencies import PageInputs
from finsam.pipeline.execute import RunResult, code_revision, execute_runs, source_fingerprint
from finsam.pipeline.matrix import Run, plan_runs, read_matrix
from finsam.pipeline.progress import BuildProgress
from finsam.pipeline.render import render_site
from finsam.pipeline.site import stage_site
from finsam.stats.catalog import DISCLOSURE_PARAMS, load_threshold
from finsam.stats.protection.plan import site_mask


class PagesFailed(FinsamError):
    """Some pages' notebooks failed: the others are executed and cached, the site is left as it
    was (a rerun executes only the failed pages and what changed)."""

    def __init__(self, results: list[RunResult]):
        self.results = results
        failed = [r for r in results if r.error]
        counts = {state: sum(r.state == state for r in results) for state in STATES}
        lines = [f"  {r.run.page}: {r.error}\n    notebook: {r.path}" for r in failed]
        super().__init__(
            f"{len(failed)} of {len(results)} pages failed "
            f"({', '.join(f'{n} {state}' for state, n in counts.items())}); the site was not "
            "rendered and the previous one is kept. Fix the cause and rerun: only the failed "
            "and changed pages are executed.\n" + "\n".join(lines)
        )


STATES = ("executed", "unchanged", "failed")


@dataclass
class BuildResult:
    store: Path
    results: list[RunResult]
    site: Path
    engine: str
    rendered: bool = True  # False: nothing changed, the site was left as it was

    @property
    def executed(self) -> int:
        return sum(r.executed for r in self.results)


def project_relative(path: Path) -> str:
    """``path`` as the build's provenance states it: relative to the project when inside it
    (``params/site.yml``), else as given."""
    resolved = Path(path).resolve()
    if resolved.is_relative_to(PROJECT_ROOT):
        return resolved.relative_to(PROJECT_ROOT).as_posix()
    return str(path)


def reference_fingerprint(reference_dir: Path = REFERENCE_DIR) -> str:
    digest = hashlib.sha256()
    for file in sorted(reference_dir.glob("*.csv")):
        digest.update(file.name.encode() + file.read_bytes())
    return digest.hexdigest()


def contract_fingerprint() -> str:
    """The tables and columns of the contract: a store made under another contract (say,
    before a table was added) is not reused."""
    return ";".join(f"{name}:{','.join(c.name for c in specs)}" for name, specs in TABLES.items())


def prepare_store(data: Path, build_dir: Path) -> Store:
    """The store of the dataset at ``data``: one per dataset, ``build_dir/stores/<name>-<hash>
    .duckdb``, named by the dataset's content and the reference data, so that commands on
    different datasets never replace each other's store. An existing store of the same content
    is reused; otherwise the dataset is validated and ingested (raises on violations)."""
    data = Path(data)
    fingerprint = hashlib.sha256(
        (dataset_fingerprint(data) + reference_fingerprint() + contract_fingerprint()).encode()
    ).hexdigest()
    name = f"{slugify(data.resolve().stem) or 'data'}-{fingerprint[:16]}.duckdb"
    store_path = Path(build_dir) / STORES_DIR / name
    if store_path.is_file():
        store = Store(store_path)
        if store.meta().get("fingerprint") == fingerprint:
            return store
    loaded = dataset_module.load_dataset(data)
    loaded.fingerprint = fingerprint
    return Store(ingest(loaded, store_path))


def publish_default_store(store: Store, build_dir: Path) -> Path:
    """Point ``build_dir/store.duckdb`` (the notebooks' default store) at the store of the last
    site build, replacing the link atomically."""
    link = Path(build_dir) / STORE_FILE
    temporary = link.with_name(f".{link.name}.{os.getpid()}")
    temporary.unlink(missing_ok=True)
    temporary.symlink_to(Path(store.path).resolve().relative_to(link.parent.resolve()))
    os.replace(temporary, link)
    return link


def build_site(
    data: Path,
    out: Path,
    build_dir: Path,
    params: Path,
    renderer: str = "builtin",
    jobs: int | None = None,
    progress: BuildProgress | None = None,
    disclosure: Path = DISCLOSURE_PARAMS,
    scheduler: str | None = None,
) -> BuildResult:
    """Build the site of the run matrix ``params`` from the dataset at ``data``, with the
    suppression threshold of the ``disclosure`` file (default ``params/disclosure.yml``), its
    pages executed here or on the Dask cluster at ``scheduler``."""
    store = prepare_store(data, build_dir)
    runs = plan_runs(read_matrix(params), store, source=str(params))
    if not runs:
        raise FinsamError(f"{params}: the run matrix selects no pages")
    result = build_pages(
        store,
        runs,
        out,
        build_dir,
        renderer,
        jobs,
        progress,
        disclosure,
        scheduler=scheduler,
        params_source=project_relative(params),
    )
    publish_default_store(store, build_dir)
    return result


def build_pages(
    store: Store,
    runs: list[Run],
    out: Path,
    build_dir: Path,
    renderer: str = "builtin",
    jobs: int | None = None,
    progress: BuildProgress | None = None,
    disclosure: Path = DISCLOSURE_PARAMS,
    protect_with: Sequence[Run] = (),
    stage_dir: Path | None = None,
    scheduler: str | None = None,
    params_source: str = "",
) -> BuildResult:
    """Protect ``runs`` together with ``protect_with`` (more pages of the same site), audit the
    protection, then execute ``runs`` against an ingested ``store`` and render them as the site
    ``out`` (staged in ``stage_dir``, default the site's stage ``build_dir/site``). If the audit
    fails, nothing is executed or published; if a page fails, the others are still executed,
    :class:`PagesFailed` says which, and the site is not rendered."""
    progress = progress or BuildProgress()
    with exclusive_build(build_dir, out):
        try:
            threshold = load_threshold(Path(disclosure))
            meta = store.meta()
            keys = [key for run in [*runs, *protect_with] for key in run.protection_keys]
            progress.phase("protecting small counts")
            mask = (
                site_mask(
                    store, keys, threshold, Path(build_dir) / "protection", source_fingerprint()
                )
                if keys
                else None  # no page counts people: nothing to protect
            )
            runs = [
                replace(run, threshold=threshold, protection=None if mask is None else str(mask))
                for run in runs
            ]
            inputs = PageInputs(store, mask)
            digests = {run: inputs.digest(run) for run in runs}
            progress.phase("executing pages", len(runs))
            results = execute_runs(
                runs, store.path, build_dir, digests, jobs, progress.page, scheduler
            )
            if any(r.error for r in results):
                raise PagesFailed(results)
            progress.phase("rendering the site")
            stage = stage_dir or Path(build_dir) / "site"
            provenance = {
                "finsam_version": __version__,
                "revision": code_revision(),
                "params": params_source,
                "threshold": threshold,
            }
            digest = stage_site(results, meta, stage, provenance, jobs)
            engine, rendered = render_site(
                stage,
                out,
                renderer,  # type: ignore[arg-type]
                jobs,
                cache=Path(build_dir) / "rendered",
                stage_digest=digest,
            )
            return BuildResult(store.path, results, Path(out), engine, rendered)
        finally:
            progress.close()
