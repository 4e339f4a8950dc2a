"""The summary of a mutation run (``make mutation``): killed and timed-out mutants count as
caught, every other outcome and every mutant not tried yet against the score, and the last line
is ``mutation score: K/N killed (P %)``."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

SCRIPT = Path(__file__).parents[1] / "scripts" / "mutation_score.py"


def _summary():
    spec = importlib.util.spec_from_file_location("mutation_score", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _results(mutants: Path, module: str, exit_codes: dict[str, int | None]) -> None:
    meta = mutants / "src" / "finsam" / "stats" / f"{module}.py.meta"
    meta.parent.mkdir(parents=True, exist_ok=True)
    meta.write_text(json.dumps({"exit_code_by_key": exit_codes}), encoding="utf-8")


def test_a_finished_run_counts_killed_timed_out_and_crashing_mutants_as_caught(tmp_path, capsys):
    """flows: 1 killed, 1 past the time limit, 1 survived, 1 reached by no test; tidy: 1 killed
    and 1 on which the test process crashed → 4 of 6 caught, 66.7 %."""
    _results(tmp_path, "flows", {"f_1": 1, "f_2": -24, "f_3": 0, "f_4": 33})
    _results(tmp_path, "tidy", {"t_1": 1, "t_2": -11})
    assert _summary().main(tmp_path) == 0
    out = capsys.readouterr().out
    lines = out.strip().splitlines()
    assert lines[-1] == "mutation score: 4/6 killed (66.7 %)"
    assert "src/finsam/stats/flows.py" in lines[1] and lines[1].split()[1:] == ["4", "2", "50.0%"]
    assert lines[2].split()[1:] == ["2", "2", "100.0%"]
    assert "not killed (1 survived, 1 no tests):" in out
    assert "    f_3: survived" in lines and "    f_4: no tests" in lines
    assert "incomplete" not in out


def test_an_interrupted_run_counts_the_untried_against_the_score_and_says_so(tmp_path, capsys):
    """3 killed, 1 survived, 4 not tried: 3/8 = 37.5 % in all, 3/4 = 75 % of those tried."""
    _results(tmp_path, "periods", {"p_1": 1, "p_2": 1, "p_3": 1, "p_4": 0})
    _results(tmp_path, "support", {f"s_{i}": None for i in range(4)})
    _summary().main(tmp_path)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-4:] == [
        "the run is incomplete: 4 mutants not tried yet (`mutmut run` goes on)",
        "of those tried: 3/4 killed (75.0 %)",
        "",
        "mutation score: 3/8 killed (37.5 %)",
    ]


def test_no_results_is_an_error(tmp_path, capsys):
    assert _summary().main(tmp_path) == 1
    assert "no mutation results" in capsys.readouterr().err


def test_the_mutants_to_try_again_are_the_ones_tried_and_not_caught(tmp_path):
    _results(tmp_path, "flows", {"f_1": 1, "f_2": -24, "f_3": 0, "f_4": 33, "f_5": None})
    assert _summary().not_caught(tmp_path) == ["f_3", "f_4"]
