"""Cast: name variants merged, epithets and pronouns resolved in context, canon vs original."""

from __future__ import annotations

import pytest

from storyworld.cast.features import Positions, describe
from storyworld.cast.pronouns import main_clause_subject
from storyworld.cast.vocabulary import vocabulary
from storyworld.model import CastEntry
from storyworld.stages import mentions
from tests.stages.cast_helpers import CAST_FIXTURES, early_layers, mention_owner, named, with_cast


def test_honorifics_are_stripped_for_identity():
    story = with_cast("honorifics.txt", "naruto")
    naruto = named(story, "Naruto-kun")
    assert naruto.canonical == "Uzumaki Naruto" and not naruto.original
    assert "Naruto" in naruto.aliases
    assert named(story, "Kakashi-sensei") is named(story, "Kakashi")


def test_diacritic_spellings_are_one_character():
    story = with_cast("diacritics.txt", "naruto")
    kankuro = named(story, "Kankurō")
    assert {"Kankurō", "Kankuro", "Kankurou"} <= set(kankuro.aliases)
    assert len(story.characters) == 2


def test_nicknames_titles_and_full_name_merge():
    story = with_cast("nicknames.txt")
    elizabeth = named(story, "Elizabeth Bennet")
    assert elizabeth.name == "Elizabeth Bennet"
    assert {"Lizzy", "Eliza", "Miss Bennet", "Elizabeth"} <= set(elizabeth.aliases)
    assert elizabeth.gender == "female"
    assert named(story, "Darcy").gender == "male"
    assert not elizabeth.original and elizabeth.canonical is None  # no fandom: nobody is an OC


def test_the_redhead_is_who_the_story_gave_red_hair():
    story = with_cast("redhead.txt")
    assert mention_owner(story, "The redhead") is named(story, "Mara")


def test_older_and_younger_by_the_ages_the_pack_gives(monkeypatch):
    monkeypatch.setenv("STORYWORLD_PACKS", str(CAST_FIXTURES / "packs"))
    story = with_cast("comparatives.txt", "tinyverse")
    assert mention_owner(story, "The older Vane") is named(story, "Kestrel Vane")
    assert mention_owner(story, "the younger Vane") is named(story, "Wren")


def test_the_dog_is_the_only_dog_present():
    story = with_cast("dog.txt", "naruto")
    pakkun = named(story, "Pakkun")
    assert mention_owner(story, "The dog") is pakkun
    assert "the dog" in pakkun.aliases


def test_techniques_places_and_groups_are_not_characters():
    story = with_cast("things.txt", "naruto")
    assert [c.name for c in story.characters] == ["Uchiha Sasuke"]


def test_title_goes_to_who_holds_it_in_this_story():
    story = with_cast("titles.txt", "naruto")
    gaara = named(story, "Gaara")
    assert mention_owner(story, "The Kazekage") is gaara
    assert "the Kazekage" in gaara.aliases


def test_original_character_in_a_fandom_story():
    story = with_cast("original.txt", "naruto")
    sylvie = named(story, "Mireille Tanaka")
    assert sylvie.original and sylvie.canonical is None and sylvie.gender == "female"
    naruto = named(story, "Naruto")
    assert not naruto.original and naruto.canonical == "Uzumaki Naruto"


def test_an_unnamed_guard_who_speaks_is_a_character():
    story = with_cast("guard.txt")
    guard = named(story, "the guard")
    assert not guard.named
    assert {"a guard", "the guard"} <= set(guard.aliases)
    assert mention_owner(story, "The guard") is guard


def test_pronouns_follow_gender_and_salience():
    story = with_cast("pronouns.txt")
    tomas, mara = named(story, "Tomas"), named(story, "Mara")
    assert mention_owner(story, "She") is mara
    assert mention_owner(story, "He") is tomas
    assert mention_owner(story, "him") is tomas


def test_first_person_narration_has_a_narrator():
    story = with_cast("first_person.txt")
    narrator = mention_owner(story, "I")
    assert narrator is not None and narrator is mention_owner(story, "my")
    assert mention_owner(story, "She") is named(story, "Odile")


