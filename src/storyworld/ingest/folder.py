"""A folder of chapter files: every story file in natural order (chapter 2 before chapter 10).

Each file is read by its own reader; each file's chapters become the book's chapters (a file with
no heading is one chapter titled after the file name), joined with a blank line.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from natsort import natsorted, ns

from storyworld.errors import E, StoryworldError
from storyworld.ingest import STORY_SUFFIXES, Limits, load
from storyworld.ingest.chapters import Part, story_from_parts
from storyworld.model import Metadata, Source, Story

PLAIN = ("txt", "md")  # formats whose notes have no chapter of their own: the file's chapter takes them


def story_files(folder: Path) -> list[Path]:
    """The story files directly in `folder`, in natural order; hidden files are skipped."""
    files = [
        path for path in folder.iterdir()
        if path.is_file() and path.suffix.lower() in STORY_SUFFIXES and not path.name.startswith(".")
    ]
    return natsorted(files, key=lambda path: path.name, alg=ns.IGNORECASE)


def _parts(story: Story, file: Path) -> list[Part]:
    """One part per chapter of a file's story, with that chapter's notes (a plain-text file's author's
    notes belong to its chapter when it is one)."""
    single = len(story.chapters) == 1
    plain = story.source.format in PLAIN
    return [
        Part(
            title=chapter.title or (file.stem if single else None),
            text=story.text[chapter.start : chapter.end],
            notes=[
                note for note in story.metadata.notes
                if note.chapter == chapter.id or (single and plain and note.chapter is None)
            ],
        )
        for chapter in story.chapters
    ]


def read_folder(path: Path, limits: Limits) -> Story:
    files = story_files(path)
    if not files:
        raise StoryworldError(E.E005, path=path, patterns=", ".join(f"*{s}" for s in STORY_SUFFIXES))
    stories = [load(file, limits) for file in files]
    parts = [part for story, file in zip(stories, files, strict=True) for part in _parts(story, file)]
    # The work's own metadata (title, tags, work notes) comes from the first file that has tags.
    tagged = next((story.metadata for story in stories if story.metadata.tags), None)
    metadata = (tagged or Metadata(title=path.name)).model_copy(
        update={"notes": [
            note for story in stories if story.source.format not in PLAIN  # those went with their chapter
            for note in story.metadata.notes if note.chapter is None
        ]}
    )
    digest = hashlib.sha256("".join(story.source.sha256 for story in stories).encode()).hexdigest()
    encodings = ", ".join(dict.fromkeys(story.source.encoding for story in stories if story.source.encoding))
    source = Source(
        path=str(path), format="folder", sha256=digest, encoding=encodings or None,
        files=[file.name for file in files],
    )
    return story_from_parts(parts, source, metadata)
