"""Charts drawn with seaborn: time series and budget bars, the few charts of the national,
financial and goal pages (the statistics pages' grouped bars are in ``svg_charts``)."""

from __future__ import annotations

import textwrap

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from finsam.report.svg_charts import GENDER_PALETTE


def lines_over_time(
    tidy: pd.DataFrame, x: str, y: str, hue: str | None, title: str, ylabel: str
) -> Figure:
    """A time series per group (e.g. kvinnor, män, totalt per year), markers on each year."""
    with sns.axes_style("whitegrid"):
        fig, ax = plt.subplots(figsize=(7.5, 3.4), dpi=110)
        palette = GENDER_PALETTE if hue and set(tidy[hue]) <= set(GENDER_PALETTE) else None
        sns.lineplot(data=tidy, x=x, y=y, hue=hue, marker="o", palette=palette, ax=ax)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_title(title, fontsize=11, loc="left")
        ax.set_xlabel("")
        ax.set_ylabel(ylabel)
        if hue:
            ax.legend(title=None, frameon=False)
        fig.tight_layout()
    return fig


SERIES_PALETTE = ("#4d4d4d", "#2166ac", "#b2182b")


def horizontal_bars(
    data: pd.DataFrame, title: str, xlabel: str, *, reference: float | None = None
) -> Figure:
    """Horizontal bars of ``varde`` per ``kategori`` (in order), one bar per ``serie`` (e.g.
    budget and utfall per insats), labelled with their values; ``reference`` draws a dashed
    line (e.g. 100 % fulfilment). Missing values get no bar."""
    data = data.assign(kategori=data["kategori"].map(lambda k: textwrap.fill(str(k), 38)))
    order = list(dict.fromkeys(data["kategori"]))
    series = list(dict.fromkeys(data["serie"]))
    with sns.axes_style("whitegrid"):
        lines = sum(k.count("\n") + 1 for k in order)
        height = 0.3 * max(lines, 3) * max(len(series), 1) ** 0.5 + 1.5
        fig, ax = plt.subplots(figsize=(7.5, height), dpi=110)
        sns.barplot(
            data=data.astype({"varde": float}),
            x="varde",
            y="kategori",
            hue="serie",
            order=order,
            hue_order=series,
            palette=list(SERIES_PALETTE[: len(series)]),
            orient="h",
            ax=ax,
        )
        if reference is not None:
            ax.axvline(reference, color="#333333", linestyle="--", linewidth=1)
        fig.suptitle(title, fontsize=11, x=0.01, ha="left")
        ax.set_xlabel(xlabel)
        ax.set_ylabel("")
        if len(series) > 1:
            ax.legend(title=None, loc="lower right", framealpha=0.9)
        elif ax.get_legend() is not None:
            ax.get_legend().remove()
        for container in ax.containers:
            ax.bar_label(
                container,
                labels=[
                    "" if pd.isna(v) else f"{v:,.0f}".replace(",", " ")
                    for v in container.datavalues
                ],
                fontsize=7,
                padding=2,
            )
        fig.tight_layout()
    return fig
