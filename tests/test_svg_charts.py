"""The statistics pages' SVG bar charts: ticks, bars and labels checked against a table worked
out by hand."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from finsam.report.svg_charts import GENDER_PALETTE, grouped_bars, nice_ticks

SVG = "{http://www.w3.org/2000/svg}"

# Referrals per kommun: Härryda's women and men are suppressed (..), Lerum has none at all.
TABLE = pd.DataFrame(
    [
        ("harryda", "kvinna", None),
        ("harryda", "man", None),
        ("harryda", "totalt", 12),
        ("lerum", "kvinna", 0),
        ("lerum", "man", 0),
        ("lerum", "totalt", 0),
        ("molndal", "kvinna", 8),
        ("molndal", "man", 7),
        ("molndal", "totalt", 15),
    ],
    columns=["kategori", "kon", "antal"],
).astype({"antal": "Int64"})
LABELS = {"harryda": "Härryda", "lerum": "Lerum", "molndal": "Mölndal"}


@pytest.mark.parametrize(
    ("maximum", "ticks"),
    [
        (37, [0, 10, 20, 30, 40]),
        (15, [0, 5, 10, 15]),
        (4, [0, 1, 2, 3, 4]),
        (1, [0, 1]),
        (0, [0, 1]),
        (240, [0, 50, 100, 150, 200, 250]),
        (1234, [0, 500, 1000, 1500]),
    ],
)
def test_axis_ticks_are_whole_round_steps(maximum, ticks):
    assert nice_ticks(maximum) == ticks


@pytest.mark.parametrize("horizontal", [False, True])
def test_bars_labels_and_description_follow_the_table(horizontal):
    svg = grouped_bars(
        TABLE, LABELS, "Remisser 2022", "Stapeldiagram: remisser", horizontal=horizontal
    )
    root = ET.fromstring(svg)  # well-formed XML
    assert root.get("role") == "img" and root.get("aria-label") == "Stapeldiagram: remisser"
    assert root.find(f"{SVG}title").text == "Stapeldiagram: remisser"
    texts = [t.text for t in root.iter(f"{SVG}text")]
    # Lerum has no count in any gender: left out; Härryda's suppressed counts get no bar.
    assert "Lerum" not in texts and "Härryda" in texts and "Mölndal" in texts
    fills = {colour: name for name, colour in GENDER_PALETTE.items()}
    rects = [r for r in root.iter(f"{SVG}rect") if r.get("fill") in fills]
    legend = [r for r in rects if r.get("width") == r.get("height") == "12.0"]
    assert [fills[r.get("fill")] for r in legend] == ["Kvinnor", "Män", "Totalt"]
    size = "width" if horizontal else "height"
    bars = [(fills[r.get("fill")], float(r.get(size))) for r in rects if r not in legend]
    assert [name for name, _ in bars] == ["Totalt", "Kvinnor", "Män", "Totalt"]
    # Lengths are proportional to the counts 12, 8, 7, 15 (axis 0–15).
    unit = bars[3][1] / 15
    assert [round(length / unit, 1) for _, length in bars] == [12, 8, 7, 15]  # 0.1 px
    for count in ("12", "8", "7", "15"):
        assert count in texts
    assert texts.count("..") == 2  # Härryda's women and men, marked as in the table
    assert [t for t in texts if t in ("Kvinnor", "Män", "Totalt")] == ["Kvinnor", "Män", "Totalt"]


def test_a_kommun_page_chart_has_only_the_total():
    totals = TABLE[TABLE["kon"] == "totalt"]
    root = ET.fromstring(grouped_bars(totals, LABELS, "Remisser", "Stapeldiagram"))
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "Kvinnor" not in texts and "Män" not in texts and "Totalt" in texts
