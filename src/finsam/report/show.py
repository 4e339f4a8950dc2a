"""What a notebook calls to show a result: a protected table, a chart, a paragraph, the data
notice, the data-quality findings.

These are the only display calls notebooks make, so every page looks the same and no raw
frame (with ``person_id`` or birth years) is ever displayed.
"""

from __future__ import annotations

import datetime as dt
import html
import io

import pandas as pd
from IPython.display import HTML, Image, Markdown, display

from finsam.inputs import codes
from finsam.inputs.store import open_store
from finsam.report import svg_charts
from finsam.report.finance_report import FinancePage, amount_text, budget_table
from finsam.report.goal_report import GoalPage
from finsam.report.markdown import markdown_escape
from finsam.report.over_time import KEY_FIGURES, key_figures_over_time
from finsam.report.pages import ReportPage
from finsam.report.present import (
    SYNTHETIC_NOTICE,
    count_text,
    frame_html,
    protected_html,
    share_text,
    swedish_decimal,
    swedish_int,
)
from finsam.stats import national
from finsam.stats.catalog import BY_ID
from finsam.stats.disclosure import SUPPRESSED, legend

MENTIONS_NOTE = "En deltagare kan ha flera svar; summorna och andelarna avser antal omnämnanden."


def markdown(text: str) -> None:
    display(Markdown(text))


def _block(
    classes: tuple[str, ...], parts: list[tuple[str, str]], role: str = "", listed: bool = False
) -> None:
    """A block of text ((lead in bold, text) parts), shown as an HTML ``div`` in JupyterLab and
    as a Markdown div on the site: every renderer, Quarto's too, carries it into the page and
    the PDF alike (raw HTML other than tables stays out of PDFs). ``listed``: the parts are the
    items of a list (as they are anyway when there are several)."""

    def html_part(lead: str, text: str) -> str:
        strong = f"<strong>{html.escape(lead)}</strong> " if lead else ""
        return strong + html.escape(text)

    def markdown_part(lead: str, text: str) -> str:
        strong = f"**{markdown_escape(lead)}** " if lead else ""
        return strong + markdown_escape(text)

    if listed or len(parts) > 1:
        inner = "<ul>" + "".join(f"<li>{html_part(*p)}</li>" for p in parts) + "</ul>"
        body = "\n".join(f"- {markdown_part(*p)}" for p in parts)
    else:
        inner, body = html_part(*parts[0]), markdown_part(*parts[0])
    role_attribute = f' role="{role}"' if role else ""
    css = " ".join(classes)
    fence = "{" + " ".join(f".{c}" for c in classes) + role_attribute + "}"
    display(
        {
            "text/html": f'<div class="{css}"{role_attribute}>{inner}</div>',
            "text/markdown": f"::: {fence}\n{body}\n:::\n",
        },
        raw=True,
    )


def data_notice(page: ReportPage) -> None:
    """The notices at the top of a page: synthetic data, and data that ends before the period
    does (a partial year)."""
    if page.meta.get("synthetic"):
        head, _, tail = SYNTHETIC_NOTICE.partition("**")[2].partition("**")
        _block(("finsam-notice",), [(head, tail.strip())], role="note")
    if page.incomplete_period:
        _block(
            ("finsam-notice", "finsam-incomplete"),
            [("Ofullständig period.", page.incomplete_period)],
            role="note",
        )


def _labels(page: ReportPage, table_id: str) -> dict[str, str]:
    return dict(BY_ID[table_id].labels(page.population))


def _slices(page: ReportPage, table_id: str):
    spec, table = BY_ID[table_id], page.tables[table_id]
    if spec.second is None:
        yield None, table
        return
    for value, part in table.groupby(spec.second, sort=False):
        yield value, part.drop(columns=[spec.second])


def _title(page: ReportPage, table_id: str) -> str:
    """The table's title; "per kön"/"och kön" left out on pages without a split by gender."""
    title = BY_ID[table_id].title
    if not page.tables[table_id]["kon"].eq("kvinna").any():
        title = title.replace(" och kön", "").replace(" per kön", "")
    return title


