"""Position lookups shared by the late stages: which characters are mentioned inside a span."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from spacy.tokens import Doc

from storyworld.model import Character, Mention


@dataclass(frozen=True)
class Placed:
    """A mention with the character it was resolved to."""

    mention: Mention
    character: str


class MentionIndex:
    """Every character mention in text order, searchable by position in O(log n)."""

    def __init__(self, characters: list[Character]) -> None:
        placed = [Placed(m, c.id) for c in characters for m in c.mentions]
        placed.sort(key=lambda p: (p.mention.start, p.mention.end))
        self._placed = placed
        self._starts = [p.mention.start for p in placed]

    def within(self, start: int, end: int) -> list[Placed]:
        """Mentions that lie wholly inside [start, end)."""
        first = bisect_left(self._starts, start)
        found = []
        for placed in self._placed[first:]:
            if placed.mention.start >= end:
                break
            if placed.mention.end <= end:
                found.append(placed)
        return found

    def at(self, start: int) -> Placed | None:
        """The mention beginning exactly at `start`."""
        first = bisect_left(self._starts, start)
        if first < len(self._placed) and self._starts[first] == start:
            return self._placed[first]
        return None

    def all(self) -> list[Placed]:
        return list(self._placed)

    def __len__(self) -> int:
        return len(self._placed)


def token_characters(doc: Doc, index: MentionIndex) -> dict[int, str]:
    """Token index -> the character whose mention covers that token."""
    owners: dict[int, str] = {}
    for placed in index.all():
        span = doc.char_span(placed.mention.start, placed.mention.end, alignment_mode="expand")
        for token in span or ():
            owners[token.i] = placed.character
    return owners


def quote_test(spans: list[tuple[int, int]]) -> Callable[[int], bool]:
    """A test: does a position fall inside one of these (sorted, non-overlapping) spans?"""
    spans = sorted(spans)
    ends = [end for _, end in spans]

    def inside(position: int) -> bool:
        i = bisect_right(ends, position)
        return i < len(spans) and spans[i][0] <= position

    return inside
