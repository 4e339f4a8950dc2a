"""The pipeline end to end without a browser: cache, single runs, bad input, atomic output,
and the notebooks' own defaults."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from finsam_command import finsam
from nbclient import NotebookClient

from finsam.inputs.store import Store
from finsam.paths import DEFAULT_BUILD_DIR, EXAMPLE_DATASET, NOTEBOOK_DIR
from finsam.pipeline.build import build_site, prepare_store, publish_default_store

pytestmark = pytest.mark.pipeline

SMALL = Path(__file__).parent / "fixtures" / "small"
MATRIX = """years: [2022]
forbund:
  - name: Samordningsförbundet Insjöriket
    kommuner: [Mölndal]
"""


def without_alignment(page: str) -> str:
    """A page's HTML without the inline alignment of its number cells (the style that carries
    the alignment into PDFs), so that assertions read as the cells."""
    return page.replace(' style="text-align: right"', "")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("build")
    (root / "matrix.yml").write_text(MATRIX, encoding="utf-8")
    first = build_site(SMALL, root / "site", root / "build", root / "matrix.yml", "builtin")
    return root, first


def test_first_build_executes_every_run(built):
    root, first = built
    assert [r.run.page for r in first.results] == [
        "forbund/2022/samordningsforbundet-insjoriket",
        "kommun/2022/molndal",
    ]
    assert first.executed == 2
    for page in (
        "index",
        "metod",
        "forbund/2022/samordningsforbundet-insjoriket",
        "kommun/2022/molndal",
    ):
        assert (root / "site" / f"{page}.html").is_file()
    assert (root / "site" / "kommun/2022/molndal.pdf").read_bytes().startswith(b"%PDF")


def test_unchanged_rebuild_executes_nothing(built):
    root, _ = built
    again = build_site(SMALL, root / "site", root / "build", root / "matrix.yml", "builtin")
    assert again.executed == 0
    assert (root / "site" / "index.html").is_file()


def test_staged_pages_give_quarto_no_widget_output_and_no_cross_reference_id(built):
    """Quarto loads require.js and jQuery from a CDN into every page with a ``text/html``
    output, and reads a table id with a hyphen as a cross-reference label: the staged notebooks
    hold their tables as Markdown with raw HTML, ids without hyphens; the executed notebooks,
    which JupyterLab shows, keep their HTML outputs."""
    root, _ = built
    staged = sorted((root / "build" / "site").rglob("*.ipynb"))
    assert len(staged) == 2
    ids = []
    for path in staged:
        for cell in nbformat.read(path, as_version=4).cells:
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                assert not {"text/html", "application/javascript"} & set(data), path
                ids += re.findall(r'<table[^>]* id="([^"]+)"', data.get("text/markdown", ""))
    assert len(ids) >= 20 and "remisser_kommun" in ids
    assert [i for i in ids if "-" in i] == []
    executed = nbformat.read(root / "build" / "runs" / "kommun/2022/molndal.ipynb", as_version=4)
    outputs = [o for c in executed.cells for o in c.get("outputs", [])]
    assert any("text/html" in o.get("data", {}) for o in outputs)


def test_executed_notebook_records_its_provenance(built):
    _root, first = built
    nb = nbformat.read(first.results[0].path, as_version=4)
    meta = nb.metadata["finsam"]
    assert meta["run"]["year"] == 2022 and len(meta["cache_key"]) == 64
    assert nb.metadata["papermill"]["parameters"]["forbund"] == "Samordningsförbundet Insjöriket"


def test_invalid_data_stops_the_build_and_keeps_the_site(built, tmp_path):
    root, _ = built
    bad = tmp_path / "bad"
    bad.mkdir()
    for file in SMALL.iterdir():
        (bad / file.name).write_bytes(file.read_bytes())
    text = (bad / "remisser.csv").read_text(encoding="utf-8").replace(",kvinna,", ",kvina,", 1)
    (bad / "remisser.csv").write_text(text, encoding="utf-8")
    before = (root / "site" / "index.html").read_bytes()
    done = finsam(
        "build",
        "--data",
        str(bad),
        "--out",
        str(root / "site"),
        "--build-dir",
        str(root / "build"),
        "--params",
        str(root / "matrix.yml"),
        "--renderer",
        "builtin",
    )
    assert done.returncode == 1
    assert "remisser.csv, row 2, column kon: value 'kvina'" in done.stderr
    assert "nothing was ingested" in done.stderr
    assert "Traceback" not in done.stderr
    assert (root / "site" / "index.html").read_bytes() == before


def test_unknown_forbund_in_the_matrix_is_a_clear_error(tmp_path):
    matrix = tmp_path / "m.yml"
    matrix.write_text("years: [2022]\nforbund: [Samordningsförbundet Göteborg]\n", encoding="utf-8")
    done = finsam(
        "build",
        "--data",
        str(SMALL),
        "--out",
        str(tmp_path / "s"),
        "--build-dir",
        str(tmp_path / "b"),
        "--params",
        str(matrix),
    )
    assert done.returncode == 1
    assert "förbund 'Samordningsförbundet Göteborg' has no data" in done.stderr
    assert not (tmp_path / "s").exists()


def test_a_kommun_outside_the_forbund_is_refused_before_any_page_runs(tmp_path):
    matrix = tmp_path / "m.yml"
    matrix.write_text(
        "years: [2022]\nforbund:\n  - name: Samordningsförbundet Insjöriket\n"
        "    kommuner: [Mölndal, Göteborg]\n",
        encoding="utf-8",
    )
    build = finsam(
        "build", "--data", str(SMALL), "--out", str(tmp_path / "s"), "--build-dir",
        str(tmp_path / "b"), "--params", str(matrix),
    )  # fmt: skip
    members = (
        "its members: Härryda (1401), Partille (1402), Lerum (1441), Mölndal (1481), "
        "Alingsås (1489)"
    )
    assert build.returncode == 1
    assert (
        f"kommun Göteborg (1480) is not a member of Samordningsförbundet Insjöriket; {members}"
        in build.stderr
    )
    assert not (tmp_path / "s").exists() and not (tmp_path / "b" / "runs").exists()
    single = finsam(
        "run", "kommun", "--year", "2022", "--kommun", "Göteborg", "--data", str(SMALL),
        "--build-dir", str(tmp_path / "b2"), "--out", str(tmp_path / "one"),
    )  # fmt: skip
    assert single.returncode == 1 and members in single.stderr
    assert "Traceback" not in single.stderr and not (tmp_path / "b2" / "runs").exists()
    misspelt = finsam(
        "run", "kommun", "--year", "2022", "--kommun", "Molndal", "--data", str(SMALL),
        "--build-dir", str(tmp_path / "b3"),
    )  # fmt: skip
    assert misspelt.returncode == 1
    assert (
        "kommun 'Molndal' is neither an SCB kommunkod nor a kommun name; did you mean Mölndal?"
        in (misspelt.stderr)
    )


def test_protected_pages_hide_the_small_counts(built):
    root, _ = built
    page = without_alignment((root / "site" / "kommun/2022/molndal.html").read_text("utf-8"))
    # Mölndal 2022 samtliga is 3 (hand-worked): below 5, so shown as ".."; kommun pages have
    # no split by gender.
    assert '<tr><th scope="row">Samtliga</th><td class="num">..</td></tr>' in page
    assert "Kvinnor" not in page
    assert "<caption>Deltagarflöde 2022, Mölndal</caption>" in page  # no "per kön"
    assert "antal från 1 till och med 4" in page
    assert "har .. deltagare (varav .. unika) skrivna i Mölndal" in page
    forbund = without_alignment(
        (root / "site" / "forbund/2022/samordningsforbundet-insjoriket.html").read_text("utf-8")
    )
    # Zeros are shown (nobody was referred by Arbetsförmedlingen in 2022), but their shares are
    # withheld: the column totals are hidden (3 women and 2 men, and the 5 in all with them).
    assert (
        '<tr><th scope="row">Arbetsförmedlingen</th><td class="num">0</td>'
        '<td class="num">..</td><td class="num">0</td><td class="num">..</td>'
        '<td class="num">0</td><td class="num">..</td></tr>'
    ) in forbund


def test_run_one_kommun_report(tmp_path):
    open_disclosure = tmp_path / "open.yml"
    open_disclosure.write_text("threshold: 0\n", encoding="utf-8")
    done = finsam(
        "run",
        "kommun",
        "--year",
        "2022",
        "--kommun",
        "Partille",
        "--data",
        str(SMALL),
        "--out",
        str(tmp_path / "one"),
        "--build-dir",
        str(tmp_path / "b"),
        "--renderer",
        "builtin",
        "--disclosure",
        str(open_disclosure),
    )
    assert done.returncode == 0, done.stderr
    assert "small counts are NOT protected" in done.stderr
    page = without_alignment((tmp_path / "one" / "kommun/2022/partille.html").read_text("utf-8"))
    assert '<h1 class="title">Partille 2022</h1>' in page
    # Partille 2022 pågående: D05 and D06 (hand-worked), totals only on a kommun page.
    assert '<tr><th scope="row">Pågående</th><td class="num">2</td></tr>' in page
    assert "pågick vid periodens slut (31 december 2022)" in page
    assert "Ofullständig period" not in page  # the data reaches 2 January 2023


def test_single_runs_keep_each_others_pages_and_the_sites_notebooks(tmp_path):
    """Each run gets its own folder; a run with its own period end gets its own page and
    notebook, so the year's page and its cached notebook stay as they were."""
    common = ("--data", str(SMALL), "--build-dir", str(tmp_path / "b"), "--renderer", "builtin")
    first = finsam("run", "kommun", "--year", "2022", "--kommun", "Partille", *common)
    assert first.returncode == 0, first.stderr
    notebook = tmp_path / "b" / "runs" / "kommun/2022/partille.ipynb"
    before = notebook.read_bytes()
    later = finsam(
        "run", "kommun", "--year", "2022", "--kommun", "Partille", "--period-end",
        "2023-01-04", *common,
    )  # fmt: skip
    assert later.returncode == 0, later.stderr
    single = tmp_path / "b" / "single"
    assert (single / "kommun-2022-partille" / "kommun/2022/partille.html").is_file()
    own = single / "kommun-2022-partille-2023-01-04" / "kommun/2022/partille-2023-01-04.html"
    assert "pågick vid periodens slut (4 januari 2023)" in own.read_text(encoding="utf-8")
    assert notebook.read_bytes() == before
    assert f"html:     {own.with_suffix('')}.html" in later.stdout


