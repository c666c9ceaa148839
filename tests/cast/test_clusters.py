"""Name clustering: what the story shows to be two people stays two characters."""

from __future__ import annotations

from collections import Counter

from storyworld.cast.clusters import NameTable
from storyworld.cast.entities import Entity
from storyworld.cast.vocabulary import vocabulary
from tests.stages.cast_helpers import named, with_cast


def _table() -> NameTable:
    return NameTable(vocabulary(None).person_titles)


def test_titled_names_of_two_genders_or_two_titles_are_two_people():
    names = _table()
    mister, missus = Entity(keys={"mr pell"}), Entity(keys={"mrs pell"})
    assert not names.compatible(mister, missus)
    assert not names.compatible(Entity(keys={"miss pell"}), missus)  # daughter and mother
    assert names.compatible(Entity(keys={"dr pell"}), mister)  # a doctor may be Mr. Pell
    assert names.compatible(Entity(keys={"miss lucy"}), Entity(keys={"miss pell", "lucy pell"}))


def test_a_title_outweighs_pronoun_votes_but_stray_votes_do_not_split_a_name():
    names = _table()
    she = Entity(keys={"emma"}, gender_votes=Counter(female=40, male=3))
    assert not names.compatible(Entity(keys={"mr wood"}, gender_votes=Counter(male=3)), she)
    stray = Entity(keys={"emma wood"}, gender_votes=Counter(male=1))
    assert names.compatible(she, stray)


def test_names_set_side_by_side_are_two_people():
    names = _table()
    names.apart = {frozenset(("mr harrow", "owen"))}
    assert not names.compatible(Entity(keys={"mr harrow"}), Entity(keys={"owen", "owen harrow"}))


def test_father_son_wife_and_titled_forms_in_one_family():
    story = with_cast("cast_names_family.txt")
    owen, father = named(story, "Owen"), named(story, "Mr. Harrow")
    assert owen is named(story, "Mr. Owen Harrow") and owen is not father  # "Mr. Harrow and Owen"
    assert len({id(named(story, n)) for n in ("Mr. Harrow", "Mrs. Harrow", "Miss Harrow")}) == 3
    assert named(story, "Captain Tessier") is named(story, "Captain Rowan Tessier")
    assert named(story, "Mrs. Edmund Crane") is not named(story, "Edmund Crane")  # his wife


def test_a_nickname_never_joins_a_title_of_rank_but_does_join_miss():
    story = with_cast("cast_names_rank.txt")
    assert named(story, "Tom Ashby") is not named(story, "Sir Thomas")  # his son
    assert named(story, "Meg") is named(story, "Miss Margaret Ashby")


def test_one_stray_pronoun_does_not_keep_a_surname_from_its_titled_name():
    names = _table()
    captain = Entity(keys={"captain benn"}, gender_votes=Counter(male=3, female=1))
    assert names.compatible(Entity(keys={"benn"}, gender_votes=Counter(female=1)), captain)
    assert not names.compatible(Entity(keys={"benn"}, gender_votes=Counter(female=4)), captain)


def test_a_given_name_long_after_the_titled_surname_is_a_second_bearer():
    story = with_cast("second_bearer.txt")
    # "Mr. Daniel Vane" (5 times) after 10 of "Mr. Vane": his brother.
    assert named(story, "Mr. Daniel Vane") is not named(story, "Mr. Vane")
    # One formal "Mr. Martin Tolley" after 10 of "Mr. Tolley" is the vicar himself.
    assert named(story, "Mr. Martin Tolley") is named(story, "Mr. Tolley")


def test_a_first_name_already_joined_to_a_full_name_stays_with_it():
    """ "Hugh" is Sir Hugh Lacey's; the curate who signs once as "Hugh Pryce" does not take him (and
    the baronet with him) when "Mr. Pryce" joins that full name."""
    story = with_cast("first_name_taken.txt")
    assert named(story, "Mr. Pryce") is not named(story, "Sir Hugh")
    assert named(story, "Hugh") is named(story, "Sir Hugh Lacey")


def test_a_given_name_under_a_title_tells_one_sister_from_the_other():
    """With Clara and Rose Ashby both in the story, "Miss Rose Ashby" is not "Miss Ashby" (the elder);
    Daisy Vell has only a brother (Walter, "he"), so "Miss Vell" and "Miss Daisy Vell" are one woman."""
    story = with_cast("sisters.txt")
    assert named(story, "Miss Rose Ashby") is not named(story, "Miss Ashby")
    assert named(story, "Miss Rose Ashby") is named(story, "Rose")
    assert named(story, "Miss Vell") is named(story, "Miss Daisy Vell")


def test_a_nickname_stays_with_its_full_name_and_miss_is_not_mrs():
    """ "Josie" of "Josie Pratt" does not join "Miss Josephine Vane" though Josie shortens Josephine; and
    "Miss Josephine Vane", never married, is not "Mrs. Vane"."""
    story = with_cast("aunt_and_friend.txt")
    assert named(story, "Josie") is named(story, "Josie Pratt")
    assert named(story, "Josie") is not named(story, "Miss Josephine Vane")
    assert named(story, "Mrs. Vane") is not named(story, "Miss Josephine Vane")


def test_a_surname_of_a_married_title_is_no_first_name():
    """ "Mr. Hart" is not "Mr. + the first name Hart" of the nephew christened Hart Rowe: Mrs. Hart
    shows that Hart is the family's name."""
    story = with_cast("surname_as_given.txt")
    assert named(story, "Mr. Hart") is not named(story, "Hart Rowe")



def test_a_military_rank_and_mister_on_one_surname_are_two_men():
    """ "General Tilney" is not "Mr. Tilney", his son Henry (Northanger Abbey had made them one when
    Henry was the only other man of the name); a doctor may still be a Mr."""
    names = _table()
    henry = Entity(keys={"mr tilney", "henry tilney", "henry"})
    assert not names.compatible(Entity(keys={"general tilney"}), henry)
    assert not names.compatible(henry, Entity(keys={"captain tilney"}))
    assert names.compatible(Entity(keys={"dr tilney"}), henry)


def test_a_womans_imagined_married_name_does_not_keep_mister_from_the_man():
    """ "Harriet Dorran", written once as the name she would sign, is no second man called Dorran: Harriet
    is a woman, so "Mr. Dorran" is Edwin Dorran."""
    story = with_cast("imagined_married_name.txt")
    assert named(story, "Mr. Dorran") is named(story, "Edwin Dorran")


def test_a_clipped_given_name_joins_the_one_character_it_begins():
    story = with_cast("fanfic_clipped_name.txt", "harrypotter")  # "Gin" of Ginny
    assert named(story, "Gin") is named(story, "Ginny")
