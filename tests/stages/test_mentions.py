"""Mentions: names (with honorifics and titles), titles, epithets and pronouns; not things."""

from __future__ import annotations

import pytest

from storyworld.model import Mention
from storyworld.stages import mentions
from tests.stages.cast_helpers import early_layers, named, with_cast


def _mentions(name: str, fandom: str | None = None) -> list[Mention]:
    return mentions.find_mentions(early_layers(name, fandom))


def _texts(found: list[Mention], kind: str | None = None) -> list[str]:
    return [m.text for m in found if kind is None or m.kind == kind]


def test_honorific_stays_in_the_name_mention_and_vocatives_count():
    found = _mentions("honorifics.txt", "naruto")
    names = _texts(found, "name")
    assert "Naruto-kun" in names  # a vocative inside the quotation
    assert "Kakashi-sensei" in names
    assert names.count("Naruto") == 3


def test_mentions_cover_their_text_and_come_in_order():
    story = early_layers("nicknames.txt")
    found = mentions.find_mentions(story)
    assert [m.start for m in found] == sorted(m.start for m in found)
    assert all(story.text[m.start : m.end] == m.text for m in found)
    assert "Mr. Darcy" in _texts(found, "name")


def test_sentence_initial_common_word_and_interjection_are_not_names():
    names = _texts(_mentions("fear.txt"), "name")
    assert "Fear" not in names
    assert "Baka" not in names
    assert names.count("Ilse") == 2


@pytest.mark.parametrize("thing", ["Sharingan", "Chidori", "Konoha", "Sound", "The Sound shinobi"])
def test_techniques_places_and_groups_are_not_mentions(thing):
    assert thing not in _texts(_mentions("things.txt", "naruto"))


def test_epithets_from_appearance_role_species_and_clan():
    found = _mentions("epithets.txt", "naruto")
    epithets = _texts(found, "epithet")
    for epithet in (
        "The raven-haired man",
        "the brown haired man",
        "The sand nin",
        "the blonde",
        "the demon fox",
        "The older Uchiha",
        "the younger man",
    ):
        assert epithet in epithets
    assert "Gaara" in _texts(found, "name")


def test_titles_are_their_own_kind():
    found = _mentions("titles.txt", "naruto")
    assert _texts(found, "title") == ["the Kazekage", "The Kazekage"]


def test_pronouns_and_first_person_only_in_first_person_narration():
    first = _texts(_mentions("first_person.txt"), "pronoun")
    assert first.count("I") == 3 and "my" in first
    third = _texts(_mentions("pronouns.txt"), "pronoun")
    assert {"She", "him", "He", "he", "her"} <= set(third)
    assert "I" not in _texts(_mentions("nicknames.txt"), "pronoun")  # "I did." is speech, not narration


def test_a_word_repeated_at_sentence_starts_of_one_paragraph_is_no_name():
    names = _texts(_mentions("fanfic_topic_word.txt", "naruto"), "name")
    assert "Armor" not in names  # "Armor was loud. Armor rattled. Armor threw itself ..."
    assert names.count("Kiyomi") == 2 and "Temari" in names


def test_an_unknown_name_that_is_the_object_of_a_person_verb_is_a_name():
    # two uses, both inside speech, one as the object of "save": an original character
    names = _texts(_mentions("fanfic_unnamed_child.txt", "naruto"), "name")
    assert names.count("Hotaru") == 2


def test_a_pack_alias_joined_over_of_is_one_name_even_after_the():
    assert "Symbol of Peace" in _texts(_mentions("fanfic_symbol_of_peace.txt", "mha"), "name")


def test_a_pack_alias_opening_a_sentence_is_taken_whole():
    # "Boy" is tagged an interjection and "Who" is a common word: the alias wins over both
    assert "The Boy Who Lived" in _texts(_mentions("fanfic_hogwarts_relatives.txt", "harrypotter"), "name")


def test_a_titled_surname_is_a_name_even_when_the_story_uses_the_word_in_lower_case():
    names = _texts(_mentions("titled_common_surnames.txt"), "name")
    assert names.count("Mrs. Long") == 3 and names.count("Mr. White") == 2
    assert "The Long Table" not in names  # the heading: a common word after no title is still cut


def test_members_of_a_group_acting_are_mentions():
    found = _texts(_mentions("fanfic_partitives.txt", "naruto"), "epithet")
    assert {"One of them", "another one", "One of the guards"} <= set(found)
    assert "Four Mist shinobi" not in found  # the group itself is nobody


def test_exclamations_that_open_lines_of_dialogue_are_no_names():
    """The parser makes '"Hush!" said Tobin' a subject and a speaker, and tags it a proper noun."""
    names = _texts(_mentions("exclamations.txt"), "name")
    assert "Hush" not in names and "Hark" not in names
    assert names.count("Tobin") == 4 and "Wren" in names


def test_a_full_name_that_joins_two_names_of_people_is_a_name():
    # "Tamsin Farrow" is written once, with no sign of a person but its words: "Tamsin" acts and
    # "Miss Farrow" is titled. It is the name that tells the reader they are one woman.
    found = _mentions("linking_name.txt")
    assert "Tamsin Farrow" in _texts(found, "name")
    story = with_cast("linking_name.txt")
    assert named(story, "Tamsin") is named(story, "Miss Farrow")


def test_school_years_and_school_roles_are_descriptions_of_people():
    """ "The first-year", "a seventh-year", "The prefect": fan fiction's school epithets (the tokenizer
    splits "first-year" at its hyphen); "this is Tilly Marsh" introduces a name."""
    found = _mentions("fanfic_hp_first_year.txt", "harrypotter")
    assert {"The first-year", "a seventh-year", "The prefect"} <= set(_texts(found, "epithet"))
    assert "Tilly Marsh" in _texts(found, "name")


def test_a_day_that_says_things_is_a_name_and_the_day_is_not():
    """ "said Wednesday" twice: Wednesday is a person in this story; "on a Monday" stays a day, and Friday,
    the subject of "said" once, needs more than that."""
    names = _texts(_mentions("day_name.txt"), "name")
    assert names.count("Wednesday") == 3
    assert "Monday" not in names and "Friday" not in names


def test_a_name_the_story_writes_as_a_thing_is_no_character():
    """ "Heron" on a mirror and in a question looks like a name; "The Heron is a narrowboat" and "beside
    the Heron" say it is a thing."""
    story = with_cast("thing_named_like_a_person.txt")
    assert not any("Heron" in (c.name, *c.aliases) for c in story.characters)
    assert {"Tamsin", "Wren"} <= {c.name for c in story.characters}


def test_a_word_written_after_the_that_speaks_is_a_title_not_a_thing():
    """ "said the Archivist": "the Archivist" is someone, so "The trams were stopped again, Archivist"
    still names her."""
    story = with_cast("title_word_speaks.txt")
    assert "Archivist" in {c.name for c in story.characters}


def test_a_name_after_a_that_opening_a_clause_is_a_name():
    # "quiet for so long that Ivo thought": "that" is no determiner here (Ivo is named twice)
    names = _texts(_mentions("main_clause_pronoun.txt"), "name")
    assert names.count("Ivo") == 2


def test_a_name_given_to_a_thing_is_no_character_and_one_given_to_a_boy_is():
    # "a village called Thornby", "My knife's called Lodestone"; "A boy named Pim"
    names = {c.name for c in with_cast("thing_called.txt").characters}
    assert names == {"Wren", "Tamsin", "Pim"}
