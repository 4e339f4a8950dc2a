"""Grouped bar charts as SVG text, drawn straight from a protected tidy table.

The statistics pages draw some ten charts each; with matplotlib a chart costs 0.1–0.2 s (most of
it in laying out and writing text), which over a national site of 350 pages is minutes. These
charts are plain SVG written here in a few milliseconds: vector graphics for the web page and
for the PDF (Typst embeds SVG), with text kept as text (searchable, sharp in print) and the
chart's description as its accessible name.

The look follows the statistics appendix (Statistikbilaga 2022, Insjöriket): one group of bars per
category, one bar per gender and the total, the count at the end of each bar; a suppressed
count gets no bar, only the tables' mark "..".
"""

from __future__ import annotations

import html
import math
import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd

from finsam.inputs.codes import KON
from finsam.stats.disclosure import SUPPRESSED

# Colour-blind safe, distinguishable in greyscale print.
GENDER_PALETTE = {"Kvinnor": "#b2182b", "Män": "#2166ac", "Okänt": "#999999", "Totalt": "#4d4d4d"}

WIDTH = 640  # px of the viewBox, about the width of the page's text column
FONT = "font-family=\"'Helvetica Neue', Arial, 'Liberation Sans', sans-serif\""
GRID = "#dddddd"
INK = "#262626"


def nice_ticks(maximum: float, at_most: int = 6) -> list[int]:
    """Integer axis ticks from 0 to at least ``maximum``: steps of 1, 2 or 5 × 10^k, at most
    ``at_most`` steps (``nice_ticks(37)`` → 0, 10, 20, 30, 40)."""
    if not maximum or maximum <= 0:
        return [0, 1]
    raw = maximum / at_most
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(1, int(step))
    return list(range(0, math.ceil(maximum / step) * step + 1, step))


def _text(x: float, y: float, text: str, size: int = 12, anchor: str = "start", **attrs) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{INK}"{extra}>{html.escape(text)}</text>'
    )


def _rect(x: float, y: float, width: float, height: float, fill: str) -> str:
    return (
        f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{height:.1f}" fill="{fill}"/>'
    )


def _line(x1: float, y1: float, x2: float, y2: float, stroke: str) -> str:
    return f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y1:.1f}" y2="{y2:.1f}" stroke="{stroke}"/>'


def _lines(label: str, width: int) -> list[str]:
    return textwrap.wrap(label, width) or [""]


def grouped_bars(
    tidy: pd.DataFrame,
    labels: Mapping[str, str],
    title: str,
    description: str,
    *,
    horizontal: bool = False,
) -> str:
    """An SVG chart of ``antal`` per ``kategori`` (in table order) and ``kon`` (kvinna, man,
    okant, totalt; whichever the table has). Categories with no count in any gender are left
    out (the table shows them); missing (suppressed) counts get no bar, only the mark "..".
    ``description`` is the chart's accessible name (its alt text)."""
    data = tidy.assign(antal=tidy["antal"].astype("Float64").astype(float))
    shown = data.groupby("kategori", sort=False)["antal"].transform(
        lambda v: v.isna().any() or v.sum() > 0
    )
    data = data[shown]
    categories = list(dict.fromkeys(data["kategori"]))
    genders = [k for k in KON if k in set(data["kon"])]
    values = {
        (k, g): v for k, g, v in zip(data["kategori"], data["kon"], data["antal"], strict=True)
    }
    ticks = nice_ticks(max((v for v in values.values() if not pd.isna(v)), default=0))
    series = [(KON[g], GENDER_PALETTE[KON[g]], g) for g in genders]
    names = [labels.get(k, k) for k in categories]
    draw = _horizontal if horizontal else _vertical
    body, height = draw(categories, names, series, values, ticks)
    legend_y = height - 14
    legend = []
    x = WIDTH / 2 - 55 * len(series)
    for name, colour, _ in series:
        legend.append(_rect(x, legend_y - 10, 12, 12, colour))
        legend.append(_text(x + 17, legend_y, name))
        x += 110
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" aria-label="{html.escape(description)}" '
        f"{FONT}>"
        f"<title>{html.escape(description)}</title>"
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>'
        + _text(8, 22, title, 15, font_weight="bold")
        + "".join(body)
        + "".join(legend)
        + "</svg>"
    )


