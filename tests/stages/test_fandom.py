"""The fandom stage: the pack from the author's fandom tags, else from the text, else None."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyworld.ingest import from_string
from storyworld.model import Source, Story
from storyworld.stages.fandom import STAGE

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "fandom"
PLAIN = "The rain had not stopped for three days, and Agnes was tired of it."


def story(text: str, fandoms: list[str] | None = None) -> Story:
    made = from_string(text)
    made.metadata.fandoms = fandoms or []
    return made


def fandom_of(made: Story) -> str | None:
    return STAGE.compute(made)["fandom"]


@pytest.mark.parametrize(
    "tags",
    [
        ["Naruto"],
        ["NARUTO | ナルト"],
        ["Naruto (Anime & Manga)"],
        ["naruto shippūden"],
        ["Naruto - All Media Types"],
        ["Naruto the Movie: Blood Prison"],  # not listed, but it names the pack's fandom
        ["Original Work", "Naruto"],
    ],
)
def test_the_authors_fandom_tags_select_the_pack(tags: list[str]):
    assert fandom_of(story(PLAIN, tags)) == "naruto"


def test_a_film_tag_selects_the_pack_of_the_fandom_it_names():
    assert fandom_of(story(PLAIN, ["My Hero Academia: Two Heroes (2018)"])) == "mha"


def test_a_crossover_takes_the_tagged_pack_the_text_names_most():
    errand = (FIXTURES / "leaf_errand.txt").read_text(encoding="utf-8")
    crossover = ["Harry Potter - J. K. Rowling", "Naruto"]
    assert fandom_of(story(errand, crossover)) == "naruto"
    assert fandom_of(story(PLAIN, crossover)) == "harrypotter"  # no evidence: the first tag


def test_a_fandom_without_a_pack_falls_back_to_the_text():
    assert fandom_of(story(PLAIN, ["Original Work"])) is None
    errand = (FIXTURES / "leaf_errand.txt").read_text(encoding="utf-8")
    assert fandom_of(story(errand, ["Naruto Fanfic Archive Mirror Unlabeled"])) == "naruto"


def test_detected_from_a_naruto_world_story():
    assert fandom_of(story((FIXTURES / "leaf_errand.txt").read_text(encoding="utf-8"))) == "naruto"


def test_detected_from_a_hogwarts_story():
    owlery = (FIXTURES / "owlery_letter.txt").read_text(encoding="utf-8")
    assert fandom_of(story(owlery)) == "harrypotter"


def test_detected_from_a_hero_academy_story():
    dorm = (FIXTURES / "dorm_kitchen.txt").read_text(encoding="utf-8")
    assert fandom_of(story(dorm)) == "mha"


def test_detected_from_a_sorcerer_school_story():
    rooftop = (FIXTURES / "rooftop_training.txt").read_text(encoding="utf-8")
    assert fandom_of(story(rooftop)) == "jjk"


def test_detected_from_canon_names_alone_in_a_modern_au():
    assert fandom_of(story((FIXTURES / "coffee_shop_au.txt").read_text(encoding="utf-8"))) == "naruto"


def test_an_original_story_with_a_stray_ninja_is_no_fandom():
    assert fandom_of(story((FIXTURES / "harbour_night.txt").read_text(encoding="utf-8"))) is None


def test_a_few_fandom_words_without_characters_are_not_enough():
    text = "The yoga teacher spoke of chakra and of the shinobi films she loved. Sakura trees bloomed."
    assert fandom_of(story(text)) is None


def test_lower_case_words_that_are_also_names_do_not_vote():
    text = "In the hinata by the sakura trees, the lee side of the hill, chakra and jutsu were just words."
    assert fandom_of(story(text)) is None


@pytest.mark.shared
def test_every_seed_chapter_is_detected_as_naruto_from_its_text(shared: Path):
    seeds = sorted((shared / "seeds").glob("*.txt"))
    assert seeds
    for seed in seeds:
        assert fandom_of(story(seed.read_text(encoding="utf-8"))) == "naruto", seed.name


@pytest.mark.shared
def test_no_classic_novel_or_excerpt_is_taken_for_fan_fiction(shared: Path):
    """PDNC and LitBank are full of Georges, Harrys and Mr Browns; none of them is Harry Potter."""
    import json

    for corpus in ("pdnc/pdnc-dev.jsonl", "litbank/litbank-dev.jsonl"):
        with (shared / "corpora" / corpus).open(encoding="utf-8") as lines:
            for line in lines:
                document = json.loads(line)
                opening = document["text"][:150_000]  # enough names to tempt the detector, and fast
                bare = Story(text=opening, source=Source(format="string", sha256="-"))
                assert fandom_of(bare) is None, document["id"]


def test_one_fandom_word_backs_a_cast_of_canon_names():
    """Four canon students and one "quirk": no second detect word, and the names alone carry less than
    the share a story without any fandom word needs."""
    patrol = (FIXTURES / "patrol_night.txt").read_text(encoding="utf-8")
    assert fandom_of(story(patrol)) == "mha"
