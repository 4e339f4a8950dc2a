"""Category codes of the data contract and their Swedish display labels.

This is the one place where a code gets its label. Codes flow through the pipeline; labels are
applied only when a table is shown or exported (see :mod:`finsam.report.present`). The order of each
mapping is the order categories are shown in.
"""

from __future__ import annotations

KON: dict[str, str] = {"kvinna": "Kvinnor", "man": "Män", "okant": "Okänt", "totalt": "Totalt"}
GENDERS = ("kvinna", "man", "okant")

REGISTRERING: dict[str, str] = {
    "personuppgifter": "Med personuppgifter",
    "anonym": "Anonymt registrerade",
    "volym": "Volyminsats",
}

UTBILDNING: dict[str, str] = {
    "grundskola": "Grundskola",
    "gymnasium": "Gymnasium",
    "hogskola_upp_till_1_ar": "Högskola/universitet upp till 1 år",
    "hogskola_upp_till_3_ar": "Högskola/universitet upp till 3 år",
    "hogskola_mer_an_3_ar": "Högskola/universitet mer än 3 år",
    "forskarutbildning": "Forskarutbildning",
    "annan_eftergymnasial": "Annan eftergymnasial utbildning",
    "saknas_okand": "Saknas eller okänd",
}

TID_OFFENTLIG_FORSORJNING: dict[str, str] = {
    "upp_till_1_ar": "Upp till 1 år",
    "upp_till_3_ar": "Upp till 3 år",
    "upp_till_6_ar": "Upp till 6 år",
    "upp_till_9_ar": "Upp till 9 år",
    "mer_an_9_ar": "Mer än 9 år",
    "ej_tillampligt": "Ej tillämpligt",
}

FORSORJNING: dict[str, str] = {
    "sjuk_rehabpenning": "Sjuk- eller rehabpenning",
    "aktivitetsersattning": "Aktivitetsersättning",
    "sjukersattning": "Sjukersättning",
    "a_kassa": "A-kassa",
    "aktivitetsstod": "Aktivitetsstöd",
    "forsorjningsstod": "Försörjningsstöd",
    "studiestod": "Studiestöd eller studiemedel",
    "annan_offentlig": "Annan offentlig försörjning",
    "ingen_offentlig": "Ingen offentlig försörjning",
}

SYSSELSATTNING: dict[str, str] = {
    "arbete_osubventionerat": "Arbete, ej subventionerat",
    "arbete_subventionerat": "Arbete, subventionerat",
    "eget_foretag": "Eget företag",
    "studier": "Studier",
    "aktivt_arbetssokande": "Aktivt arbetssökande",
}
ARBETE_ELLER_STUDIER = (
    "arbete_osubventionerat",
    "arbete_subventionerat",
    "eget_foretag",
    "studier",
)

AVSLUTSORSAK: dict[str, str] = {
    "arbete_studier": "Arbete eller studier",
    "aktivt_arbetssokande": "Aktivt arbetssökande",
    "fortsatt_rehabilitering": "Fortsatt rehabilitering",
    "sjukdom": "Sjukdom",
    "flytt": "Flytt",
    "foraldraledighet": "Föräldraledighet",
    "annat": "Annat",
}

REMITTENT: dict[str, str] = {
    "forsakringskassan": "Försäkringskassan",
    "arbetsformedlingen": "Arbetsförmedlingen",
    "forsorjningsstod": "Försörjningsstöd",
    "vardcentral": "Vårdcentral",
    "psykiatrin": "Psykiatrin",
    "habiliteringen": "Habiliteringen",
    "skola": "Skola",
    "egen_remiss": "Egen remiss",
    "annan": "Annan",
}

INSATSTYP: dict[str, str] = {
    "individinriktad": "Individinriktad",
    "strukturovergripande": "Strukturövergripande",
}

INRIKTNING_INDIVID: dict[str, str] = {
    "rehabilitering_arbete_utbildning": "Rehabilitering mot arbete eller utbildning",
    "forberedande": "Förberedande insats",
    "kartlaggning": "Kartläggning av individer",
    "forebyggande": "Förebyggande insats",
    "annan": "Annan inriktning",
}
INRIKTNING_STRUKTUR: dict[str, str] = {
    "dialog_kommunikation": "Dialog och kommunikation",
    "utbildning": "Utbildning",
    "kartlaggning": "Kartläggning",
    "annan": "Annan inriktning",
}
INRIKTNING_BY_TYP: dict[str, dict[str, str]] = {
    "individinriktad": INRIKTNING_INDIVID,
    "strukturovergripande": INRIKTNING_STRUKTUR,
}

ALDERSGRUPP: dict[str, str] = {
    "-29": "-29 år",
    "30-44": "30-44 år",
    "45-59": "45-59 år",
    "60-": "60 år -",
}

DELTAGARFLODE: dict[str, str] = {
    "samtliga": "Samtliga",
    "unika": "Unika",
    "nya": "Nya",
    "pagaende": "Pågående",
    "avslutade": "Avslutade",
    "anonyma": "Anonyma",
    "volym": "Volym",
}

JA_NEJ = ("ja", "nej")

# Category for a missing value in a table of one variable (shown only when it occurs).
EJ_ANGIVET = "ej_angivet"
EJ_ANGIVET_LABEL = "Uppgift saknas"

TID_I_INSATS: dict[str, str] = {
    "1-6": "1–6 månader",
    "7-12": "7–12 månader",
    "13-18": "13–18 månader",
    "19-24": "19–24 månader",
    "25-": "25 månader eller mer",
}

TIDPUNKT: dict[str, str] = {"fore": "Före insats", "efter": "Efter insats"}

RESULTAT_MATT: dict[str, str] = {
    "avslutade": "Avslutade deltagare (bas)",
    "arbete_studier_fore": "Arbete eller studier före insats",
    "arbete_studier_efter": "Arbete eller studier efter insats",
    "aktivt_arbetssokande": "Aktivt arbetssökande efter insats",
    "fortsatt_rehabilitering": "Fortsatt rehabilitering",
    "sjukdom": "Sjukdom",
}
RESULTAT_GRUPP: dict[str, str] = {
    "alla": "Alla",
    "under_30": "Under 30 år",
    "30_och_aldre": "30 år och äldre",
    "aktivitetsersattning_fore": "Aktivitetsersättning före insats",
}

STRUKTUR_MATT: dict[str, str] = {"insatser": "Insatser", "deltagare": "Deltagare"}
