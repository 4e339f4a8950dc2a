"""Site-wide small-count protection on a dataset of several förbund (a step towards a national
dataset).

It builds a synthetic, contract-conformant dataset of N förbund (default 6) from the förbund
register: the first N in file order with 2–6 member kommuner, 2021–2022 (with warm-up years, so
that 2021 starts with ongoing participations), each förbund with its own seed, its own member
kommuner and its volumes scaled by its own factor between 0.3 and 2 (some förbund are small).
Beside the dataset it writes the run matrix of the whole site (``years: [2021, 2022]``,
``riket: true``, ``forbund: auto``), then protects every page of that site together, as
``finsam audit`` does, and prints the size of the site, the information lost per page level,
the seconds the protection took and whether the audit passed.

Run with ``.venv/bin/python bench/multi_forbund.py [--forbund N] [--seed S] [--out DIR]``;
``finsam validate DIR`` and ``finsam audit --data DIR --params DIR-site.yml`` check the same
dataset from the command line.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import yaml

from finsam.build import prepare_store
from finsam.contract import TABLES
from finsam.matrix import plan_runs, read_matrix
from finsam.paths import REFERENCE_DIR
from finsam.protection.audit import MIN_WIDTH
from finsam.protection.plan import information_loss, protect_pages
from finsam.synth import Profile, synthesize
from finsam.validate import validate_dataset

FIRST_YEAR, LAST_YEAR = 2021, 2022
MEMBERS = (2, 6)  # förbund with this many member kommuner (inclusive) are chosen
# Volume factor of the i-th chosen förbund (cycled): small, middle and large förbund mixed.
FACTORS = (1.0, 0.3, 2.0, 0.5, 1.5, 0.7, 1.2, 0.4)
ID_COLUMNS = {"deltaganden": ("deltagande_id", "person_id"), "remisser": ("remiss_id",)}
MATRIX = {"years": [FIRST_YEAR, LAST_YEAR], "riket": True, "forbund": "auto"}


def chosen_forbund(n: int) -> list[tuple[str, list[str]]]:
    """The first ``n`` förbund of the register (in file order) with 2–6 member kommuner, each
    with its member kommunkoder in register order."""
    members: dict[str, list[str]] = {}
    with (REFERENCE_DIR / "forbund_2021.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            members.setdefault(row["forbund"], []).append(row["kommunkod"])
    eligible = [(f, k) for f, k in members.items() if MEMBERS[0] <= len(k) <= MEMBERS[1]]
    if n > len(eligible):
        raise SystemExit(f"--forbund {n}: the register has only {len(eligible)} eligible förbund")
    return eligible[:n]


def scaled(counts: dict[int, int], factor: float) -> dict[int, int]:
    return {year: max(1, round(n * factor)) for year, n in counts.items()}


def profile_for(name: str, kommuner: list[str], factor: float) -> Profile:
    """The default profile with this förbund's name and members (the first member in the
    register weighs most: weights n, n-1, …, 1), no referral stop, volumes times ``factor``."""
    base = Profile()
    return replace(
        base,
        forbund=name,
        first_year=FIRST_YEAR,
        last_year=LAST_YEAR,
        kommuner={code: float(len(kommuner) - i) for i, code in enumerate(kommuner)},
        new_per_year=scaled(base.new_per_year, factor),
        referral_stop=dt.date(LAST_YEAR + 1, 1, 1),
        anonymous_per_year=max(1, round(base.anonymous_per_year * factor)),
        volume_per_year=scaled(base.volume_per_year, factor),
        structural={
            insats: {y: n for y, n in scaled(per_year, factor).items() if y >= FIRST_YEAR}
            for insats, per_year in base.structural.items()
        },
    )


def synthesize_all(
    forbund: list[tuple[str, list[str]]], seed: int
) -> tuple[dict[str, list[dict]], list[float]]:
    """The four tables of every förbund concatenated (ids prefixed with the förbund number,
    ``F01-``, …, so they are unique across förbund), and the volume factor of each. Insats names
    repeat across förbund: the key of ``insatser`` is (förbund, insats)."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLES}
    factors = []
    for number, (name, kommuner) in enumerate(forbund, start=1):
        factor = FACTORS[(number - 1) % len(FACTORS)]
        factors.append(factor)
        own = synthesize(seed + number, profile_for(name, kommuner, factor))
        for table, rows in own.items():
            for row in rows:
                for column in ID_COLUMNS.get(table, ()):
                    if row[column]:
                        row[column] = f"F{number:02d}-{row[column]}"
            tables[table] += rows
    return tables, factors


