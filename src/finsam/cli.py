"""The ``finsam`` command line: validate, synth, build, run.

Every error the user can act on is printed as one clear message (no traceback) and the
command exits 1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import os
import sys
from collections import Counter
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from finsam import paths
from finsam.errors import FinsamError, InvalidDataset

app = typer.Typer(
    help="Reproducible follow-up reports for samordningsförbund (Finsam).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console(highlight=False, soft_wrap=True)


def _show_version(value: bool) -> None:
    if value:
        from finsam import __version__
        from finsam.inputs.contract import CONTRACT_VERSION

        out.print(f"finsam {__version__} (data contract version {CONTRACT_VERSION})")
        raise typer.Exit()


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Reproducible follow-up reports for samordningsförbund (Finsam)."""


err = Console(stderr=True, highlight=False, soft_wrap=True)

DataOption = Annotated[Path, typer.Option("--data", help="Dataset: folder of CSV files or .xlsx.")]
BuildDirOption = Annotated[
    Path, typer.Option("--build-dir", help="Store, executed notebooks, stage.")
]
JobsOption = Annotated[int, typer.Option("--jobs", "-j", help="Parallel runs (0 = one per core).")]
DisclosureOption = Annotated[
    Path,
    typer.Option(
        "--disclosure",
        help="YAML file with the suppression 'threshold' (default "
        "params/disclosure.yml); 0 publishes small counts and is for internal builds only.",
    ),
]
ParamsOption = Annotated[
    Path,
    typer.Option(
        "--params",
        help="Run matrix (YAML) of the site the pages belong to; they are protected together.",
    ),
]
RendererOption = Annotated[
    str,
    typer.Option(
        "--renderer",
        help="builtin (default, fast), quarto (Quarto on PATH; much slower) or auto "
        "(Quarto if on PATH).",
    ),
]


def _report_violations(error: InvalidDataset) -> None:
    for violation in error.violations:
        err.print(str(violation), markup=False, soft_wrap=True)
    files = len({v.source for v in error.violations})
    err.print(
        f"[red]{len(error.violations)} violation(s) in {files} file(s) of "
        f"{error.dataset}[/red]; nothing was ingested."
    )


def user_errors(command):
    """Turn the errors a user can act on into a message and exit code 1."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except InvalidDataset as error:
            _report_violations(error)
        except (FinsamError, FileNotFoundError, ValueError) as error:
            err.print(f"[red]error:[/red] {error}", markup=True, soft_wrap=True)
        except KeyboardInterrupt:
            err.print("interrupted; outputs are left as they were before, rerun to continue")
        except Exception as error:  # a bug: say so plainly; FINSAM_DEBUG=1 shows the traceback
            if os.environ.get("FINSAM_DEBUG"):
                raise
            err.print(
                f"[red]internal error:[/red] {type(error).__name__}: {error} (please "
                "report it; rerun with FINSAM_DEBUG=1 for details)",
                markup=True,
            )
            raise typer.Exit(2) from None
        raise typer.Exit(1)

    return wrapper


@app.command()
@user_errors
def validate(dataset: Annotated[Path, typer.Argument(help="Folder of CSV files or .xlsx file.")]):
    """Check a dataset against the data contract; list every violation (exit 1 if any)."""
    from finsam.inputs.contract import CONTRACT_VERSION
    from finsam.inputs.dataset import load_dataset
    from finsam.inputs.validate import check_dataset
    from finsam.stats.accounts import inconsistencies

    violations, notes = check_dataset(dataset)
    for note in notes:
        out.print(f"[yellow]note:[/yellow] {note}")
    if violations:
        raise InvalidDataset(str(dataset), violations)
    for found in inconsistencies(load_dataset(dataset).tables["ekonomi"]):
        out.print(
            f"[yellow]warning:[/yellow] finances {found.forbund} {found.year}: {found.check}: "
            f"published {found.stated} {found.unit}, the other figures give "
            f"{found.expected} {found.unit}"
        )
    out.print(f"{dataset}: valid (data contract version {CONTRACT_VERSION})")


class Scale(StrEnum):
    forbund = "forbund"
    riket = "riket"


@app.command()
@user_errors
def synth(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the dataset to.")],
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed gives identical files.")
    ] = 3,
    scale: Annotated[
        Scale,
        typer.Option(
            help="forbund: Insjöriket 2019–2022; riket: every förbund and member kommun of the "
            "register 2017–2021 with the published national volumes."
        ),
    ] = Scale.forbund,
):
    """Write a synthetic, contract-conformant dataset."""
    if scale is Scale.riket:
        from finsam.inputs.synth_national import write_national_dataset

        write_national_dataset(out_dir, seed=seed)
    else:
        from finsam.inputs.synth import write_dataset

        write_dataset(out_dir, seed=seed)
    out.print(f"wrote synthetic dataset ({scale.value}, seed {seed}) to {out_dir}")


def _print_notes(store) -> None:
    """How the dataset's files were read, where that differs from the contract."""
    for note in store.meta().get("reading_notes", []):
        out.print(f"[yellow]note:[/yellow] {note}")


