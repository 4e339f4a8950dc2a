"""Pages executed on a Dask distributed cluster give the pages of a local build."""

from __future__ import annotations

import nbformat
import pytest
from conftest import SMALL_DATASET, SMALL_MATRIX, SmallBuild
from distributed import LocalCluster
from finsam_command import finsam

from finsam.pipeline import kernels
from finsam.pipeline.build import build_site

pytestmark = pytest.mark.pipeline


def _outputs(notebook) -> list:
    return [cell.get("outputs") for cell in nbformat.read(notebook, as_version=4).cells]


def _same_pages_as_the_local_build(build_dir, small_build: SmallBuild) -> None:
    local = sorted((small_build.build_dir / "runs").rglob("*.ipynb"))
    remote = sorted(build_dir.joinpath("runs").rglob("*.ipynb"))
    assert [p.relative_to(build_dir / "runs") for p in remote] == [
        p.relative_to(small_build.build_dir / "runs") for p in local
    ]
    for here, there in zip(local, remote, strict=True):
        assert _outputs(here) == _outputs(there), here.name


def test_a_build_on_a_dask_cluster_gives_the_local_pages(tmp_path, small_build: SmallBuild):
    (tmp_path / "matrix.yml").write_text(SMALL_MATRIX, encoding="utf-8")
    (tmp_path / "disclosure.yml").write_text("threshold: 0\n", encoding="utf-8")
    kernels.discard_kernel()
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        result = build_site(
            SMALL_DATASET, tmp_path / "site", tmp_path / "build", tmp_path / "matrix.yml",
            "builtin", disclosure=tmp_path / "disclosure.yml", scheduler=cluster.scheduler_address,
        )  # fmt: skip
    assert result.executed == 4 and (tmp_path / "site" / "index.html").is_file()
    assert getattr(kernels._local, "kernel", None) is None  # nothing ran in this process
    _same_pages_as_the_local_build(tmp_path / "build", small_build)


def test_the_command_line_starts_a_local_dask_cluster(tmp_path, small_build: SmallBuild):
    (tmp_path / "matrix.yml").write_text(SMALL_MATRIX, encoding="utf-8")
    (tmp_path / "disclosure.yml").write_text("threshold: 0\n", encoding="utf-8")
    done = finsam(
        "build", "--data", str(SMALL_DATASET), "--params", str(tmp_path / "matrix.yml"),
        "--disclosure", str(tmp_path / "disclosure.yml"), "--build-dir", str(tmp_path / "b"),
        "--out", str(tmp_path / "site"), "--renderer", "builtin", "--executor", "dask", "-j", "2",
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "4 pages (4 executed, 0 unchanged)" in done.stdout
    _same_pages_as_the_local_build(tmp_path / "b", small_build)


def test_an_unreachable_scheduler_is_a_clear_error(tmp_path):
    (tmp_path / "matrix.yml").write_text(SMALL_MATRIX, encoding="utf-8")
    done = finsam(
        "build", "--data", str(SMALL_DATASET), "--params", str(tmp_path / "matrix.yml"),
        "--build-dir", str(tmp_path / "b"),
        "--out", str(tmp_path / "site"), "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9",
    )  # fmt: skip
    assert done.returncode == 1
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in done.stderr
    assert "Traceback" not in done.stderr
