"""Every consistency check of a förbund's published accounts, one figure at a time.

A made-up förbund F publishes its 2023 annual report with every figure the checks read, all
agreeing (worked out in :func:`complete_report`). Each case then changes one published figure
and names, worked out by hand from the accounting identities, exactly which checks must find
it; the numbers of one check per case are asserted too.
"""

from __future__ import annotations

import pandas as pd
import pytest

from finsam.stats import accounts

# The checks, as they are named to the reader.
OPERATING = "Verksamhetens resultat = intäkter + kostnader + avskrivningar"
FINANCIAL = "Resultat efter finansiella poster = verksamhetens resultat + finansnetto"
RESULT = "Årets resultat = resultat efter finansiella poster + extraordinära poster"
CURRENT = "Summa omsättningstillgångar = fordringar + placeringar + kassa och bank"
ASSETS = "Summa tillgångar = anläggningstillgångar + omsättningstillgångar"
EQUITY_LIABILITIES = "Summa eget kapital och skulder = eget kapital + avsättningar + skulder"
BALANCES = "Balansräkningen balanserar (summa tillgångar = summa eget kapital och skulder)"
EQUITY_PARTS = "Eget kapital = årets resultat + övrigt eget kapital"
EQUITY_RESULT = "Årets resultat i balansräkningen"
EQUITY_YEAR = "Eget kapital = förra årets eget kapital + årets resultat"
CF_RESULT = "Kassaflödesanalysen utgår från årets resultat"
CF_DEPRECIATION = "Justering för ej likviditetspåverkande poster = årets avskrivningar"
DERIVED = "(härlett ur balansräkningarna)"
CF_RECEIVABLES = f"Förändring av kortfristiga fordringar {DERIVED}"
CF_LIABILITIES = f"Förändring av kortfristiga skulder {DERIVED}"
CF_OPERATING = f"Kassaflöde från den löpande verksamheten {DERIVED}"
CF_INVESTING = f"Kassaflöde från investeringsverksamheten {DERIVED}"
CF_YEAR = f"Årets kassaflöde = förändringen av likvida medel {DERIVED}"
CF_CLOSING = f"Likvida medel vid årets slut = kassa och bank {DERIVED}"
CF_OPERATING_PARTS = (
    "Kassaflöde från den löpande verksamheten = medel före förändring av rörelsekapital "
    "+ förändringarna av fordringar och skulder"
)
CF_SUM = "Årets kassaflöde = summan av de redovisade kassaflödena"
NOTE_INCOME = "Noten: summa intäkter = summan av raderna"
NOTE_COSTS = "Noten: summa kostnader = summan av raderna"
NOTE_RECEIVABLES = "Noten: summa fordringar = summan av raderna"
NOTE_LIABILITIES = "Noten: summa kortfristiga skulder = summan av raderna"
NOTE_INCOME_RR = "Notens intäkter = resultaträkningens intäkter"
NOTE_MEMBERS_RR = "Medlemsavgifterna i noten = resultaträkningens medlemsavgifter"
NOTE_COSTS_RR = "Notens kostnader = resultaträkningens kostnader"
NOTE_RECEIVABLES_BR = "Notens fordringar = balansräkningens fordringar"
NOTE_LIABILITIES_BR = "Notens kortfristiga skulder = balansräkningens"
TKR = " (tkr, avrundat)"
OV_INCOME = f"Flerårsöversiktens intäkter{TKR}"
OV_COSTS = f"Flerårsöversiktens kostnader{TKR}"
OV_RESULT = f"Flerårsöversiktens resultat{TKR}"
DRIFT_COSTS = f"Driftredovisningens kostnader{TKR}"
DRIFT_INCOME = f"Driftredovisningens intäkter{TKR}"
DRIFT_RESULT = f"Driftredovisningens resultat{TKR}"
DRIFT_EQUITY = f"Driftredovisningens eget kapital{TKR}"
DRIFT_FUNDS = f"Driftredovisningens likvida medel{TKR}"
BK_TKR = f"Balanskravsutredningens årets resultat{TKR}"
BK = "Balanskravsutredningens årets resultat"
SOLIDITET = "Flerårsöversiktens soliditet"
STATE, REGION, KOMMUNER = (
    f"Medlemsavgift från {who}"
    for who in ("staten (hälften)", "regionen (en fjärdedel)", "kommunerna (en fjärdedel)")
)