def table(page: ReportPage, table_id: str) -> None:
    """A protected table (one per value of its second dimension) with caption and legend."""
    spec = BY_ID[table_id]
    labels = _labels(page, table_id)
    for value, part in _slices(page, table_id):
        caption = f"{_title(page, table_id)} {page.year}, {page.population.label}"
        element_id = table_id
        if value is not None:
            caption += f" – {spec.second_labels.get(value, value)}"
            element_id += f"_{value}"
        shares = not part["andel"].isna().all() or (part["undertryckt"].any() and spec.additive)
        display(
            HTML(protected_html(part, labels, caption, spec.row_header, element_id, shares=shares))
        )
        if spec.mentions:
            markdown_legend(MENTIONS_NOTE)
        if part["undertryckt"].any():
            markdown_legend(legend(page.threshold))


def chart(
    page: ReportPage,
    table_id: str,
    *,
    horizontal: bool = False,
    only: tuple[str, ...] | None = None,
    second: str | None = None,
) -> None:
    """Grouped bars Kvinnor / Män / Totalt of a protected table (suppressed cells get no bar),
    as SVG with an alt text that states the totals shown; a note instead when no count is
    shown."""
    spec = BY_ID[table_id]
    data = page.tables[table_id]
    if second is not None:
        data = data[data[spec.second] == second]
    data = data[data["kategori"] != "totalt"]
    if only is not None:
        data = data[data["kategori"].isin(only)]
    labels = _labels(page, table_id)
    title = f"{_title(page, table_id)} {page.year}"
    if second is not None:
        title += f" – {spec.second_labels.get(second, second)}"
    note = nothing_to_draw(data, title)
    if note:
        markdown_legend(note)
        return
    _svg_chart(data, labels, title, horizontal=horizontal)


def _svg_chart(
    data: pd.DataFrame, labels: dict[str, str], title: str, horizontal: bool = False
) -> None:
    """Grouped bars of a protected tidy table as SVG, its alt text stating the totals."""
    description = alt_text(data, labels, title)
    svg = svg_charts.grouped_bars(data, labels, title, description, horizontal=horizontal)
    display({"image/svg+xml": svg}, raw=True, metadata={"image/svg+xml": {"alt": description}})


def over_time(
    page: ReportPage, store_path: str, years: list[int] | None, protection: str | None
) -> None:
    """The page's key figures for each of ``years`` (default: every year of the data) as a
    table, protected like the years' own pages
    (:func:`finsam.report.over_time.key_figures_over_time`), and the participants per year as
    a chart."""
    pop = page.population
    name = pop.kommuner[0] if pop.level == "kommun" else pop.name
    own_year = {pop.year: page.tables} if pop.period_end == dt.date(pop.year, 12, 31) else {}
    figures = key_figures_over_time(
        store_path, pop.level, name, years, page.threshold, protection, known=own_year
    )
    shown = pd.DataFrame({"År": figures["ar"].astype(str)})
    for column, _, _, value in KEY_FIGURES:
        hidden = figures[f"{column}_undertryckt"]
        shown[column if value == "antal" else f"{column} (andel av avslutade)"] = [
            count_text(v) if value == "antal" else share_text(v, h)
            for v, h in zip(figures[column], hidden, strict=True)
        ]
    caption = f"Nyckeltal per år, {page.population.label}"
    labelled_table(shown, caption, "nyckeltal")
    if figures[[f"{c}_undertryckt" for c, *_ in KEY_FIGURES]].any().any():
        markdown_legend(legend(page.threshold))
    tidy = pd.DataFrame(
        {
            "kategori": figures["ar"].astype(str),
            "kon": "totalt",
            "antal": figures["Deltagare"],
            "undertryckt": figures["Deltagare_undertryckt"],
        }
    )
    title = f"Deltagare per år, {page.population.label}"
    if nothing_to_draw(tidy, title):
        return
    labels = dict(zip(tidy["kategori"], tidy["kategori"], strict=True))
    _svg_chart(tidy, labels, title)


def nothing_to_draw(data: pd.DataFrame, title: str) -> str | None:
    """Why a chart of a protected table is left out, or ``None`` if it has a bar to draw: every
    count 0, or no count shown because the small ones are protected."""
    if (data["antal"].fillna(0) > 0).any():
        return None
    if data["undertryckt"].any():
        reason = "det finns inga visade antal att rita (små antal är skyddade)"
    else:
        reason = "alla antal är 0"
    return f'Diagrammet "{title}" visas inte: {reason}.'


