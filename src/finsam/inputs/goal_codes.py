"""The indicators and ratings of a förbund's goals per insats, with their Swedish labels.

A goal file (``mal.csv``, see ``docs/data-contract.md``) is long and tidy: one row per goal,
``forbund``, ``ar``, ``insats``, ``mal`` (the goal as the förbund words it), ``indikator`` (a
code below), ``malvarde`` (the target: a number of participations or referrals, or a percent),
and optionally ``enhet`` (for a free-text goal with a number), ``resultat`` (the result the
förbund published), ``bedomning`` (the board's rating of the insats) and ``kalla``.
"""

from __future__ import annotations

# Indicators the participation data measure, each with its unit; ``fritext`` is any other goal
# (its result can only be given). Counting rules: see finsam.stats.goals.
INDICATORS = {
    "deltagare": "Antal deltagare",
    "nya_deltagare": "Antal nya deltagare",
    "remisser": "Antal remisser",
    "andel_arbete_studier": "Andel till arbete eller studier vid avslut",
    "andel_egen_forsorjning": "Andel i egen försörjning vid avslut",
    "andel_arbete_studier_arbetssokande": (
        "Andel till arbete, studier eller arbetssökande vid avslut"
    ),
    "fritext": "Annat mål",
}
INDICATOR_UNITS = {
    "deltagare": "antal",
    "nya_deltagare": "antal",
    "remisser": "antal",
    "andel_arbete_studier": "procent",
    "andel_egen_forsorjning": "procent",
    "andel_arbete_studier_arbetssokande": "procent",
}
"""The unit of each measurable indicator (a free-text goal states its own in ``enhet``)."""
GOAL_UNITS = ("antal", "procent")

RATINGS = {
    "mycket_god": "Mycket god",
    "god": "God",
    "godtagbar": "Godtagbar",
    "ej_uppfylld": "Ej uppfylld",
}
"""The ratings of an insats' goal fulfilment, best first (as in Måluppfyllelse 2015, Botkyrka
Huddinge Salem)."""