def test_given_cast_restricts_the_cast():
    given = [
        CastEntry(name="Elizabeth Bennet", gender="female"),
        CastEntry(name="Fitzwilliam Darcy", aliases=["Mr. Darcy"]),
    ]
    story = with_cast("nicknames.txt", given_cast=given)
    assert [(c.id, c.name) for c in story.characters] == [
        ("c1", "Elizabeth Bennet"),
        ("c2", "Fitzwilliam Darcy"),
    ]
    elizabeth, darcy = story.characters
    assert {"Lizzy", "Eliza", "Elizabeth"} <= set(elizabeth.aliases)
    assert {"Mr. Darcy", "Darcy"} <= set(darcy.aliases)
    assert mention_owner(story, "Jane") is None  # not in the given cast: dropped


@pytest.mark.parametrize("fixture", ["honorifics.txt", "guard.txt", "epithets.txt"])
def test_every_mention_of_a_character_lies_in_the_text(fixture):
    story = with_cast(fixture, "naruto")
    ids = [c.id for c in story.characters]
    assert ids == [f"c{i}" for i in range(1, len(ids) + 1)]
    for character in story.characters:
        assert character.mentions, character.name
        for mention in character.mentions:
            assert story.text[mention.start : mention.end] == mention.text


@pytest.mark.parametrize(
    ("fixture", "name", "pronoun"),
    [
        ("named_narrator.txt", "Wren Castell", "myself"),  # "My name is Wren Castell" in the narration
        ("narrator_named_in_dialogue.txt", "Ilona", "my"),  # '"Hi," I said ... "I'm Ilona."'
        ("narrator_called_by_name.txt", "Bram", "I"),  # the others call the narrator Bram, twice
        # an untagged '"Yes. Sorry. I'm Marguerite."', then '"Marguerite," I said.': her name, never narrated
        ("narrator_names_exchanged.txt", "Marguerite", "I"),
    ],
)
def test_a_narrator_who_is_named_or_called_by_a_name_is_that_character(fixture: str, name: str, pronoun: str):
    story = with_cast(fixture)
    narrator = named(story, name)
    assert mention_owner(story, "I") is narrator and mention_owner(story, pronoun) is narrator
    assert all(c.name != "the narrator" for c in story.characters) and len(narrator.aliases) == 1


def test_a_family_name_alone_is_the_one_canon_character_of_that_family():
    story = with_cast("family_name_alone.txt", "mha")
    aizawa = named(story, "Aizawa")
    assert aizawa.canonical == "Aizawa Shouta" and not aizawa.original
    assert named(story, "Todoroki").canonical == "Todoroki Shouto"  # the pack's alias for the student


def test_members_of_a_group_who_speak_are_unnamed_characters_each():
    story = with_cast("fanfic_partitives.txt", "naruto")  # "One of them" ... "another one asked"
    first, second = mention_owner(story, "One of them"), mention_owner(story, "another one")
    assert first is not None and second is not None and first is not second
    assert not first.named and not second.named
    assert mention_owner(story, "he") is first  # "'Lost, little leaf?' he said"
    assert named(story, "Naruto") not in (first, second)


def test_a_figure_opening_a_scene_is_the_character_the_scene_names():
    story = with_cast("fanfic_scene_figure.txt", "naruto")  # scene 2: "The figure" ... "Orochimaru smiled"
    assert mention_owner(story, "The figure") is named(story, "Orochimaru")
    assert "the figure" not in named(story, "Naruto").aliases


def test_a_stranger_named_later_in_an_hp_scene():
    story = with_cast("fanfic_hp_stranger.txt", "harrypotter")
    assert mention_owner(story, "The stranger") is named(story, "Snape")


def test_the_child_is_the_baby_not_the_adult_protagonist():
    story = with_cast("fanfic_infant_hokage.txt", "naruto")  # Naruto is the Hokage; a baby in a cot
    child = mention_owner(story, "The child")
    assert child is not named(story, "Naruto")
    assert child is not None and not child.named and mention_owner(story, "The child", 1) is child
    assert mention_owner(story, "a baby") is child


def test_a_title_held_in_different_eras_is_nobody_present_without_a_story_holder():
    story = with_cast("fanfic_hokage_era.txt", "naruto")  # Naruto (Seventh) and Kakashi (Sixth), a genin team
    owner = mention_owner(story, "The Hokage")
    assert owner not in (named(story, "Naruto"), named(story, "Kakashi"))


def test_the_story_holder_of_a_title_still_wins():
    story = with_cast("fanfic_infant_hokage.txt", "naruto")  # "Naruto had been the Hokage"
    assert mention_owner(story, "Lord Hokage") is named(story, "Naruto")