def test_a_page_whose_data_ends_early_says_so_in_html_and_pdf(tmp_path):
    """The small dataset taken out of SUS on 5 January 2023 (declared in its dataset.yml; its
    last date is D07's start on 2 January 2023): the 2023 page states that its year is
    incomplete, in the HTML page and in the PDF."""
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    with (data / "dataset.yml").open("a", encoding="utf-8") as meta:
        meta.write("extracted: 2023-01-05\n")
    done = finsam(
        "run", "kommun", "--year", "2023", "--kommun", "Mölndal", "--data", str(data),
        "--build-dir", str(tmp_path / "b"), "--renderer", "builtin",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = Path(done.stdout.split("html:")[1].split()[0])
    stated = "Uppgifterna togs ut ur SUS den 5 januari 2023."
    assert "Ofullständig period." in page.read_text(encoding="utf-8")
    assert stated in page.read_text(encoding="utf-8")
    text = subprocess.run(
        ["pdftotext", "-layout", str(page.with_suffix(".pdf")), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    assert "Ofullständig period." in text and "5 januari 2023" in " ".join(text.split())


def test_a_bad_extraction_date_is_a_clear_error(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    with (data / "dataset.yml").open("a", encoding="utf-8") as meta:
        meta.write("extracted: 30/9/2022\n")
    done = finsam("validate", str(data))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "'extracted' '30/9/2022': expected the date the data was taken out of SUS" in (
        done.stderr
    )


@pytest.mark.parametrize("name", ["riket", "forbund", "kommun"])
def test_notebooks_run_top_to_bottom_with_their_defaults(name, tmp_path):
    """As an evaluator in JupyterLab: default parameters, kernel 'finsam', and the default store
    (here made in a temporary build folder, as `make site` makes it in `_build/`)."""
    store = prepare_store(EXAMPLE_DATASET, tmp_path)
    link = publish_default_store(store, tmp_path)
    nb = nbformat.read(NOTEBOOK_DIR / f"{name}.ipynb", as_version=4)
    assert nb.metadata["kernelspec"]["name"] == "finsam"
    (parameters,) = [c for c in nb.cells if "parameters" in c.metadata.get("tags", [])]
    default = f'"../{DEFAULT_BUILD_DIR.name}/store.duckdb"'
    assert default in parameters.source
    parameters.source = parameters.source.replace(default, repr(str(link)))
    NotebookClient(
        nb, kernel_name="finsam", resources={"metadata": {"path": str(NOTEBOOK_DIR)}}, timeout=300
    ).execute()
    html = "".join(
        o.get("data", {}).get("text/html", "")
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.outputs
    )
    assert 'id="deltagarflode"' in html
    assert all(
        not c.get("outputs") or all(o.output_type != "error" for o in c.outputs) for c in nb.cells
    )


def test_pages_are_made_only_for_the_years_the_dataset_reports_on(tmp_path):
    # The embedded example starts with participations carried over from 2016–2018 (so that 2019
    # has its ongoing ones); its first referral is from 2019 and its last start from 2022.
    example = prepare_store(EXAMPLE_DATASET, tmp_path / "example")
    assert example.reporting_years() == [2019, 2020, 2021, 2022]
    for args in (
        ("run", "kommun", "--year", "2015", "--kommun", "Mölndal"),
        ("run", "forbund", "--year", "2030"),
        ("tables", "--level", "forbund", "--name", "Samordningsförbundet Insjöriket",
         "--year", "2016", "--out", str(tmp_path / "t")),
    ):  # fmt: skip
        done = finsam(*args, "--build-dir", str(tmp_path / "b"))
        assert done.returncode == 1, args
        assert "the dataset reports on the years 2019–2022" in done.stderr
        assert "Traceback" not in done.stderr
    assert not (tmp_path / "b" / "runs").exists() and not (tmp_path / "t").exists()
    # The small dataset: first referral 30 December 2021, last start 2 January 2023.
    assert prepare_store(SMALL, tmp_path / "small").reporting_years() == [2021, 2022, 2023]
    declared = tmp_path / "declared"
    shutil.copytree(SMALL, declared)
    meta = declared / "dataset.yml"
    meta.write_text(meta.read_text(encoding="utf-8") + "years: [2022]\n", encoding="utf-8")
    assert prepare_store(declared, tmp_path / "d").reporting_years() == [2022]
    matrix = tmp_path / "m.yml"
    matrix.write_text("years: [2021, 2022]\nforbund: auto\n", encoding="utf-8")
    build = finsam(
        "build", "--data", str(declared), "--params", str(matrix), "--out", str(tmp_path / "s"),
        "--build-dir", str(tmp_path / "b2"),
    )  # fmt: skip
    assert build.returncode == 1
    assert f"{matrix}: year 2021: the dataset reports on the years 2022" in build.stderr
    meta.write_text("years: 2022\n", encoding="utf-8")
    bad = finsam("validate", str(declared))
    assert bad.returncode == 1
    assert "'years' 2022: expected a list of years like [2021, 2022]" in bad.stderr


def test_each_dataset_has_its_own_store_and_the_notebooks_keep_the_site_builds(built, tmp_path):
    """After a build of one dataset, exporting tables of another never replaces the first's
    store, and the notebooks' default store stays the one the site was built from."""
    root, first = built
    build = root / "build"
    default = build / "store.duckdb"
    assert default.is_symlink() and Store(default).meta()["description"].startswith("Handgjorda")
    done = finsam(
        "tables", "--level", "forbund", "--name", "Samordningsförbundet Insjöriket", "--year",
        "2022", "--out", str(tmp_path / "t"), "--build-dir", str(build),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    stores = sorted(p.name for p in (build / "stores").iterdir() if p.suffix == ".duckdb")
    assert len(stores) == 2 and stores[0].startswith("example-") and stores[1].startswith("small-")
    assert Store(default).meta()["description"].startswith("Handgjorda")  # untouched
    assert Store(first.store).meta()["synthetic"] is True
    # An unchanged dataset reuses its store: nothing is ingested again.
    before = (build / "stores" / stores[1]).stat().st_mtime_ns
    prepare_store(SMALL, build)
    assert (build / "stores" / stores[1]).stat().st_mtime_ns == before


def test_a_failing_page_does_not_stop_the_others_and_a_rerun_retries_only_it(tmp_path, monkeypatch):
    """Partille's notebook fails while a flag file exists: Mölndal and the förbund are executed
    and cached, Partille's notebook is kept, the site is not rendered; once the cause is gone a
    rerun executes Partille only."""
    from finsam.pipeline import execute
    from finsam.pipeline.build import PagesFailed

    notebooks = tmp_path / "notebooks"
    shutil.copytree(NOTEBOOK_DIR, notebooks)
    nb = nbformat.read(notebooks / "kommun.ipynb", as_version=4)
    at = next(i for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", []))
    flag = tmp_path / "fail-partille"
    nb.cells.insert(
        at + 1,
        nbformat.v4.new_code_cell(
            f"if kommun == '1402' and __import__('os').path.exists({str(flag)!r}):\n"
            "    raise RuntimeError('Partille fails on purpose')"
        ),
    )
    nbformat.write(nb, notebooks / "kommun.ipynb")
    monkeypatch.setattr(execute, "NOTEBOOK_DIR", notebooks)
    matrix = tmp_path / "matrix.yml"
    matrix.write_text(MATRIX.replace("[Mölndal]", "[Mölndal, Partille]"), encoding="utf-8")
    flag.touch()
    build = lambda: build_site(  # noqa: E731
        SMALL, tmp_path / "site", tmp_path / "build", matrix, "builtin", jobs=1
    )
    with pytest.raises(PagesFailed) as failed:
        build()
    states = {r.run.page: r.state for r in failed.value.results}
    assert states == {
        "forbund/2022/samordningsforbundet-insjoriket": "executed",
        "kommun/2022/molndal": "executed",
        "kommun/2022/partille": "failed",
    }
    message = str(failed.value)
    assert "1 of 3 pages failed (2 executed, 0 unchanged, 1 failed)" in message
    assert "kommun/2022/partille: cell" in message and "Partille fails on purpose" in message
    kept = tmp_path / "build" / "failed" / "kommun" / "2022" / "partille.ipynb"
    assert "Partille fails on purpose" in kept.read_text(encoding="utf-8")
    assert not (tmp_path / "site").exists()
    flag.unlink()
    again = build()
    assert {r.run.page: r.state for r in again.results} == {
        "forbund/2022/samordningsforbundet-insjoriket": "unchanged",
        "kommun/2022/molndal": "unchanged",
        "kommun/2022/partille": "executed",
    }
    assert not kept.exists() and (tmp_path / "site" / "kommun/2022/partille.html").is_file()


def test_a_second_build_on_the_same_folders_is_refused_and_leftovers_are_removed(tmp_path):
    """While one build holds the build folder, another is refused at once naming the first's
    process; a killed build's half-written notebook and half-rendered site are removed by the
    next build, and its lock does not outlive it."""
    from finsam.pipeline.buildlock import exclusive_build

    build_dir, site = tmp_path / "build", tmp_path / "site"
    (tmp_path / "matrix.yml").write_text(MATRIX, encoding="utf-8")
    args = ("build", "--data", str(SMALL), "--params", str(tmp_path / "matrix.yml"))
    args += ("--build-dir", str(build_dir), "--out", str(site), "--renderer", "builtin")
    with exclusive_build(build_dir, tmp_path / "other-site"):
        refused = finsam(*args)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"build folder {build_dir.resolve()} is in use by another finsam build" in " ".join(
        refused.stderr.split()
    )
    assert f"(process {os.getpid()})" in refused.stderr
    # what a build killed in the middle leaves: a temporary notebook, a half-rendered site
    stale_notebook = build_dir / "runs" / "kommun" / "2022" / ".molndal-x1y2.ipynb"
    stale_notebook.parent.mkdir(parents=True)
    stale_notebook.write_text("{}", encoding="utf-8")
    stale_site = tmp_path / ".site-abc123"
    stale_site.mkdir()
    done = finsam(*args)
    assert done.returncode == 0, done.stderr
    assert not stale_notebook.exists() and not stale_site.exists()
    assert (site / "index.html").is_file()


def _descendants(pid: int) -> set[int]:
    """The processes below ``pid`` (workers, their kernels), from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _kernels(pids: set[int]) -> set[int]:
    """The Jupyter kernels among ``pids``."""
    found = set()
    for pid in pids:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if b"ipykernel" in command:
            found.add(pid)
    return found


def _alive(pids: set[int]) -> set[int]:
    alive = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            alive.add(pid)
    return alive


@pytest.fixture(scope="module")
def interrupted_build_dir(tmp_path_factory) -> Path:
    """The build folder the interrupted builds share: the second reuses the first's store and
    protection, as a rerun after an interruption does."""
    return tmp_path_factory.mktemp("interrupted")


@pytest.mark.parametrize("how", ["ctrl-c", "kill"])
def test_an_interrupted_build_stops_at_once_and_leaves_no_process(
    interrupted_build_dir, tmp_path, how
):
    """Ctrl-C (SIGINT to the whole foreground group, as a terminal sends it), once both workers
    have started their kernels, stops the build of the example's 35 pages within seconds,
    cancelling the queued pages; a killed build takes its workers and their kernels with it."""
    import signal
    import time

    from finsam_command import FINSAM

    build_dir = interrupted_build_dir
    build = subprocess.Popen(
        [str(FINSAM), "build", "--data", str(EXAMPLE_DATASET), "--build-dir",
         str(build_dir), "--out", str(tmp_path / "site"), "--renderer", "builtin", "-j", "2"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    for line in build.stdout:
        if "executing pages" in line:
            break
    deadline = time.monotonic() + 180  # a worker and its kernel start slowly on a busy machine
    while len(_kernels(_descendants(build.pid))) < 2 and time.monotonic() < deadline:
        time.sleep(0.1)
    below = _descendants(build.pid)
    assert len(_kernels(below)) == 2, "each of the two workers runs its pages in its kernel"
    start = time.monotonic()
    if how == "ctrl-c":
        os.killpg(build.pid, signal.SIGINT)
    else:
        build.kill()
    _out, err = build.communicate(timeout=60)
    deadline = time.monotonic() + 15
    while _alive(below) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _alive(below) == set()
    if how == "ctrl-c":
        assert time.monotonic() - start < 10
        assert build.returncode == 1 and "interrupted" in err and "Traceback" not in err
        executed = list((build_dir / "runs").rglob("[!.]*.ipynb"))
        assert len(executed) < 30  # of 35: the queued pages were cancelled
    assert not (tmp_path / "site").exists()
