"""Where the project's shipped files live (reference data, example dataset, params, notebooks)."""

from __future__ import annotations

import os
from pathlib import Path


def _project_root() -> Path:
    """The source checkout: the package is installed editable from ``src/finsam``."""
    env = os.environ.get("FINSAM_PROJECT_ROOT")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2]


PROJECT_ROOT = _project_root()
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
NATIONAL_DIR = DATA_DIR / "national"
EXAMPLE_DATASET = DATA_DIR / "example"
PARAMS_DIR = PROJECT_ROOT / "params"
NOTEBOOK_DIR = PROJECT_ROOT / "notebooks"
SITE_SOURCE_DIR = PROJECT_ROOT / "site"
QUARTO_PROJECT_FILE = PROJECT_ROOT / "_quarto.yml"
DEFAULT_BUILD_DIR = PROJECT_ROOT / "_build"
DEFAULT_SITE_DIR = PROJECT_ROOT / "_site"