def test_a_kid_of_a_village_is_the_youngest_of_its_characters():
    story = with_cast("fanfic_sand_kid.txt", "naruto")  # Temari, Kankurou, Gaara: "That sand kid"
    assert mention_owner(story, "That sand kid") is named(story, "Gaara")


def test_an_unnamed_woman_is_the_character_introduced_who_takes_her_description():
    # "A tall woman" ... "Sorry, Kurenai-sensei." ... "the woman said"
    story = with_cast("fanfic_revealed_woman.txt", "naruto")
    kurenai = named(story, "Kurenai")
    assert mention_owner(story, "A tall woman") is kurenai and mention_owner(story, "the woman") is kurenai
    assert not [c for c in story.characters or [] if not c.named]


def test_quoted_kin_is_the_speakers_relative_or_nobody():
    story = with_cast("fanfic_quoted_kin.txt", "naruto")  # Itachi: "My brother ..." "My grandmother ..."
    assert mention_owner(story, "My brother") is named(story, "Sasuke")
    assert mention_owner(story, "Your brother") is named(story, "Sasuke")  # Naruto to Itachi
    assert mention_owner(story, "My grandmother") is None
    assert all(c.named for c in story.characters or [])


def test_a_holder_of_another_title_dates_the_story():
    story = with_cast("fanfic_kage_summit.txt", "naruto")  # Kurotsuchi the Tsuchikage: Naruto's era
    assert mention_owner(story, "The Hokage") is named(story, "Naruto")
    story = with_cast("fanfic_rasa_era.txt", "naruto")  # Rasa the Kazekage: not Naruto's era
    assert mention_owner(story, "The Hokage") is not named(story, "Naruto")


def test_a_title_whose_holder_the_story_makes_a_woman_is_the_one_such_holder():
    story = with_cast("fanfic_hokage_she.txt", "naruto")  # "The Hokage ... her desk"; Naruto, Kakashi there
    assert mention_owner(story, "The Hokage") is named(story, "Tsunade")


def test_a_stranger_still_described_after_a_name_stays_a_stranger():
    story = with_cast("fanfic_stranger_stays.txt", "naruto")  # "The stranger" ... "Naruto" ... "The stranger"
    stranger = mention_owner(story, "The stranger")
    assert stranger is not None and not stranger.named and mention_owner(story, "The stranger", 1) is stranger
    assert stranger is not named(story, "Naruto")


# Reader-insert fan fiction -----------------------------------------------------------------------


def _reader(story):
    return [c for c in story.characters if c.name == "Reader"]


def test_name_placeholders_are_one_named_canon_free_reader():
    story = with_cast("reader_placeholders.txt", "naruto")
    [reader] = _reader(story)
    assert reader.named and not reader.original and reader.canonical is None
    assert {"(Y/N)", "[Y/N]", "Y/N", "F/N", "L/N", "y/n"} <= set(reader.aliases)
    assert named(story, "Mirelle") is not reader and named(story, "Mirelle").original
    assert not any(a in ("Y", "N", "L") for c in story.characters for a in c.aliases)


def test_second_person_narration_is_the_reader_without_a_placeholder():
    story = with_cast("reader_second_person.txt")
    [reader] = _reader(story)
    texts = [m.text for m in reader.mentions]
    assert [t.lower() for t in texts].count("you") == 7 and "your" in texts and "Your" in texts
    assert mention_owner(story, "he") is named(story, "Tomasz")  # "he says" is not the reader
    assert not any(m.text.lower() == "you" for c in story.characters if c is not reader for m in c.mentions)


def test_a_generic_you_in_third_person_narration_is_nobody():
    story = with_cast("reader_third_person.txt")
    assert not _reader(story)
    assert not any(m.text.lower() in ("you", "your") for c in story.characters for m in c.mentions)


def test_a_given_reader_takes_the_placeholders():
    given = [CastEntry(name="Mirelle", gender="female"), CastEntry(name="Reader", aliases=["Y/N"])]
    story = with_cast("reader_placeholders.txt", given_cast=given)
    reader = next(c for c in story.characters if c.name == "Reader")
    assert {"(Y/N)", "y/n", "F/N"} <= {m.text for m in reader.mentions}


def test_a_second_person_letter_in_a_third_person_story_is_nobody():
    story = with_cast("reader_letter.txt")
    assert not _reader(story)


