"""Segment: paragraphs, the spaCy parse (sentences, tokens) and scene breaks.

Paragraphs: a document either separates paragraphs with blank lines and wraps lines inside them
(Gutenberg, most .md), or puts one paragraph on each line (AO3 and FFN copies); which one is decided
per document from its own line statistics.
"""

from __future__ import annotations

import re

from storyworld import nlp
from storyworld.model import Paragraph, SceneBreak, Story
from storyworld.pipeline import Stage

_BLOCK = re.compile(r"\S(?:.*\S)?(?:\n[ \t]*\S(?:.*\S)?)*")  # lines with no blank line between
_LINE = re.compile(r"[^\n]*\S[^\n]*")


def uses_wrapped_blocks(text: str) -> bool:
    """True when paragraphs are blank-line blocks of several wrapped lines each."""
    blocks = [m.group() for m in _BLOCK.finditer(text)]
    if not blocks:
        return False
    multi_line = [b for b in blocks if "\n" in b]
    return len(multi_line) >= 0.3 * len(blocks)


def find_paragraphs(text: str) -> list[Paragraph]:
    pattern = _BLOCK if uses_wrapped_blocks(text) else _LINE
    paragraphs = []
    for match in pattern.finditer(text):
        start, end = match.span()
        while start < end and text[start].isspace():
            start += 1
        paragraphs.append(Paragraph(start, end))
    return paragraphs


def find_breaks(text: str, paragraphs: list[Paragraph]) -> list[SceneBreak]:
    return []


def segment(story: Story) -> dict:
    paragraphs = find_paragraphs(story.text)
    return {
        "paragraphs": paragraphs,
        "doc": nlp.load()(story.text),
        "breaks": find_breaks(story.text, paragraphs),
    }


STAGE = Stage("segment", requires=("text",), assigns=("paragraphs", "doc", "breaks"), compute=segment)
