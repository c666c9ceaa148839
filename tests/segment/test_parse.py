"""The chunked parse: one Doc whose offsets are story offsets, sentences inside paragraphs."""

import pytest

from storyworld.segment import parse as parse_module
from storyworld.segment.paragraphs import find_paragraphs
from storyworld.segment.parse import parse

# Wrapped lines with no end punctuation before the blank line: a plain parse runs the sentence on.
TEXT = (
    "  Wren packed the cart before the sun was up\n\n"
    "the mule complained the whole way to the market\n"
    "and the apples bounced in their crates\n\n"
    "By noon she had sold every one of them, and the mule had eaten two.\n\n"
    "* * *\n\n"
    '"Again tomorrow?" asked the baker.\n'
)


def _check_offsets(text: str) -> None:
    doc = parse(text, find_paragraphs(text))
    assert doc.text == text
    assert all(text[t.idx : t.idx + len(t.text)] == t.text for t in doc)
    starts = [p.start for p in find_paragraphs(text)]
    for sentence in doc.sents:
        words = [t for t in sentence if not t.is_space]
        inside = [s for s in starts if words and words[0].idx < s <= words[-1].idx]
        assert not inside, f"sentence crosses a paragraph start: {sentence.text!r}"


def test_one_chunk_keeps_offsets_and_paragraph_sentences() -> None:
    _check_offsets(TEXT)


def test_many_chunks_join_into_one_doc_with_story_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse_module, "CHUNK_CHARS", 40)
    _check_offsets(TEXT * 3)
    doc = parse(TEXT * 3, find_paragraphs(TEXT * 3))
    assert [t.lemma_ for t in doc if t.text == "bounced"] == ["bounce"] * 3
    # Tags and the dependency parse survive the join (NER is not loaded: see storyworld/nlp.py).
    assert all(t.tag_ and t.dep_ for t in doc if not t.is_space)


def test_empty_text_parses_to_an_empty_doc() -> None:
    assert parse("", []).text == ""
