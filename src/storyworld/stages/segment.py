"""Segment: paragraphs, the spaCy parse (sentences, tokens, lemmas, entities) and scene breaks.

The work is in storyworld.segment: paragraphs.py decides the paragraph layout per document,
parse.py builds one Doc from paragraph-aligned chunks, breaks.py finds markers, POV headers,
chapter headings and blank-line gaps.
"""

from __future__ import annotations

from storyworld.model import Story
from storyworld.pipeline import Stage
from storyworld.segment.breaks import find_breaks
from storyworld.segment.paragraphs import find_paragraphs
from storyworld.segment.parse import parse

__all__ = ["STAGE", "find_breaks", "find_paragraphs"]  # the quotes stage calls find_paragraphs


def segment(story: Story) -> dict:
    paragraphs = find_paragraphs(story.text)
    return {
        "paragraphs": paragraphs,
        "doc": parse(story.text, paragraphs),
        "breaks": find_breaks(story.text, paragraphs, story.chapters),
    }


STAGE = Stage(
    "segment", requires=("text", "chapters"), assigns=("paragraphs", "doc", "breaks"), compute=segment
)