def _progress():
    from finsam.pipeline.progress import ConsoleProgress

    return ConsoleProgress(out)


@contextlib.contextmanager
def _dask_scheduler(executor: str, scheduler: str | None, jobs: int):
    """The scheduler's address for ``--executor dask``: the one given, or that of a local
    cluster started here for the build (one single-threaded worker per job)."""
    if executor != "dask" or scheduler:
        yield scheduler
        return
    from distributed import LocalCluster

    workers = jobs or os.cpu_count() or 1
    with LocalCluster(n_workers=workers, threads_per_worker=1, dashboard_address=None) as cluster:
        yield cluster.scheduler_address


@app.command()
@user_errors
def build(
    data: DataOption = paths.EXAMPLE_DATASET,
    site: Annotated[
        Path, typer.Option("--out", help="Folder of the rendered site.")
    ] = paths.DEFAULT_SITE_DIR,
    build_dir: BuildDirOption = paths.DEFAULT_BUILD_DIR,
    params: Annotated[Path, typer.Option("--params", help="Run matrix (YAML).")] = paths.PARAMS_DIR
    / "site.yml",
    renderer: RendererOption = "builtin",
    jobs: JobsOption = 0,
    disclosure: DisclosureOption = paths.PARAMS_DIR / "disclosure.yml",
    executor: Annotated[
        str,
        typer.Option(
            help="Where pages execute: local (worker processes here) or dask (a Dask cluster: "
            "--scheduler, or without it a local cluster of --jobs workers)."
        ),
    ] = "local",
    scheduler: Annotated[
        str | None,
        typer.Option(
            help="Address of a Dask scheduler (tcp://host:8786); the workers must reach the "
            "build folder under the same path."
        ),
    ] = None,
):
    """Validate, ingest, execute every run of the matrix and render the site."""
    from finsam.pipeline.build import build_site

    if executor not in ("local", "dask"):
        raise FinsamError(f"--executor {executor!r}: expected local or dask")
    if scheduler and executor != "dask":
        raise FinsamError("--scheduler needs --executor dask")
    _warn_if_unprotected(disclosure)
    with _dask_scheduler(executor, scheduler, jobs) as address:
        result = build_site(
            data,
            site,
            build_dir,
            params,
            renderer,
            jobs or None,
            _progress(),
            disclosure=disclosure,
            scheduler=address,
        )
    from finsam.inputs.store import Store

    _print_notes(Store(result.store))
    site_state = (
        f"rendered with {result.engine}"
        if result.rendered
        else "nothing changed, the site is as it was"
    )
    out.print(
        f"{len(result.results)} pages ({result.executed} executed, "
        f"{len(result.results) - result.executed} unchanged), {site_state}: "
        f"{result.site / 'index.html'}"
    )


