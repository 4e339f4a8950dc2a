"""Handmade datasets for tests: participations listed in a test, written as a
contract-conformant dataset (defaults filled in) and ingested into a store."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from finsam.inputs.contract import TABLES
from finsam.inputs.dataset import load_dataset
from finsam.inputs.store import Store, ingest

FORBUND = "Samordningsförbundet Insjöriket"
COLUMNS = [column.name for column in TABLES["deltaganden"]]


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
    frame[COLUMNS].to_csv(folder / "deltaganden.csv", index=False)
    (folder / "insatser.csv").write_text(
        header("insatser") + f"{FORBUND},Balder,individinriktad,forberedande,2016,\n",
        encoding="utf-8",
    )
    (folder / "remisser.csv").write_text(header("remisser") + remisser, encoding="utf-8")
    (folder / "strukturdeltagare.csv").write_text(header("strukturdeltagare"), encoding="utf-8")
    return Store(ingest(load_dataset(folder), tmp_path / "store.duckdb"))


def header(table: str) -> str:
    """The CSV header line of a table of the data contract."""
    return ",".join(column.name for column in TABLES[table]) + "\n"