def complete_report() -> pd.DataFrame:
    """F's annual report 2023 (with the balance sheet of 2022), every figure agreeing.

    Income 1 000 000 + 100 000 + 20 000 = 1 120 000; costs −980 000, depreciation −20 000:
    operating result 120 000; financial +5 000 −1 000: result 124 000. Balance sheets 2022 →
    2023: fixed assets 60 000 → 40 000 (depreciation only), receivables 50 000 → 30 000,
    placements 100 000 both years, cash 500 000 → 594 000; equity 410 000 → 534 000,
    long-term liabilities 100 000 → 80 000, short-term 200 000 → 150 000. Cash flow: 124 000 +
    20 000 = 144 000 before working capital, +20 000 receivables, −50 000 liabilities: 114 000
    operating, 0 investing, −20 000 financing, 94 000 in all: liquid funds 600 000 → 694 000.
    Members pay 500 000 (state), 250 000 (region), 125 000 each (two kommuner). Soliditet
    534 000 / 764 000 = 69.9 → 70 %."""
    kr_2022 = {
        "br_anlaggningstillgangar": 60_000, "br_fordringar": 50_000,
        "br_kortfristiga_placeringar": 100_000, "br_kassa_bank": 500_000,
        "br_summa_omsattningstillgangar": 650_000, "br_summa_tillgangar": 710_000,
        "br_eget_kapital": 410_000, "br_langfristiga_skulder": 100_000,
        "br_kortfristiga_skulder": 200_000, "br_summa_eget_kapital_skulder": 710_000,
    }  # fmt: skip
    kr_2023 = {
        "rr_medlemsavgifter": 1_000_000, "rr_bidrag": 100_000, "rr_ovriga_intakter": 20_000,
        "rr_verksamhetens_kostnader": -980_000, "rr_avskrivningar": -20_000,
        "rr_verksamhetens_resultat": 120_000, "rr_finansiella_intakter": 5_000,
        "rr_finansiella_kostnader": -1_000, "rr_resultat_efter_finansiella_poster": 124_000,
        "rr_extraordinara_poster": 0, "rr_arets_resultat": 124_000,
        "br_anlaggningstillgangar": 40_000, "br_fordringar": 30_000,
        "br_kortfristiga_placeringar": 100_000, "br_kassa_bank": 594_000,
        "br_summa_omsattningstillgangar": 724_000, "br_summa_tillgangar": 764_000,
        "br_eget_kapital": 534_000, "br_eget_kapital_arets_resultat": 124_000,
        "br_eget_kapital_ovrigt": 410_000, "br_avsattningar": 0,
        "br_langfristiga_skulder": 80_000, "br_kortfristiga_skulder": 150_000,
        "br_summa_eget_kapital_skulder": 764_000,
        "kf_arets_resultat": 124_000, "kf_ej_likviditetspaverkande": 20_000,
        "kf_fore_rorelsekapital": 144_000, "kf_forandring_fordringar": 20_000,
        "kf_forandring_kortfristiga_skulder": -50_000, "kf_lopande_verksamheten": 114_000,
        "kf_investeringsverksamheten": 0, "kf_finansieringsverksamheten": -20_000,
        "kf_arets_kassaflode": 94_000, "kf_likvida_medel_borjan": 600_000,
        "kf_likvida_medel_slut": 694_000,
        "not_bidrag_esf": 100_000, "not_ovriga_intakter": 20_000,
        "not_intakter_summa": 1_120_000,
        "not_kostnad_personal_verksamhet": 500_000, "not_kostnad_lokal_verksamhet": 100_000,
        "not_kostnad_ovrigt_verksamhet": 80_000, "not_kostnad_ovriga": 100_000,
        "not_kostnad_arvoden": 50_000, "not_kostnad_personal": 150_000,
        "not_kostnader_summa": 980_000,
        "not_fordran_kund": 10_000, "not_fordran_skattekonto": 5_000, "not_fordran_moms": 5_000,
        "not_fordran_ovriga": 4_000, "not_fordran_interim": 6_000,
        "not_fordringar_summa": 30_000,
        "not_skuld_leverantor": 50_000, "not_skuld_skatt": 20_000, "not_skuld_ovriga": 10_000,
        "not_skuld_semester": 30_000, "not_skuld_forutbetalda_intakter": 15_000,
        "not_skuld_upplupna_kostnader": 25_000, "not_skulder_summa": 150_000,
        "bk_arets_resultat": 124_000,
    }  # fmt: skip
    tkr_2023 = {
        "oversikt_intakter": 1_120, "oversikt_kostnader": 1_000, "oversikt_resultat": 124,
        "drift_utfall_kostnader": 1_000, "drift_utfall_intakter": 1_120,
        "drift_utfall_resultat": 124, "drift_utgaende_eget_kapital": 534,
        "drift_likvida_medel": 694, "bk_arets_resultat": 124,
    }  # fmt: skip
    members = {"staten": 500_000, "region": 250_000, "1481": 125_000, "1402": 125_000}
    rows = [(2022, post, "", amount, "kr") for post, amount in kr_2022.items()]
    rows += [(2023, post, "", amount, "kr") for post, amount in kr_2023.items()]
    rows += [(2023, post, "", amount, "tkr") for post, amount in tkr_2023.items()]
    rows += [(2023, "oversikt_soliditet", "", 70, "procent")]
    rows += [(2023, "not_driftbidrag", who, amount, "kr") for who, amount in members.items()]
    frame = pd.DataFrame(rows, columns=["ar", "post", "del", "belopp", "enhet"])
    return frame.assign(forbund="F", kalla="Årsredovisning 2023")


