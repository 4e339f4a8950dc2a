"""Shared fixtures: the report sites built once per test run (shared by its worker processes),
from the small handmade dataset and from the embedded example, and the browser; the `pipeline`
mark of the tests that use them; the check that no test writes into the checkout."""

from __future__ import annotations

import atexit
import fcntl
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis.configuration import set_hypothesis_home_dir
from playwright.sync_api import Browser, sync_playwright

SMALL_DATASET = Path(__file__).resolve().parent / "fixtures" / "small"
EXAMPLE_DATASET = Path(__file__).resolve().parents[1] / "data" / "example"

# Debian's Chromium, driven by Playwright (never a downloaded browser).
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# --- tests never write into the checkout ----------------------------------------------------------

CHECKOUT = Path(__file__).resolve().parents[1]
# Left to their tools: the environment, the browser packages, bytecode and lint caches, and the
# folder a mutation run works in.
NOT_WATCHED = {".git", ".venv", "node_modules", "__pycache__", ".ruff_cache", "mutants"}
CHECKOUT_KEY = pytest.StashKey[dict[str, int]]()


def checkout_files() -> dict[str, int]:
    """Every file of the checkout outside :data:`NOT_WATCHED`, with its modification time."""
    found = {}
    for folder, subfolders, files in os.walk(CHECKOUT):
        subfolders[:] = [
            d for d in subfolders if d not in NOT_WATCHED and not d.endswith(".egg-info")
        ]
        for name in files:
            path = os.path.join(folder, name)
            found[os.path.relpath(path, CHECKOUT)] = os.stat(path).st_mtime_ns
    return found


def pytest_sessionstart(session: pytest.Session) -> None:
    if not hasattr(session.config, "workerinput") and (CHECKOUT / ".git").exists():
        session.config.stash[CHECKOUT_KEY] = checkout_files()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Fail the run when a test wrote into the checkout (tests use temporary folders only)."""
    before = session.config.stash.get(CHECKOUT_KEY, None)
    if before is None:
        return
    after = checkout_files()
    written = sorted(p for p in after.keys() | before.keys() if after.get(p) != before.get(p))
    if written:
        listed = "\n  ".join(written[:20])
        session.config.get_terminal_writer().line(
            f"\ntests wrote into the checkout ({len(written)} files):\n  {listed}", red=True
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# Hypothesis keeps no example database and its other files in a temporary folder (not
# `.hypothesis/` in the checkout), and draws the same examples on every run, so that a rerun
# (and each mutant of a mutation run) meets the same cases.
HYPOTHESIS_HOME = tempfile.mkdtemp(prefix="finsam-hypothesis-")
atexit.register(shutil.rmtree, HYPOTHESIS_HOME, True)
set_hypothesis_home_dir(HYPOTHESIS_HOME)
settings.register_profile("finsam", database=None, derandomize=True)
settings.load_profile("finsam")


# The sites, stores and build folders made with the finsam command or its pipeline, once per run
# or per test module, largest first: the order a test using several is grouped, and the order
# the groups are run.
SHARED_BUILDS = (
    "example_site",
    "small_build",
    "built",
    "finance_site",
    "goal_site",
    "national",
    "runs_and_store",
    "example_build",
    "interrupted_build_dir",
)
# A test that uses one of these is a `pipeline` test (slow; its notebooks run the package in
# other processes).
PIPELINE_FIXTURES = frozenset({*SHARED_BUILDS, "browser"})


@pytest.hookimpl(tryfirst=True)  # before pytest-xdist reads the groups
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    build_of: dict[pytest.Item, int] = {}
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if PIPELINE_FIXTURES & fixtures:
            item.add_marker(pytest.mark.pipeline)
        # With `--dist loadgroup` the tests of one shared build run in one worker process, so
        # that no other worker waits for the build or builds it again.
        for rank, build in enumerate(SHARED_BUILDS):
            if build in fixtures:
                item.add_marker(pytest.mark.xdist_group(build))
                build_of[item] = rank
                break
    if os.environ.get("MUTANT_UNDER_TEST", "").startswith("finsam."):
        _fastest_first(items)
    else:
        # The workers take the groups in this order: the largest builds first, so that neither
        # worker is left alone with one at the end.
        items.sort(key=lambda item: build_of.get(item, len(SHARED_BUILDS)))


# --- mutation testing: the tests that reach a function ------------------------------------------

# mutmut learns which tests reach a function by recording, after each test, the functions called
# since the test before it. A function called while a module- or session-scoped fixture is set up
# would be recorded for the first test using the fixture only, and its mutants would be tried
# against that one test. While mutmut collects these records, every test that uses a shared
# fixture is recorded as reaching what the fixture called.
_SHARED_FIXTURE_CALLS: dict[int, set[str]] = {}

if os.environ.get("MUTANT_UNDER_TEST") == "stats":

    @pytest.hookimpl(hookwrapper=True)
    def pytest_fixture_setup(fixturedef: pytest.FixtureDef, request: pytest.FixtureRequest):
        if fixturedef.scope == "function":
            yield
            return
        from mutmut.state import state

        called, before = state()._stats, set(state()._stats)
        called.clear()
        yield
        _SHARED_FIXTURE_CALLS.setdefault(id(fixturedef), set()).update(called)
        called |= before

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_teardown(item: pytest.Item) -> None:
        from mutmut.state import state

        for fixturedefs in item._fixtureinfo.name2fixturedefs.values():
            for fixturedef in fixturedefs:
                state()._stats |= _SHARED_FIXTURE_CALLS.get(id(fixturedef), set())


def _fastest_first(items: list[pytest.Item]) -> None:
    """Under mutation testing (``make mutation``), run a mutant's tests fastest first, by the
    durations the mutation run measured, so that a killed mutant costs its quickest test; the
    tests of a module stay together (its fixtures are set up once), the modules in the order of
    their quickest test."""
    stats = CHECKOUT / "mutmut-stats.json"
    if not stats.is_file():
        return
    durations = json.loads(stats.read_text(encoding="utf-8")).get("duration_by_test", {})
    took = {item: durations.get(item.nodeid.removeprefix("mutants/"), math.inf) for item in items}
    quickest: dict[str, float] = {}
    for item, seconds in took.items():
        quickest[item.module.__name__] = min(quickest.get(item.module.__name__, math.inf), seconds)
    items.sort(key=lambda item: (quickest[item.module.__name__], item.module.__name__, took[item]))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Headless Chromium for the tests of a module."""
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


