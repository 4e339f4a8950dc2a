"""Seeded synthetic datasets in the data contract's format.

The default profile is Samordningsförbundet Insjöriket (seed 000): five municipalities, the
insatser Balder, Individsamverkansteamet and Primus, and two structural insatser, 2019–2022,
with volumes and shares like the published statistics appendix 2022 (about 238 participations
of which about 59 % women, about 77 referrals January–August 2022 and none after the referral
stop on 1 September 2022, about 195 structural participants in 2022). The same seed gives
byte-identical files. Every person in it is invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from finsam.contract import TABLES

DEFAULT_SEED = 3  # the seed whose 2022 volumes come closest to seed 000


@dataclass(frozen=True)
class Profile:
    """What a synthetic förbund looks like; shares are probabilities, volumes per year."""

    forbund: str = "Samordningsförbundet Insjöriket"
    first_year: int = 2019
    last_year: int = 2022
    warmup_years: int = 3  # years simulated before first_year so that it starts with ongoing
    kommuner: dict[str, float] = field(
        default_factory=lambda: {"1481": 67, "1402": 32, "1401": 35, "1441": 41, "1489": 60}
    )
    insatser: tuple[tuple[str, str, str, int], ...] = (
        ("Balder", "individinriktad", "forberedande", 2016),
        ("Individsamverkansteamet", "individinriktad", "rehabilitering_arbete_utbildning", 2018),
        ("Primus", "individinriktad", "kartlaggning", 2017),
        ("Kunskapsdialoger", "strukturovergripande", "dialog_kommunikation", 2017),
        ("Hälsoskolan Mölndal", "strukturovergripande", "utbildning", 2020),
    )
    new_per_year: dict[int, int] = field(
        default_factory=lambda: {
            2016: 150,
            2017: 150,
            2018: 155,
            2019: 160,
            2020: 138,
            2021: 160,
            2022: 145,
        }
    )
    insats_share: dict[str, float] = field(
        default_factory=lambda: {"Balder": 0.66, "Individsamverkansteamet": 0.16, "Primus": 0.18}
    )
    share_women: float = 0.62
    referral_stop: dt.date = dt.date(2022, 9, 1)
    extraction_date: dt.date = dt.date(2023, 1, 4)
    referred_share: float = 0.55
    not_started_referrals: float = 0.2
    anonymous_per_year: int = 9
    volume_per_year: dict[int, int] = field(
        default_factory=lambda: {2019: 60, 2020: 48, 2021: 80, 2022: 96}
    )
    structural: dict[str, dict[int, int]] = field(
        default_factory=lambda: {
            "Kunskapsdialoger": {2019: 140, 2020: 95, 2021: 160, 2022: 177},
            "Hälsoskolan Mölndal": {2020: 12, 2021: 15, 2022: 18},
        }
    )


# Distributions of the person and outcome variables, shaped like seed 000 / seed 003.
AGE_GROUPS = {(18, 29): 0.38, (30, 44): 0.34, (45, 59): 0.25, (60, 64): 0.03}
UTBILDNING = {
    "grundskola": 0.29,
    "gymnasium": 0.46,
    "hogskola_upp_till_1_ar": 0.02,
    "hogskola_upp_till_3_ar": 0.10,
    "hogskola_mer_an_3_ar": 0.04,
    "annan_eftergymnasial": 0.08,
    "saknas_okand": 0.01,
}
TID = {
    "upp_till_1_ar": 0.15,
    "upp_till_3_ar": 0.32,
    "upp_till_6_ar": 0.22,
    "upp_till_9_ar": 0.07,
    "mer_an_9_ar": 0.11,
    "ej_tillampligt": 0.13,
}
FORSORJNING_FORE = {
    "sjuk_rehabpenning": 0.22,
    "aktivitetsersattning": 0.12,
    "sjukersattning": 0.04,
    "a_kassa": 0.02,
    "aktivitetsstod": 0.14,
    "forsorjningsstod": 0.30,
    "studiestod": 0.02,
    "annan_offentlig": 0.02,
    "ingen_offentlig": 0.12,
}
AVSLUT = {
    "fortsatt_rehabilitering": 0.62,
    "arbete_studier": 0.10,
    "aktivt_arbetssokande": 0.07,
    "sjukdom": 0.16,
    "flytt": 0.02,
    "foraldraledighet": 0.01,
    "annat": 0.02,
}
REMITTENT = {
    "psykiatrin": 0.30,
    "vardcentral": 0.20,
    "habiliteringen": 0.07,
    "forsakringskassan": 0.22,
    "arbetsformedlingen": 0.01,
    "forsorjningsstod": 0.07,
    "skola": 0.07,
    "egen_remiss": 0.06,
}
DURATION_MONTHS = {(1, 6): 0.60, (7, 12): 0.24, (13, 18): 0.11, (19, 24): 0.04, (25, 36): 0.03}


class _Draw:
    """Seeded draws; every call consumes the generator in a fixed order."""

    def __init__(self, seed: int):
        self.rng = np.random.default_rng(seed)

    def pick(self, weights: dict) -> object:
        keys = list(weights)
        p = np.array(list(weights.values()), dtype=float)
        return keys[int(self.rng.choice(len(keys), p=p / p.sum()))]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def between(self, low: int, high: int) -> int:
        return int(self.rng.integers(low, high + 1))

    def day_in(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.between(0, (last - first).days))


def synthesize(seed: int = DEFAULT_SEED, profile: Profile = Profile()) -> dict[str, list[dict]]:
    """Rows of the four contract tables (lists of dicts, in write order)."""
    draw = _Draw(seed)
    persons: list[dict] = []
    participations: list[dict] = []
    referrals: list[dict] = []

    def new_person(year: int) -> dict:
        low, high = draw.pick(AGE_GROUPS)
        person = {
            "person_id": f"P{len(persons) + 1:05d}",
            "kon": "kvinna" if draw.chance(profile.share_women) else "man",
            "kommun": draw.pick(profile.kommuner),
            "fodelsear": year - draw.between(low, high),
            "utbildning": draw.pick(UTBILDNING),
            "tid": draw.pick(TID),
        }
        persons.append(person)
        return person

    first_sim = profile.first_year - profile.warmup_years
    for year in range(first_sim, profile.last_year + 1):
        for _ in range(profile.new_per_year.get(year, profile.new_per_year[profile.last_year])):
            insats = draw.pick(profile.insats_share)
            last_start = dt.date(year, 12, 31)
            if insats != "Primus" and year == profile.referral_stop.year:
                last_start = profile.referral_stop + dt.timedelta(days=30)
            start = draw.day_in(dt.date(year, 1, 1), last_start)
            # Parallel or repeated participation: someone recently active comes back.
            recent = [
                p
                for p in participations
                if p["_person"] is not None and p["_end"] >= start - dt.timedelta(days=200)
            ]
            reuse = insats == "Primus" and recent and draw.chance(0.7)
            reuse = reuse or (recent and draw.chance(0.07))
            person = (
                recent[draw.between(0, len(recent) - 1)]["_person"] if reuse else new_person(year)
            )
            low, high = draw.pick(DURATION_MONTHS)
            end = start + dt.timedelta(
                days=int(draw.between(low, high) * 30.4) - draw.between(0, 20)
            )
            participations.append(
                {
                    "_person": person,
                    "_start": start,
                    "_end": end,
                    "insats": insats,
                    "registrering": "personuppgifter",
                }
            )
            if insats != "Primus" and draw.chance(profile.referred_share):
                received = start - dt.timedelta(days=draw.between(7, 45))
                if received < profile.referral_stop or received.year != profile.referral_stop.year:
                    referrals.append(
                        {
                            "datum": received,
                            "kommun": person["kommun"],
                            "kon": person["kon"],
                            "insats": insats,
                            "startad": "ja",
                        }
                    )
        # Referrals that did not lead to a start (other plans, health).
        n_not_started = round(
            profile.new_per_year.get(year, 0) * profile.not_started_referrals * 0.6
        )
        last_day = (
            profile.referral_stop - dt.timedelta(days=1)
            if year == profile.referral_stop.year
            else dt.date(year, 12, 31)
        )
        for _ in range(n_not_started):
            referrals.append(
                {
                    "datum": draw.day_in(dt.date(year, 1, 1), last_day),
                    "kommun": draw.pick(profile.kommuner),
                    "kon": "kvinna" if draw.chance(profile.share_women) else "man",
                    "insats": "",
                    "startad": "nej",
                }
            )
        for registrering, n in (
            ("anonym", profile.anonymous_per_year),
            ("volym", profile.volume_per_year.get(year, 0)),
        ):
            for _ in range(n):
                start = draw.day_in(dt.date(year, 1, 1), dt.date(year, 12, 31))
                participations.append(
                    {
                        "_person": None,
                        "_start": start,
                        "_end": start + dt.timedelta(days=draw.between(20, 200)),
                        "insats": "Primus"
                        if registrering == "volym"
                        else draw.pick(profile.insats_share),
                        "registrering": registrering,
                        "_kon": ("kvinna" if draw.chance(0.85) else "man")
                        if registrering == "anonym"
                        else ("kvinna" if draw.chance(profile.share_women) else "man"),
                    }
                )

    deltaganden = [
        _participation_row(i, p, draw, profile)
        for i, p in enumerate(sorted(participations, key=_start_order), start=1)
        if p["_start"] <= profile.extraction_date - dt.timedelta(days=5)
    ]
    first_kept = dt.date(profile.first_year - 1, 1, 1)
    deltaganden = [
        r for r in deltaganden if not r["slutdatum"] or r["slutdatum"] >= first_kept.isoformat()
    ]
    remisser = []
    for i, r in enumerate(sorted(referrals, key=lambda r: (r["datum"], r["kommun"])), start=1):
        if r["datum"].year < profile.first_year:
            continue
        remisser.append(
            {
                "remiss_id": f"R{i:05d}",
                "forbund": profile.forbund,
                "datum": r["datum"].isoformat(),
                "kommun": r["kommun"],
                "kon": r["kon"],
                "remittent": draw.pick(REMITTENT),
                "insats": r["insats"],
                "startad": r["startad"],
            }
        )
    insatser = [
        {
            "forbund": profile.forbund,
            "insats": name,
            "typ": typ,
            "inriktning": inr,
            "startar": since,
            "slutar": "",
        }
        for name, typ, inr, since in profile.insatser
    ]
    struktur = []
    for name, per_year in profile.structural.items():
        for year, n in sorted(per_year.items()):
            women = round(n * 0.7)
            struktur.append(
                {
                    "forbund": profile.forbund,
                    "insats": name,
                    "ar": year,
                    "antal": n,
                    "kvinnor": women,
                    "man": max(0, n - women - draw.between(0, 2)),  # some gender unknown
                }
            )
    return {
        "deltaganden": deltaganden,
        "remisser": remisser,
        "insatser": insatser,
        "strukturdeltagare": struktur,
    }


def _start_order(p: dict) -> tuple:
    return (p["_start"], p["registrering"], p["insats"])


def _codes(draw: _Draw, weights: dict, extra: float) -> str:
    chosen = [draw.pick(weights)]
    if draw.chance(extra):
        second = draw.pick(weights)
        if second not in chosen and "ingen_offentlig" not in (second, chosen[0]):
            chosen.append(second)
    return ";".join(sorted(chosen, key=list(weights).index))


def _participation_row(number: int, p: dict, draw: _Draw, profile: Profile) -> dict:
    person = p["_person"]
    ended = p["_end"] <= profile.extraction_date - dt.timedelta(days=4)
    row = dict.fromkeys((spec.name for spec in TABLES["deltaganden"]), "")
    row.update(
        deltagande_id=f"D{number:05d}",
        forbund=profile.forbund,
        insats=p["insats"],
        registrering=p["registrering"],
        startdatum=p["_start"].isoformat(),
        slutdatum=p["_end"].isoformat() if ended else "",
    )
    if person is None:
        row["kon"] = p["_kon"]
        if ended:
            row["avslutsorsak"] = draw.pick(AVSLUT)
        return row
    row.update(
        person_id=person["person_id"],
        kommun=person["kommun"],
        kon=person["kon"],
        fodelsear=person["fodelsear"],
        utbildning=person["utbildning"],
        tid_offentlig_forsorjning=person["tid"],
        forsorjning_fore=_codes(draw, FORSORJNING_FORE, 0.15),
    )
    if draw.chance(0.09):
        row["sysselsattning_fore"] = draw.pick(
            {"arbete_subventionerat": 1, "studier": 1, "arbete_osubventionerat": 1}
        )
    if ended:
        reason = draw.pick(AVSLUT)
        row["avslutsorsak"] = reason
        after = _codes(draw, FORSORJNING_FORE, 0.15)
        if reason in ("arbete_studier", "aktivt_arbetssokande") and draw.chance(0.4):
            after = "ingen_offentlig"
        row["forsorjning_efter"] = after
        if reason == "arbete_studier":
            work = [
                draw.pick(
                    {
                        "arbete_osubventionerat": 3,
                        "arbete_subventionerat": 3,
                        "eget_foretag": 1,
                        "studier": 3,
                    }
                )
            ]
            if draw.chance(0.5):
                work.append("aktivt_arbetssokande")
            row["sysselsattning_efter"] = ";".join(dict.fromkeys(work))
        elif reason == "aktivt_arbetssokande":
            row["sysselsattning_efter"] = "aktivt_arbetssokande"
    return row


def _csv_text(name: str, rows: list[dict]) -> str:
    columns = [spec.name for spec in TABLES[name]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_dataset(out: Path, seed: int = DEFAULT_SEED, profile: Profile = Profile()) -> Path:
    """Write a synthetic dataset folder at ``out`` (replaced atomically); returns ``out``."""
    out = Path(out)
    tables = synthesize(seed, profile)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    staging.chmod(0o755)
    try:
        for name, rows in tables.items():
            (staging / f"{name}.csv").write_text(_csv_text(name, rows), encoding="utf-8")
        meta = {
            "synthetic": True,
            "description": (
                f"Syntetiska uppgifter för {profile.forbund} "
                f"{profile.first_year}–{profile.last_year}, framställda med "
                f"'finsam synth --seed {seed}'. Inga verkliga personer."
            ),
            "seed": seed,
        }
        (staging / "dataset.yml").write_text(
            yaml.safe_dump(meta, allow_unicode=True, sort_keys=True), encoding="utf-8"
        )
        backup = None
        if out.exists():
            backup = out.with_name(f".{out.name}.old")
            shutil.rmtree(backup, ignore_errors=True)
            os.replace(out, backup)
        os.replace(staging, out)
        if backup is not None:
            shutil.rmtree(backup)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out
