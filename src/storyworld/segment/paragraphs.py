"""Paragraphs: blank-line blocks of wrapped lines, or one paragraph per line, decided per document.

Gutenberg texts and hard-wrapped files break lines inside a paragraph at a fixed width, so a line
followed by another non-blank line almost never ends a sentence (3-7% of the time in the 16 PDNC
novels). AO3/FFN copies put a paragraph on each line, so such lines nearly always end one (98% in
the one-line-per-paragraph seed), whether or not blank lines also appear between some of them.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from storyworld.model import Paragraph
from storyworld.segment.lines import stands_alone

# A line followed by another non-blank line "ends a sentence" when its last character is one of these.
_SENTENCE_END = frozenset(".!?\"'”’…)]*~")
# Below this share of sentence-ending lines among lines followed by text, the lines are wrapped.
WRAPPED_MAX_SENTENCE_ENDS = 0.5
_CONTENT = re.compile(r"\S(?:[^\n]*\S)?")


@dataclass(frozen=True)
class Line:
    """A non-blank line's content (surrounding whitespace excluded) and the blank lines before it."""

    start: int
    end: int
    blank_before: int


def content_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    previous_end = 0
    for match in _CONTENT.finditer(text):
        newlines = text.count("\n", previous_end, match.start())
        blank = max(newlines - 1, 0) if lines else newlines
        lines.append(Line(match.start(), match.end(), blank))
        previous_end = match.end()
    return lines


def is_wrapped(text: str, lines: list[Line], markers: list[bool]) -> bool:
    """True when paragraphs are blank-line blocks of lines wrapped at a width.

    `markers[i]` says line i is a marker or POV header line ("* * *", "Mei's POV"); such lines say
    nothing about wrapping, nor does the line just before one.
    """
    followed = [
        a for i, (a, b) in enumerate(itertools.pairwise(lines))
        if b.blank_before == 0 and not markers[i] and not markers[i + 1]
    ]
    if not followed:
        return False
    sentence_ends = sum(text[line.end - 1] in _SENTENCE_END for line in followed)
    return sentence_ends < WRAPPED_MAX_SENTENCE_ENDS * len(followed)


def find_paragraphs(text: str) -> list[Paragraph]:
    """Paragraph spans in text order, each without surrounding whitespace."""
    lines = content_lines(text)
    markers = [stands_alone(text[line.start : line.end]) for line in lines]
    if not is_wrapped(text, lines, markers):
        return [Paragraph(line.start, line.end) for line in lines]
    paragraphs: list[Paragraph] = []
    for i, line in enumerate(lines):
        # A marker or POV header stands alone even when the author put no blank line around it.
        if paragraphs and line.blank_before == 0 and not markers[i] and not markers[i - 1]:
            paragraphs[-1] = Paragraph(paragraphs[-1].start, line.end)
        else:
            paragraphs.append(Paragraph(line.start, line.end))
    return paragraphs