def changed(post: str, by: int, year: int = 2023, unit: str = "kr", part: str = "") -> pd.DataFrame:
    report = complete_report()
    line = (
        (report["ar"] == year)
        & (report["post"] == post)
        & (report["enhet"] == unit)
        & (report["del"] == part)
    )
    assert line.sum() == 1, post
    report.loc[line, "belopp"] += by
    return report


def test_the_complete_report_agrees_with_itself():
    report = complete_report()
    assert accounts.inconsistencies(report) == []
    assert accounts.equity_ratio(report, "F", 2023) == 70
    flow = accounts.derived_cash_flow(report, "F", 2023)
    stated = accounts.figures(report, "F", 2023)
    assert flow == {k: stated[k] for k in flow}  # the stated cash flow is the derived one


# (figure changed, by how much, year) → the checks that find it, each in 2023 unless a year is
# given with it. 1 000 kr, or 1 tkr or 1 percentage point for figures in those units.
CASES = [
    ("rr_medlemsavgifter", {OPERATING, NOTE_INCOME_RR, NOTE_MEMBERS_RR, OV_INCOME, DRIFT_INCOME}),
    ("rr_bidrag", {OPERATING, NOTE_INCOME_RR, OV_INCOME, DRIFT_INCOME}),
    ("rr_ovriga_intakter", {OPERATING, NOTE_INCOME_RR, OV_INCOME, DRIFT_INCOME}),
    ("rr_verksamhetens_kostnader", {OPERATING, NOTE_COSTS_RR, OV_COSTS, DRIFT_COSTS}),
    (
        "rr_avskrivningar",
        {OPERATING, CF_DEPRECIATION, CF_OPERATING, CF_INVESTING, OV_COSTS, DRIFT_COSTS},
    ),
    ("rr_verksamhetens_resultat", {OPERATING, FINANCIAL, RESULT}),
    ("rr_finansiella_intakter", {FINANCIAL, RESULT}),
    ("rr_finansiella_kostnader", {FINANCIAL, RESULT}),
    ("rr_resultat_efter_finansiella_poster", {FINANCIAL}),
    ("rr_extraordinara_poster", {RESULT}),
    (
        "rr_arets_resultat",
        {
            RESULT,
            EQUITY_RESULT,
            EQUITY_YEAR,
            CF_RESULT,
            CF_OPERATING,
            OV_RESULT,
            DRIFT_RESULT,
            BK_TKR,
            BK,
        },
    ),
    ("br_anlaggningstillgangar", {ASSETS, CF_INVESTING}),
    ("br_fordringar", {CURRENT, CF_RECEIVABLES, CF_OPERATING, NOTE_RECEIVABLES_BR}),
    ("br_kortfristiga_placeringar", {CURRENT, CF_YEAR, CF_CLOSING, DRIFT_FUNDS}),
    ("br_kassa_bank", {CURRENT, CF_YEAR, CF_CLOSING, DRIFT_FUNDS}),
    ("br_summa_omsattningstillgangar", {CURRENT, ASSETS}),
    ("br_summa_tillgangar", {ASSETS, BALANCES}),
    ("br_eget_kapital", {EQUITY_LIABILITIES, EQUITY_PARTS, EQUITY_YEAR, DRIFT_EQUITY}),
    ("br_eget_kapital_arets_resultat", {EQUITY_PARTS, EQUITY_RESULT}),
    ("br_eget_kapital_ovrigt", {EQUITY_PARTS}),
    ("br_avsattningar", {EQUITY_LIABILITIES}),
    ("br_langfristiga_skulder", {EQUITY_LIABILITIES}),  # the financing line is not checked
    (
        "br_kortfristiga_skulder",
        {EQUITY_LIABILITIES, CF_LIABILITIES, CF_OPERATING, NOTE_LIABILITIES_BR},
    ),
    ("br_summa_eget_kapital_skulder", {EQUITY_LIABILITIES, BALANCES}),
    (("br_kassa_bank", 2022), {(2022, CURRENT), CF_YEAR}),
    (("br_eget_kapital", 2022), {(2022, EQUITY_LIABILITIES), EQUITY_YEAR}),
    ("kf_arets_resultat", {CF_RESULT}),
    ("kf_ej_likviditetspaverkande", {CF_DEPRECIATION}),
    ("kf_fore_rorelsekapital", {CF_OPERATING_PARTS}),
    ("kf_forandring_fordringar", {CF_RECEIVABLES, CF_OPERATING_PARTS}),
    ("kf_forandring_kortfristiga_skulder", {CF_LIABILITIES, CF_OPERATING_PARTS}),
    ("kf_lopande_verksamheten", {CF_OPERATING, CF_OPERATING_PARTS, CF_SUM}),
    ("kf_investeringsverksamheten", {CF_INVESTING, CF_SUM}),
    ("kf_finansieringsverksamheten", {CF_SUM}),
    ("kf_arets_kassaflode", {CF_YEAR, CF_SUM}),
    ("kf_likvida_medel_slut", {CF_CLOSING}),
    ("kf_likvida_medel_borjan", set()),  # the opening funds come from last year's balance sheet
    (("not_driftbidrag", "staten"), {NOTE_INCOME, NOTE_MEMBERS_RR, STATE, REGION, KOMMUNER}),
    # 500 002 of 1 000 002: the state's half is 500 001, 1 kr off, within rounding
    (("not_driftbidrag", "staten", 2), {NOTE_INCOME, NOTE_MEMBERS_RR}),
    # 500 003 of 1 000 003: 1.5 kr off the half is reported; the region's 0.75 kr is not
    (("not_driftbidrag", "staten", 3), {NOTE_INCOME, NOTE_MEMBERS_RR, STATE}),
    ("not_bidrag_esf", {NOTE_INCOME}),
    ("not_intakter_summa", {NOTE_INCOME, NOTE_INCOME_RR}),
    ("not_kostnad_arvoden", {NOTE_COSTS}),
    ("not_kostnader_summa", {NOTE_COSTS, NOTE_COSTS_RR}),
    ("not_fordran_moms", {NOTE_RECEIVABLES}),
    ("not_fordringar_summa", {NOTE_RECEIVABLES, NOTE_RECEIVABLES_BR}),
    ("not_skuld_semester", {NOTE_LIABILITIES}),
    ("not_skulder_summa", {NOTE_LIABILITIES, NOTE_LIABILITIES_BR}),
    ("bk_arets_resultat", {BK}),
    (("oversikt_intakter", "tkr"), {OV_INCOME}),
    (("oversikt_kostnader", "tkr"), {OV_COSTS}),
    (("oversikt_resultat", "tkr"), {OV_RESULT}),
    (("drift_utfall_kostnader", "tkr"), {DRIFT_COSTS}),
    (("drift_utfall_intakter", "tkr"), {DRIFT_INCOME}),
    (("drift_utfall_resultat", "tkr"), {DRIFT_RESULT}),
    (("drift_utgaende_eget_kapital", "tkr"), {DRIFT_EQUITY}),
    (("drift_likvida_medel", "tkr"), {DRIFT_FUNDS}),
    (("bk_arets_resultat", "tkr"), {BK_TKR}),
    (("oversikt_soliditet", "procent"), {SOLIDITET}),
]