def _charts():
    """The matplotlib charts (time series, budget bars), imported when a page draws one."""
    from finsam.report import charts

    return charts


def _figure(fig, alt: str) -> None:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    display(Image(data=buffer.getvalue(), format="png", alt=alt))


def alt_text(tidy: pd.DataFrame, labels: dict[str, str], title: str) -> str:
    """ "Stapeldiagram: <title>. Totalt per grupp: Mölndal 24, Partille .., …"."""
    totals = tidy[(tidy["kon"] == "totalt") & (tidy["antal"].isna() | (tidy["antal"] > 0))]
    parts = ", ".join(
        f"{labels.get(k, k)} {count_text(n)}"
        for k, n in zip(totals["kategori"], totals["antal"], strict=True)
    )
    return f"Stapeldiagram: {title}. Totalt per grupp: {parts or 'inga'}."


def quality(page: ReportPage) -> None:
    """The data-quality findings as a list: each check, agreed or not, with its numbers."""
    items = [
        (f"{f.check}: {'Stämmer' if f.consistent else 'Avvikelse'}.", f.text) for f in page.quality
    ]
    _block(("finsam-quality",), items, listed=True)


def _percent(value) -> str:
    return "" if pd.isna(value) else f"{swedish_int(int(value))}\u00a0%"


def national_series(store_path: str, name: str) -> None:
    """One national time series of Försäkringskassans rapport 2021 (tables 1, 4, 5, 6, 7) as a
    table and a chart."""
    data = national.series(open_store(store_path), name)
    title = national.SERIES[name]
    kon = {k: v for k, v in codes.KON.items()}
    if name in ("arbete_studier_over_tid", "aktivt_arbetssokande_over_tid"):
        wide = data.pivot(index="ar", columns="kon", values="andel")[["kvinna", "man", "totalt"]]
        wide = wide.rename(columns=kon).reset_index().rename(columns={"ar": "År"})
        formats = {c: _percent for c in ("Kvinnor", "Män", "Totalt")}
        plot = data.assign(kon=data["kon"].map(kon))
        fig = _charts().lines_over_time(plot, "ar", "andel", "kon", title, "Procent")
    elif name == "dagar_skillnad_over_tid":
        labels = {
            "sjuk_rehabpenning": "Sjuk- eller rehabiliteringspenning",
            "aktivitetsersattning": "Aktivitetsersättning",
            "sjukersattning": "Sjukersättning",
        }
        wide = data.pivot(index="ar", columns="forman", values="skillnad_dagar")[list(labels)]
        wide = wide.rename(columns=labels).reset_index().rename(columns={"ar": "År"})
        formats = {c: swedish_decimal for c in labels.values()}
        plot = data.assign(forman=data["forman"].map(labels))
        fig = _charts().lines_over_time(plot, "ar", "skillnad_dagar", "forman", title, "Dagar")
    elif name == "insatser_over_tid":
        wide = data.rename(
            columns={
                "ar": "År",
                "antal_insatser": "Antal insatser",
                "andel_individinriktade": "Individinriktade",
                "andel_strukturovergripande": "Strukturövergripande",
            }
        )
        formats = {
            "Antal insatser": swedish_int,
            "Individinriktade": _percent,
            "Strukturövergripande": _percent,
        }
        fig = _charts().lines_over_time(data, "ar", "antal_insatser", None, title, "Antal insatser")
    else:
        wide = data.rename(columns={"ar": "År", "deltagare": "Deltagare totalt under året"})
        formats = {"Deltagare totalt under året": swedish_int}
        fig = _charts().lines_over_time(data, "ar", "deltagare", None, title, "Antal deltagare")
    wide["År"] = wide["År"].astype(str)
    table_id = f"nationellt-{name.replace('_', '-')}"
    display(HTML(frame_html(wide, title, table_id, formats)))
    markdown_legend(national.SOURCE)
    _figure(fig, f"Linjediagram: {title}, {int(data['ar'].min())}–{int(data['ar'].max())}.")


