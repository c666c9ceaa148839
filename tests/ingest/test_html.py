"""AO3 HTML downloads (multi-chapter with notes, one-shot) and plain HTML."""

from __future__ import annotations

import re

import pytest

from storyworld.errors import StoryworldError
from storyworld.ingest import load
from storyworld.ingest.html import html_to_text, parse


@pytest.fixture
def ledger(ingest_fixtures):
    return load(ingest_fixtures / "ao3-multichapter.html")


def test_work_metadata(ledger):
    meta = ledger.metadata
    assert meta.title == "The Salt Ledger" and meta.authors == ["Corvin Ashgrove"]
    assert meta.rating == "Teen And Up Audiences"
    assert meta.warnings == ["No Archive Warnings Apply"]
    assert meta.categories == ["F/M", "Gen"]
    assert meta.fandoms == ["Tidewater Chronicles"]
    assert meta.relationships == ["Wren Halloway/Ossian Dray"]
    assert meta.characters == ["Wren Halloway", "Ossian Dray", "Original Female Character(s)"]
    assert meta.additional_tags == ["Alternate Universe - Canon Divergence", "Smugglers"]
    assert meta.language == "English" and meta.series == ["Low Tide"]
    assert meta.stats == {
        "Published": "2024-03-02", "Updated": "2024-04-11", "Words": "412", "Chapters": "2/?"
    }
    assert meta.summary == "A harbourmaster's daughter finds a ledger that should not exist."
    assert meta.tags["Archive Warning"] == ["No Archive Warnings Apply"]
    assert set(meta.tags) >= {"Rating", "Categories", "Fandom", "Relationship", "Language", "Series", "Stats"}


def test_chapters_text_and_scene_break(ledger):
    assert [c.title for c in ledger.chapters] == ["Chapter 1: Low Water", "Chapter 2: The Lighthouse"]
    first, second = (ledger.text[c.start : c.end] for c in ledger.chapters)
    assert first.startswith("The tide had gone out before dawn")
    assert '"You\'re late," said Ossian from the end of the pier.\nHe did not look up' in first
    assert "\n\n* * *\n\n" in first
    assert second.endswith('"Out," she said. "Both of you."')
    assert "\n\n\n" not in ledger.text  # the &nbsp; paragraph leaves no hole


def test_notes_are_kept_out_of_the_text(ledger):
    notes = {(n.kind, n.chapter): n.text for n in ledger.metadata.notes}
    assert notes == {
        ("notes", None): "Written for the spring exchange. Thanks to my beta!",
        ("end-notes", None): "Comments keep me writing.",
        ("chapter-summary", "ch1"): "Wren goes looking for trouble.",
        ("chapter-notes", "ch1"): "This chapter was rewritten twice.",
        ("chapter-end-notes", "ch1"): "Next time: the lighthouse.",
    }
    for text in [*notes.values(), "Posted originally", "drop by the archive", "Chapter Summary"]:
        assert text not in ledger.text


def test_one_chapter_work(ingest_fixtures):
    story = load(ingest_fixtures / "ao3-oneshot.html")
    assert story.text.startswith("Prue Calloway set the kettle") and story.text.endswith("she told it.")
    assert [(c.id, c.title) for c in story.chapters] == [("ch1", "Kettle Weather")]
    assert story.metadata.authors == ["mossfern", "Tamsin Reed"]
    assert story.metadata.warnings == ["Creator Chose Not To Use Archive Warnings"]
    assert story.metadata.summary == "Prue makes tea. The sea objects."


def test_plain_html_body_is_one_chapter(tmp_path):
    path = tmp_path / "plain.html"
    path.write_text(
        "<html><head><title>Moth</title><style>p {color: red}</style></head>"
        "<body><p>A moth <i>circled</i> the bulb.</p><p>It never learned.</p></body></html>",
        encoding="utf-8",
    )
    story = load(path)
    assert story.text == "A moth circled the bulb.\n\nIt never learned."
    assert story.metadata.title == "Moth" and len(story.chapters) == 1


