"""Seeded synthetic datasets in the data contract's format.

The default profile is Samordningsförbundet Insjöriket (Statistikbilaga 2022, Insjöriket): five
municipalities, the
insatser Balder, Individsamverkansteamet and Primus, and two structural insatser, 2019–2022,
with volumes and shares like the published statistics appendix 2022 (about 238 participations
of which about 59 % women, about 77 referrals January–August 2022 and none after the referral
stop on 1 September 2022, about 195 structural participants in 2022). The same seed gives
byte-identical files. Every person in it is invented.
"""

from __future__ import annotations

import bisect
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

from finsam.inputs.contract import TABLES

DEFAULT_SEED = 3  # the seed whose 2022 volumes come closest to Statistikbilaga 2022, Insjöriket


@dataclass(frozen=True)
class Distributions:
    """Shares of the person and outcome variables (weights, normalised when drawn)."""

    age_groups: dict[tuple[int, int], float]
    utbildning: dict[str, float]
    tid: dict[str, float]
    forsorjning_fore: dict[str, float]
    avslut: dict[str, float]
    remittent: dict[str, float]
    duration_months: dict[tuple[int, int], float]


# Shaped like the statistics appendix 2022 of Insjöriket and the national appendix 2021.
DEFAULT_DISTRIBUTIONS = Distributions(
    age_groups={(18, 29): 0.38, (30, 44): 0.34, (45, 59): 0.25, (60, 64): 0.03},
    utbildning={
        "grundskola": 0.29,
        "gymnasium": 0.46,
        "hogskola_upp_till_1_ar": 0.02,
        "hogskola_upp_till_3_ar": 0.10,
        "hogskola_mer_an_3_ar": 0.04,
        "annan_eftergymnasial": 0.08,
        "saknas_okand": 0.01,
    },
    tid={
        "upp_till_1_ar": 0.15,
        "upp_till_3_ar": 0.32,
        "upp_till_6_ar": 0.22,
        "upp_till_9_ar": 0.07,
        "mer_an_9_ar": 0.11,
        "ej_tillampligt": 0.13,
    },
    forsorjning_fore={
        "sjuk_rehabpenning": 0.22,
        "aktivitetsersattning": 0.12,
        "sjukersattning": 0.04,
        "a_kassa": 0.02,
        "aktivitetsstod": 0.14,
        "forsorjningsstod": 0.30,
        "studiestod": 0.02,
        "annan_offentlig": 0.02,
        "ingen_offentlig": 0.12,
    },
    avslut={
        "fortsatt_rehabilitering": 0.62,
        "arbete_studier": 0.10,
        "aktivt_arbetssokande": 0.07,
        "sjukdom": 0.16,
        "flytt": 0.02,
        "foraldraledighet": 0.01,
        "annat": 0.02,
    },
    remittent={
        "psykiatrin": 0.30,
        "vardcentral": 0.20,
        "habiliteringen": 0.07,
        "forsakringskassan": 0.22,
        "arbetsformedlingen": 0.01,
        "forsorjningsstod": 0.07,
        "skola": 0.07,
        "egen_remiss": 0.06,
    },
    duration_months={(1, 6): 0.60, (7, 12): 0.24, (13, 18): 0.11, (19, 24): 0.04, (25, 36): 0.03},
)


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
    # The mapping insats: takes volume registrations, gets no referrals, keeps starting after
    # the referral stop, and often re-registers someone recently active elsewhere.
    open_insats: str = "Primus"
    referral_stop: dt.date | None = dt.date(2022, 9, 1)
    extraction_date: dt.date = dt.date(2023, 1, 4)
    referred_share: float = 0.55
    not_started_referrals: float = 0.2
    anonymous_per_year: dict[int, int] = field(
        default_factory=lambda: dict.fromkeys(range(2016, 2023), 9)
    )
    volume_per_year: dict[int, int] = field(
        default_factory=lambda: {2019: 60, 2020: 48, 2021: 80, 2022: 96}
    )
    structural: dict[str, dict[int, int]] = field(
        default_factory=lambda: {
            "Kunskapsdialoger": {2019: 140, 2020: 95, 2021: 160, 2022: 177},
            "Hälsoskolan Mölndal": {2020: 12, 2021: 15, 2022: 18},
        }
    )
    # When set, new participations with personal data per year are chosen so that exactly this
    # many are active during the year (``new_per_year`` then only covers the warm-up years).
    active_per_year: dict[int, int] | None = None
    id_prefix: str = ""  # makes ids unique when several förbund are written together
    distributions: Distributions = field(default_factory=lambda: DEFAULT_DISTRIBUTIONS)


