"""Features of a mention read from the parse: head word of titles, subjects the parser lost."""

from __future__ import annotations

from storyworld.cast.features import READER_PLACEHOLDER, Positions, describe
from storyworld.cast.vocabulary import vocabulary
from storyworld.stages import mentions
from tests.stages.cast_helpers import early_layers, mention_owner, named, with_cast


def _features(name: str, fandom: str, text: str):
    story = early_layers(name, fandom)
    found = [m for m in mentions.find_mentions(story) if m.text == text]
    positions = Positions(story.paragraphs or [], story.quotes or [], story.doc)
    return describe(story.doc, found[0], vocabulary(fandom), positions)


def test_a_title_with_an_honorific_holds_the_title():
    features = _features("fanfic_canon_epithets.txt", "naruto", "Kazekage-sama")
    assert features.kind == "title" and features.head_word == "kazekage"


def test_a_sentence_opening_description_the_parser_left_without_verb_is_the_subject():
    features = _features("fanfic_misparsed_subject.txt", "naruto", "A certain blonde")
    assert features.head.dep_ not in ("nsubj", "nsubjpass")  # the small model's misparse
    assert features.subject


def test_the_pronouns_after_it_go_to_that_subject():
    story = with_cast("fanfic_misparsed_subject.txt", "naruto")
    assert mention_owner(story, "He") is named(story, "Naruto")


def test_reader_placeholders_keep_their_brackets_and_skip_colours():
    text = "Oi, (y/n), [Y/N]'s bag. Y/n-chan, F/N L/N! Your H/C hair, E/C eyes; a yes/y/n form; (Y/N."
    assert [m.group() for m in READER_PLACEHOLDER.finditer(text)] == [
        "(y/n)", "[Y/N]", "Y/n", "F/N", "L/N", "Y/N"
    ]
