"""Resolving epithets and titles in fan fiction: by what the story says, then by the fandom pack."""

from __future__ import annotations

from tests.stages.cast_helpers import mention_owner, named, with_cast


def test_older_and_younger_by_pack_ages_when_the_other_is_not_yet_named():
    # "the younger Uchiha" comes before Sasuke is named; only Madara is in view then
    story = with_cast("fanfic_uchiha_ages.txt", "naruto")
    assert mention_owner(story, "the younger Uchiha") is named(story, "Sasuke")
    assert mention_owner(story, "the older Uchiha") is named(story, "Madara")


def test_the_story_says_who_is_older_and_beats_the_pack():
    story = with_cast("fanfic_story_ages.txt", "naruto")  # an AU: Sasuke born first
    assert mention_owner(story, "The older Uchiha") is named(story, "Sasuke")
    assert mention_owner(story, "The younger Uchiha") is named(story, "Itachi")


def test_a_sibling_phrase_sets_the_age_order_in_another_fandom():
    story = with_cast("fanfic_sibling_ages.txt", "harrypotter")  # "Ginny, his older sister"
    assert mention_owner(story, "The older Weasley") is named(story, "Ginny")


def test_a_pack_epithet_names_its_canon_character_even_unnamed_in_the_story():
    story = with_cast("fanfic_canon_epithets.txt", "naruto")
    fox = mention_owner(story, "The demon fox")
    assert fox is not None and fox.canonical == "Kurama" and not fox.original
    assert mention_owner(story, "The fox") is fox


def test_a_pack_epithet_and_an_honorific_title_go_to_the_characters_present():
    story = with_cast("fanfic_canon_epithets.txt", "naruto")
    assert mention_owner(story, "the copy-nin") is named(story, "Kakashi")
    assert mention_owner(story, "Kazekage-sama") is named(story, "Gaara")
    assert not [c for c in story.characters if not c.named]


def test_a_pack_epithet_in_another_fandom():
    story = with_cast("fanfic_symbol_of_peace.txt", "mha")
    might = mention_owner(story, "Symbol of Peace")
    assert might is not None and might.canonical == "Yagi Toshinori"


def test_an_epithet_in_passing_does_not_bring_in_an_absent_canon_character():
    # "the fox's face" in an AU where Naruto is a fox: no Nine-Tails appears from it
    story = with_cast("fanfic_fox_in_passing.txt", "naruto")
    assert "Kurama" not in [c.canonical for c in story.characters]


def test_an_epithet_of_another_village_does_not_go_to_a_character_present():
    story = with_cast("fanfic_sound_nin.txt", "naruto")  # the Leaf and Sand nin are not the Sound nin
    assert mention_owner(story, "the Sound nin") not in (named(story, "Naruto"), named(story, "Gaara"))
    assert mention_owner(story, "the sand nin") is named(story, "Gaara")


def test_his_brother_is_the_relative_the_pack_gives_the_possessor():
    story = with_cast("fanfic_pack_relatives.txt", "naruto")
    assert mention_owner(story, "his brother") is named(story, "Kankurō")  # Naruto was mentioned last
    assert mention_owner(story, "her child") is None  # the unnamed woman's child: nobody we know


def test_a_pack_relative_the_story_never_names_in_another_fandom():
    story = with_cast("fanfic_hogwarts_relatives.txt", "harrypotter")
    sister = mention_owner(story, "his sister")
    assert sister is not None and sister.canonical == "Ginny Weasley"
    assert mention_owner(story, "his sister", 1) is sister
    assert mention_owner(story, "The Boy Who Lived").canonical == "Harry Potter"


def test_a_titled_name_the_story_never_writes_bare_is_the_pack_character():
    story = with_cast("fanfic_titled_canon.txt", "naruto")
    tsunade = named(story, "Granny Tsunade")
    assert tsunade.canonical == "Tsunade" and not tsunade.original


def test_the_same_role_far_apart_is_the_same_unnamed_character():
    story = with_cast("fanfic_gate_guard.txt", "naruto")  # "the guard" speaks, then again 11 paragraphs on
    guard = mention_owner(story, "the guard")
    assert guard is not None and not guard.named
    assert mention_owner(story, "the guard", 1) is guard


def test_a_description_after_a_dash_is_more_about_the_same_unnamed_person():
    story = with_cast("pronoun_dash_apposition.txt")  # "a soldier- a man- with a bow"
    soldier = mention_owner(story, "a soldier-")
    assert soldier is not None and not soldier.named and soldier.gender == "male"
    assert mention_owner(story, "a man-") is soldier and mention_owner(story, "The man", 1) is soldier
    assert mention_owner(story, "the soldier") is soldier


def test_a_title_used_before_the_story_names_its_holder_is_that_character():
    """ "the Governor" for three paragraphs, then "said Governor Haskett": one character, not a title-only one
    beside a named one."""
    story = with_cast("title_named_later.txt")
    assert named(story, "the Governor") is named(story, "Governor Haskett")
