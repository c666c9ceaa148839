"""Author's notes and disclaimers in plain text, moved out of the story into `metadata.notes`.

FanFiction.Net and AO3 copies pasted into a .txt carry the author's own voice between chapters:
"Disclaimer: I don't own Naruto", "A/N: thanks for the reviews!". Left in the text, their "I"
becomes a narrator and every character they name joins the cast. AO3 HTML keeps them apart
already (ingest/html.py); here a paragraph is a note when it opens with such a label. A note
before the first story paragraph is the work's "notes", one after the last is "end-notes",
one in between is "chapter-notes".
"""

from __future__ import annotations

import re

from storyworld.model import Note
from storyworld.segment.paragraphs import find_paragraphs

_LABEL = re.compile(
    r"[\s(\[*_~#>]*"
    r"(?:(?i:a/n|a\.n\.|t/n|disclaimer|author'?s?'?\s*notes?|translator'?s?\s*notes?|beta'?s?\s*notes?)"
    r"|AN\s*[:\-–—])"
)


def is_note(paragraph: str) -> bool:
    """True when the paragraph opens with an author's-note or disclaimer label."""
    return _LABEL.match(paragraph) is not None


def split_notes(text: str) -> tuple[str, list[Note]]:
    """The text without its note paragraphs (and the blank lines after each), and the notes."""
    paragraphs = find_paragraphs(text)
    noted = [i for i, p in enumerate(paragraphs) if is_note(text[p.start : p.end])]
    if not noted:
        return text, []
    story = [i for i in range(len(paragraphs)) if i not in set(noted)]
    first, last = (story[0], story[-1]) if story else (len(paragraphs), -1)
    notes, kept, position = [], [], 0
    for i in noted:
        paragraph = paragraphs[i]
        kind = "notes" if i < first else "end-notes" if i > last else "chapter-notes"
        notes.append(Note(kind=kind, text=text[paragraph.start : paragraph.end]))
        kept.append(text[position : paragraph.start])
        following = paragraphs[i + 1].start if i + 1 < len(paragraphs) else len(text)
        position = following if i + 1 < len(paragraphs) else paragraph.end
    kept.append(text[position:])
    return "".join(kept), notes