@app.command()
@user_errors
def run(
    kind: Annotated[
        str,
        typer.Argument(
            help="Report kind: riket, forbund, kommun, ekonomi (finances) or mal (goals)."
        ),
    ],
    year: Annotated[int, typer.Option(help="Report year.")],
    kommun: Annotated[
        str | None, typer.Option(help="Kommun name or SCB code (kommun reports).")
    ] = None,
    forbund: Annotated[
        str | None,
        typer.Option(help="Förbund name (default: the only one, or the kommun's förbund)."),
    ] = None,
    period_end: Annotated[
        str | None,
        typer.Option(
            help="Date for 'pågående', YYYY-MM-DD, from 1 January of the year to 31 March after."
        ),
    ] = None,
    data: DataOption = paths.EXAMPLE_DATASET,
    site: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder of the one-page site [default: BUILD_DIR/single/<page>]."
        ),
    ] = None,
    build_dir: BuildDirOption = paths.DEFAULT_BUILD_DIR,
    renderer: RendererOption = "builtin",
    disclosure: DisclosureOption = paths.PARAMS_DIR / "disclosure.yml",
    params: ParamsOption = paths.PARAMS_DIR / "site.yml",
):
    """Run one report (one notebook, one set of parameters) and render it as HTML and PDF.

    The page is protected together with the site of ``--params``, so it hides exactly what
    the site's page hides."""
    from finsam.inputs.reference import kommun_name
    from finsam.pipeline.build import build_pages, prepare_store
    from finsam.pipeline.matrix import Run, plan_runs, read_matrix
    from finsam.stats.periods import parse_period_end
    from finsam.stats.population import kommun_code, member_code

    if kind not in REPORT_KINDS:
        raise FinsamError(f"report kind {kind!r}: expected {', '.join(REPORT_KINDS)}")
    if kind == "kommun" and not kommun:
        raise FinsamError("a kommun report needs --kommun (name or SCB code)")
    if kind in FORBUND_KINDS and (kommun or period_end):
        raise FinsamError(
            f"a {REPORT_KINDS[kind]} ({kind}) takes neither --kommun nor --period-end"
        )
    period_end = parse_period_end(period_end, year)
    store = prepare_store(data, build_dir)
    _print_notes(store)
    _check_kind_year(store, kind, forbund or _forbund_for(store, None), year)
    code = kommun_code(kommun) if kommun else None
    forbund = "" if kind == "riket" else forbund or _forbund_for(store, code)
    if code is not None:
        member_code(store, forbund, code)
    _warn_if_unprotected(disclosure)
    site_runs = plan_runs(read_matrix(params), store, source=str(params), reported_only=True)
    # The key figures over time cover the years of the site the page belongs to.
    series = tuple(sorted({year, *(r.year for r in site_runs)}))
    name = kommun_name(code) if code else None
    one = Run(
        kind,
        year,
        forbund,
        code,
        name,
        period_end,
        series=series if kind in ("forbund", "kommun") else (),
    )
    folder = one.page.replace("/", "-")
    result = build_pages(
        store,
        [one],
        site or build_dir / "single" / folder,
        build_dir,
        renderer,
        1,
        _progress(),
        disclosure,
        protect_with=site_runs,
        stage_dir=build_dir / "single-stage" / folder,
    )
    page = result.site / one.page
    out.print(f"notebook: {result.results[0].path}\nhtml:     {page}.html\npdf:      {page}.pdf")


