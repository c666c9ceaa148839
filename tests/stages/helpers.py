"""Build a story's early layers for stage tests, with a hand-made cast instead of the cast stage."""

from __future__ import annotations

import re

from storyworld.ingest import from_string
from storyworld.model import Attribution, Character, Mention, Story
from storyworld.pipeline import run
from storyworld.stages import quotes, segment


def story_with_cast(text: str, cast: dict[str, tuple[str, str]], gender: dict[str, str] | None = None) -> Story:
    """`cast` maps a character id to (name, regex of its mentions); pronouns go to `gender`'s owner."""
    story = run(from_string(text), [segment.STAGE, quotes.STAGE])
    characters = []
    for cid, (name, pattern) in cast.items():
        mentions = [
            Mention(start=m.start(), end=m.end(), text=m.group(), kind="name")
            for m in re.finditer(pattern, text)
        ]
        characters.append(Character(id=cid, name=name, mentions=mentions))
    for cid, pronouns in (gender or {}).items():
        owner = next(c for c in characters if c.id == cid)
        owner.mentions.extend(
            Mention(start=m.start(), end=m.end(), text=m.group(), kind="pronoun")
            for m in re.finditer(rf"\b(?:{pronouns})\b", text)
        )
        owner.mentions.sort(key=lambda m: m.start)
    story.characters = characters
    story.attributions = []
    return story


def attribute(story: Story, speakers: dict[int, tuple[str, list[str]]]) -> None:
    """Give quote number n (0-based) a speaker and addressees."""
    assert story.quotes is not None
    story.attributions = [
        Attribution(quote=story.quotes[n].id, speaker=s, addressees=a, confidence=1.0, cue="user")
        for n, (s, a) in speakers.items()
    ]