def compared_with_national(page: ReportPage, store_path: str, table_id: str) -> None:
    """Shares of a table beside the national shares 2021 (Försäkringskassans rapport 2021,
    Bilaga 3)."""
    spec = BY_ID[table_id]
    compared = national.compare_shares(page.tables[table_id], open_store(store_path), table_id)
    labels = _labels(page, table_id)
    hidden = compared["andel"].isna()
    frame = pd.DataFrame(
        {
            spec.row_header: compared["kategori"].map(lambda k: labels.get(k, k)),
            f"Andel {page.year}": [
                share_text(a, h) for a, h in zip(compared["andel"], hidden, strict=True)
            ],
            "Andel nationellt 2021": [share_text(a, False) for a in compared["andel_nationellt"]],
        }
    )
    caption = f"{spec.title} {page.year} jämfört med riket 2021 (andel av alla deltagare)"
    display(HTML(frame_html(frame, caption, f"jamforelse_{table_id}")))
    markdown_legend(national.SOURCE)


def finance_sources(page: FinancePage) -> None:
    """Where the year's financial figures were published, or that there are none."""
    if not page.has_statements:
        markdown(f"Förbundet har inga redovisade räkenskaper för {page.year} i uppgifterna.")
        return
    reports = ", ".join(page.sources()) or "förbundets årsredovisning"
    markdown(f"Uppgifterna är hämtade ur {reports}. Belopp i kronor om inte annat anges.")


def labelled_table(
    frame: pd.DataFrame, caption: str, table_id: str, text_columns: tuple[str, ...] = ()
) -> None:
    """A table already labelled and formatted (its counts, if any, already protected)."""
    display(HTML(frame_html(frame, caption, table_id, text_columns=text_columns)))


def finance_chart(page: FinancePage) -> None:
    """Årets resultat and eget kapital over the years of the overview (tkr), as lines."""
    data = page.result_and_equity()
    if data["ar"].nunique() < 2:
        return
    title = "Årets resultat och eget kapital (tkr)"
    fig = _charts().lines_over_time(data, "ar", "tkr", "serie", title, "tkr")
    parts = "; ".join(
        f"{serie}: "
        + ", ".join(f"{y} {amount_text(v)}" for y, v in zip(p["ar"], p["tkr"], strict=True))
        for serie, p in data.groupby("serie", sort=False)
    )
    _figure(fig, f"Linjediagram: {title}. {parts}.")


def finance_inconsistencies(page: FinancePage) -> None:
    """The year's published figures that disagree with the others, or that all agree."""
    found = page.inconsistencies()
    if not found:
        markdown("Årets redovisade uppgifter stämmer med varandra.")
        return
    items = [
        (
            f"{f.check}: Avvikelse.",
            f"Redovisat {amount_text(f.stated)} {f.unit}, enligt övriga uppgifter "
            f"{amount_text(f.expected)} {f.unit} (skillnad {amount_text(f.difference)} {f.unit}).",
        )
        for f in found
    ]
    _block(("finsam-quality",), items, listed=True)


def goal_sources(page: GoalPage) -> None:
    """Where the goals come from and the notices of the förbund page (synthetic data, a
    partial year)."""
    data_notice(page.report)
    if page.goals.empty:
        markdown(f"Förbundet har inga mål för {page.year} i uppgifterna.")
        return
    reports = ", ".join(page.sources()) or "förbundets målfil"
    markdown(
        f"Målen och styrelsens bedömningar är hämtade ur {reports}. Resultaten för mål om "
        "deltagare, remisser och avslut räknas ur deltagaruppgifterna med samma regler som "
        "förbundsrapporten; övriga resultat är förbundets egna uppgifter."
    )


def protected_frame(
    frame: pd.DataFrame,
    caption: str,
    table_id: str,
    threshold: int,
    text_columns: tuple[str, ...] = (),
) -> None:
    """A labelled table whose counts are already protected, with the legend when it shows a
    suppressed one."""
    labelled_table(frame, caption, table_id, text_columns)
    if frame.isin([SUPPRESSED]).any().any():
        markdown_legend(legend(threshold))


def goal_table(page: GoalPage) -> None:
    """Each goal with its target, result, fulfilment and where the result comes from."""
    protected_frame(
        page.goal_table(),
        f"Mål och resultat per insats {page.year}, {page.forbund}",
        "mal-resultat",
        page.threshold,
        text_columns=("Mål", "Underlag"),
    )


