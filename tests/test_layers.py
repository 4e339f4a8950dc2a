"""The package's folders are its layers, and imports only go downwards: input and store, then
statistics and protection, then report display, then build and rendering, then the command
line. A module never imports a layer above its own (not even inside a function)."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parents[1] / "src" / "finsam"
RANK = {"errors": 0, "paths": 0, "__init__": 0, "": 0}
RANK |= {"inputs": 1, "stats": 2, "report": 3, "pipeline": 4, "cli": 5}


def layer(dotted: str) -> str:
    """``finsam.stats.catalog`` → ``stats``; ``finsam`` → ``""``."""
    parts = dotted.split(".")
    return parts[1].removesuffix(".py") if len(parts) > 1 else ""


def imported(tree: ast.AST) -> list[str]:
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names if a.name.startswith("finsam")]
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("finsam"):
            module = node.module or ""
            if module == "finsam":  # from finsam import stats, __version__
                names += [f"finsam.{a.name}" for a in node.names]
            else:
                names.append(module)
    return names


def test_every_module_is_in_a_layer_and_imports_only_downwards():
    upward = []
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(("finsam", *path.relative_to(PACKAGE).with_suffix("").parts))
        own = layer(module)
        assert own in RANK, f"{module} is in no layer"
        for target in imported(ast.parse(path.read_text(encoding="utf-8"))):
            other = layer(target)
            if other not in RANK:  # finsam.__version__
                continue
            if RANK[other] > RANK[own]:
                upward.append(f"{module} imports {target}")
    assert upward == []


def test_the_layers_hold_their_modules():
    folders = {p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("_")}
    assert folders == {"inputs", "stats", "report", "pipeline"}
    top = {p.stem for p in PACKAGE.glob("*.py")}
    assert top == {"__init__", "cli", "errors", "paths"}


def test_a_page_imports_no_validation():
    """A page reads a store that was validated when it was made: importing what notebooks use
    must not pull in the validation (pandera) or the workbook reader (openpyxl)."""
    import subprocess
    import sys

    code = (
        "import sys, finsam.report.show, finsam.report.pages, finsam.report.goal_report, "
        "finsam.report.finance_report; "
        "print(sorted(m for m in ('pandera', 'openpyxl', 'finsam.inputs.validate') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
