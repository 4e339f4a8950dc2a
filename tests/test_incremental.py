"""Incremental builds: a page is executed, staged and rendered again only when what it reads
changed; a rebuild with nothing changed does nothing and says so."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from finsam.pipeline.build import build_site

pytestmark = pytest.mark.pipeline

SMALL = Path(__file__).parent / "fixtures" / "small"
MATRIX = """years: [2022]
riket: true
forbund:
  - name: Samordningsförbundet Insjöriket
    kommuner: [Mölndal, Partille]
"""
FORBUND_PAGE = "forbund/2022/samordningsforbundet-insjoriket"


def _edit_participation(data: Path, deltagande_id: str, column: str, value: str) -> None:
    path = data / "deltaganden.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    (row,) = [r for r in rows if r["deltagande_id"] == deltagande_id]
    row[column] = value
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _executed(result) -> set[str]:
    return {r.run.page for r in result.results if r.executed}


def test_pages_execute_again_only_when_what_they_read_changed(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SMALL, data)
    (tmp_path / "matrix.yml").write_text(MATRIX, encoding="utf-8")
    # Threshold 0: no count is hidden, so the protection cannot carry a change across pages and
    # the test sees the row dependencies alone.
    (tmp_path / "disclosure.yml").write_text("threshold: 0\n", encoding="utf-8")
    site, build = tmp_path / "site", tmp_path / "build"

    def build_once():
        return build_site(
            data, site, build, tmp_path / "matrix.yml", "builtin", jobs=1,
            disclosure=tmp_path / "disclosure.yml",
        )  # fmt: skip

    first = build_once()
    pages = {r.run.page for r in first.results}
    assert _executed(first) == pages and len(pages) == 4 and first.rendered
    molndal_html = (site / "kommun/2022/molndal.html").read_bytes()
    staged = {p: p.stat().st_mtime_ns for p in (build / "site").rglob("*.ipynb")}

    unchanged = build_once()
    assert _executed(unchanged) == set() and not unchanged.rendered
    assert {p: p.stat().st_mtime_ns for p in (build / "site").rglob("*.ipynb")} == staged

    # A correction of one Partille participation (D06: gymnasium → högskola up to 3 years).
    partille = (site / "kommun/2022/partille.html").read_text(encoding="utf-8")
    _edit_participation(data, "D06", "utbildning", "hogskola_upp_till_3_ar")
    corrected = build_once()
    riket = next(r.run.page for r in first.results if r.run.kind == "riket")
    assert _executed(corrected) == {riket, FORBUND_PAGE, "kommun/2022/partille"}
    assert corrected.rendered
    molndal_stage = build / "site" / "kommun/2022/molndal.ipynb"
    assert molndal_stage.stat().st_mtime_ns == staged[molndal_stage]  # not staged again
    assert (site / "kommun/2022/molndal.html").read_bytes() == molndal_html
    assert (site / "kommun/2022/partille.html").read_text(encoding="utf-8") != partille

    # Every page shows the dataset's description: changing it executes every page again.
    yml = data / "dataset.yml"
    yml.write_text(yml.read_text(encoding="utf-8") + "\nextracted: 2023-02-01\n", "utf-8")
    assert _executed(build_once()) == pages