def test_her_mother_and_her_sister_are_of_the_possessors_household():
    """ "Harriet watched as her mother poured ... her sister would laugh": Mrs. Ashdown and Cecily, not
    whoever was last called "her sister" or "her mother", and no character of their own."""
    story = with_cast("household_kin.txt")
    assert mention_owner(story, "her sister") is named(story, "Cecily")
    assert mention_owner(story, "her mother") is named(story, "Mrs. Ashdown")


def test_a_name_ending_in_ly_that_the_story_capitalises_is_a_name():
    """ "Cecily" (tagged an adverb by its -ly) after "look at" (no place) is a character."""
    story = with_cast("household_kin.txt")
    assert mention_owner(story, "Cecily") is named(story, "Cecily Ashdown")


def test_a_name_written_after_colonel_is_a_surname_not_a_first_name():
    """ "Ormsby" alone is Colonel Ormsby, not Mr. Ormsby Hale, whose full name it begins."""
    story = with_cast("household_kin.txt")
    assert mention_owner(story, "Ormsby") is named(story, "Colonel Ormsby")
    assert mention_owner(story, "Mr. Ormsby Hale") is not named(story, "Colonel Ormsby")


def test_an_unnamed_character_takes_the_gender_of_the_pronouns_resolved_to_it():
    """ "One of them set the tray down too hard, and he apologised twice. He ...": a man."""
    story = with_cast("household_kin.txt")
    footman = mention_owner(story, "One of them")
    assert footman is not None and footman.gender == "male"


def test_a_given_cast_names_the_narrator_too():
    """With the cast given (Bram, Hollis), the narration's "I" is Bram, whom the others call by name; with
    no such evidence it is nobody, never a character the user did not give."""
    given = [CastEntry(name="Bram", gender="male"), CastEntry(name="Hollis", gender="male")]
    story = with_cast("narrator_called_by_name.txt", given_cast=given)
    assert mention_owner(story, "I") is named(story, "Bram")
    assert {c.name for c in story.characters} == {"Bram", "Hollis"}
    others = [CastEntry(name="Hollis", gender="male")]
    story = with_cast("narrator_called_by_name.txt", given_cast=others)
    assert mention_owner(story, "I") is None and [c.name for c in story.characters] == ["Hollis"]


def test_his_daughter_named_beside_the_kin_word_is_of_his_household():
    """ "His daughter Clara" (no surname given) makes Clara a Pell: "her father" is Mr. Pell and
    "Her mother" Mrs. Pell."""
    story = with_cast("kin_apposition.txt")
    assert mention_owner(story, "her father") is named(story, "Mr. Pell")
    assert mention_owner(story, "Her mother") is named(story, "Mrs. Pell")


def test_a_full_name_in_the_text_is_the_given_character_with_that_first_name():
    """Given "Clara" (no surname), "Clara Pell" in the text is she: her family is then the Pells."""
    given = [CastEntry(name="Clara", gender="female"), CastEntry(name="Mrs. Pell", gender="female"),
             CastEntry(name="Tom Avery", gender="male")]
    story = with_cast("given_full_name.txt", given_cast=given)
    assert mention_owner(story, "Clara Pell") is named(story, "Clara")
    assert mention_owner(story, "her mother") is named(story, "Mrs. Pell")


def test_the_display_name_is_not_a_full_name_written_once_in_passing():
    """ "Mrs. Hale" five times, then "Agnes Hale" once on a receipt: the reader knows her as Mrs. Hale.
    (A full name that introduces a character does name it: see the nicknames story.)"""
    story = with_cast("display_name.txt")
    hale = named(story, "Agnes Hale")
    assert hale.name == "Mrs. Hale"
    assert hale is named(story, "Mrs. Hale")


def test_a_titled_surname_joins_the_pack_character_and_keeps_his_gender():
    """ "Professor Flitwick" is the pack's Filius Flitwick (a man), so "the girl" after him is Tilly, whom
    Hermione has just introduced ("this is Tilly Marsh"), not the professor."""
    story = with_cast("fanfic_hp_first_year.txt", "harrypotter")
    flitwick = named(story, "Professor Flitwick")
    assert flitwick.canonical == "Filius Flitwick" and flitwick.gender == "male"
    assert mention_owner(story, "the girl") is named(story, "Tilly Marsh")