def _report_with(figure) -> pd.DataFrame:
    """The complete report with one figure changed: ``post``, ``(post, year)``, ``(post, unit)``
    for tkr and procent (by 1), ``(post, member)`` or ``(post, member, by)``."""
    post, extra, *by = (figure, None) if isinstance(figure, str) else figure
    if isinstance(extra, int):
        return changed(post, 1_000, year=extra)
    if extra in ("tkr", "procent"):
        return changed(post, 1, unit=extra)
    return changed(post, by[0] if by else 1_000, part=extra or "")


@pytest.mark.parametrize(("figure", "checks"), CASES, ids=[str(c[0]) for c in CASES])
def test_one_changed_figure_is_found_by_exactly_its_checks(figure, checks):
    found = {(i.forbund, i.year, i.check) for i in accounts.inconsistencies(_report_with(figure))}
    assert found == {("F", *c) if isinstance(c, tuple) else ("F", 2023, c) for c in checks}


def test_without_member_contributions_only_the_note_misses_them():
    """With no member rows the note's income lacks the 1 000 000 of contributions; nothing
    compares members that are not there."""
    report = complete_report()
    report = report[report["post"] != "not_driftbidrag"]
    found = {i.check: i for i in accounts.inconsistencies(report)}
    assert list(found) == [NOTE_INCOME]
    assert (found[NOTE_INCOME].stated, found[NOTE_INCOME].expected) == (1_120_000, 120_000)
    assert accounts.member_contributions(report, "F", 2023).empty


