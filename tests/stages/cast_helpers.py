"""Run a fixture story of tests/fixtures/cast through the stages up to the cast, with a fandom."""

from __future__ import annotations

from pathlib import Path

from storyworld.ingest import from_string
from storyworld.model import CastEntry, Character, Story
from storyworld.pipeline import run
from storyworld.stages import cast, mentions, quotes, segment

CAST_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "cast"


def early_layers(name: str, fandom: str | None = None, given_cast: list[CastEntry] | None = None) -> Story:
    """The fixture `name` with paragraphs, parse, quotes and the given fandom (the fandom stage is
    someone else's: tests here fix the fandom so they test only mentions and cast)."""
    story = run(
        from_string((CAST_FIXTURES / name).read_text(encoding="utf-8")), [segment.STAGE, quotes.STAGE]
    )
    story.fandom = fandom
    story.given_cast = given_cast
    return story


def with_cast(name: str, fandom: str | None = None, given_cast: list[CastEntry] | None = None) -> Story:
    story = early_layers(name, fandom, given_cast)
    story.mentions = mentions.find_mentions(story)
    story.characters = cast.build_cast(story)
    return story


def named(story: Story, name: str) -> Character:
    """The character whose name or aliases include `name`."""
    assert story.characters is not None
    found = [c for c in story.characters if c.name == name or name in c.aliases]
    assert len(found) == 1, f"{name}: {[(c.name, c.aliases) for c in story.characters]}"
    return found[0]


def mention_owner(story: Story, text: str, occurrence: int = 0) -> Character | None:
    """The character the `occurrence`-th mention with this exact text was resolved to."""
    assert story.characters is not None
    placed = sorted(
        ((m.start, c) for c in story.characters for m in c.mentions if m.text == text), key=lambda p: p[0]
    )
    return placed[occurrence][1] if len(placed) > occurrence else None
