"""Mentions: names, titles, epithets and pronouns that may refer to characters."""

from __future__ import annotations

from storyworld.model import Story
from storyworld.pipeline import Stage


def find_mentions(story: Story) -> dict:
    return {"mentions": []}


STAGE = Stage("mentions", requires=("doc", "quotes", "fandom"), assigns=("mentions",), compute=find_mentions)
