"""The mark and legend of hidden counts."""

from __future__ import annotations

import pytest

from finsam.stats.disclosure import SUPPRESSED, legend


def test_legend():
    assert SUPPRESSED == ".."
    assert legend(4) == (
        ".. = uppgiften visas inte för att skydda enskilda personer: antal från 1 till och med 4 "
        "och de uppgifter som annars skulle gå att räkna fram ur andra uppgifter på webbplatsen."
    )
    assert "till och med 2 och" in legend(2)
    with pytest.raises(ValueError):
        legend(0)


def test_the_legend_names_the_threshold_and_refuses_none():
    assert legend(1).startswith(".. = uppgiften visas inte för att skydda enskilda personer: "
                                "antal från 1 till och med 1 och")  # fmt: skip
    with pytest.raises(ValueError, match=r"^threshold must be at least 1, got 0$"):
        legend(0)
