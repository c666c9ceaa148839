"""Fandom: which fandom pack applies, from the metadata's fandoms or else detected in the text."""

from __future__ import annotations

from storyworld.model import Story
from storyworld.pipeline import Stage


def detect(story: Story) -> dict:
    return {"fandom": None}


STAGE = Stage("fandom", requires=("text", "metadata"), assigns=("fandom",), compute=detect)
