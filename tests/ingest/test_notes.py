"""Author's notes and disclaimers in plain text go to metadata.notes, out of the story text."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyworld.ingest import Limits, from_string, load
from storyworld.ingest.notes import is_note, split_notes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def test_notes_before_between_and_after_the_story_leave_it():
    story = load(FIXTURES / "ffn_with_notes.txt", Limits())
    assert [note.kind for note in story.metadata.notes] == ["notes", "notes", "chapter-notes", "end-notes"]
    assert story.metadata.notes[0].text.startswith("Disclaimer:")
    assert story.text.startswith("Chapter 1: Lanterns\n\nMireille lit")
    assert "A/N" not in story.text and "beta" not in story.text and "Author's Note" not in story.text
    assert "\n\nShe had not missed one." in story.text  # the paragraph after a note keeps its place
    assert story.chapters[0].title == "Chapter 1: Lanterns"


@pytest.mark.parametrize("paragraph", ["A/N: thanks!", "AN: short one", "(A/N: see below)", "*Disclaimer*",
                                       "Author's Notes: hi", "T/N: translated from French", "AUTHORS NOTE:"])
def test_note_labels(paragraph: str):
    assert is_note(paragraph)


@pytest.mark.parametrize("paragraph", ["An old man sat by the door.", "ANBU stood guard.", "Anna nodded.",
                                       "Note: gone to market. Back soon. - Mum", '"A/N?" she asked.'])
def test_story_paragraphs_are_not_notes(paragraph: str):
    assert not is_note(paragraph)


def test_a_text_without_notes_is_unchanged_and_strings_are_read_alike():
    text = "Mireille lit the lanterns.\n\n\"Done,\" she said.\n"
    assert split_notes(text) == (text, [])
    assert from_string("A/N: hello!\n\n" + text).text == text
