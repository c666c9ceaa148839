"""Scenes: the spans between scene breaks and chapter starts."""

from __future__ import annotations

from storyworld.model import Scene, Story
from storyworld.pipeline import Stage


def find_scenes(story: Story) -> list[Scene]:
    cuts: dict[int, str] = {0: "start"}
    for chapter in story.chapters[1:]:
        cuts[chapter.start] = "chapter"
    for brk in story.breaks or []:
        cuts.setdefault(brk.end, brk.kind)
    starts = sorted(cuts)
    scenes = []
    for number, start in enumerate(starts):
        end = starts[number + 1] if number + 1 < len(starts) else len(story.text)
        if not story.text[start:end].strip():
            continue
        chapter = next((c.id for c in story.chapters if c.start <= start < c.end), None)
        scenes.append(
            Scene(id=f"sc{len(scenes) + 1}", start=start, end=end, chapter=chapter, break_=cuts[start])
        )
    return scenes


def scenes(story: Story) -> dict:
    return {"scenes": find_scenes(story)}


STAGE = Stage("scenes", requires=("text", "chapters", "breaks"), assigns=("scenes",), compute=scenes)
