"""Build a story's early layers for stage tests, with a hand-made cast instead of the cast stage."""

from __future__ import annotations

import re

from storyworld.ingest import from_string
from storyworld.model import Attribution, Character, Mention, Story
from storyworld.pipeline import run
from storyworld.stages import quotes, segment


def story_with_cast(
    text: str, cast: dict[str, tuple[str, str]], gender: dict[str, str] | None = None
) -> Story:
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


def attribute(story: Story, speakers: dict[int | str, tuple[str, list[str]]]) -> None:
    """Give a quote a speaker and addressees; a key is the quote's number (0-based) or its text."""
    assert story.quotes is not None
    by_text = {q.text: q for q in story.quotes}
    story.attributions = [
        Attribution(
            quote=(story.quotes[key] if isinstance(key, int) else by_text[key]).id,
            speaker=speaker,
            addressees=addressees,
            confidence=1.0,
            cue="user",
        )
        for key, (speaker, addressees) in speakers.items()
    ]
