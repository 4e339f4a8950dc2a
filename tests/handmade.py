"""Handmade datasets for tests: participations listed in a test, written as a
contract-conformant dataset (defaults filled in) and ingested into a store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from finsam.inputs.contract import TABLES
from finsam.inputs.dataset import load_dataset
from finsam.inputs.store import Store, ingest
from finsam.inputs.synth import csv_text

FORBUND = "Samordningsförbundet Insjöriket"
COLUMNS = [column.name for column in TABLES["deltaganden"]]
INSATS = {  # the one insats of a handmade dataset
    "forbund": FORBUND, "insats": "Balder", "typ": "individinriktad",
    "inriktning": "forberedande", "startar": "2016",
}  # fmt: skip


def people(n: int, kommun: str, kon: str, start: str, end: str = "", **values: str) -> list[dict]:
    """``n`` participations of ``n`` different people with the same attributes."""
    return [
        {"kommun": kommun, "kon": kon, "startdatum": start, "slutdatum": end, **values}
        for _ in range(n)
    ]


def store_of(tmp_path: Path, rows: list[dict], remisser: str = "") -> Store:
    """A contract-conformant dataset of ``rows`` (defaults filled in; ``deltagande_id`` D0000…,
    ``person_id`` P0000… in order) and of the ``remisser`` rows (CSV lines), ingested."""
    folder = tmp_path / "data"
    folder.mkdir()
    frame = pd.DataFrame(rows)
    frame["deltagande_id"] = [f"D{i:04d}" for i in range(len(frame))]
    frame["person_id"] = [f"P{i:04d}" for i in range(len(frame))]
    defaults = {
        "forbund": FORBUND,
        "insats": "Balder",
        "registrering": "personuppgifter",
        "fodelsear": "1980",
        "utbildning": "gymnasium",
        "tid_offentlig_forsorjning": "upp_till_3_ar",
        "forsorjning_fore": "forsorjningsstod",
    }
    for column in COLUMNS:
        if column not in frame:
            frame[column] = defaults.get(column, "")
        frame[column] = frame[column].fillna(defaults.get(column, ""))
    ended = frame["slutdatum"] != ""
    frame.loc[ended & (frame["avslutsorsak"] == ""), "avslutsorsak"] = "annat"
    tables = {
        "deltaganden": csv_text("deltaganden", frame[COLUMNS].to_dict("records")),
        "insatser": csv_text("insatser", [INSATS]),
        "remisser": csv_text("remisser", []) + remisser,
        "strukturdeltagare": csv_text("strukturdeltagare", []),
    }
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return Store(ingest(load_dataset(folder), tmp_path / "store.duckdb"))
