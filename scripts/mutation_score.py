"""Summarise a ``mutmut run``: the mutants per module, the ones that were not killed, and last
the line ``mutation score: K/N killed (P %)``.

A mutant counts as killed when a test failed on it, it ran past mutmut's time limit (a loop
that no longer ends) or the test process crashed on it; every other outcome (survived, no test
reaches it, suspicious) counts against the score, and so does a mutant not tried yet (an
interrupted run says how many).
Reads the result files mutmut keeps in ``mutants/``. With ``--not-caught``, prints only the
names of the mutants tried and not caught, one per line.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

# The exit codes mutmut 3.8 records per mutant (``mutmut.stats.status_by_exit_code``), kept here
# so that the summary reads a run's results without mutmut installed.
STATUS_BY_EXIT_CODE = {
    None: "not checked",
    0: "survived",
    1: "killed",
    3: "killed",  # an internal error of pytest
    5: "no tests",
    33: "no tests",
    34: "skipped",
    36: "timeout",
    37: "caught by type check",
    -24: "timeout",  # SIGXCPU: past the CPU time limit
    24: "timeout",
    152: "timeout",
    255: "timeout",
    -11: "segfault",
    -9: "segfault",
}
CAUGHT = {"killed", "timeout", "segfault"}  # a crash: e.g. HiGHS given a program it cannot take


def results(mutants: Path) -> dict[str, dict[str, str]]:
    """Status of every mutant, by the module it mutates (``src/finsam/stats/flows.py``)."""
    by_module: dict[str, dict[str, str]] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
        module = meta.relative_to(mutants).as_posix().removesuffix(".meta")
        by_module[module] = {
            name: STATUS_BY_EXIT_CODE.get(code, "suspicious") for name, code in exit_codes.items()
        }
    return by_module


def main(mutants: Path = Path("mutants")) -> int:
    by_module = results(mutants)
    if not by_module:
        print(f"no mutation results in {mutants}/: run `mutmut run` first", file=sys.stderr)
        return 1
    killed = total = 0
    print(f"{'module':<48} {'mutants':>8} {'killed':>7} {'score':>7}")
    for module, statuses in by_module.items():
        caught = sum(status in CAUGHT for status in statuses.values())
        killed, total = killed + caught, total + len(statuses)
        score = 100 * caught / len(statuses) if statuses else 100.0
        print(f"{module:<48} {len(statuses):>8} {caught:>7} {score:>6.1f}%")
    left = {
        name: status
        for statuses in by_module.values()
        for name, status in statuses.items()
        if status not in CAUGHT
    }
    tried = {name: status for name, status in left.items() if status != "not checked"}
    if tried:
        kinds = ", ".join(f"{n} {status}" for status, n in Counter(tried.values()).items())
        print(f"\nnot killed ({kinds}):")
        for name, status in tried.items():
            print(f"    {name}: {status}")
    untried = len(left) - len(tried)
    if untried:
        print(f"\nthe run is incomplete: {untried} mutants not tried yet (`mutmut run` goes on)")
        tried_total = total - untried
        print(f"of those tried: {killed}/{tried_total} killed ({100 * killed / tried_total:.1f} %)")
    print(f"\nmutation score: {killed}/{total} killed ({100 * killed / total:.1f} %)")
    return 0


def not_caught(mutants: Path = Path("mutants")) -> list[str]:
    """The mutants tried and not caught (survived, no test, suspicious…): the ones to try again
    after adding tests (`make mutation-retry`)."""
    return [
        name
        for statuses in results(mutants).values()
        for name, status in statuses.items()
        if status not in CAUGHT and status != "not checked"
    ]


if __name__ == "__main__":
    if sys.argv[1:2] == ["--not-caught"]:
        print("\n".join(not_caught(*(Path(a) for a in sys.argv[2:]))))
        sys.exit(0)
    sys.exit(main(*(Path(a) for a in sys.argv[1:])))