def test_a_pack_place_is_no_character_and_a_pack_role_is_its_one_holder_present():
    """ "Ground Beta was already hot" is a place of the pack even when the sentence opens with it; "Their
    homeroom teacher" with Aizawa (a teacher, by the pack) the only teacher shown is he."""
    story = with_cast("fanfic_mha_teacher.txt", "mha")
    assert not any("Beta" in c.name or "Beta" in c.aliases for c in story.characters)
    aizawa = named(story, "Aizawa-sensei")
    assert mention_owner(story, "Their homeroom teacher") is aizawa
    assert mention_owner(story, "the teacher") is aizawa


def test_what_the_narration_says_a_name_is_gives_its_gender():
    """ "Tomas Hale was an old woman": she is not Tomas ("he"), though her name begins with his."""
    story = with_cast("said_to_be.txt")
    assert named(story, "Tomas Hale") is not named(story, "Tomas")
    assert named(story, "Tomas Hale").gender == "female"


def test_a_description_goes_to_the_unnamed_character_introduced_so_not_the_last_man_named():
    """ "a lanky lad" ... "Ivo sat up, and the poor boy looked as though he might cry": the lad, though
    Ivo is the man named last; "The boy" is still the lad after "a grey-haired man" comes in."""
    story = with_cast("unnamed_lad.txt")
    lad = mention_owner(story, "a lanky lad")
    assert lad is not None and not lad.named
    assert mention_owner(story, "the lad") is lad
    assert mention_owner(story, "the poor boy") is lad
    assert mention_owner(story, "The boy") is lad
    assert mention_owner(story, "a grey-haired man") is not lad


def test_the_older_one_compares_the_last_two_of_the_gender_however_far_back_the_second():
    # Mrs. Weasley six paragraphs back, Ginny in the last one: "The older witch" is her mother
    story = with_cast("fanfic_older_witch.txt", "harrypotter")
    assert mention_owner(story, "The older witch") is named(story, "Mrs. Weasley")


def test_what_a_family_calls_its_own_is_the_relative_the_pack_gives():
    story = with_cast("fanfic_family_names.txt", "harrypotter")  # "Evening, Mum," said Fred
    assert mention_owner(story, "Mum") is named(story, "Mrs. Weasley")
    assert not [c for c in story.characters if c.name == "Mum"]


def test_a_newcomer_from_another_village_is_not_revealed_as_a_leaf_ninja():
    # "A sand nin" ... Kakashi (of the Leaf) ... "the copy-nin": the sand nin stays someone new
    story = with_cast("fanfic_village_newcomer.txt", "naruto")
    kakashi = named(story, "Kakashi")
    assert mention_owner(story, "the copy-nin") is kakashi
    assert mention_owner(story, "A sand nin") is not kakashi
    assert mention_owner(story, "The sand nin") is not kakashi


def test_the_youngest_of_a_family_is_the_youngest_of_them_all_not_of_those_in_view():
    # Ron, Fred, George and their mother in view; Ginny (the pack's youngest Weasley) left long before
    story = with_cast("fanfic_youngest.txt", "harrypotter")
    assert mention_owner(story, "The youngest Weasley") is named(story, "Ginny")



def test_the_subject_of_a_main_clause_is_told_from_one_inside_it():
    """ "Oren chewed, ... and was quiet for so long that Ivo thought he might ...": Oren is the main
    clause's subject (a pronoun feature: on LitBank, held out, 65.6% -> 66.1% of pronouns right)."""
    story = early_layers("main_clause_pronoun.txt")
    story.mentions = mentions.find_mentions(story)
    vocab = vocabulary(None)
    positions = Positions(story.paragraphs, story.quotes, story.doc, [])
    found = {m.start: describe(story.doc, m, vocab, positions) for m in story.mentions}
    oren, ivo = (found[story.text.index(words)] for words in ("Oren chewed", "Ivo thought"))
    assert main_clause_subject(oren) and not main_clause_subject(ivo)


def test_a_narrator_who_tags_lines_i_said_tells_the_story_though_he_outnumbers_i():
    story = with_cast("first_person_crowd.txt")  # 3 first-person pronouns to 12 "he"/"his", two "I said"
    narrator = mention_owner(story, "I")
    assert narrator is not None and narrator is mention_owner(story, "I", 2)
    assert narrator.id not in {named(story, n).id for n in ("Tobin", "Oren")}