class _Draw:
    """Seeded draws; every call consumes the generator in a fixed order.

    ``pick`` draws exactly as ``Generator.choice(n, p=weights)`` does (one uniform number looked
    up in the normalised cumulative weights), without its per-call overhead.
    """

    def __init__(self, seed: int | list[int]):
        self.rng = np.random.default_rng(seed)
        self._cumulative: dict[tuple, tuple[list, list[float]]] = {}

    def pick(self, weights: dict) -> object:
        key = tuple(weights.items())
        keys, cdf = self._cumulative.get(key, (None, None))
        if keys is None:
            p = np.array(list(weights.values()), dtype=float)
            cumulative = (p / p.sum()).cumsum()
            cumulative /= cumulative[-1]
            keys, cdf = list(weights), cumulative.tolist()
            self._cumulative[key] = (keys, cdf)
        return keys[bisect.bisect_right(cdf, self.rng.random())]

    def chance(self, p: float) -> bool:
        return bool(self.rng.random() < p)

    def between(self, low: int, high: int) -> int:
        return int(self.rng.integers(low, high + 1))

    def day_in(self, first: dt.date, last: dt.date) -> dt.date:
        return first + dt.timedelta(days=self.between(0, (last - first).days))


class _Recent:
    """Participations with personal data in creation order, searchable by start and end."""

    def __init__(self) -> None:
        self.items: list[dict] = []
        self._days = np.empty((1024, 2), dtype=np.int64)  # start, end as ordinals

    def add(self, participation: dict) -> None:
        if len(self.items) == len(self._days):
            self._days = np.resize(self._days, (2 * len(self._days), 2))
        self._days[len(self.items)] = (
            participation["_start"].toordinal(),
            participation["_end"].toordinal(),
        )
        self.items.append(participation)

    def ending_on_or_after(self, day: dt.date) -> np.ndarray:
        """Positions (in creation order) of those ending on ``day`` or later."""
        return np.flatnonzero(self._days[: len(self.items), 1] >= day.toordinal())

    def active_on(self, day: dt.date) -> int:
        """How many started before ``day`` and end on it or later."""
        days = self._days[: len(self.items)]
        return int(((days[:, 0] < day.toordinal()) & (days[:, 1] >= day.toordinal())).sum())


def _new_in_year(profile: Profile, year: int, with_person: _Recent) -> int:
    """New participations with personal data to start in ``year``."""
    if profile.active_per_year and year in profile.active_per_year:
        carried_over = with_person.active_on(dt.date(year, 1, 1))
        return max(0, profile.active_per_year[year] - carried_over)
    if year in profile.new_per_year:
        return profile.new_per_year[year]
    return profile.new_per_year[profile.last_year]


