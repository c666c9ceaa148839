"""Quotations: every quoted span, and whether it is speech."""

from __future__ import annotations

import re

from storyworld.model import Quote, Story
from storyworld.pipeline import Stage

_DOUBLE = re.compile(r"[\"“”][^\"“”\n]*[\"“”]")


def find_quotes(story: Story) -> list[Quote]:
    quotes = []
    for match in _DOUBLE.finditer(story.text):
        quotes.append(
            Quote(id=f"q{len(quotes) + 1}", start=match.start(), end=match.end(), text=match.group())
        )
    return quotes


def quotes(story: Story) -> dict:
    return {"quotes": find_quotes(story)}


STAGE = Stage("quotes", requires=("text", "paragraphs"), assigns=("quotes",), compute=quotes)
