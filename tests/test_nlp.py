"""The shared spaCy pipeline: a double hyphen is a token of its own, and the text is kept exactly."""

from __future__ import annotations

import pytest

from storyworld import nlp


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("You are late, Mrs. Penrose!--Come in.", ["Mrs.", "Penrose", "!", "--", "Come"]),
        ("why not?--Mr. Hale, sit down", ["not", "?", "--", "Mr.", "Hale", ","]),
        ('Hale--"indeed', ["Hale", "--", '"', "indeed"]),
        ("a -- b and well---no", ["a", "--", "b", "and", "well", "---", "no"]),
    ],
)
def test_double_hyphen_splits_off_and_names_come_out_whole(text, tokens):
    doc = nlp.load()(text)
    words = [t.text for t in doc]
    assert doc.text == text
    start = words.index(tokens[0])
    assert words[start : start + len(tokens)] == tokens


def test_whitespace_survives_a_retokenized_stretch():
    text = "  --Edith Hale--\n\nShe waited."
    doc = nlp.load()(text)
    assert doc.text == text and "Edith" in [t.text for t in doc] and "Hale" in [t.text for t in doc]
