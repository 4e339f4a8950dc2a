"""The run matrix: which report pages make up the site, read from a YAML file in ``params/``.

``riket: true`` adds a national page per year (all förbund in the data, beside the published
national figures). A förbund whose finances give an income statement for a year gets that
year's financial report page (``ekonomi``); one with goals for a year gets that year's goal
follow-up (``mal``).

One *run* is one notebook executed for one set of parameters (report kind × year × förbund or
kommun). ``auto`` in the file means "everything in the data".
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from finsam.errors import FinsamError
from finsam.inputs.reference import kommun_slug, slugify
from finsam.inputs.store import Store
from finsam.inputs.yamlfile import read_yaml
from finsam.stats.accounts import statement_years
from finsam.stats.protection.publication import PageKey, page_key

KINDS = {
    "riket": "Nationell rapport",
    "forbund": "Förbundsrapport",
    "kommun": "Kommunrapport",
    "ekonomi": "Ekonomisk redovisning",
    "mal": "Måluppfyllelse",
}
STATISTICS_KINDS = ("riket", "forbund", "kommun")
"""The kinds of page that publish counts of people, protected together."""


@dataclass(frozen=True, order=True)
class Run:
    """One page: ``kind`` is ``riket``, ``forbund``, ``kommun`` (statistics), ``ekonomi`` (a
    förbund's financial report) or ``mal`` (its goal follow-up); ``forbund`` is empty for
    ``riket``; ``kommun`` is a kommunkod or ``None``."""

    kind: str
    year: int
    forbund: str
    kommun: str | None = None
    kommun_name: str | None = None
    period_end: str | None = None
    threshold: int | None = None  # suppression threshold; None: params/disclosure.yml
    protection: str | None = None  # mask file of the site-wide protection; None: page alone
    series: tuple[int, ...] = ()  # years of the page's key figures over time: the site's years

    @property
    def name(self) -> str:
        if self.kind == "riket":
            return "Riket"
        return self.kommun_name if self.kommun_name else self.forbund

    @property
    def slug(self) -> str:
        """The page's path segment: the förbund's or kommun's name as a slug, unique over the
        register (:func:`finsam.inputs.reference.kommun_slug`)."""
        return kommun_slug(self.kommun) if self.kommun else slugify(self.name)

    @property
    def page(self) -> str:
        """Path of the page within the site, without suffix: ``kommun/2022/molndal``; a page
        with its own period end adds it (``kommun/2022/molndal-2023-01-04``), so it never takes
        the place of the year's page."""
        end = f"-{self.period_end}" if self.period_end else ""
        return f"{self.kind}/{self.year}/{self.slug}{end}"

    @property
    def protected(self) -> bool:
        """Whether the page publishes counts of people (and takes part in the protection)."""
        return self.kind in (*STATISTICS_KINDS, "mal")

    @property
    def key(self) -> PageKey:
        """The page's key in the site-wide protection."""
        scope = "" if self.kind == "riket" else self.kommun or self.forbund
        return page_key(self.kind, scope, self.year, self.period_end)

    @property
    def protection_keys(self) -> tuple[PageKey, ...]:
        """The pages whose counts this page shows: its own and, in its key figures over time,
        the pages of the same förbund or kommun of the years in ``series``; a goal follow-up
        also shows the participants per insats of the förbund page, and its flows are linked to
        that page's."""
        if not self.protected:
            return ()
        if self.kind == "mal":
            return (replace(self.key, level="forbund"), self.key)
        years = (replace(self.key, year=year, period_end="") for year in self.series)
        return tuple(dict.fromkeys((self.key, *years)))

    @property
    def title(self) -> str:
        return f"{self.name} {self.year}"

    @property
    def subtitle(self) -> str:
        if self.kind == "riket":
            return f"{KINDS[self.kind]}: alla förbund i uppgifterna"
        if self.kind in ("forbund", "ekonomi", "mal"):
            return KINDS[self.kind]
        return f"{KINDS[self.kind]}, {self.forbund}"

    def parameters(self, store_path: Path) -> dict:
        if self.kind == "ekonomi":
            return {"store_path": str(store_path), "forbund": self.forbund, "year": self.year}
        params = {
            "store_path": str(store_path),
            "year": self.year,
            "period_end": self.period_end,
            "threshold": self.threshold,
            "protection": self.protection,
        }
        if self.kind == "mal":
            del params["period_end"]
        if self.kind != "riket":
            params["forbund"] = self.forbund
        if self.kind == "kommun":
            params["kommun"] = self.kommun
        if self.kind in ("forbund", "kommun"):
            params["years_over_time"] = list(self.series)
        return params


def read_matrix(path: Path) -> dict:
    """The YAML run matrix at ``path`` (checked for shape, not yet against data)."""
    data = read_yaml(path, "run matrix")
    if not isinstance(data, dict) or "years" not in data or "forbund" not in data:
        raise FinsamError(f"{path}: expected keys 'years' and 'forbund' (see params/site.yml)")
    return data


def plan_runs(
    matrix: dict, store: Store, source: str = "run matrix", *, reported_only: bool = False
) -> list[Run]:
    """Every run the matrix asks for, resolved against the data in ``store``. A year the
    dataset does not report on is an error, or with ``reported_only`` left out (for the site a
    single page is protected with, which may have been written for another dataset)."""
    from finsam.stats.population import member_code, members_of

    in_data = store.forbund_in_data()
    years = store.reporting_years() if matrix["years"] == "auto" else matrix["years"]
    if not isinstance(years, list) or not all(isinstance(y, int) for y in years):
        raise FinsamError(f"{source}: 'years' must be 'auto' or a list of years, got {years!r}")
    if reported_only:
        reported = store.reporting_years()
        years = [y for y in years if y in reported]
    for year in years:
        store.check_year(year, f"{source}: year")
    entries = matrix["forbund"]
    if entries == "auto":
        entries = [{"name": name, "kommuner": "auto"} for name in in_data]
    names = store.table("kommuner").set_index("kommunkod")["kommun"].to_dict()
    finances, goals = store.finances(), store.goals()
    runs: list[Run] = []
    if matrix.get("riket", False):
        runs += [Run("riket", year, "") for year in years]
    for entry in entries:
        forbund = entry["name"] if isinstance(entry, dict) else str(entry)
        if forbund not in in_data:
            raise FinsamError(
                f"{source}: förbund {forbund!r} has no data in the dataset "
                f"(förbund with data: {', '.join(in_data) or 'none'}); "
                "edit the run matrix or use --params params/auto.yml"
            )
        wanted = entry.get("kommuner", "auto") if isinstance(entry, dict) else "auto"
        try:
            codes = (
                members_of(store, forbund)
                if wanted == "auto"
                else [member_code(store, forbund, k) for k in wanted]
            )
        except FinsamError as error:
            raise FinsamError(f"{source}: {error}") from None
        series = tuple(sorted(years))
        for year in years:
            runs.append(Run("forbund", year, forbund, series=series))
            runs += [
                Run("kommun", year, forbund, code, names[code], series=series) for code in codes
            ]
        stated = statement_years(finances, forbund)
        runs += [Run("ekonomi", year, forbund) for year in years if year in stated]
        with_goals = goal_years(goals, forbund)
        runs += [Run("mal", year, forbund) for year in years if year in with_goals]
    return runs


def goal_years(goals: pd.DataFrame, forbund: str) -> list[int]:
    """The years for which ``forbund`` has goals (the years of its goal follow-up pages)."""
    return sorted(int(y) for y in goals.loc[goals["forbund"] == forbund, "ar"].dropna().unique())
