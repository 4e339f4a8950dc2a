"""The local store: one DuckDB file holding a validated dataset and the reference data.

Notebooks read only from the store, never from raw files. The store is written to a temporary
file and moved into place, so an interrupted ingest leaves the previous store intact.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
import pandas as pd

from finsam import __version__
from finsam.errors import FinsamError
from finsam.inputs import reference
from finsam.paths import NATIONAL_DIR, REFERENCE_DIR

if TYPE_CHECKING:  # reading a store needs no validation (pandera): pages import only this
    from finsam.inputs.dataset import Dataset

STORE_FILE = "store.duckdb"  # the notebooks' default: a link to the last site build's store
STORES_DIR = "stores"  # one store per dataset, named by its content


def ingest(dataset: Dataset, store_path: Path, reference_dir: Path = REFERENCE_DIR) -> Path:
    """Write ``dataset`` and the reference tables into a new store at ``store_path`` atomically."""
    store_path = Path(store_path)
    store_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".store-", suffix=".duckdb", dir=store_path.parent)
    os.close(fd)
    os.unlink(tmp_name)  # DuckDB wants to create the file itself
    try:
        with duckdb.connect(tmp_name) as con:
            frames = {
                **dataset.tables,
                "kommuner": reference.kommuner(reference_dir),
                "forbund_medlemmar": reference.forbund_members(reference_dir),
                **national_tables(),
            }
            for name, frame in frames.items():
                con.register("incoming", frame)
                con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM incoming')
                con.unregister("incoming")
            meta = {
                "fingerprint": dataset.fingerprint,
                "synthetic": dataset.synthetic,
                "description": dataset.description,
                "finsam_version": __version__,
                "reading_notes": dataset.notes,
                **dataset.extra,
            }
            con.execute("CREATE TABLE meta (key VARCHAR, value VARCHAR)")
            con.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [(k, json.dumps(v, ensure_ascii=False)) for k, v in meta.items()],
            )
        os.replace(tmp_name, store_path)
    finally:
        if os.path.exists(tmp_name):
            os.unlink(tmp_name)
    return store_path


def national_tables(national_dir: Path = NATIONAL_DIR) -> dict[str, pd.DataFrame]:
    """The published national figures (``data/national/*.csv``) as store tables
    ``nationellt_<file stem>``; their sources are in ``data/national/SOURCES.md``."""
    return {
        f"nationellt_{file.stem}": pd.read_csv(file, dtype={"kategori": str, "grupp": str})
        for file in sorted(national_dir.glob("*.csv"))
    }


@dataclass(frozen=True)
class Store:
    """Read access to a store file; every method returns a fresh pandas DataFrame. A query is
    read from the file once per version of the file (its modification time) and copied after."""

    path: Path
    _read: dict = field(default_factory=dict, compare=False, repr=False)

    def _query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        try:
            version = Path(self.path).stat().st_mtime_ns
        except FileNotFoundError:
            raise FileNotFoundError(
                f"{self.path}: no store here; run 'finsam build' (or 'finsam ingest') first"
            ) from None
        key = (sql, tuple(params or ()), version)
        if key not in self._read:
            with duckdb.connect(str(self.path), read_only=True) as con:
                self._read[key] = con.execute(sql, params or []).df()
        return self._read[key].copy()

    def meta(self) -> dict:
        """What the dataset says about itself plus the fingerprint and package version."""
        rows = self._query("SELECT key, value FROM meta")
        return {k: json.loads(v) for k, v in zip(rows["key"], rows["value"], strict=True)}

    def table(self, name: str, forbund: str | None = None) -> pd.DataFrame:
        """One contract table, optionally only the rows of one förbund."""
        if forbund is None:
            return self._query(f'SELECT * FROM "{name}"')
        return self._query(f'SELECT * FROM "{name}" WHERE forbund = ?', [forbund])

    def participations(self, forbund: str | None = None) -> pd.DataFrame:
        """``deltaganden`` with dates as ``datetime64``."""
        return self.table("deltaganden", forbund)

    def referrals(self, forbund: str | None = None) -> pd.DataFrame:
        """``remisser`` with dates as ``datetime64``."""
        return self.table("remisser", forbund)

    def finances(self, forbund: str | None = None) -> pd.DataFrame:
        """The published financial figures (``ekonomi``; empty without a finance file)."""
        return self.table("ekonomi", forbund)

    def goals(self, forbund: str | None = None) -> pd.DataFrame:
        """The goals per insats and year (``mal``; empty without a goal file)."""
        return self.table("mal", forbund)

    def insatser(self, forbund: str | None = None) -> pd.DataFrame:
        return self.table("insatser", forbund)

    def structural_participants(self, forbund: str | None = None) -> pd.DataFrame:
        return self.table("strukturdeltagare", forbund)

    def row_digests(self, table: str, by: tuple[str, ...]) -> dict[tuple[str, ...], str]:
        """A digest of the rows of ``table`` for each value of the columns ``by`` (independent of
        row order): what a page that reads only those rows depends on."""
        columns = ", ".join(f'"{c}"::VARCHAR' for c in by)
        rows = self._query(
            f"SELECT {columns}, md5(string_agg(hash(t)::VARCHAR, ',' ORDER BY hash(t))) AS digest "
            f'FROM "{table}" t GROUP BY ALL'
        )
        return {
            tuple(str(v) for v in values[:-1]): values[-1]
            for values in rows.itertuples(index=False, name=None)
        }

    def forbund_in_data(self) -> list[str]:
        """Förbund that have participations or referrals in the store, sorted."""
        rows = self._query(
            "SELECT DISTINCT forbund FROM deltaganden UNION SELECT DISTINCT forbund FROM remisser "
            "ORDER BY 1"
        )
        return rows["forbund"].tolist()

    def reporting_years(self) -> list[int]:
        """The years the dataset reports on, ascending: ``years`` in its ``dataset.yml`` if
        given; otherwise from the first year in which a referral was received (in a dataset
        without referrals: a participation started) to the last year with a referral or a
        start. Ends alone (up to the extraction date) make no year, nor do participations
        carried over from before the first year to give it its ongoing ones."""
        declared = self.meta().get("years")
        if declared:
            return sorted(int(y) for y in declared)
        row = self._query(
            "SELECT (SELECT min(year(datum)) FROM remisser) AS first_referral, "
            "(SELECT min(year(startdatum)) FROM deltaganden) AS first_start, "
            "greatest((SELECT max(year(datum)) FROM remisser), "
            "(SELECT max(year(startdatum)) FROM deltaganden)) AS last"
        ).iloc[0]
        first = row["first_referral"] if pd.notna(row["first_referral"]) else row["first_start"]
        if pd.isna(first) or pd.isna(row["last"]):
            return []
        return list(range(int(first), int(row["last"]) + 1))

    def data_until(self) -> tuple[dt.date | None, bool]:
        """How far the data reaches, and whether the dataset says so: ``extracted`` in its
        ``dataset.yml`` (the extraction date, ``True``) or else the latest date recorded in it
        (a referral, a start or an end; ``False``); ``None`` for an empty dataset."""
        declared = self.meta().get("extracted")
        if declared:
            return dt.date.fromisoformat(declared), True
        latest = self._query(
            "SELECT greatest((SELECT max(datum) FROM remisser), (SELECT max(startdatum) FROM "
            "deltaganden), (SELECT max(slutdatum) FROM deltaganden)) AS latest"
        ).iloc[0]["latest"]
        return (None if pd.isna(latest) else pd.Timestamp(latest).date()), False

    def check_year(self, year: int, what: str = "--year") -> None:
        """A clear error unless ``year`` is one the dataset reports on."""
        years = self.reporting_years()
        if year not in years:
            span = "–".join(dict.fromkeys(str(y) for y in (years[:1] + years[-1:]))) or "none"
            raise FinsamError(
                f"{what} {year}: the dataset reports on the years {span} "
                "(set 'years' in its dataset.yml to choose others)"
            )


@functools.lru_cache(maxsize=4)
def _open(path: Path) -> Store:
    return Store(path)


def open_store(path: Path | str) -> Store:
    """The store at ``path``, one object per path in this process: what it read is kept (keyed
    by the file's modification time, so a replaced store is read again), and the pages a warm
    kernel executes one after the other read each table once."""
    return _open(Path(path).resolve())
