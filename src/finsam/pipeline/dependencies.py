"""What each page reads, as one digest: a page is executed again only when its inputs change.

A page's cache key covers its notebook, its parameters, the package's source and this digest of
the data it reads:

- **its rows of the store**: a kommun page the participations and referrals of its kommun
  (under any förbund) and the insatser of the förbund they belong to; a förbund page the
  statistics tables' rows of its förbund; its financial report and goal follow-up all of the
  förbund's tables; the national page every row;
- **what every page reads of the dataset as a whole**: its description (name, synthetic or
  not, extraction date) and how far its data reaches;
- **its cells of the site-wide protection**: which of its counts are hidden. The mask is made
  for the whole site, but a page's part of it changes only when a change elsewhere changes
  what this page must hide.

Years are not told apart: a page reads its scope's rows of every year (participations span
years), so correcting one kommun's rows re-executes that kommun's pages of every year.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

from finsam.inputs.store import Store
from finsam.pipeline.matrix import Run

STATISTICS_TABLES = ("deltaganden", "remisser", "insatser", "strukturdeltagare")
FORBUND_TABLES = (*STATISTICS_TABLES, "ekonomi", "mal")
KOMMUN_TABLES = ("deltaganden", "remisser")  # the rows with the kommun's code
MASK_COLUMNS = ["table", "kategori", "second", "kon", "hidden"]


def _digest(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def mask_digests(mask: Path | None) -> dict[str, str]:
    """A digest of each page's cells in the mask file (page id → digest)."""
    if mask is None:
        return {}
    frame = pq.read_table(mask, columns=["page", *MASK_COLUMNS]).to_pandas()
    frame = frame.sort_values(["page", *MASK_COLUMNS[:-1]], kind="stable")
    return {
        page: hashlib.sha256(
            rows[MASK_COLUMNS].to_csv(index=False, header=False).encode()
        ).hexdigest()
        for page, rows in frame.groupby("page", sort=False)
    }


class PageInputs:
    """The digests of a store's rows per förbund and per kommun, and of a site's mask, from
    which :meth:`digest` composes what one page reads."""

    def __init__(self, store: Store, mask: Path | None = None) -> None:
        meta = store.meta()
        self.fingerprint = meta["fingerprint"]
        described = {k: v for k, v in meta.items() if k not in ("fingerprint", "finsam_version")}
        self.dataset = _digest(described, store.data_until())
        self.forbund: dict[tuple[str, str], str] = {}  # (table, förbund) → digest
        for table in FORBUND_TABLES:
            for (forbund,), digest in store.row_digests(table, ("forbund",)).items():
                self.forbund[(table, forbund)] = digest
        self.kommun: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        for table in KOMMUN_TABLES:
            digests = store.row_digests(table, ("kommun", "forbund"))
            for (kommun, forbund), digest in digests.items():
                self.kommun[kommun].append((table, forbund, digest))
        self.masks = mask_digests(mask)

    def _forbund(self, forbund: str, tables: tuple[str, ...]) -> list:
        return [(table, forbund, self.forbund.get((table, forbund), "")) for table in tables]

    def rows(self, run: Run) -> str:
        """The digest of the rows of the store the page reads."""
        if run.kind == "riket":
            return self.fingerprint
        if run.kind == "kommun":
            own = sorted(self.kommun.get(str(run.kommun), []))
            forbunds = sorted({forbund for _, forbund, _ in own})
            return _digest(own, [self._forbund(f, ("insatser",)) for f in forbunds])
        tables = STATISTICS_TABLES if run.kind == "forbund" else FORBUND_TABLES
        return _digest(self._forbund(run.forbund, tables))

    def digest(self, run: Run) -> str:
        """Everything of the data the page reads: its rows, the dataset's description and its
        cells of the protection."""
        cells = [self.masks.get(key.id, "") for key in run.protection_keys] if self.masks else []
        return _digest(self.rows(run), self.dataset, cells)
