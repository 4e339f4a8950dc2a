"""A synthetic national dataset: every förbund and member kommun of the register, 2017–2021.

Volumes follow what Försäkringskassan publishes for the whole country (national statistics
appendix 2021, tables 4 and Bilaga 3, shipped in ``data/national/``):

* participations per year, all registration types: 28 318, 32 715, 31 167, 24 867, 24 102 —
  reproduced **exactly**, counted as the product counts them: participations with personal
  data active any day of the year (*samtliga*) plus anonymous and volume registrations started
  in the year;
* the split by registration type of 2021 (personuppgifter 17 501, anonym 541, volym 6 060),
  applied to every year;
* gender, age, education, time in public support, support before, inriktning and time in
  insats drawn with the national counts of Bilaga 3 2021 as weights.

Each förbund gets a share of the country drawn from its number of member kommuner, its kommuner
shares of the förbund, and five insatser (one per inriktning); national totals are split over
förbund by largest remainder, so they add up. Every förbund is simulated on its own seeded
stream (``[seed, förbund number]``), so the same seed gives byte-identical files.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from finsam.inputs.reference import forbund_members
from finsam.inputs.synth import (
    DEFAULT_DISTRIBUTIONS,
    Distributions,
    Profile,
    synthesize,
    write_tables,
)
from finsam.paths import NATIONAL_DIR

FIRST_YEAR, LAST_YEAR = 2017, 2021
REFERENCE_YEAR = 2021  # the year of Bilaga 3 and the registration split

# Bilaga 3's age groups (-29, 30-44, 45-59, 60-) as the synthetic ages at start.
_AGE_BANDS = {"-29": (18, 29), "30-44": (30, 44), "45-59": (45, 59), "60-": (60, 64)}
_MONTH_BANDS = {
    "1-6": (1, 6),
    "7-12": (7, 12),
    "13-18": (13, 18),
    "19-24": (19, 24),
    "25-": (25, 36),
}
# One insats per inriktning; the mapping insats is the "open" one (volume registrations).
_INSATSER = {
    "rehabilitering_arbete_utbildning": "Arbetslivsinriktad rehabilitering",
    "forberedande": "Förberedande insats",
    "kartlaggning": "Kartläggning",
    "forebyggande": "Förebyggande insats",
    "annan": "Annan insats",
}
# End reasons giving shares in work/studies and job seeking near table 6–7 of the appendix.
_AVSLUT = {
    "fortsatt_rehabilitering": 0.28,
    "arbete_studier": 0.33,
    "aktivt_arbetssokande": 0.08,
    "sjukdom": 0.17,
    "flytt": 0.04,
    "foraldraledighet": 0.03,
    "annat": 0.07,
}


def national_targets(national_dir: Path = NATIONAL_DIR) -> pd.DataFrame:
    """Per year: ``total`` participations and its split ``personuppgifter``/``anonym``/``volym``."""
    totals = pd.read_csv(national_dir / "deltagare_over_tid.csv").set_index("ar")["deltagare"]
    split = pd.read_csv(national_dir / "registrering_2021.csv").set_index("registrering")["antal"]
    shares = split / split.sum()
    targets = pd.DataFrame({"total": totals})
    for kind in ("anonym", "volym"):
        targets[kind] = (targets["total"] * shares[kind]).round().astype(int)
    targets["personuppgifter"] = targets["total"] - targets["anonym"] - targets["volym"]
    return targets.loc[FIRST_YEAR:LAST_YEAR]


def national_distributions(
    national_dir: Path = NATIONAL_DIR,
) -> tuple[Distributions, float, dict[str, float]]:
    """Weights from Bilaga 3 2021 (national counts), the share of women and the share of
    participants per inriktning."""
    bilaga = pd.read_csv(national_dir / "bilaga3_2021.csv", dtype={"kategori": str})
    both = bilaga[(bilaga["kon"] == "totalt") & (bilaga["kategori"] != "totalt")]

    def weights(tabell: str, keys: dict | None = None) -> dict:
        rows = both[both["tabell"] == tabell]
        return {
            (keys[k] if keys else k): float(n)
            for k, n in zip(rows["kategori"], rows["antal"], strict=True)
        }

    alder = bilaga[(bilaga["tabell"] == "alder") & (bilaga["kategori"] == "totalt")]
    by_gender = alder.set_index("kon")["antal"]
    distributions = replace(
        DEFAULT_DISTRIBUTIONS,
        age_groups=weights("alder", _AGE_BANDS),
        utbildning=weights("utbildning"),
        tid=weights("tid_offentlig_forsorjning"),
        forsorjning_fore=weights("forsorjning_fore"),
        duration_months=weights("tid_i_insats", _MONTH_BANDS),
        avslut=_AVSLUT,
    )
    inriktning = weights("inriktning")
    total = sum(inriktning.values())
    shares = {k: n / total for k, n in inriktning.items()}
    return distributions, float(by_gender["kvinna"] / by_gender["totalt"]), shares


def apportion(total: int, weights: np.ndarray) -> np.ndarray:
    """Split ``total`` into whole numbers proportional to ``weights`` (largest remainder)."""
    exact = total * weights / weights.sum()
    whole = np.floor(exact).astype(int)
    remainder_order = np.argsort(-(exact - whole), kind="stable")
    whole[remainder_order[: total - whole.sum()]] += 1
    return whole


def national_profiles(seed: int, national_dir: Path = NATIONAL_DIR) -> list[Profile]:
    """One profile per förbund of the register, in register order (by name)."""
    rng = np.random.default_rng([seed, 0])
    members = forbund_members()
    names = sorted(members["forbund"].unique())
    size = np.array([(members["forbund"] == f).sum() for f in names], dtype=float)
    weights = size**0.7 * rng.lognormal(0.0, 0.5, len(names))
    targets = national_targets(national_dir)
    per_forbund = {
        kind: {year: apportion(int(targets.at[year, kind]), weights) for year in targets.index}
        for kind in ("personuppgifter", "anonym", "volym")
    }
    distributions, share_women, inriktning = national_distributions(national_dir)
    profiles = []
    for i, name in enumerate(names):
        codes = members.loc[members["forbund"] == name, "kommunkod"].tolist()
        kommun_weights = rng.lognormal(0.0, 0.8, len(codes))
        insats_share = rng.dirichlet([40 * inriktning[k] + 0.5 for k in _INSATSER])
        active = {y: int(per_forbund["personuppgifter"][y][i]) for y in targets.index}
        warmup_new = round(0.55 * active[FIRST_YEAR])
        profiles.append(
            Profile(
                forbund=name,
                first_year=FIRST_YEAR,
                last_year=LAST_YEAR,
                kommuner=dict(zip(codes, kommun_weights.tolist(), strict=True)),
                insatser=(
                    *((insats, "individinriktad", key, 2012) for key, insats in _INSATSER.items()),
                    ("Kompetensutveckling", "strukturovergripande", "utbildning", 2015),
                ),
                new_per_year={y: warmup_new for y in range(FIRST_YEAR - 3, FIRST_YEAR)},
                active_per_year=active,
                insats_share=dict(zip(_INSATSER.values(), insats_share.tolist(), strict=True)),
                share_women=share_women,
                open_insats=_INSATSER["kartlaggning"],
                referral_stop=None,
                extraction_date=dt.date(LAST_YEAR + 1, 1, 20),
                anonymous_per_year={y: int(per_forbund["anonym"][y][i]) for y in targets.index},
                volume_per_year={y: int(per_forbund["volym"][y][i]) for y in targets.index},
                structural={
                    "Kompetensutveckling": {
                        y: int(rng.integers(20, 300)) for y in range(FIRST_YEAR, LAST_YEAR + 1)
                    }
                },
                id_prefix=f"F{i + 1:02d}",
                distributions=distributions,
            )
        )
    return profiles


def synthesize_national(seed: int, count: int | None = None) -> dict[str, list[dict]]:
    """Rows of the four contract tables for every förbund of the register, or for the first
    ``count`` of them by name (each förbund's rows are the same as in the whole dataset)."""
    tables: dict[str, list[dict]] = {}
    for number, profile in enumerate(national_profiles(seed)[:count], start=1):
        for name, rows in synthesize([seed, number], profile).items():
            tables.setdefault(name, []).extend(rows)
    return tables


def write_national_dataset(out: Path, seed: int) -> Path:
    """Write the national synthetic dataset to ``out`` (replaced atomically)."""
    description = (
        f"Syntetiska uppgifter för alla samordningsförbund och deras kommuner "
        f"{FIRST_YEAR}–{LAST_YEAR}, framställda med 'finsam synth --scale riket --seed {seed}'. "
        "Inga verkliga personer."
    )
    return write_tables(out, synthesize_national(seed), description, seed)