def test_html_to_text_breaks():
    soup = parse("<div>one<br>two<hr><p>three</p><!-- hidden --></div>", None)
    assert html_to_text(soup) == "one\ntwo\n\n* * *\n\nthree"


def test_entity_declarations_are_refused(tmp_path):
    path = tmp_path / "bomb.html"
    path.write_text(
        '<?xml version="1.0"?><!DOCTYPE html [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<html><body><p>&b;</p></body></html>",
        encoding="utf-8",
    )
    with pytest.raises(StoryworldError, match="E009"):
        load(path)


def test_deeply_nested_markup_does_not_exhaust_recursion(tmp_path):
    path = tmp_path / "deep.html"
    depth = 5000
    path.write_text(
        '<div id="chapters">' + "<div>" * depth + '<div class="userstuff"><p>Still here.</p></div>'
        + "</div>" * depth + "</div>",
        encoding="utf-8",
    )
    assert load(path).text == "Still here."


def test_saved_ao3_work_page(ingest_fixtures):
    """A work page saved from the browser: dl.work.meta tags, module notes, landmark labels dropped."""
    story = load(ingest_fixtures / "ao3-webpage.html")
    assert story.text == (
        "Brannoc Teague stamped the sleet off his boots and found the forge cold.\n\n"
        '"You let it go out," he said.\n\nIlse Varga relit it with her own hands.'
    )
    assert [c.title for c in story.chapters] == ["Chapter 1: Sleet", "Chapter 2: Cinder"]
    meta = story.metadata
    assert meta.title == "Cinder and Sleet" and meta.authors == ["hollowquill"]
    assert meta.rating == "Explicit" and len(meta.warnings) == 2
    assert meta.stats == {"Published": "2025-01-09", "Words": "1,204", "Chapters": "2/2", "Kudos": "31"}
    assert meta.summary == "The forge went cold the winter Brannoc came home."
    assert [(n.kind, n.chapter, n.text) for n in meta.notes] == [
        ("notes", None, "A gift for a friend who loves sad blacksmiths."),
        ("end-notes", None, "Thanks for reading."),
        ("chapter-summary", "ch1", "Homecoming."),
        ("chapter-end-notes", "ch1", "More soon."),
    ]


def test_saved_fanfiction_net_page_reads_only_the_story(ingest_fixtures):
    story = load(ingest_fixtures / "ffn-page.html")
    assert story.text == (
        "The wind came round to the north just after supper.\n\n"
        '"Shutters," said Nell, and nobody argued.\n\n* * *\n\n'
        "By midnight the weathervane had given up pointing anywhere at all."
    )
    assert story.metadata.title.startswith("Weathervane")


def test_ao3_download_without_classes_is_read_by_its_shape(tmp_path, ingest_fixtures):
    """A converter that drops every class still leaves AO3's ids, headings, labels and blockquotes."""
    markup = (ingest_fixtures / "ao3-multichapter.html").read_text(encoding="utf-8")
    path = tmp_path / "unclassed.html"
    path.write_text(re.sub(r' class="[^"]*"', "", markup), encoding="utf-8")
    story = load(path)
    assert [c.title for c in story.chapters] == ["Chapter 1: Low Water", "Chapter 2: The Lighthouse"]
    assert story.text.startswith("The tide had gone out before dawn")
    assert story.text.endswith('"Out," she said. "Both of you."')
    assert "* * *" in story.text
    for apart in ("Chapter Summary", "rewritten twice", "Next time", "Comments keep me"):
        assert apart not in story.text
    assert {(n.kind, n.chapter) for n in story.metadata.notes} >= {
        ("chapter-summary", "ch1"), ("chapter-end-notes", "ch1"), ("notes", None), ("end-notes", None)
    }
    assert story.metadata.rating == "Teen And Up Audiences"
