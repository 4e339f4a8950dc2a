"""Protecting a whole site: the pages of a run matrix as one publication, the mask of hidden
cells written once per build, read by every page, and the audit that decides whether the site
may be published.

The mask file (``protection-<hash>.parquet`` in the build folder) holds only the keys of the
cells and whether each is hidden — no counts — and records the data fingerprint and threshold
it was made for; a page refuses a mask made for other data.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from finsam.errors import FinsamError
from finsam.inputs.store import Store
from finsam.stats.catalog import BY_ID, PAGE_TABLES, apply_hidden, hide, published_layout
from finsam.stats.population import Population, population
from finsam.stats.protection import linked
from finsam.stats.protection.audit import Interval, intervals
from finsam.stats.protection.publication import CELL_COLUMNS, PageKey, Publication, publication
from finsam.stats.quality import QUALITY_TABLE, QualityFacts, quality_facts, quality_table

MASK_VERSION = 1


@dataclass
class Protection:
    """A publication with its mask (``hidden``, aligned with ``publication.cells``) and the
    audit of every hidden cell."""

    publication: Publication
    hidden: np.ndarray
    threshold: int
    audit: dict[int, Interval]
    seconds: float
    phases: dict[str, float] = field(default_factory=dict)  # seconds per phase

    @property
    def failures(self) -> list[Interval]:
        return [i for i in self.audit.values() if not i.passes]

    def require_passing(self) -> Protection:
        """This protection, or :class:`AuditFailed` if the audit failed."""
        if self.failures:
            raise AuditFailed(self)
        return self

    def describe(self, interval: Interval) -> str:
        """ "kommun|1481|2022| deltagarflode pagaende/kvinna: 1–2" for a report."""
        row = self.publication.cells.iloc[interval.cell]
        second = f" {row['second']}" if row["second"] else ""
        return (
            f"page {row['page']}, table {row['table']}{second}, cell {row['kategori']}/"
            f"{row['kon']}: a reader can narrow it to {interval.low:g}–{interval.high:g}"
        )


class AuditFailed(FinsamError):
    """The audit found hidden cells that a reader can narrow to fewer than four values."""

    def __init__(self, protection: Protection, limit: int = 20):
        failed = protection.failures
        lines = [protection.describe(i) for i in failed[:limit]]
        if len(failed) > limit:
            lines.append(f"… and {len(failed) - limit} more")
        super().__init__(
            f"the small-count audit failed for {len(failed)} hidden cell(s); nothing was "
            "published:\n  " + "\n  ".join(lines)
        )
        self.protection = protection


def pages_of(store: Store, keys: Sequence[PageKey]) -> list[tuple[PageKey, Population]]:
    """The population of every page key (a goal follow-up's is its förbund's)."""
    return [
        (
            key,
            population(
                store,
                "forbund" if key.level == "mal" else key.level,
                key.scope or None,
                key.year,
                key.period_end or None,
            ),
        )
        for key in keys
    ]


def protect_pages(store: Store, keys: Sequence[PageKey], threshold: int) -> Protection:
    """Protect the pages as one publication and audit the result."""
    clock = _Clock()
    pub = publication(pages_of(store, sorted(set(keys))))
    clock.lap("publication")
    values = pub.values
    can_hide = pub.cells["protectable"].to_numpy(dtype=bool)
    hidden = linked.protect(
        values, pub.relations, threshold, protectable=can_hide, local=pub.within_families()
    )
    clock.lap("protection")
    # The protection audited every hidden cell as it went; audit them all once more, each
    # until it is shown to pass (failing cells get their exact interval).
    audit = intervals(values, hidden, pub.relations, stop_when_passing=True)
    clock.lap("audit")
    return Protection(pub, hidden, threshold, audit, clock.total, clock.laps)


class _Clock:
    """Seconds per named phase."""

    def __init__(self) -> None:
        self.laps: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.laps[name] = now - self._last
        self._last = now

    @property
    def total(self) -> float:
        return sum(self.laps.values())


def protect_table_by_table(pub: Publication, threshold: int) -> np.ndarray:
    """The baseline that site-wide protection replaces: each table protected on its own, with
    only its own relations (what the statistics pages did before). Used to measure what the
    site-wide protection costs and to show the attacks it stops."""
    values = pub.values
    can_hide = pub.cells["protectable"].to_numpy(dtype=bool)
    table_of = (pub.cells["page"] + "/" + pub.cells["table"]).to_numpy()
    by_table: dict[str, list] = {}
    for relation in pub.relations:
        tables = {table_of[c] for c in relation.cells if pub.cells["page"].iat[c]}
        if relation.kind == "table" and len(tables) == 1:
            by_table.setdefault(tables.pop(), []).append(relation)
    hidden = can_hide & (values >= 1) & (values <= threshold)
    for relations in by_table.values():
        hidden |= linked.protect(values, relations, threshold, protectable=can_hide)
    return hidden


def information_loss(protection: Protection) -> pd.DataFrame:
    """Per page level: published cells with a count above 0 (``nonzero``), how many of them are
    hidden, and the share hidden in percent (the information lost to protection)."""
    cells = protection.publication.cells.assign(hidden=protection.hidden)
    cells = cells[(cells["page"] != "") & (cells["antal"] > 0) & cells["protectable"]]
    level = cells["page"].str.split("|").str[0].rename("level")
    loss = cells.groupby(level)["hidden"].agg(nonzero="size", hidden="sum")
    loss["share"] = 100 * loss["hidden"] / loss["nonzero"]
    return loss.reset_index()


def mask_frame(protection: Protection) -> pd.DataFrame:
    """The mask as a table of cell keys and ``hidden`` (the zero cell left out)."""
    cells = protection.publication.cells
    frame = cells[CELL_COLUMNS].assign(hidden=protection.hidden)
    return frame[cells["page"] != ""].reset_index(drop=True)


def write_mask(protection: Protection, path: Path, fingerprint: str) -> Path:
    """Write the mask of a protection that passed its audit to ``path``, atomically."""
    protection.require_passing()
    meta = {"version": MASK_VERSION, "fingerprint": fingerprint, "threshold": protection.threshold}
    table = pa.Table.from_pandas(mask_frame(protection), preserve_index=False)
    table = table.replace_schema_metadata({b"finsam": json.dumps(meta).encode()})
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".protection-", suffix=".parquet", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def site_mask(
    store: Store, keys: Sequence[PageKey], threshold: int, folder: Path, code: str
) -> Path:
    """The mask file of the pages ``keys`` protected together, made (and audited) once per
    input: data fingerprint, threshold, pages and ``code`` (the package's source fingerprint)
    name the file, so an unchanged rebuild reuses it and the runs that read it stay cached."""
    fingerprint = store.meta()["fingerprint"]
    inputs = {
        "version": MASK_VERSION,
        "fingerprint": fingerprint,
        "threshold": threshold,
        "pages": sorted(key.id for key in set(keys)),
        "code": code,
    }
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()
    path = Path(folder) / f"protection-{digest[:16]}.parquet"
    if not path.is_file():
        write_mask(protect_pages(store, keys, threshold), path, fingerprint)
    return path.resolve()


def read_mask(path: Path, fingerprint: str, threshold: int, key: PageKey) -> pd.DataFrame:
    """The hidden flags of one page from a mask file; a clear error if the file was made for
    other data or another threshold, or does not hold the page."""
    path = Path(path)
    if not path.is_file():
        raise FinsamError(f"{path}: no such protection file; run `finsam build` first")
    stat = path.stat()
    meta, pages = _mask_pages(path.resolve(), (stat.st_ino, stat.st_mtime_ns))
    if meta.get("fingerprint") != fingerprint or meta.get("threshold") != threshold:
        raise FinsamError(
            f"{path}: made for other data or another threshold than this page; rebuild the site"
        )
    if key.id not in pages:
        raise FinsamError(f"{path}: holds no page {key.id}; rebuild with this page in the matrix")
    return pages[key.id].copy()


@functools.lru_cache(maxsize=2)
def _mask_pages(path: Path, version: tuple[int, int]) -> tuple[dict, dict[str, pd.DataFrame]]:
    """A mask file's metadata and its rows per page, read once per file in this process: the
    pages a warm kernel executes one after the other share the read. ``version`` (inode and
    modification time) changes when a build replaces the file, even within one clock tick."""
    table = pq.read_table(path)
    meta = json.loads((table.schema.metadata or {}).get(b"finsam", b"{}"))
    frame = table.to_pandas()
    return meta, {page: rows for page, rows in frame.groupby("page", sort=False)}


@dataclass(frozen=True)
class ProtectedPage:
    """The protected tables of one page (by table id), and for a förbund page the facts and
    protected table of the data-quality section."""

    tables: dict[str, pd.DataFrame]
    quality_facts: QualityFacts | None
    quality: pd.DataFrame | None


def protected_page(
    pop: Population, key: PageKey, mask: pd.DataFrame, tables: Sequence[str] | None = None
) -> ProtectedPage:
    """Apply a page's hidden flags (from :func:`read_mask` or :func:`page_mask`) to its tables
    (or only to ``tables``, without the data-quality facts)."""
    flags = {
        (t, k, s, g): h
        for t, k, s, g, h in zip(
            mask["table"],
            mask["kategori"],
            mask["second"],
            mask["kon"],
            mask["hidden"],
            strict=True,
        )
    }

    def hidden_of(table: str, layout: pd.DataFrame, second: str | None) -> np.ndarray:
        seconds = layout[second] if second else [""] * len(layout)
        try:
            return np.array(
                [
                    flags[(table, str(k), str(s), str(g))]
                    for k, s, g in zip(layout["kategori"], seconds, layout["kon"], strict=True)
                ],
                dtype=bool,
            )
        except KeyError as missing:
            raise FinsamError(
                f"the protection does not cover cell {missing} of page {key.id}; rebuild"
            ) from None

    published = {}
    for table_id in PAGE_TABLES[key.level] if tables is None else tables:
        spec = BY_ID[table_id]
        layout = published_layout(spec, pop)
        published[table_id] = apply_hidden(layout, spec, hidden_of(table_id, layout, spec.second))
    facts = quality = None
    if key.level == "forbund" and tables is None:
        facts = quality_facts(pop)
        layout = quality_table(facts)
        quality = hide(layout, hidden_of(QUALITY_TABLE, layout, None))
    return ProtectedPage(published, facts, quality)


def page_mask(store: Store, key: PageKey, threshold: int) -> pd.DataFrame:
    """The mask of a page protected on its own (for a page run outside a site build)."""
    return mask_frame(protect_pages(store, [key], threshold))


def pages_masks(store: Store, keys: Sequence[PageKey], threshold: int) -> dict[str, pd.DataFrame]:
    """The masks of pages protected together (outside a site build), by page id."""
    frame = mask_frame(protect_pages(store, keys, threshold))
    return {page: rows for page, rows in frame.groupby("page", sort=False)}