def _value_label(value: float) -> str:
    """The count at a bar's end; a suppressed count is marked as in the tables."""
    return SUPPRESSED if pd.isna(value) else f"{value:.0f}"


def _horizontal(
    categories: Sequence[str],
    names: Sequence[str],
    series: Sequence[tuple[str, str, str]],
    values: Mapping[tuple[str, str], float],
    ticks: list[int],
) -> tuple[list[str], int]:
    """Bars to the right, category names on the left (wrapped at 28 characters)."""
    bar, gap, left, right, top = 13, 12, 220, 40, 40
    wrapped = [_lines(n, 28) for n in names]
    groups = [max(len(series) * bar, 14 * len(lines)) for lines in wrapped]
    plot_height = sum(groups) + gap * (len(groups) + 1)
    scale = (WIDTH - left - right) / ticks[-1]
    parts = []
    for tick in ticks:  # grid and axis labels
        x = left + tick * scale
        parts.append(_line(x, top, x, top + plot_height, GRID))
        parts.append(_text(x, top + plot_height + 16, f"{tick}", 11, "middle"))
    middle = left + (WIDTH - left - right) / 2
    parts.append(_text(middle, top + plot_height + 34, "Antal", 12, "middle"))
    y = top + gap
    for category, lines, group in zip(categories, wrapped, groups, strict=True):
        first = y + (group - 14 * len(lines)) / 2 + 11
        for i, line in enumerate(lines):
            parts.append(_text(left - 8, first + 14 * i, line, 12, "end"))
        bar_y = y + (group - len(series) * bar) / 2
        for _, colour, gender in series:
            value = values.get((category, gender), 0.0)
            length = 0 if pd.isna(value) else value * scale
            if not pd.isna(value):
                parts.append(_rect(left, bar_y, length, bar - 1, colour))
            parts.append(_text(left + length + 3, bar_y + bar - 3, _value_label(value), 10))
            bar_y += bar
        y += group + gap
    parts.append(_line(left, top, left, top + plot_height, INK))
    return parts, int(top + plot_height + 70)


def _vertical(
    categories: Sequence[str],
    names: Sequence[str],
    series: Sequence[tuple[str, str, str]],
    values: Mapping[tuple[str, str], float],
    ticks: list[int],
) -> tuple[list[str], int]:
    """Bars upwards, category names below (wrapped to the group's width)."""
    left, right, top, plot_height = 56, 16, 40, 220
    group = (WIDTH - left - right) / max(len(categories), 1)
    bar = min(48.0 if len(series) == 1 else 26.0, 0.8 * group / max(len(series), 1))
    wrapped = [_lines(n, max(6, int(group / 7))) for n in names]
    scale = plot_height / ticks[-1]
    base = top + plot_height
    parts = []
    for tick in ticks:
        y = base - tick * scale
        parts.append(_line(left, y, WIDTH - right, y, GRID))
        parts.append(_text(left - 6, y + 4, f"{tick}", 11, "end"))
    middle = top + plot_height / 2
    parts.append(_text(16, middle, "Antal", 12, "middle", transform=f"rotate(-90 16 {middle})"))
    for i, (category, lines) in enumerate(zip(categories, wrapped, strict=True)):
        centre = left + group * (i + 0.5)
        x = centre - bar * len(series) / 2
        for _, colour, gender in series:
            value = values.get((category, gender), 0.0)
            height = 0 if pd.isna(value) else value * scale
            if not pd.isna(value):
                parts.append(_rect(x, base - height, bar - 1, height, colour))
            label = _value_label(value)
            parts.append(_text(x + bar / 2, base - height - 3, label, 10, "middle"))
            x += bar
        for j, line in enumerate(lines[:3]):
            parts.append(_text(centre, base + 16 + 14 * j, line, 11, "middle"))
    parts.append(_line(left, base, WIDTH - right, base, INK))
    label_lines = min(3, max(len(lines) for lines in wrapped)) if wrapped else 1
    return parts, int(base + 16 + 14 * label_lines + 40)
