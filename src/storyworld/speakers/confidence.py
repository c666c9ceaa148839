"""How sure a decision of the sieve is: the accuracy its kind of decision had on annotated novels.

The table (data/speaker_confidence.json) is written by scripts/train_speaker_confidence.py from PDNC,
which also reports its calibration with each novel left out of the table that scores it.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from storyworld.speakers.sieve import Decision


def key(decision: Decision) -> str:
    """The table row of a decision: how it was reached, and whether its turn is one quote or more."""
    return f"{decision.how}/{min(decision.pieces, 2)}"


@cache
def table() -> dict[str, float]:
    return json.loads((files("storyworld") / "data" / "speaker_confidence.json").read_text(encoding="utf-8"))


def confidence(decision: Decision) -> float:
    """The ranker's calibrated confidence when it ranked the turn, else the table's."""
    if decision.speaker is None:
        return 0.0
    if decision.ranker_confidence is not None:
        return round(decision.ranker_confidence, 3)
    rows = table()
    return float(rows.get(key(decision), rows.get(decision.how, 0.5)))
