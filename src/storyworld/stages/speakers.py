"""Speakers: for every speech quote its speaker, addressees, confidence and cue."""

from __future__ import annotations

from storyworld.model import Story
from storyworld.pipeline import Stage


def attribute(story: Story) -> dict:
    return {"attributions": []}


STAGE = Stage(
    "speakers", requires=("quotes", "characters", "doc"), assigns=("attributions",), compute=attribute
)
