"""A folder of chapter files: natural order, one chapter each, titles from headings or file names."""

from __future__ import annotations

import pytest

from storyworld.errors import StoryworldError
from storyworld.ingest import load


def test_folder_in_natural_order(ingest_fixtures):
    story = load(ingest_fixtures / "folder")
    assert story.source.format == "folder"
    assert story.source.files == ["chapter 1.txt", "chapter 2.txt", "chapter 10.txt"]
    assert [c.title for c in story.chapters] == ["Chapter 1: Harbour", "chapter 2", "Chapter 10"]
    assert [story.text[c.start : c.end].strip().splitlines()[-1] for c in story.chapters] == [
        "The first boat came in late.", "Mira counted the boats.", "The tenth and last."
    ]
    assert story.metadata.title == "folder" and story.source.encoding == "utf-8"


def test_folder_of_ao3_html_keeps_tags_and_renumbers_notes(tmp_path, ingest_fixtures):
    for target, name in (("part 1.html", "ao3-oneshot.html"), ("part 2.html", "ao3-multichapter.html")):
        (tmp_path / target).write_bytes((ingest_fixtures / name).read_bytes())
    story = load(tmp_path)
    assert len(story.chapters) == 3 and story.metadata.title == "Kettle Weather"
    # The second file's first chapter is the book's second: its notes follow it.
    assert {n.chapter for n in story.metadata.notes if n.kind.startswith("chapter")} == {"ch2"}
    assert {n.kind for n in story.metadata.notes if n.chapter is None} == {"notes", "end-notes"}


def test_folder_without_stories_is_e005(tmp_path):
    (tmp_path / "cover.png").write_bytes(b"\x89PNG")
    with pytest.raises(StoryworldError, match="E005"):
        load(tmp_path)


def test_folder_of_plain_text_chapters_keeps_each_files_author_notes_with_its_chapter(tmp_path):
    (tmp_path / "1.txt").write_text("A/N: first one!\n\nMira counted the boats.\n", encoding="utf-8")
    (tmp_path / "2.txt").write_text("Mira slept.\n\nA/N: see you next week\n", encoding="utf-8")
    story = load(tmp_path)
    assert [(n.chapter, n.text) for n in story.metadata.notes] == [
        ("ch1", "A/N: first one!"), ("ch2", "A/N: see you next week")
    ]
    assert "A/N" not in story.text and "Mira counted the boats." in story.text
