"""Ingest: a path (file or folder) or a string in, one normalised Story out.

Readers by suffix: .txt/.md (txt.py), .html/.htm (html.py, AO3 downloads), .epub (epub.py, AO3
and FanFicFare), a folder of chapter files (folder.py). Every reader enforces `Limits` and
raises `StoryworldError` with the file named, never a bare exception.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from storyworld.errors import E, StoryworldError
from storyworld.model import Chapter, Metadata, Source, Story

DEFAULT_MAX_BYTES = 64 * 1024 * 1024
STORY_SUFFIXES = (".txt", ".md", ".html", ".htm", ".epub")


@dataclass(frozen=True)
class Limits:
    max_bytes: int = DEFAULT_MAX_BYTES  # per input file, and per archive once expanded


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_bytes(path: Path, limits: Limits) -> bytes:
    """The file's bytes, after the checks every reader shares: exists, under the limit, not empty."""
    if not path.exists():
        raise StoryworldError(E.E001, path=path)
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise StoryworldError(E.E004, path=path, size=size, limit=limits.max_bytes)
    data = path.read_bytes()
    if not data.strip():
        raise StoryworldError(E.E002, path=path)
    return data


def load(path: str | Path, limits: Limits = Limits()) -> Story:
    """Read a story file or a folder of chapter files."""
    path = Path(path)
    if not path.exists():
        raise StoryworldError(E.E001, path=path)
    if path.is_dir():
        from storyworld.ingest.folder import read_folder

        return read_folder(path, limits)
    suffix = path.suffix.lower()
    if suffix in (".txt", ".md", ""):
        from storyworld.ingest.txt import read_txt

        return read_txt(path, limits)
    if suffix in (".html", ".htm", ".xhtml"):
        from storyworld.ingest.html import read_html

        return read_html(path, limits)
    if suffix == ".epub":
        from storyworld.ingest.epub import read_epub

        return read_epub(path, limits)
    raise StoryworldError(E.E011, path=path, suffix=suffix)


def from_string(text: str, title: str | None = None) -> Story:
    """A Story from text already in memory (tests, notebooks): notes and chapters found as in a .txt file."""
    from storyworld.ingest.chapters import find_chapters
    from storyworld.ingest.notes import split_notes

    digest = sha256(text.encode("utf-8"))
    text, notes = split_notes(text)
    return Story(
        text=text,
        source=Source(path=None, format="string", sha256=digest),
        metadata=Metadata(title=title, notes=notes),
        chapters=find_chapters(text),
    )


def until(story: Story, chapter: str) -> Story:
    """The story as a reader knows it at the end of `chapter` (an id "ch3", a number "3" or a title).

    Later text is cut away before any analysis, so nothing revealed later can leak into the world.
    The text stays a prefix of the original, so offsets still index the file.
    """
    wanted = chapter.strip().casefold()

    def names(c: Chapter) -> set[str]:
        title = (c.title or "").strip().casefold()
        # "Chapter 3: Unmasked" answers to its whole title and to "unmasked".
        return {c.id.casefold(), c.id.removeprefix("ch"), title, title.split(":", 1)[-1].strip()}

    position = next((i for i, c in enumerate(story.chapters) if wanted in names(c)), None)
    if position is None:
        available = [c.id for c in story.chapters] or ["(none)"]
        raise StoryworldError(E.E020, chapter=chapter, available=available)
    kept = story.chapters[: position + 1]
    end = kept[-1].end
    ids = {c.id for c in kept}
    metadata = story.metadata.model_copy(
        update={"notes": [n for n in story.metadata.notes if n.chapter is None or n.chapter in ids]}
    )
    return Story(text=story.text[:end], source=story.source, metadata=metadata, chapters=kept)
