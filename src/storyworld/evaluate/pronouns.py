"""Score the cast's pronoun resolution against LitBank's gold coreference.

A gold third-person pronoun (he, she, him, her, his) is right when the predicted character it was
resolved to is the character its gold chain stands for: the predicted character most of the chain's
names and descriptions (PROP and NOM mentions) were resolved to. Spans are aligned as the cast
scorer aligns them (same end offset, overlapping). Pronouns whose chain has no name or description
the cast found are counted apart ("unreachable"): no resolution can be right for them.

    python -m storyworld.evaluate.pronouns
    python -m storyworld.evaluate.pronouns --limit 20
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

from storyworld.evaluate.cast import SHARED, analyse
from storyworld.evaluate.gold import jsonl_records
from storyworld.model import Character

PRONOUNS = frozenset({"he", "she", "him", "her", "his"})


@dataclass
class PronounScore:
    right: int = 0  # resolved to the chain's character
    scored: int = 0  # gold pronouns whose chain maps to a predicted character
    unresolved: int = 0  # of those, given no character at all
    unreachable: int = 0  # gold pronouns whose chain maps to no predicted character

    @property
    def accuracy(self) -> float:
        return self.right / self.scored if self.scored else 0.0

    def __add__(self, other: PronounScore) -> PronounScore:
        return PronounScore(
            self.right + other.right,
            self.scored + other.scored,
            self.unresolved + other.unresolved,
            self.unreachable + other.unreachable,
        )


def _aligner(characters: list[Character]) -> dict[int, list[tuple[int, str]]]:
    """End offset -> (start, character id) of every predicted mention."""
    by_end: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for character in characters:
        for mention in character.mentions:
            by_end[mention.end].append((mention.start, character.id))
    return by_end


def _owner(by_end: dict[int, list[tuple[int, str]]], start: int, end: int) -> str | None:
    for predicted_start, character in by_end.get(end, ()):
        if predicted_start < end and start < end:
            return character
    return None


def score_pronouns(record: dict, characters: list[Character]) -> PronounScore:
    """The pronoun score of one LitBank excerpt against the predicted characters."""
    by_end = _aligner(characters)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    pronouns: list[tuple[str, str | None]] = []  # (gold chain, predicted character)
    for m in record["mentions"]:
        if not m.get("entities") or m.get("ner", "PER") != "PER":
            continue
        chain, owner = m["entities"][0], _owner(by_end, m["start"], m["end"])
        if m.get("kind") in ("PROP", "NOM") and owner is not None:
            votes[chain][owner] += 1
        elif m.get("kind") == "PRON" and m["text"].lower() in PRONOUNS:
            pronouns.append((chain, owner))
    score = PronounScore()
    for chain, owner in pronouns:
        if not votes[chain]:
            score.unreachable += 1
            continue
        score.scored += 1
        score.right += owner == votes[chain].most_common(1)[0][0]
        score.unresolved += owner is None
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m storyworld.evaluate.pronouns", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--litbank", default=str(SHARED / "corpora/litbank/litbank-dev.jsonl"))
    parser.add_argument("--limit", type=int, default=None, help="only the first N excerpts")
    args = parser.parse_args(argv)
    total = PronounScore()
    for record in jsonl_records(Path(args.litbank), args.limit):
        total += score_pronouns(record, analyse(record["text"]).characters or [])
    print(
        f"LitBank he/she/him/her/his: {total.right}/{total.scored} = {total.accuracy:.3f} resolved to the "
        f"chain's character ({total.unresolved} unresolved); {total.unreachable} more in chains the "
        "cast never found",
        file=sys.stdout,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
