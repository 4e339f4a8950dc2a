"""The line codes of a förbund's finances and their Swedish labels, in one place.

A finance file (``ekonomi.csv``, see ``docs/data-contract.md``) is long and tidy: one row per
figure, ``forbund``, ``ar``, ``post`` (a code below), ``del`` (a member for a member
contribution: ``staten``, ``region`` or a kommunkod; an insats for a budget line), ``belopp`` (a
whole number as printed: costs in the income statement are negative), ``enhet`` (``kr``,
``tkr``, ``procent``, ``antal``) and ``kalla`` (where it was published). Balance-sheet figures
belong to the year on whose 31 December they stand.
"""

from __future__ import annotations

# Resultaträkning (income statement): income positive, costs negative, as printed.
INCOME_STATEMENT = {
    "rr_medlemsavgifter": "Verksamhetens medlemsavgifter",
    "rr_bidrag": "EU-medel och andra bidrag",
    "rr_ovriga_intakter": "Övriga intäkter",
    "rr_verksamhetens_intakter": "Verksamhetens intäkter",
    "rr_verksamhetens_kostnader": "Verksamhetens kostnader",
    "rr_avskrivningar": "Avskrivningar",
    "rr_verksamhetens_resultat": "Verksamhetens resultat",
    "rr_finansiella_intakter": "Finansiella intäkter",
    "rr_finansiella_kostnader": "Finansiella kostnader",
    "rr_resultat_efter_finansiella_poster": "Resultat efter finansiella poster",
    "rr_extraordinara_poster": "Extraordinära poster",
    "rr_arets_resultat": "Årets resultat",
}
# The income lines (a förbund states either the first three or the fourth), and the lines of
# the operating result in the order they add up to it.
INCOME_LINES = (
    "rr_medlemsavgifter",
    "rr_bidrag",
    "rr_ovriga_intakter",
    "rr_verksamhetens_intakter",
)
OPERATING_LINES = (*INCOME_LINES, "rr_verksamhetens_kostnader", "rr_avskrivningar")

# Balansräkning (balance sheet) at 31 December.
BALANCE_SHEET = {
    "br_anlaggningstillgangar": "Anläggningstillgångar",
    "br_fordringar": "Fordringar",
    "br_kortfristiga_placeringar": "Kortfristiga placeringar",
    "br_kassa_bank": "Kassa och bank",
    "br_summa_omsattningstillgangar": "Summa omsättningstillgångar",
    "br_summa_tillgangar": "Summa tillgångar",
    "br_eget_kapital": "Eget kapital",
    "br_eget_kapital_arets_resultat": "därav årets resultat",
    "br_eget_kapital_ovrigt": "därav övrigt eget kapital",
    "br_avsattningar": "Avsättningar",
    "br_langfristiga_skulder": "Långfristiga skulder",
    "br_kortfristiga_skulder": "Kortfristiga skulder",
    "br_summa_eget_kapital_skulder": "Summa eget kapital, avsättningar och skulder",
    "br_ansvarsforbindelser": "Ansvarsförbindelser",
}

# Kassaflödesanalys (cash-flow statement): as a förbund states it, and as derived.
CASH_FLOW = {
    "kf_arets_resultat": "Årets resultat",
    "kf_ej_likviditetspaverkande": "Justering för ej likviditetspåverkande poster",
    "kf_fore_rorelsekapital": "Medel från verksamheten före förändring av rörelsekapital",
    "kf_forandring_fordringar": "Ökning (−)/minskning (+) kortfristiga fordringar",
    "kf_forandring_kortfristiga_skulder": "Ökning (+)/minskning (−) kortfristiga skulder",
    "kf_lopande_verksamheten": "Kassaflöde från den löpande verksamheten",
    "kf_forvarv_anlaggningstillgangar": "Förvärv av anläggningstillgångar",
    "kf_investeringsverksamheten": "Kassaflöde från investeringsverksamheten",
    "kf_finansieringsverksamheten": "Kassaflöde från finansieringsverksamheten",
    "kf_arets_kassaflode": "Årets kassaflöde",
    "kf_likvida_medel_borjan": "Likvida medel vid årets början",
    "kf_likvida_medel_slut": "Likvida medel vid årets slut",
}