@app.command()
@user_errors
def tables(
    level: Annotated[
        str, typer.Option(help="riket, forbund, kommun, ekonomi (finances) or mal (goals).")
    ],
    year: Annotated[int, typer.Option(help="Report year.")],
    out_dir: Annotated[
        Path, typer.Option("--out", help="Folder in which the page's folder of tables is written.")
    ],
    name: Annotated[
        str | None, typer.Option(help="Förbund or kommun name (not for riket).")
    ] = None,
    data: DataOption = paths.EXAMPLE_DATASET,
    fmt: Annotated[str, typer.Option("--format", help="csv or xlsx.")] = "csv",
    unsuppressed: Annotated[
        bool,
        typer.Option("--unsuppressed", help="Internal use only: publish small counts unprotected."),
    ] = False,
    period_end: Annotated[
        str | None,
        typer.Option(
            help="Date for 'pågående', YYYY-MM-DD, from 1 January of the year to 31 March after."
        ),
    ] = None,
    build_dir: BuildDirOption = paths.DEFAULT_BUILD_DIR,
    params: ParamsOption = paths.PARAMS_DIR / "site.yml",
):
    """Export every table of one page (level, name, year) as tidy files, protected together
    with the site of ``--params``: a folder per page in --out (named by level, name, year), with
    a CSV file per table or one workbook with a sheet per table. ``ekonomi`` exports a
    förbund's financial statements, ``mal`` its goals, results and participants per insats."""
    from finsam.pipeline.build import prepare_store
    from finsam.pipeline.execute import source_fingerprint
    from finsam.pipeline.export import FORMATS, ExportedPage, export_page
    from finsam.pipeline.matrix import Run, plan_runs, read_matrix
    from finsam.report.finance_report import finance_page
    from finsam.report.goal_report import goal_page
    from finsam.stats.catalog import load_threshold
    from finsam.stats.periods import parse_period_end
    from finsam.stats.population import population
    from finsam.stats.protection.plan import protected_page, read_mask, site_mask
    from finsam.stats.protection.publication import population_key

    if fmt not in FORMATS:
        raise FinsamError(f"format {fmt!r}: expected one of {', '.join(FORMATS)}")
    if level not in REPORT_KINDS:
        raise FinsamError(f"--level {level!r}: expected {', '.join(REPORT_KINDS)}")
    if level in FORBUND_KINDS and period_end:
        raise FinsamError(f"a {REPORT_KINDS[level]} ({level}) takes no --period-end")
    period_end = parse_period_end(period_end, year)
    store = prepare_store(data, build_dir)
    _print_notes(store)
    if level in FORBUND_KINDS:
        name = name or _forbund_for(store, None)
    _check_kind_year(store, level, name or "", year)
    threshold = 0 if unsuppressed else load_threshold()
    fingerprint = store.meta()["fingerprint"]
    if level == "ekonomi":
        page_tables = finance_page(store.path, name, year).tidy_tables()
        page = ExportedPage(level, name, year, dt.date(year, 12, 31), threshold, fingerprint)
        label = name
    else:
        pop = population(store, "forbund" if level == "mal" else level, name, year, period_end)
        key = population_key(pop)
        site_runs = plan_runs(read_matrix(params), store, source=str(params), reported_only=True)
        if level == "mal":
            site_runs.append(Run("mal", year, pop.name or ""))
        keys = [key, *(k for r in site_runs for k in r.protection_keys)]
        mask = site_mask(store, keys, threshold, build_dir / "protection", source_fingerprint())
        if level == "mal":
            page_tables = goal_page(store.path, name, year, threshold, mask).tidy_tables()
        else:
            page_tables = protected_page(
                pop, key, read_mask(mask, fingerprint, threshold, key)
            ).tables
        page = ExportedPage(level, pop.name, year, pop.period_end, threshold, fingerprint)
        label = pop.label
    if unsuppressed and level != "ekonomi":
        err.print(
            "[bold red]warning:[/bold red] --unsuppressed: small counts are NOT protected. "
            "These files are for internal use only and must not be published."
        )
    folder = export_page(page_tables, page, out_dir, fmt)
    protection = (
        "no counts of people"
        if level == "ekonomi"
        else ("unsuppressed" if unsuppressed else f"counts 1–{threshold} suppressed")
    )
    out.print(f"{len(page_tables)} tables for {label} {year} ({protection}) written to {folder}")


