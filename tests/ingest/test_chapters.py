"""Chapter headings in plain text and Markdown; joining structured chapter parts."""

from __future__ import annotations

import itertools
import re

from storyworld.ingest.chapters import Part, find_chapters, join_parts
from storyworld.model import Note


def titles(text: str, **options) -> list[str | None]:
    return [chapter.title for chapter in find_chapters(text, **options)]


def test_headings_in_text_fixture(ingest_fixtures):
    text = (ingest_fixtures / "chaptered.txt").read_text(encoding="utf-8")
    chapters = find_chapters(text)
    assert [c.title for c in chapters] == [
        "Prologue", "Chapter 1: The Storm", "CHAPTER II", "Chapter Three - Dry Land", "Epilogue"
    ]
    # The title lines before the first heading belong to the first chapter; chapters tile the text.
    assert chapters[0].start == 0 and chapters[-1].end == len(text)
    assert all(a.end == b.start for a, b in itertools.pairwise(chapters))
    assert [c.id for c in chapters] == ["ch1", "ch2", "ch3", "ch4", "ch5"]
    assert text[chapters[1].start :].startswith("Chapter 1: The Storm")


def test_sentence_starting_with_chapter_is_not_a_heading():
    text = "Chapter one of my life was dull.\nChapter 3 was the worst, she said,\nand then it rained.\n"
    assert titles(text) == [None]


def test_heading_inside_a_wrapped_paragraph_is_not_a_heading():
    text = "He had read about it in\nChapter 3. The rest was\nin the appendix.\n"
    assert titles(text) == [None]


def test_one_paragraph_a_line_still_finds_headings():
    text = "Chapter 1\nIt ended there.\nChapter 2\nIt began again.\n"
    assert titles(text) == ["Chapter 1", "Chapter 2"]


def test_markdown_hash_headings_only_in_markdown(ingest_fixtures):
    text = (ingest_fixtures / "chaptered.md").read_text(encoding="utf-8")
    assert titles(text, markdown=True) == ["Chapter One", "Chapter Two: Fog"]
    assert titles(text) == [None]


def test_no_heading_gives_one_chapter_over_everything():
    chapters = find_chapters("Just a story.")
    assert [(c.id, c.start, c.end) for c in chapters] == [("ch1", 0, 13)]


def test_join_parts_spans_notes_and_empty_parts():
    note = Note(kind="chapter-notes", text="Hi.")
    lost = Note(kind="chapter-end-notes", text="Bye.")
    text, chapters, notes = join_parts(
        [Part("One", "First."), Part("Empty", "  ", [lost]), Part("Two", "Second.", [note])]
    )
    assert text == "First.\n\nSecond."
    assert [(c.id, c.title, text[c.start : c.end]) for c in chapters] == [
        ("ch1", "One", "First."), ("ch2", "Two", "Second.")
    ]
    assert notes == [lost, note.model_copy(update={"chapter": "ch2"})]


def test_heading_with_a_trailing_stop_keeps_the_next_paragraph_out_of_its_title():
    text = (
        "CHAPTER I.\n\n\nIt began.\n\nCHAPTER II.\nTHE SECOND PART\n\nMore.\n\n"
        "Chapter VI: A long title, wrapped\nonto two lines\n\nEnd."
    )
    assert titles(text) == ["CHAPTER I.", "CHAPTER II.", "Chapter VI: A long title, wrapped"]


def test_pdnc_novels_every_chapter_heading_line_found(shared):
    """Gutenberg novels: each line that is a 'Chapter <number>' heading starts a chapter."""
    heading_line = re.compile(r"(?im)^[ \t]*chapter[ \t]+[0-9ivxlc]+\b[^\n]*$")
    found = expected = 0
    for novel in sorted((shared / "corpora/pdnc/data").glob("*/novel_text.txt")):
        text = novel.read_text(encoding="utf-8")
        starts = {c.start for c in find_chapters(text)[1:]}
        lines = [m.start() for m in heading_line.finditer(text)][1:]
        expected += len(lines)
        found += sum(start in starts for start in lines)
    assert expected > 400 and found == expected


def test_decorated_fan_fiction_headings():
    text = (
        "~Chapter 3~\n\nRain.\n\n**Chapter 4: Storm**\n\nWind.\n\n"
        "== CHAPTER FIVE ==\n\nCalm.\n\n-Epilogue-\n\nSun."
    )
    assert titles(text) == ["Chapter 3", "Chapter 4: Storm", "CHAPTER FIVE", "Epilogue"]