def test_member_contributions_and_their_shares():
    members = accounts.member_contributions(complete_report(), "F", 2023)
    assert list(members.columns) == ["del", "belopp", "andel"]
    assert [tuple(r) for r in members.itertuples(index=False)] == [
        ("staten", 500_000, 50.0), ("region", 250_000, 25.0), ("1481", 125_000, 12.5),
        ("1402", 125_000, 12.5),
    ]  # fmt: skip


def test_the_numbers_of_a_found_inconsistency():
    """Cash 1 000 kr more at the end of 2023: liquid funds 695 000, so the year's cash flow is
    95 000 where 94 000 is stated, and the driftredovisning's 694 tkr should be 695 tkr. The
    member split of 501 000 + 250 000 + 250 000 = 1 001 000 wants 500 500 from the state."""
    found = {i.check: i for i in accounts.inconsistencies(_report_with("br_kassa_bank"))}
    assert (found[CF_YEAR].stated, found[CF_YEAR].expected, found[CF_YEAR].unit) == (
        94_000, 95_000, "kr"
    )  # fmt: skip
    assert found[CF_YEAR].difference == -1_000
    extraordinary = {
        i.check: i for i in accounts.inconsistencies(_report_with("rr_extraordinara_poster"))
    }
    assert (extraordinary[RESULT].stated, extraordinary[RESULT].expected) == (124_000, 125_000)
    soliditet = accounts.inconsistencies(_report_with(("oversikt_soliditet", "procent")))
    assert [(i.stated, i.expected, i.unit) for i in soliditet] == [(71, 70, "procent")]
    assert (found[DRIFT_FUNDS].stated, found[DRIFT_FUNDS].expected, found[DRIFT_FUNDS].unit) == (
        694, 695, "tkr"
    )  # fmt: skip
    paid_more = _report_with(("not_driftbidrag", "staten"))
    split = {i.check: i for i in accounts.inconsistencies(paid_more)}
    assert [(split[w].stated, split[w].expected) for w in (STATE, REGION, KOMMUNER)] == [
        (501_000, 500_500), (250_000, 250_250), (250_000, 250_250)
    ]  # fmt: skip