NOTES = {
    "not_driftbidrag": "Driftbidrag",
    "not_bidrag_esf": "Bidrag från ESF",
    "not_ovriga_intakter": "Övriga intäkter",
    "not_intakter_summa": "Summa intäkter",
    "not_kostnad_personal_verksamhet": "Verksamhetsanknutna personalkostnader",
    "not_kostnad_lokal_verksamhet": "Verksamhetsanknutna lokalkostnader",
    "not_kostnad_ovrigt_verksamhet": "Verksamhetsanknutna kostnader, övrigt",
    "not_kostnad_ovriga": "Övriga kostnader",
    "not_kostnad_arvoden": "Arvoden",
    "not_kostnad_personal": "Personalkostnader",
    "not_kostnader_summa": "Summa kostnader",
    "not_fordran_kund": "Kundfordringar",
    "not_fordran_skattekonto": "Avräkningskonto för skatter och avgifter",
    "not_fordran_moms": "Fordran mervärdesskatt",
    "not_fordran_ovriga": "Övriga kortfristiga fordringar",
    "not_fordran_interim": "Interimsfordringar",
    "not_fordringar_summa": "Summa fordringar",
    "not_skuld_leverantor": "Leverantörsskulder",
    "not_skuld_skatt": "Skatteskulder",
    "not_skuld_ovriga": "Övriga kortfristiga skulder",
    "not_skuld_semester": "Upplupna semesterlöner inkl. sociala avgifter",
    "not_skuld_forutbetalda_intakter": "Förutbetalda intäkter",
    "not_skuld_upplupna_kostnader": "Upplupna kostnader",
    "not_skulder_summa": "Summa kortfristiga skulder",
}
# Each note's parts and its sum line, and the statement line the sum must equal.
NOTE_SUMS = {
    "not_intakter_summa": ("not_driftbidrag", "not_bidrag_esf", "not_ovriga_intakter"),
    "not_kostnader_summa": (
        "not_kostnad_personal_verksamhet",
        "not_kostnad_lokal_verksamhet",
        "not_kostnad_ovrigt_verksamhet",
        "not_kostnad_ovriga",
        "not_kostnad_arvoden",
        "not_kostnad_personal",
    ),
    "not_fordringar_summa": (
        "not_fordran_kund",
        "not_fordran_skattekonto",
        "not_fordran_moms",
        "not_fordran_ovriga",
        "not_fordran_interim",
    ),
    "not_skulder_summa": (
        "not_skuld_leverantor",
        "not_skuld_skatt",
        "not_skuld_ovriga",
        "not_skuld_semester",
        "not_skuld_forutbetalda_intakter",
        "not_skuld_upplupna_kostnader",
    ),
}

BUDGET = {
    "drift_utfall_kostnader": "Kostnader, utfall",
    "drift_budget_kostnader": "Kostnader, budget",
    "drift_avvikelse_kostnader": "Kostnader, avvikelse",
    "drift_utfall_intakter": "Medlemsavgifter, utfall",
    "drift_budget_intakter": "Medlemsavgifter, budget",
    "drift_avvikelse_intakter": "Medlemsavgifter, avvikelse",
    "drift_utfall_resultat": "Resultat, utfall",
    "drift_budget_resultat": "Resultat, budget",
    "drift_avvikelse_resultat": "Resultat, avvikelse",
    "drift_utgaende_eget_kapital": "Utgående eget kapital",
    "drift_likvida_medel": "Likvida medel",
}

OVERVIEW = {
    "oversikt_intakter": "Verksamhetens intäkter",
    "oversikt_kostnader": "Verksamhetens kostnader",
    "oversikt_resultat": "Periodens resultat",
    "oversikt_soliditet": "Soliditet",
    "oversikt_anstallda": "Antal anställda",
}

BALANCE_REQUIREMENT = {
    "bk_arets_resultat": "Årets resultat",
    "bk_realisationsvinster": "Reducering av samtliga realisationsvinster",
    "bk_orealiserade": "Orealiserade vinster och förluster i värdepapper",
    "bk_justerat_resultat": "Årets resultat efter balanskravsjusteringar",
    "bk_rur_reservering": "Reservering av medel till resultatutjämningsreserv",
    "bk_rur_aterforing": "Användning av medel från resultatutjämningsreserv",
    "bk_balanskravsresultat": "Balanskravsresultat",
}

POSTS: dict[str, str] = {
    **INCOME_STATEMENT,
    **BALANCE_SHEET,
    **CASH_FLOW,
    **NOTES,
    **BUDGET,
    **OVERVIEW,
    **BALANCE_REQUIREMENT,
}
UNITS = ("kr", "tkr", "procent", "antal")
MEMBERS = {"staten": "Staten (Försäkringskassan och Arbetsförmedlingen)", "region": "Regionen"}
"""Members other than kommuner (a kommun is given by its kommunkod)."""

STATUTORY_SHARES = {"staten": 0.5, "region": 0.25, "kommuner": 0.25}
"""The split of member contributions the Finsam law sets (lag 2003:1210, 9 §): the state half,
the region a quarter, the kommuner together a quarter."""
