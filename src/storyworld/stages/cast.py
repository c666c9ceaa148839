"""Cast: mentions clustered into characters."""

from __future__ import annotations

from storyworld.model import Story
from storyworld.pipeline import Stage


def build_cast(story: Story) -> dict:
    return {"characters": []}


STAGE = Stage("cast", requires=("mentions", "fandom"), assigns=("characters",), compute=build_cast)
