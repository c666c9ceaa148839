"""Scene breaks: marker lines, POV headers, chapter headings, and blank-line gaps a document uses as breaks.

Gaps are read from the document's own spacing. The usual number of blank lines between paragraphs
(0 with one paragraph a line, 1 in blank-line layouts) is its rhythm; a longer gap is a break only
when such gaps are rare among all paragraph joins and are not merely the space around a heading.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter

from storyworld.ingest.chapters import find_chapters
from storyworld.model import BreakKind, Chapter, Paragraph, SceneBreak
from storyworld.segment.lines import MAX_HEADER_CHARS, QUOTES, is_marker, pov_header

# Longer-than-usual gaps are breaks only when at most this share of paragraph joins has them.
MAX_GAP_SHARE = 0.15
# A title page (title, author, date) is at most this many paragraphs; a chapter's heading may follow one.
TITLE_PAGE_PARAGRAPHS = 6
_HEADING_DECORATION = re.compile(r"^[#*~_=\-\s]+")
# What may follow a heading's title on its line: nothing, decoration, or a separator and a subtitle.
_AFTER_TITLE = re.compile(r"[ \t]*(?:$|\n|[:.\-–—~*#=_(\[])")


def _text(text: str, paragraph: Paragraph) -> str:
    return text[paragraph.start : paragraph.end]


def _covering(text: str, paragraph: Paragraph, kind: BreakKind, pov: str | None = None) -> SceneBreak:
    """A break whose marker is the whole paragraph."""
    line = _text(text, paragraph)
    return SceneBreak(start=paragraph.start, end=paragraph.end, kind=kind, text=line, pov=pov)


def _is_heading(paragraph_text: str, title: str) -> bool:
    """The paragraph is a heading with this title: it starts with the title, then ends or breaks off."""
    body = _HEADING_DECORATION.sub("", paragraph_text)
    if len(body) > len(title) + MAX_HEADER_CHARS or not body.lower().startswith(title.lower()):
        return False
    return bool(_AFTER_TITLE.match(body[len(title) :]))


def _reads_as_heading(text: str, paragraph: Paragraph) -> bool:
    """A chapter heading line as ingest defines one ("Chapter 3", "CHAPTER IV.", "Prologue").

    Ingest reads the paragraph with the lines around it: a "Chapter 3. ..." line that continues the
    sentence of the line before is not a heading.
    """
    line = _text(text, paragraph)
    if len(line) > 2 * MAX_HEADER_CHARS:
        return False
    window_start = text.rfind("\n", 0, max(text.rfind("\n", 0, paragraph.start), 0)) + 1
    window_end = text.find("\n", paragraph.end + 1)
    window = text[window_start : len(text) if window_end < 0 else window_end]
    titles = [c.title for c in find_chapters(window, markdown=True) if c.title]
    return any(_is_heading(line, title) for title in titles)


def _is_front_matter(paragraph_text: str) -> bool:
    """All-capitals or bracketed lines: "VOLUME II", "END OF PART I.", "IN WHICH ...", "[Illustration]"."""
    too_long = len(" ".join(paragraph_text.split())) > 2 * MAX_HEADER_CHARS
    if too_long or any(c in QUOTES for c in paragraph_text):
        return False
    letters = [c for c in paragraph_text if c.isalpha()]
    bracketed = paragraph_text[0] in "[(" and paragraph_text[-1] in "])"
    return bool(letters) and (bracketed or all(c.isupper() for c in letters))


def _chapter_breaks(
    text: str, paragraphs: list[Paragraph], chapters: list[Chapter]
) -> tuple[dict[int, SceneBreak], list[SceneBreak]]:
    """Heading breaks keyed by paragraph index (lines that read as headings, and each ingested
    chapter's titled heading), and empty breaks at chapter starts with no heading in the text
    (a structured source's chapter title lives outside the text)."""
    headings = {i for i, p in enumerate(paragraphs) if _reads_as_heading(text, p)}
    starts = [p.start for p in paragraphs]
    untitled = []
    for number, chapter in enumerate(chapters):
        first = bisect_left(starts, chapter.start)
        nearby = [
            i for i in range(first, min(first + TITLE_PAGE_PARAGRAPHS, len(paragraphs)))
            if paragraphs[i].start < chapter.end
        ]
        title = (chapter.title or "").strip()
        titled = [i for i in nearby if title and _is_heading(_text(text, paragraphs[i]), title)]
        headings.update(titled[:1])
        if number and not headings.intersection(nearby):
            untitled.append(
                SceneBreak(start=chapter.start, end=chapter.start, kind="chapter", text=chapter.title or "")
            )
    return {i: _covering(text, paragraphs[i], "chapter") for i in headings}, untitled


def _line_break(text: str, paragraph: Paragraph) -> SceneBreak | None:
    line = _text(text, paragraph)
    if "\n" in line:
        return None
    is_pov, name = pov_header(line)
    if is_pov:
        return _covering(text, paragraph, "pov-header", name)
    return _covering(text, paragraph, "marker") if is_marker(line) else None


def _blank_lines(text: str, before: Paragraph, after: Paragraph) -> int:
    return max(text.count("\n", before.end, after.start) - 1, 0)


def _gap_breaks(text: str, paragraphs: list[Paragraph], aside: set[int]) -> list[SceneBreak]:
    """Breaks at joins whose blank-line run is longer than the document's rhythm, when such runs are rare.

    Joins touching a paragraph set aside (an explicit break, a heading, front matter, all of which
    often have extra space around them) are left out of both the counting and the result.
    """
    joins = [
        (i, _blank_lines(text, paragraphs[i - 1], paragraphs[i]))
        for i in range(1, len(paragraphs))
        if i not in aside and i - 1 not in aside
    ]
    if not joins:
        return []
    counts = Counter(blank for _, blank in joins)
    rhythm = counts.most_common(1)[0][0]
    for threshold in sorted(blank for blank in counts if blank > rhythm):
        wide = [i for i, blank in joins if blank >= threshold]
        if len(wide) <= MAX_GAP_SHARE * len(joins):
            return [
                SceneBreak(start=paragraphs[i - 1].end, end=paragraphs[i].start, kind="gap") for i in wide
            ]
    return []


def find_breaks(text: str, paragraphs: list[Paragraph], chapters: list[Chapter]) -> list[SceneBreak]:
    """Every scene break in text order: headings, POV headers, marker lines, then gaps between the rest."""
    by_paragraph, untitled = _chapter_breaks(text, paragraphs, chapters)
    first_heading = min(by_paragraph, default=0)
    title_page = range(first_heading if first_heading <= TITLE_PAGE_PARAGRAPHS else 0)
    for i, p in enumerate(paragraphs):
        if i not in by_paragraph:
            brk = _line_break(text, p)
            if brk is not None:
                by_paragraph[i] = brk
    # Title pages before the first heading, and all-capitals part/volume lines, are not scenes.
    aside = set(by_paragraph) | set(title_page)
    aside.update(i for i, p in enumerate(paragraphs) if _is_front_matter(_text(text, p)))
    chapter_starts = {c.start for c in chapters}
    gaps = [brk for brk in _gap_breaks(text, paragraphs, aside) if brk.end not in chapter_starts]
    return sorted([*by_paragraph.values(), *untitled, *gaps], key=lambda b: (b.start, b.end))
