"""How protected counts read on a page: the mark of a hidden count and the legend under a table.

Which counts are hidden is decided for the whole site at once by :mod:`finsam.stats.protection`.
"""

from __future__ import annotations

SUPPRESSED = ".."
"""What a hidden count shows in a published table."""


def legend(threshold: int) -> str:
    """The Swedish legend shown under a table in which counts are hidden."""
    if threshold < 1:
        raise ValueError(f"threshold must be at least 1, got {threshold}")
    return (
        f"{SUPPRESSED} = uppgiften visas inte för att skydda enskilda personer: antal från 1 till "
        f"och med {threshold} och de uppgifter som annars skulle gå att räkna fram ur andra "
        "uppgifter på webbplatsen."
    )