def test_a_figure_published_twice_comes_from_its_own_years_report():
    """A 2022 figure printed in the reports of 2022 and 2023 is taken from 2022's; a 2021
    figure printed in 2022's and 2023's (not its own) from the latest; one whose source names
    no year ranks last."""
    rows = [
        (2022, "rr_arets_resultat", 105, "Årsredovisning 2023, F: Resultaträkning"),
        (2022, "rr_arets_resultat", 100, "Årsredovisning 2022, F: Resultaträkning"),
        (2021, "rr_arets_resultat", 70, "Årsredovisning 2022, F"),
        (2021, "rr_arets_resultat", 80, "Årsredovisning 2023, F"),
        (2021, "br_eget_kapital", 5, "styrelsens protokoll"),
        (2021, "br_eget_kapital", 6, "Årsredovisning 2022"),
        (2020, "br_eget_kapital", 7, "nr 120199"),
        (2020, "br_eget_kapital", 8, None),
    ]
    frame = pd.DataFrame(rows, columns=["ar", "post", "belopp", "kalla"])
    finances = frame.assign(forbund="F", del_="", enhet="kr").rename(columns={"del_": "del"})
    assert accounts.figures(finances, "F", 2022) == {"rr_arets_resultat": 100}
    assert accounts.figures(finances, "F", 2021) == {"rr_arets_resultat": 80, "br_eget_kapital": 6}
    assert accounts.figures(finances, "F", 2020) == {"br_eget_kapital": 7}  # first of equals
    other = finances.assign(forbund="G", ar=finances["ar"] + 10)
    both = pd.concat([finances, other], ignore_index=True)
    assert accounts.statement_years(both, "F") == [2021, 2022]
    assert accounts.figures(both, "F", 2022) == {"rr_arets_resultat": 100}


def test_rounding_half_away_from_zero_and_shares():
    assert [accounts.rounded(n, 2) for n in (5, 7, -5, 4)] == [3, 4, -3, 2]
    assert accounts.whole_percent(1, 8) == 13  # 12.5 %
    assert accounts.in_tkr(1_500) == 2 and accounts.in_tkr(1_499) == 1
    assert accounts.in_tkr(None) is None


def test_figures_that_are_missing_or_zero():
    statement = {"rr_verksamhetens_kostnader": -500}
    assert accounts.costs(statement) == 500  # no depreciation stated
    assert accounts.costs({}) is None and accounts.income({}) is None
    assert accounts.liquid_funds({"br_kassa_bank": 10}) == 10
    assert accounts.liquid_funds({"br_kortfristiga_placeringar": 10}) is None
    report = complete_report()
    without_total = report[~((report["ar"] == 2023) & (report["post"] == "br_summa_tillgangar"))]
    assert accounts.equity_ratio(without_total, "F", 2023) is None
    zero = changed("br_summa_tillgangar", -764_000)
    assert accounts.equity_ratio(zero, "F", 2023) is None


def test_the_derived_cash_flow_with_purchases_and_new_loans():
    """F buys fixed assets: 60 000 → 100 000 with 20 000 depreciated, so 60 000 was bought;
    its long-term liabilities are new in 2023 (none in 2022): 50 000 borrowed. Had it owed
    30 000 in 2022 and stated none in 2023, it would have paid back 30 000."""
    report = changed("br_anlaggningstillgangar", 60_000)
    report = report[~((report["ar"] == 2022) & (report["post"] == "br_langfristiga_skulder"))]
    report.loc[(report["ar"] == 2023) & (report["post"] == "br_langfristiga_skulder"), "belopp"] = (
        50_000
    )
    flow = accounts.derived_cash_flow(report, "F", 2023)
    assert flow["kf_investeringsverksamheten"] == -60_000
    assert flow["kf_finansieringsverksamheten"] == 50_000
    loans = report["post"] == "br_langfristiga_skulder"  # the 2023 line only
    repaid = pd.concat([report[~loans], report[loans].assign(ar=2022, belopp=30_000)])
    flow = accounts.derived_cash_flow(repaid, "F", 2023)
    assert flow["kf_finansieringsverksamheten"] == -30_000
