"""Tags: characters with OCs, A/B vs A & B, warnings, rating, category, agreement with the author."""

from __future__ import annotations

from storyworld.model import Relationship
from storyworld.stages.tags import suggest_tags
from tests.stages.helpers import story_with_cast

CAST = {"c1": ("Ilse", r"\bIlse\b"), "c2": ("Corin", r"\bCorin\b"), "c3": ("Dagny", r"\bDagny\b")}
TEXT = "Ilse met Corin. Ilse waved. Corin laughed. Dagny watched Ilse and Corin. Dagny sighed. Dagny left.\n"


def _story(relationships=(), text=TEXT):
    story = story_with_cast(text, CAST)
    story.characters[0].gender = "female"
    story.characters[1].gender = "male"
    story.characters[2].original = True
    story.characters[2].gender = "female"
    story.characters[0].canonical = "Varga Ilse"
    story.relationships = list(relationships)
    story.fandom = None
    return story


def test_characters_use_canonical_names_and_flag_originals():
    tags = {t.tag for t in suggest_tags(_story()).characters}
    assert {"Varga Ilse", "Corin", "Original Character(s)", "Original Female Character(s)"} <= tags
    assert "Dagny" not in tags


def test_romantic_is_slash_platonic_is_ampersand_in_alphabetical_order():
    relationships = [
        Relationship(characters=["c1", "c2"], kind="romantic", weight=3, evidence=[(0, 4)]),
        Relationship(characters=["c2", "c3"], kind="friendship", weight=4, evidence=[(5, 9)]),
        Relationship(characters=["c1", "c3"], kind="friendship", weight=1, evidence=[(5, 9)]),
    ]
    tags = suggest_tags(_story(relationships))
    assert {t.tag for t in tags.relationships} == {"Corin/Varga Ilse", "Corin & Dagny"}
    assert [t.tag for t in tags.category] == ["F/M"]


def test_gen_and_no_warnings_for_a_quiet_story():
    tags = suggest_tags(_story())
    assert [t.tag for t in tags.category] == ["Gen"]
    assert [t.tag for t in tags.warnings] == ["No Archive Warnings Apply"]
    assert tags.rating.tag == "General Audiences"


def test_main_character_death_is_warned_with_evidence():
    text = TEXT + "Corin died in the snow before dawn.\n"
    tags = suggest_tags(_story(text=text))
    death = next(t for t in tags.warnings if t.tag == "Major Character Death")
    start, end = death.evidence[0]
    assert "Corin died" in text[start:end]
    assert tags.rating.tag == "Mature"


def test_a_death_that_might_happen_or_is_only_intended_is_not_a_death():
    maybe = ("Corin would not die today.", "Dagny wasn't trying to kill Corin.", "Ilse wanted to kill Corin.")
    for sentence in maybe:
        tags = suggest_tags(_story(text=TEXT + sentence + "\n"))
        assert "Major Character Death" not in {t.tag for t in tags.warnings}, sentence


def test_agreement_with_author_tags():
    story = _story()
    story.metadata.characters = ["Varga Ilse", "Someone Else"]
    agreement = suggest_tags(story).agreement["characters"]
    assert agreement["both"] == ["Varga Ilse"] and 0 < agreement["jaccard"] < 1


def test_the_reader_is_a_character_tag_and_comes_last_in_relationships():
    text = "Y/N met Zeno. Y/N waved. Zeno laughed. Arlo watched Y/N. Arlo sighed. Zeno and Arlo left.\n"
    cast = {"c1": ("Reader", r"Y/N"), "c2": ("Zeno", r"\bZeno\b"), "c3": ("Arlo", r"\bArlo\b")}
    story = story_with_cast(text, cast)
    story.fandom = None
    story.relationships = [
        Relationship(characters=["c1", "c2"], kind="romantic", weight=3, evidence=[(0, 3)]),
        Relationship(characters=["c3", "c1"], kind="friendship", weight=4, evidence=[(40, 44)]),
    ]
    tags = suggest_tags(story)
    assert "Reader" in {t.tag for t in tags.characters}
    assert {t.tag for t in tags.relationships} == {"Zeno/Reader", "Arlo & Reader"}