# Run matrix of the small site: one year, the national page, the förbund and two of its
# member kommuner.
SMALL_MATRIX = """\
years: [2022]
riket: true
forbund:
  - name: Samordningsförbundet Insjöriket
    kommuner: [Mölndal, Partille]
"""


@dataclass(frozen=True)
class SmallBuild:
    """The outputs of one ``finsam build`` of ``tests/fixtures/small``."""

    data: Path  # the dataset that was built
    site: Path  # the rendered site (index.html, forbund/, kommun/, metod.html)
    build_dir: Path  # store.duckdb, runs/**/*.ipynb (executed notebooks), site/ (stage)
    log: str  # stdout and stderr of the build


def build_site_once(root: Path, data: Path, *options: str) -> tuple[Path, Path, str]:
    """``finsam build`` of ``data`` into ``root`` with the CLI in a subprocess and the built-in
    renderer; returns the site, the build folder and the build's output."""
    site, build_dir = root / "site", root / "build"
    command = [
        sys.executable,
        "-m",
        "finsam.cli",
        "build",
        "--data",
        str(data),
        "--out",
        str(site),
        "--build-dir",
        str(build_dir),
        "--renderer",
        "builtin",
        *options,
    ]
    done = subprocess.run(
        command, cwd=root, capture_output=True, text=True, timeout=900, check=False
    )
    log = f"$ {' '.join(command)}\n--- stdout\n{done.stdout}\n--- stderr\n{done.stderr}"
    assert done.returncode == 0, f"finsam build failed (exit {done.returncode})\n{log}"
    assert (site / "index.html").is_file(), f"no index.html in {site}\n{log}"
    return site, build_dir, log


@contextmanager
def built_once(factory: pytest.TempPathFactory, name: str) -> Iterator[tuple[Path, bool]]:
    """A folder for a site that all test processes of this run share (pytest-xdist's workers
    have one parent temporary folder per run): yields the folder and whether it still has to
    be built, under a lock, so that one worker builds and the others wait for it. A build that
    failed is left unmarked and tried again by the next worker."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    root, done = base / name, base / f"{name}.built"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(root, ignore_errors=True)
            root.mkdir()
        yield root, not done.exists()
        done.touch()


@pytest.fixture(scope="session")
def small_build(tmp_path_factory: pytest.TempPathFactory) -> SmallBuild:
    """Build the small dataset's site once. Every count of the small dataset is below the
    default suppression threshold, so this build publishes them unprotected (threshold 0, an
    internal build) to let the tests read the hand-worked numbers; the protected pages are
    checked in tests/test_build.py and on the example site."""
    with built_once(tmp_path_factory, "small_site") as (root, to_build):
        if to_build:
            matrix = root / "site.yml"
            matrix.write_text(SMALL_MATRIX, encoding="utf-8")
            disclosure = root / "disclosure.yml"
            disclosure.write_text("threshold: 0\n", encoding="utf-8")
            _, _, log = build_site_once(
                root, SMALL_DATASET, "--params", str(matrix), "--disclosure", str(disclosure)
            )
            (root / "build.log").write_text(log, encoding="utf-8")
    log = (root / "build.log").read_text(encoding="utf-8")
    return SmallBuild(SMALL_DATASET, root / "site", root / "build", log)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The site of the embedded example as ``make site`` builds it (run matrix
    ``params/site.yml``, threshold 4): every kind of page, four years, protected."""
    with built_once(tmp_path_factory, "example_site") as (root, to_build):
        if to_build:
            build_site_once(root, EXAMPLE_DATASET, "-j", "2")
    return root / "site"


@pytest.fixture(scope="session")
def small_site(small_build: SmallBuild) -> Path:
    """The rendered site of the small dataset (year 2022; Insjöriket, Mölndal, Partille)."""
    return small_build.site
