"""A validated dataset parsed into typed, tidy tables ready for the store.

Parsing happens only after :func:`finsam.inputs.validate.validate_dataset` found nothing
wrong, so the conversions here cannot fail on a valid dataset. Kommuner are resolved to SCB
kommunkod; dates
become ``datetime64``; multi-valued code cells stay as ``;``-separated text, normalised.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import yaml

from finsam.errors import FinsamError, InvalidDataset
from finsam.inputs import reference
from finsam.inputs.contract import TABLES
from finsam.inputs.rawdata import dataset_fingerprint, read_raw_dataset
from finsam.inputs.validate import check_tables
from finsam.paths import REFERENCE_DIR

METADATA_FILE = "dataset.yml"


@dataclass
class Dataset:
    """The four contract tables, typed, plus what the dataset says about itself."""

    tables: dict[str, pd.DataFrame]
    fingerprint: str
    synthetic: bool = False
    description: str = ""
    extra: dict = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # how the files were read (encoding, …)


def read_metadata(path: Path) -> dict:
    """The optional ``dataset.yml`` beside the CSV files (``synthetic``, ``description``,
    ``years`` reported on, ``extracted``: the date the data was taken out of SUS, kept as an ISO
    string)."""
    file = Path(path) / METADATA_FILE if Path(path).is_dir() else None
    if file is None or not file.is_file():
        return {}
    try:
        data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as error:
        raise FinsamError(f"{file}: not valid YAML ({error})") from None
    if not isinstance(data, dict):
        raise FinsamError(f"{file}: expected a mapping such as 'synthetic: true'")
    years = data.get("years")
    if years is not None and not (
        isinstance(years, list) and years and all(isinstance(y, int) for y in years)
    ):
        raise FinsamError(f"{file}: 'years' {years!r}: expected a list of years like [2021, 2022]")
    extracted = data.get("extracted")
    if extracted is not None:
        if not isinstance(extracted, dt.date) or isinstance(extracted, dt.datetime):
            raise FinsamError(
                f"{file}: 'extracted' {extracted!r}: expected the date the data was taken out "
                "of SUS, YYYY-MM-DD (e.g. extracted: 2023-01-04)"
            )
        data["extracted"] = extracted.isoformat()
    return data


def load_dataset(path: Path, reference_dir: Path = REFERENCE_DIR) -> Dataset:
    """Validate and parse the dataset at ``path``; raise :class:`InvalidDataset` on violations."""
    path = Path(path)
    meta = read_metadata(path)
    raw, problems = read_raw_dataset(path)
    notes = [note for table in raw.values() for note in table.notes]
    problems += check_tables(raw, reference_dir, meta.get("extracted"))
    if problems:
        raise InvalidDataset(str(path), sorted(problems, key=lambda v: (v.source, v.row or 0)))
    tables = {  # an optional table the dataset leaves out is empty
        name: _typed(name, raw[name].frame if name in raw else pd.DataFrame(), reference_dir)
        for name in TABLES
    }
    return Dataset(
        tables=tables,
        fingerprint=dataset_fingerprint(path),
        synthetic=bool(meta.get("synthetic", False)),
        description=str(meta.get("description", "")),
        extra={k: v for k, v in meta.items() if k not in ("synthetic", "description")},
        notes=notes,
    )


def _typed(name: str, frame: pd.DataFrame, reference_dir: Path) -> pd.DataFrame:
    out = pd.DataFrame(index=pd.RangeIndex(len(frame)))
    for spec in TABLES[name]:
        col = (
            frame[spec.name].reset_index(drop=True)
            if spec.name in frame
            else pd.Series([pd.NA] * len(frame), dtype=object)
        )
        if spec.kind == "date":
            out[spec.name] = pd.to_datetime(col, format="%Y-%m-%d")
        elif spec.kind in ("year", "count", "integer"):
            out[spec.name] = pd.to_numeric(col).astype("Int64")
        elif spec.kind == "kommun":
            out[spec.name] = col.map(
                lambda v: reference.resolve_kommun(v, reference_dir), na_action="ignore"
            ).astype("string")
        elif spec.kind == "codes":
            out[spec.name] = col.map(
                lambda v: ";".join(p.strip() for p in v.split(";")), na_action="ignore"
            ).astype("string")
        else:
            out[spec.name] = col.astype("string")
    return out