def synthesize(
    seed: int | list[int] = DEFAULT_SEED, profile: Profile = Profile()
) -> dict[str, list[dict]]:
    """Rows of the four contract tables (lists of dicts, in write order)."""
    draw = _Draw(seed)
    shares = profile.distributions
    persons: list[dict] = []
    participations: list[dict] = []
    with_person = _Recent()
    referrals: list[dict] = []
    stop = profile.referral_stop

    def new_person(year: int) -> dict:
        low, high = draw.pick(shares.age_groups)
        person = {
            "person_id": f"{profile.id_prefix}P{len(persons) + 1:05d}",
            "kon": "kvinna" if draw.chance(profile.share_women) else "man",
            "kommun": draw.pick(profile.kommuner),
            "fodelsear": year - draw.between(low, high),
            "utbildning": draw.pick(shares.utbildning),
            "tid": draw.pick(shares.tid),
        }
        persons.append(person)
        return person

    first_sim = profile.first_year - profile.warmup_years
    for year in range(first_sim, profile.last_year + 1):
        n_new = _new_in_year(profile, year, with_person)
        for _ in range(n_new):
            insats = draw.pick(profile.insats_share)
            last_start = dt.date(year, 12, 31)
            if stop is not None and insats != profile.open_insats and year == stop.year:
                last_start = stop + dt.timedelta(days=30)
            start = draw.day_in(dt.date(year, 1, 1), last_start)
            # Parallel or repeated participation: someone recently active comes back.
            recent = with_person.ending_on_or_after(start - dt.timedelta(days=200))
            reuse = insats == profile.open_insats and len(recent) and draw.chance(0.7)
            reuse = reuse or (len(recent) and draw.chance(0.07))
            person = (
                with_person.items[recent[draw.between(0, len(recent) - 1)]]["_person"]
                if reuse
                else new_person(year)
            )
            low, high = draw.pick(shares.duration_months)
            end = start + dt.timedelta(
                days=int(draw.between(low, high) * 30.4) - draw.between(0, 20)
            )
            participation = {
                "_person": person,
                "_start": start,
                "_end": end,
                "insats": insats,
                "registrering": "personuppgifter",
            }
            participations.append(participation)
            with_person.add(participation)
            if insats != profile.open_insats and draw.chance(profile.referred_share):
                received = start - dt.timedelta(days=draw.between(7, 45))
                if stop is None or received < stop or received.year != stop.year:
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
        n_not_started = round(n_new * profile.not_started_referrals * 0.6)
        last_day = (
            stop - dt.timedelta(days=1)
            if stop is not None and year == stop.year
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
            ("anonym", profile.anonymous_per_year.get(year, 0)),
            ("volym", profile.volume_per_year.get(year, 0)),
        ):
            for _ in range(n):
                start = draw.day_in(dt.date(year, 1, 1), dt.date(year, 12, 31))
                participations.append(
                    {
                        "_person": None,
                        "_start": start,
                        "_end": start + dt.timedelta(days=draw.between(20, 200)),
                        "insats": profile.open_insats
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
                "remiss_id": f"{profile.id_prefix}R{i:05d}",
                "forbund": profile.forbund,
                "datum": r["datum"].isoformat(),
                "kommun": r["kommun"],
                "kon": r["kon"],
                "remittent": draw.pick(profile.distributions.remittent),
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
        deltagande_id=f"{profile.id_prefix}D{number:05d}",
        forbund=profile.forbund,
        insats=p["insats"],
        registrering=p["registrering"],
        startdatum=p["_start"].isoformat(),
        slutdatum=p["_end"].isoformat() if ended else "",
    )
    if person is None:
        row["kon"] = p["_kon"]
        if ended:
            row["avslutsorsak"] = draw.pick(profile.distributions.avslut)
        return row
    row.update(
        person_id=person["person_id"],
        kommun=person["kommun"],
        kon=person["kon"],
        fodelsear=person["fodelsear"],
        utbildning=person["utbildning"],
        tid_offentlig_forsorjning=person["tid"],
        forsorjning_fore=_codes(draw, profile.distributions.forsorjning_fore, 0.15),
    )
    if draw.chance(0.09):
        row["sysselsattning_fore"] = draw.pick(
            {"arbete_subventionerat": 1, "studier": 1, "arbete_osubventionerat": 1}
        )
    if ended:
        reason = draw.pick(profile.distributions.avslut)
        row["avslutsorsak"] = reason
        after = _codes(draw, profile.distributions.forsorjning_fore, 0.15)
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


def csv_text(name: str, rows: list[dict]) -> str:
    """A table of the data contract as CSV text: its header, then ``rows`` (missing values
    empty)."""
    columns = [spec.name for spec in TABLES[name]]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_dataset(out: Path, seed: int = DEFAULT_SEED, profile: Profile = Profile()) -> Path:
    """Write a synthetic dataset folder at ``out`` (replaced atomically); returns ``out``."""
    description = (
        f"Syntetiska uppgifter för {profile.forbund} {profile.first_year}–{profile.last_year}, "
        f"framställda med 'finsam synth --seed {seed}'. Inga verkliga personer."
    )
    return write_tables(out, synthesize(seed, profile), description, seed)


def write_tables(out: Path, tables: dict[str, list[dict]], description: str, seed: int) -> Path:
    """Write contract tables and a ``dataset.yml`` marking them synthetic, atomically."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-", dir=out.parent))
    staging.chmod(0o755)
    try:
        for name, rows in tables.items():
            (staging / f"{name}.csv").write_text(csv_text(name, rows), encoding="utf-8")
        meta = {"synthetic": True, "description": description, "seed": seed}
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
