"""Chapters: heading lines found in plain text, or chapter parts a structured reader joins into one text.

A heading is a short line of its own ("Chapter 3", "CHAPTER IV", "Chapter 2: The Storm",
"# Chapter One", "Prologue"); a sentence that merely begins with "Chapter" is not one. Chapters
tile the text: the first starts at 0 (any title or preamble belongs to it), each runs to the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from storyworld.errors import E, StoryworldError
from storyworld.model import Chapter, Metadata, Note, Source, Story

PART_SEPARATOR = "\n\n"
MAX_HEADING_CHARS = 80

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    "sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred"
)
_NUMBER = rf"(?:\d+|[ivxlcdm]+|(?:{_NUMBER_WORDS})(?:[- ](?:{_NUMBER_WORDS}))*)"
# Fan-fiction headings come decorated: "~Chapter 3~", "**Chapter 3**", "-Prologue-".
_DECORATION = "~*=_•-"
# After the number: nothing, or a separator and a title. "Chapter one of my life" has neither.
_TITLE = rf"(?:[ \t]*[:.–—{re.escape(_DECORATION)}](?:[ \t]*\S.*)?)?"
_HEADING = re.compile(
    rf"^[ \t]*(?P<md>\#{{1,6}}[ \t]+)?[{re.escape(_DECORATION)}]*[ \t]*"
    rf"(?P<heading>(?:chapter|ch\.)[ \t]+{_NUMBER}{_TITLE}|(?:prologue|epilogue|interlude){_TITLE})"
    r"[ \t]*\r?$",
    re.IGNORECASE | re.MULTILINE,
)
_PARAGRAPH_END = frozenset(".!?\"'”’:*)]")


@dataclass
class Part:
    """One chapter as a structured source gives it: its title, its text, and notes attached to it."""

    title: str | None
    text: str
    notes: list[Note] = field(default_factory=list)


def _stands_alone(text: str, start: int, end: int) -> bool:
    """False when the line sits inside a wrapped paragraph: text runs into it and on out of it.

    Between two non-blank lines a heading still stands alone when the line before ends a sentence
    (one paragraph a line, as in AO3 copies).
    """
    if start == 0:
        return True
    before = text[: start - 1]
    previous_line = before[before.rfind("\n") + 1 :].strip()
    after = text[end + 1 :]
    next_line = after.split("\n", 1)[0].strip()
    if not previous_line or not next_line:
        return True
    return previous_line[-1] in _PARAGRAPH_END


def find_chapters(text: str, *, markdown: bool = False) -> list[Chapter]:
    """Chapter spans from heading lines; one chapter over the whole text when there are none."""
    starts: list[tuple[int, str]] = []
    for match in _HEADING.finditer(text):
        heading = match.group("heading").strip().rstrip(_DECORATION).strip()
        if match.group("md") and not markdown:
            continue
        if len(heading) > MAX_HEADING_CHARS:
            continue
        if _stands_alone(text, match.start(), match.end()):
            starts.append((match.start(), heading))
    if not starts:
        return [Chapter(id="ch1", title=None, start=0, end=len(text))]
    if text[: starts[0][0]].strip():
        # Text before the first heading (a title, a note) joins the first chapter.
        starts[0] = (0, starts[0][1])
    bounds = [start for start, _ in starts[1:]] + [len(text)]
    return [
        Chapter(id=f"ch{i}", title=title, start=0 if i == 1 else start, end=end)
        for i, ((start, title), end) in enumerate(zip(starts, bounds, strict=True), start=1)
    ]


def join_parts(parts: list[Part]) -> tuple[str, list[Chapter], list[Note]]:
    """One text from chapter parts (separated by a blank line), their spans, and their notes with ids.

    Parts with no text are dropped unless every part is empty; ids count the parts kept. A dropped
    part's notes stay with the work (chapter None) rather than being lost.
    """
    kept = [part for part in parts if part.text.strip()] or parts[:1] or [Part(None, "")]
    pieces: list[str] = []
    chapters: list[Chapter] = []
    kept_ids = {id(part) for part in kept}
    notes = [note for part in parts if id(part) not in kept_ids for note in part.notes]
    offset = 0
    for number, part in enumerate(kept, start=1):
        if pieces:
            pieces.append(PART_SEPARATOR)
            offset += len(PART_SEPARATOR)
        chapter_id = f"ch{number}"
        chapters.append(Chapter(id=chapter_id, title=part.title, start=offset, end=offset + len(part.text)))
        pieces.append(part.text)
        offset += len(part.text)
        notes.extend(note.model_copy(update={"chapter": chapter_id}) for note in part.notes)
    return "".join(pieces), chapters, notes


def story_from_parts(parts: list[Part], source: Source, metadata: Metadata) -> Story:
    """A Story from a structured reader's chapter parts; their notes join the work's notes."""
    text, chapters, notes = join_parts(parts)
    if not text.strip():
        raise StoryworldError(E.E002, path=source.path)
    metadata = metadata.model_copy(update={"notes": [*metadata.notes, *notes]})
    return Story(text=text, source=source, metadata=metadata, chapters=chapters)