def write_tables(out: Path, tables: dict[str, list[dict]], description: str, seed: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    for name, rows in tables.items():
        buffer = io.StringIO()
        writer = csv.DictWriter(
            buffer, fieldnames=[spec.name for spec in TABLES[name]], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)
        (out / f"{name}.csv").write_text(buffer.getvalue(), encoding="utf-8")
    meta = {"synthetic": True, "description": description, "seed": seed}
    (out / "dataset.yml").write_text(
        yaml.safe_dump(meta, allow_unicode=True, sort_keys=True), encoding="utf-8"
    )


def run(n: int, seed: int, out: Path, threshold: int) -> None:
    started = time.perf_counter()
    forbund = chosen_forbund(n)
    tables, factors = synthesize_all(forbund, seed)
    description = (
        f"Syntetiska uppgifter för {n} samordningsförbund {FIRST_YEAR}–{LAST_YEAR} "
        f"(de {n} första i förbundsregistret med {MEMBERS[0]}–{MEMBERS[1]} medlemskommuner), "
        f"framställda med 'bench/multi_forbund.py --forbund {n} --seed {seed}'. "
        "Inga verkliga personer."
    )
    write_tables(out, tables, description, seed)
    matrix = out.with_name(f"{out.name}-site.yml")
    matrix.write_text(yaml.safe_dump(MATRIX, sort_keys=False), encoding="utf-8")
    generated = time.perf_counter() - started

    for (name, kommuner), factor in zip(forbund, factors, strict=True):
        print(f"  {name}: {len(kommuner)} kommuner, volume × {factor:g}")
    print(f"dataset {out}, run matrix {matrix}")
    violations = validate_dataset(out)
    if violations:
        for violation in violations[:20]:
            print(f"  {violation}")
        raise SystemExit(f"{out}: {len(violations)} violation(s) of the data contract")
    print(f"{out}: valid (data contract version 1)")

    with tempfile.TemporaryDirectory(prefix="finsam-bench-") as work:
        store = prepare_store(out, Path(work))
        runs = plan_runs(read_matrix(matrix), store, source=str(matrix))
        protection = protect_pages(store, [r.key for r in runs], threshold)
    pub = protection.publication
    kinds: dict[str, int] = {}
    for relation in pub.relations:
        kinds[relation.kind] = kinds.get(relation.kind, 0) + 1
    deltaganden = tables["deltaganden"]
    people = {r["person_id"] for r in deltaganden if r["person_id"]}
    print(
        f"{len(forbund)} förbund, {sum(len(k) for _, k in forbund)} kommuner, "
        f"{len(deltaganden)} participations ({len(people)} persons), "
        f"{len(tables['remisser'])} referrals"
    )
    print(
        f"{len(pub.pages)} pages, {len(pub.cells) - 1} published counts, "
        f"{len(pub.relations)} relations ("
        + ", ".join(f"{count} {kind}" for kind, count in sorted(kinds.items()))
        + f"), {int(protection.hidden.sum())} hidden (threshold {threshold})"
    )
    for row in information_loss(protection).itertuples():
        print(
            f"  {row.level:8} {row.hidden:5} of {row.nonzero:5} non-zero counts hidden "
            f"({row.share:.1f} %)"
        )
    print(f"generation {generated:.1f} s, protection {protection.seconds:.1f} s")
    failed = protection.failures
    if failed:
        print(f"audit FAILED for {len(failed)} hidden cell(s):")
        for interval in failed[:20]:
            print(f"  {protection.describe(interval)}")
        raise SystemExit(1)
    print(
        f"audit passed: a reader can narrow no hidden count to fewer than {MIN_WIDTH + 1} "
        "possible values"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--forbund", type=int, default=6, help="number of förbund (default 6)")
    parser.add_argument("--seed", type=int, default=1, help="seed of the first förbund")
    parser.add_argument("--out", type=Path, help="keep the dataset in this folder")
    parser.add_argument("--threshold", type=int, default=4)
    args = parser.parse_args()
    if args.forbund < 1:
        parser.error("--forbund must be at least 1")
    if args.out is not None:
        run(args.forbund, args.seed, args.out, args.threshold)
        return
    with tempfile.TemporaryDirectory(prefix="finsam-multi-") as work:
        run(args.forbund, args.seed, Path(work) / "dataset", args.threshold)


if __name__ == "__main__":
    main()
