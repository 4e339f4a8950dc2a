"""Reading a YAML parameter file (run matrix, rating rule) with clear errors."""

from __future__ import annotations

from pathlib import Path

import yaml

from finsam.errors import FinsamError


def read_yaml(path: Path, what: str) -> object:
    """The YAML document at ``path`` (``{}`` when empty); a clear error naming the file and
    ``what`` it should be when it is missing or not YAML."""
    try:
        return yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    except FileNotFoundError:
        raise FinsamError(f"{path}: no such {what} file") from None
    except yaml.YAMLError as error:
        raise FinsamError(f"{path}: not valid YAML ({error})") from None