@app.command()
@user_errors
def audit(
    data: DataOption = paths.EXAMPLE_DATASET,
    params: ParamsOption = paths.PARAMS_DIR / "site.yml",
    build_dir: BuildDirOption = paths.DEFAULT_BUILD_DIR,
    disclosure: DisclosureOption = paths.PARAMS_DIR / "disclosure.yml",
):
    """Play the attacker on the site of a run matrix: protect every page together, then bound
    every hidden cell from all published numbers; exit 1 if a reader can narrow any hidden cell
    to fewer than four values."""
    from finsam.pipeline.build import prepare_store
    from finsam.pipeline.matrix import plan_runs, read_matrix
    from finsam.stats.catalog import load_threshold
    from finsam.stats.protection.audit import MIN_WIDTH
    from finsam.stats.protection.plan import information_loss, protect_pages

    store = prepare_store(data, build_dir)
    _print_notes(store)
    runs = plan_runs(read_matrix(params), store, source=str(params))
    threshold = load_threshold(disclosure)
    protection = protect_pages(store, [k for r in runs for k in r.protection_keys], threshold)
    pub = protection.publication
    kinds = Counter(relation.kind for relation in pub.relations)
    out.print(
        f"{len(pub.pages)} pages, {len(pub.cells) - 1} published counts, "
        f"{int(protection.hidden.sum())} hidden (threshold {threshold}), "
        f"{len(pub.relations)} relations ("
        + ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
        + f"), {protection.seconds:.1f} s ("
        + ", ".join(f"{name} {s:.1f} s" for name, s in protection.phases.items())
        + ")"
    )
    for row in information_loss(protection).itertuples():
        out.print(
            f"  {row.level:8} {row.hidden:5} of {row.nonzero:5} non-zero counts hidden "
            f"({row.share:.1f} %)"
        )
    protection.require_passing()
    out.print(
        f"audit passed: a reader can narrow no hidden count to fewer than {MIN_WIDTH + 1} "
        "possible values"
    )


def _warn_if_unprotected(disclosure: Path) -> None:
    from finsam.stats.catalog import load_threshold

    if load_threshold(disclosure) == 0:
        err.print(
            "[bold red]warning:[/bold red] suppression threshold 0: small counts are NOT "
            "protected. This site is for internal use only and must not be published."
        )


REPORT_KINDS = {
    "riket": "national report",
    "forbund": "förbund report",
    "kommun": "kommun report",
    "ekonomi": "financial report",
    "mal": "goal follow-up",
}
FORBUND_KINDS = ("ekonomi", "mal")
"""Kinds of page about a whole förbund for the year, without kommun or period end."""


def _check_kind_year(store, kind: str, forbund: str, year: int) -> None:
    """A clear error unless the data hold what a page of ``kind`` for ``year`` needs: an
    income statement of ``forbund`` (ekonomi), its goals and participations (mal), or
    participations (the statistics)."""
    from finsam.pipeline.matrix import goal_years
    from finsam.stats.accounts import statement_years

    if kind == "ekonomi":
        years = statement_years(store.finances(forbund), forbund)
        missing, none = "income statement", "none (no ekonomi.csv, or no income statement)"
    elif kind == "mal":
        store.check_year(year)
        years, missing, none = (
            goal_years(store.goals(forbund), forbund),
            "goals",
            "none (no mal.csv)",
        )
    else:
        store.check_year(year)
        return
    if year not in years:
        have = ", ".join(map(str, years)) or none
        raise FinsamError(
            f"--year {year}: the data hold no {missing} of {forbund} for {year}; "
            f"years with them: {have}"
        )


def _forbund_for(store, code: str | None) -> str:
    """The förbund in the data that ``code`` is a member of (the only förbund without one)."""
    from finsam.inputs.reference import kommun_name

    in_data = store.forbund_in_data()
    if code is not None:
        members = store.table("forbund_medlemmar")
        hits = [f for f in members.loc[members["kommunkod"] == code, "forbund"] if f in in_data]
        if hits:
            return hits[0]
        if len(in_data) > 1:
            raise FinsamError(
                f"kommun {kommun_name(code)} ({code}) is not a member of a förbund in the data "
                f"({', '.join(in_data)}); a page for it would count nobody"
            )
    if len(in_data) == 1:
        return in_data[0]
    raise FinsamError("several förbund in the data; say which with --forbund")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
