"""storyworld: read fiction, build the story world it describes.

    import storyworld
    world = storyworld.read("my-fic.epub")        # a file, a folder of chapters, or a str of text
    world.characters, world.quotes, world.scenes
    world.to_json("my-fic.world.json")
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from storyworld.errors import E, StoryworldError
from storyworld.fandoms import load_packs
from storyworld.ingest import STORY_SUFFIXES, Limits, from_string, load, until
from storyworld.model import CastEntry, Story, World
from storyworld.pipeline import Stage, default_stages, run

__version__ = "0.1.0"
__all__ = ["CastEntry", "Limits", "Story", "StoryworldError", "World", "__version__", "analyse", "read"]


def _is_text(source: str) -> bool:
    """A str is story text, not a path, when it has a line break or names nothing path-like."""
    if "\n" in source or len(source) > 4096:
        return True
    return not (Path(source).exists() or source.lower().endswith(STORY_SUFFIXES))


def analyse(story: Story, stages: Sequence[Stage] | None = None) -> Story:
    """Run the pipeline (every stage by default) over an ingested Story."""
    return run(story, default_stages() if stages is None else stages)


def read(
    source: str | Path,
    *,
    limits: Limits | None = None,
    cast: Sequence[CastEntry] | None = None,
    until_chapter: str | None = None,
    stages: Sequence[Stage] | None = None,
    fandom: str | None = None,
) -> World:
    """Ingest `source` and run the pipeline; returns the World.

    `cast`, when given, is the cast the user knows: characters are chosen among these.
    `until_chapter` analyses only the text up to the end of that chapter (no later reveals).
    `fandom` (a pack id or a fandom name a pack lists) replaces the story's own fandom tags.
    """
    if fandom is not None and not any(p.selects(fandom) for p in load_packs().values()):
        raise StoryworldError(E.E026, fandom=fandom, available=", ".join(sorted(load_packs())))
    if isinstance(source, str) and _is_text(source):
        story = from_string(source)
    else:
        story = load(source, limits or Limits())
    if until_chapter is not None:
        story = until(story, until_chapter)
    if fandom is not None:
        story.metadata.fandoms = [fandom]
    story.given_cast = list(cast) if cast is not None else None
    return analyse(story, stages).to_world()
