"""Swedish display formatting and the texts that state key numbers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from finsam import flows, prose, referrals
from finsam.codes import DELTAGARFLODE
from finsam.dataset import load_dataset
from finsam.present import NBSP, html_table, swedish_date, swedish_int, wide_by_gender

SMALL = Path(__file__).parent / "fixtures" / "small"


def test_swedish_numbers_and_dates():
    assert swedish_int(17501) == f"17{NBSP}501"
    assert swedish_int(14400000) == f"14{NBSP}400{NBSP}000"
    assert swedish_int(7) == "7"
    assert swedish_date(dt.date(2022, 8, 31)) == "31 augusti 2022"
    assert swedish_date(pd.Timestamp(2023, 1, 4)) == "4 januari 2023"


def test_wide_table_has_labels_in_order():
    tidy = pd.DataFrame(
        {
            "kategori": ["b", "b", "b", "a", "a", "a"],
            "kon": ["kvinna", "man", "totalt"] * 2,
            "antal": [1, 2, 3, 4, 5, 9],
        }
    )
    wide = wide_by_gender(tidy, {"a": "Alfa", "b": "Beta"})
    assert list(wide.index) == ["Beta", "Alfa"]
    assert list(wide.columns) == ["Kvinnor", "Män", "Totalt"]
    assert wide.loc["Alfa", "Totalt"] == 9


def test_html_table_is_accessible_and_escaped():
    tidy = pd.DataFrame(
        {"kategori": ["x"] * 3, "kon": ["kvinna", "man", "totalt"], "antal": [1200, 3, 1203]}
    )
    html = html_table(wide_by_gender(tidy, {"x": "A & B"}), "Tabell <1>", "Grupp", "t1")
    assert '<table class="finsam-table" id="t1">' in html
    assert "<caption>Tabell &lt;1&gt;</caption>" in html
    assert '<th scope="row">A &amp; B</th>' in html
    assert f'<td class="num">1{NBSP}200</td>' in html


def test_flow_text_states_the_hand_worked_numbers():
    part = load_dataset(SMALL).tables["deltaganden"]
    text = prose.flow_summary(flows.participant_flow(part, 2022), 2022)
    assert "har förbundet registrerat 5 deltagare (varav 4 unika) med personuppgifter" in text
    assert "(3 kvinnor och 2 män)" in text
    assert "3 deltagare har tillkommit under året (2 kvinnor och 1 man)" in text
    assert "2 har avslutats (1 kvinna och 1 man)" in text
    assert "3 pågick vid periodens slut" in text
    assert "Därutöver har 1 kvinna och 0 män registrerats anonymt." in text
    assert "I volyminsatser har 2 deltagare registrerats." in text
    molndal = prose.flow_summary(
        flows.participant_flow(part[part["kommun"] == "1481"], 2022), 2022, kommun_name="Mölndal"
    )
    assert "har 3 deltagare (varav 2 unika) skrivna i Mölndal registrerats" in molndal


def test_referral_text():
    refs = load_dataset(SMALL).tables["remisser"]
    table = referrals.referrals_by_party(refs, 2022)
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
