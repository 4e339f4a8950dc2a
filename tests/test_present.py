"""Swedish display formatting and the texts that state key numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from finsam.inputs.codes import DELTAGARFLODE
from finsam.inputs.dataset import load_dataset
from finsam.report import prose
from finsam.report.present import (
    NBSP,
    count_text,
    frame_html,
    protected_html,
    share_text,
    swedish_date,
    swedish_decimal,
    swedish_int,
    swedish_percent,
)
from finsam.report.show import nothing_to_draw
from finsam.stats import flows, referrals
from finsam.stats.catalog import BY_ID, apply_hidden, with_totals

SMALL = Path(__file__).parent / "fixtures" / "small"


def test_swedish_numbers_and_dates():
    assert swedish_int(17501) == f"17{NBSP}501"
    assert swedish_int(14400000) == f"14{NBSP}400{NBSP}000"
    assert swedish_int(7) == "7"
    assert swedish_date(dt.date(2022, 8, 31)) == "31 augusti 2022"
    assert swedish_date(pd.Timestamp(2023, 1, 4)) == "4 januari 2023"


def test_percent_and_decimal_round_half_up():
    assert swedish_percent(33.5) == f"34{NBSP}%"
    assert swedish_percent(100 * 2878 / 9489) == f"30{NBSP}%"
    assert swedish_percent(0.49) == f"0{NBSP}%"
    assert swedish_decimal(-7.69) == "-7,7"
    assert swedish_decimal(-0.04) == "0,0"
    assert swedish_decimal(12345.25) == f"12{NBSP}345,3"


def referral_table(hidden: set[tuple[str, str]]):
    """A 2 × 3 referral table with its total row, the cells in ``hidden`` hidden."""
    tidy = pd.DataFrame(
        {
            "kategori": ["a"] * 3 + ["b"] * 3,
            "kon": ["kvinna", "man", "totalt"] * 2,
            "antal": [1200, 30, 1230, 2, 40, 42],
        }
    )
    spec = BY_ID["remisser_remittent"]
    layout = with_totals(tidy, spec)
    mask = [(k, g) in hidden for k, g in zip(layout["kategori"], layout["kon"], strict=True)]
    return apply_hidden(layout, spec, mask)


def test_protected_table_html_shows_dots_shares_and_total_row():
    hidden = {("b", "kvinna"), ("b", "man"), ("a", "man"), ("a", "kvinna")}
    styled = protected_html(
        referral_table(hidden), {"a": "A & B", "b": "Beta"}, "Tabell <1>", "Grupp", "t1"
    )
    # Number cells are right-aligned also where only the HTML is read (pandoc, for the PDF).
    assert styled.count('class="num" style="text-align: right"') == 3 * 6 + 6
    html = styled.replace(' style="text-align: right"', "")
    assert '<table class="finsam-table" id="t1">' in html
    assert "<caption>Tabell &lt;1&gt;</caption>" in html
    assert '<th scope="col" class="num">Andel kvinnor</th>' in html
    # Hidden: both genders of both rows; row totals and column totals are shown, and so are
    # the shares of the row totals (their column total, 1 272, is shown).
    assert (
        '<tr><th scope="row">Beta</th><td class="num">..</td><td class="num">..</td>'
        '<td class="num">..</td><td class="num">..</td><td class="num">42</td>'
        f'<td class="num">3{NBSP}%</td></tr>'
    ) in html
    assert (
        '<tr><th scope="row">A &amp; B</th><td class="num">..</td><td class="num">..</td>'
        '<td class="num">..</td><td class="num">..</td>'
        f'<td class="num">1{NBSP}230</td><td class="num">97{NBSP}%</td></tr>'
    ) in html
    assert f'<tr class="total"><th scope="row">Totalt</th><td class="num">1{NBSP}202</td>' in html


def test_protected_table_without_suppression():
    html = protected_html(
        referral_table(set()), {"a": "A", "b": "B"}, "T", "Grupp", "t2", shares=False
    ).replace(' style="text-align: right"', "")
    assert (
        '<tr><th scope="row">B</th><td class="num">2</td><td class="num">40</td>'
        '<td class="num">42</td></tr>'
    ) in html


def test_flow_text_states_the_hand_worked_numbers():
    part = load_dataset(SMALL).tables["deltaganden"]
    text = prose.flow_summary(flows.participant_flow(part, 2022), 2022)
    assert "har förbundet registrerat 5 deltagare (varav 4 unika) med personuppgifter" in text
    assert "(3 kvinnor och 2 män)" in text
    assert "3 deltagare har tillkommit under året (2 kvinnor och 1 man)" in text
    assert "2 har avslutats (1 kvinna och 1 man)" in text
    assert "3 pågick vid periodens slut (31 december 2022)." in text
    day = dt.date(2023, 1, 4)
    on_4_january = prose.flow_summary(flows.participant_flow(part, 2022, day), 2022, period_end=day)
    assert "pågick vid periodens slut (4 januari 2023)." in on_4_january
    assert "Därutöver har 1 kvinna och 0 män registrerats anonymt." in text
    assert "I volyminsatser har 2 deltagare registrerats." in text
    molndal = prose.flow_summary(
        flows.participant_flow(part[part["kommun"] == "1481"], 2022), 2022, kommun_name="Mölndal"
    )
    assert "har 3 deltagare (varav 2 unika) skrivna i Mölndal registrerats" in molndal


def test_referral_text():
    refs = load_dataset(SMALL).tables["remisser"]
    spec = BY_ID["remisser_remittent"]
    layout = with_totals(referrals.referrals_by_party(refs, 2022), spec)
    table = apply_hidden(layout, spec, [False] * len(layout))
    text = prose.referral_summary(table, 2022, referrals.last_referral_date(refs, 2022))
    assert text == (
        "Under 2022 har förbundet tagit emot 5 remisser (3 kvinnor och 2 män). "
        "Den senaste remissen under året kom in den 31 augusti 2022."
    )
    empty = prose.referral_summary(
        referrals.referrals_by_party(refs, 2019), 2019, None, kommun_name="Lerum"
    )
    assert (
        empty
        == "Under 2019 har förbundet inte tagit emot någon remiss för personer skrivna i Lerum."
    )


def test_every_flow_category_has_a_label():
    part = load_dataset(SMALL).tables["deltaganden"]
    assert set(flows.participant_flow(part, 2022)["kategori"]) == set(DELTAGARFLODE)


def test_flow_text_without_a_gender_split():
    """A kommun page publishes totals only: the text names no women and men."""
    part = load_dataset(SMALL).tables["deltaganden"]
    flow = flows.participant_flow(part[part["kommun"] == "1481"], 2022)
    totals = flow[flow["kon"] == "totalt"]
    text = prose.flow_summary(totals, 2022, kommun_name="Mölndal")
    # Mölndal 2022 (fixture README): samtliga 3, unika 2, nya 2, avslutade 2, pågående 1.
    assert text == (
        "Under perioden januari till och med december 2022 har 3 deltagare (varav 2 unika) "
        "skrivna i Mölndal registrerats med personuppgifter. 2 deltagare har tillkommit under "
        "året, 2 har avslutats och 1 pågick vid periodens slut (31 december 2022)."
    )


def test_a_chart_with_nothing_to_draw_says_why():
    """All zeros is not protection: only a chart whose counts are hidden says so."""

    def table(antal: list, hidden: list[bool]) -> pd.DataFrame:
        return pd.DataFrame(
            {"kategori": ["a", "b"], "kon": "totalt", "antal": antal, "undertryckt": hidden}
        )

    zeros = table([0, 0], [False, False])
    assert nothing_to_draw(zeros, "Remisser 2022") == (
        'Diagrammet "Remisser 2022" visas inte: alla antal är 0.'
    )
    protected = table([0, pd.NA], [False, True])
    assert nothing_to_draw(protected, "Remisser 2022") == (
        'Diagrammet "Remisser 2022" visas inte: det finns inga visade antal att rita '
        "(små antal är skyddade)."
    )
    assert nothing_to_draw(table([0, 7], [False, False]), "Remisser 2022") is None


@pytest.mark.parametrize(
    ("data_until", "declared", "expected"),
    [
        # The latest recorded date 30 days before the period's end: a quiet month, complete.
        (dt.date(2022, 12, 1), False, None),
        # 31 days before: the data ends there.
        (dt.date(2022, 11, 30), False, "De senaste uppgifterna i underlaget är från den 30 "
         "november 2022. Perioden till och med 31 december 2022 är alltså inte komplett"),
        # A declared extraction date one day early is stated whatever the gap.
        (dt.date(2022, 12, 30), True, "Uppgifterna togs ut ur SUS den 30 december 2022."),
        (dt.date(2023, 1, 4), True, None),
        (None, False, None),
    ],
)  # fmt: skip
def test_a_period_the_data_does_not_cover_is_stated(data_until, declared, expected):
    note = prose.incomplete_period_note(dt.date(2022, 12, 31), data_until, declared)
    assert note == expected if expected is None else note.startswith(expected)


def test_names_sort_in_swedish_alphabetical_order():
    from finsam.report.present import swedish_order

    names = ["Örebro", "Åre", "Ale", "Ängelholm", "Samordningsförbundet i Blekinge", "Sala"]
    assert sorted(names, key=swedish_order) == [
        "Ale",
        "Sala",
        "Samordningsförbundet i Blekinge",
        "Åre",
        "Ängelholm",
        "Örebro",
    ]


def test_a_hidden_column_total_hides_the_shares_of_its_column_whole_html():
    """Women: 12 and 3 of 15, the 3 and the total hidden; men 20 and 5 of 25, shown. The men's
    shares are 20 / 25 = 80 % and 5 / 25 = 20 %; the women's 12 is shown but its share is
    hidden with the column total, and a category without a label is shown by its code."""
    tidy = pd.DataFrame(
        {
            "kategori": ["a", "a", "a", "x", "x", "x", "totalt", "totalt", "totalt"],
            "kon": ["kvinna", "man", "totalt"] * 3,
            "antal": [12, 20, 32, 3, 5, 8, 15, 25, 40],
            "andel": [80.0, 80.0, 80.0, 20.0, 20.0, 20.0, 100.0, 100.0, 100.0],
            "undertryckt": [False, False, False, True, False, False, True, False, False],
        }
    )
    tidy.loc[tidy["undertryckt"], "antal"] = float("nan")
    tidy.loc[tidy["kon"] == "kvinna", "andel"] = float("nan")  # no shown base: no share
    styled = protected_html(tidy, {"a": "Alfa"}, "Tabell", "Grupp", "t-1")
    n = ' class="num" style="text-align: right"'

    def row(label: str, *texts: str, total: bool = False) -> str:
        css = ' class="total"' if total else ""
        cells = "".join(f"<td{n}>{t}</td>" for t in texts)
        return f'<tr{css}><th scope="row">{label}</th>{cells}</tr>'

    pct = f"{NBSP}%"
    assert styled == (
        '<table class="finsam-table" id="t_1"><caption>Tabell</caption><thead><tr>'
        '<th scope="col" style="text-align: left">Grupp</th>'
        f'<th scope="col"{n}>Kvinnor</th><th scope="col"{n}>Andel kvinnor</th>'
        f'<th scope="col"{n}>Män</th><th scope="col"{n}>Andel män</th>'
        f'<th scope="col"{n}>Totalt</th><th scope="col"{n}>Andel totalt</th></tr></thead><tbody>'
        + row("Alfa", "12", "..", "20", f"80{pct}", "32", f"80{pct}")
        + row("x", "..", "..", "5", f"20{pct}", "8", f"20{pct}")
        + row("Totalt", "..", "..", "25", f"100{pct}", "40", f"100{pct}", total=True)
        + "</tbody></table>"
    )
    # A slice without a total row (the flow table): a share without a base is empty, not "..".
    flow = tidy[tidy["kategori"] != "totalt"].assign(undertryckt=False, antal=[12, 20, 32] * 2)
    assert f"<td{n}>12</td><td{n}></td><td{n}>20</td><td{n}>80{pct}</td>" in protected_html(
        flow, {}, "T", "G", "t"
    )


def test_a_display_frame_as_html_whole():
    """A finance-style frame: the first column heads the rows, "Summa" is the total row, a text
    column is left-aligned and a formatted column uses its formatter; a missing value is empty;
    seven columns make the table a wide one."""
    frame = pd.DataFrame(
        {
            "Post": ["Intäkter", "Summa"],
            "Not": ["1", None],
            "2022": [1_500_000, 1_500_000],
            "b": [1, 2],
            "c": [3, 4],
            "d": [5, 6],
            "e": [7, None],
        }
    )
    html = frame_html(frame, "Resultat <kr>", "rr-2022", {"2022": swedish_int}, ["Not"])
    n = ' class="num" style="text-align: right"'
    left = ' style="text-align: left"'
    head = f'<th scope="col"{left}>Post</th><th scope="col"{left}>Not</th>' + "".join(
        f'<th scope="col"{n}>{c}</th>' for c in ("2022", "b", "c", "d", "e")
    )
    assert html == (
        '<table class="finsam-table finsam-wide" id="rr_2022"><caption>Resultat &lt;kr&gt;'
        f"</caption><thead><tr>{head}</tr></thead><tbody>"
        f'<tr><th scope="row">Intäkter</th><td>1</td><td{n}>1{NBSP}500{NBSP}000</td>'
        f"<td{n}>1</td><td{n}>3</td><td{n}>5</td><td{n}>7.0</td></tr>"
        f'<tr class="total"><th scope="row">Summa</th><td></td><td{n}>1{NBSP}500{NBSP}000</td>'
        f"<td{n}>2</td><td{n}>4</td><td{n}>6</td><td{n}></td></tr></tbody></table>"
    )
    assert 'class="finsam-table" id="six"' in frame_html(frame.iloc[:, :6], "T", "six")
    narrow = frame_html(frame[["Post", "2022"]], "T", "t")
    assert narrow.startswith('<table class="finsam-table" id="t">')
    assert f"<td{n}>1500000</td>" in narrow  # no formatter: the value as it is


def test_counts_shares_and_whole_numbers_as_text():
    assert count_text(float("nan")) == ".."
    assert count_text(1234) == f"1{NBSP}234"
    assert share_text(float("nan"), suppressed=True) == ".."
    assert share_text(float("nan"), suppressed=False) == ""  # no base: nothing to show
    assert share_text(12.5, suppressed=False) == f"13{NBSP}%"
    assert swedish_decimal(3.04, 0) == "3"
    assert swedish_decimal(2.675, 2) == "2,68"
    assert [swedish_date(dt.date(2022, m, 1)).split()[1] for m in (1, 6, 12)] == [
        "januari", "juni", "december"
    ]  # fmt: skip