def goal_ratings(page: GoalPage) -> None:
    """The rule, then the rule's rating beside the board's for every insats, and every
    disagreement between them or between the förbund's figures and the data."""
    markdown(page.rule.text())
    labelled_table(
        page.ratings_table(),
        f"Bedömning av måluppfyllelsen per insats {page.year}",
        "mal-bedomning",
        text_columns=("Enligt regeln", "Styrelsens bedömning", "Jämförelse"),
    )
    found = page.disagreements()
    if not found:
        markdown(
            "Styrelsens bedömningar och förbundets redovisade resultat stämmer med regeln "
            "och deltagaruppgifterna."
        )
        return
    _block(("finsam-quality",), [("Avvikelse.", text) for text in found], listed=True)


def goal_chart(page: GoalPage) -> None:
    """Fulfilment per goal with a shown result, with a line at 100 %."""
    r = page.results.dropna(subset=["uppfyllelse"])
    if r.empty:
        return
    data = pd.DataFrame(
        {
            "kategori": [f"{i}: {m}" for i, m in zip(r["insats"], r["mal"], strict=True)],
            "serie": "Måluppfyllelse",
            "varde": r["uppfyllelse"].round().to_numpy(),
        }
    )
    title = f"Måluppfyllelse per mål {page.year} (procent av målvärdet)"
    fig = _charts().horizontal_bars(data, title, "Procent av målvärdet", reference=100)
    parts = ", ".join(
        f"{k} {v:.0f} %" for k, v in zip(data["kategori"], data["varde"], strict=True)
    )
    _figure(fig, f"Stapeldiagram: {title}. {parts}.")


def participant_table(page: GoalPage) -> None:
    """The participant table per insats (counts of the förbund page, protected)."""
    caption = f"Deltagare per insats {page.year}, {page.forbund}"
    protected_frame(page.participant_table(), caption, "mal-deltagare", page.threshold)


def budget(numbers: pd.DataFrame, year: int, caption: str, table_id: str) -> None:
    """Budget against outcome (tkr) from :func:`finsam.stats.accounts.budget_by_insats`: the
    table and a chart of the insatser; or that the förbund states none."""
    if numbers.empty:
        markdown("Förbundet har inte redovisat budget och utfall för året.")
        return
    labelled_table(budget_table(numbers), caption, table_id)
    budget_chart(numbers, year)


def finance_notes(page: FinancePage) -> None:
    """The notes, numbered in order."""
    for number, (title, note) in enumerate(page.notes().items(), start=1):
        labelled_table(note, f"Not {number}. {title}", f"not-{number}")


def balance_requirement(page: FinancePage) -> None:
    """The balanskravsutredning as published, or that there is none."""
    requirement = page.balance_requirement()
    if requirement is None:
        markdown("Förbundet har inte redovisat någon balanskravsutredning för året.")
        return
    labelled_table(requirement, f"Balanskravsutredning {page.year}", "balanskrav")


def budget_chart(numbers: pd.DataFrame, year: int) -> None:
    """Bars of budget and outcome per insats (tkr) from
    :func:`finsam.stats.accounts.budget_by_insats`; a sentence instead when only the total is
    given."""
    parts = numbers[numbers["insats"] != ""]
    if parts.empty:
        markdown("Förbundet har redovisat budget och utfall bara för verksamheten som helhet.")
        return
    data = pd.concat(
        [
            pd.DataFrame({"kategori": parts["insats"], "serie": name, "varde": parts[column]})
            for name, column in (("Budget", "budget"), ("Utfall", "utfall"))
        ]
    )
    title = f"Budget och utfall per insats {year} (tkr)"
    fig = _charts().horizontal_bars(data, title, "tkr")
    text = ", ".join(
        f"{i} budget {amount_text(b)}, utfall {amount_text(u)}"
        for i, b, u in zip(parts["insats"], parts["budget"], parts["utfall"], strict=True)
    )
    _figure(fig, f"Stapeldiagram: {title}. {text}.")


def markdown_legend(text: str) -> None:
    _block(("finsam-legend",), [("", text)])
