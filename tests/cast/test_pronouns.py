"""Pronoun resolution: the trained scorer over the characters in view (own fixture stories)."""

from __future__ import annotations

from storyworld.cast.pronouns import PronounModel, pronoun_model
from tests.stages.cast_helpers import mention_owner, named, with_cast


def test_pronouns_follow_their_characters_through_two_paragraphs():
    story = with_cast("pronoun_chains.txt")
    mara, tomas = named(story, "Mara"), named(story, "Tomas")
    assert mention_owner(story, "She") is mara and mention_owner(story, "she") is mara
    assert mention_owner(story, "him") is tomas and mention_owner(story, "he") is tomas
    assert mention_owner(story, "His") is tomas


def test_a_pronoun_in_a_line_may_mean_someone_named_in_the_narration_before_it():
    story = with_cast("pronoun_quote_speaker.txt")  # "Is he stuck down there?" of Bram in the well
    assert mention_owner(story, "he") is named(story, "Bram")


def test_a_pronoun_in_a_line_is_not_the_speaker_its_tag_names():
    story = with_cast("pronoun_tag_speaker.txt")  # Ivo said, "He is taking a long time."
    assert mention_owner(story, "He") is named(story, "Bram")


def test_the_packaged_weights_prefer_the_recent_subject():
    weights = pronoun_model().weights
    assert weights["recent-subject"] > 0 and weights["rank"] < 0
    model = PronounModel({"rank": -1.0})
    assert model.score({"rank": 2.0}) < model.score({"rank": 0.0})


def test_the_packaged_weights_cover_every_feature(monkeypatch):
    """A feature added without retraining (scripts/train_pronouns.py) would silently weigh nothing."""
    seen: set[str] = set()

    class Recording(PronounModel):
        def score(self, values: dict[str, float]) -> float:
            seen.update(values)
            return super().score(values)

    monkeypatch.setattr("storyworld.cast.resolve.pronoun_model", lambda: Recording(pronoun_model().weights))
    with_cast("pronoun_chains.txt")
    assert seen and seen == set(pronoun_model().weights)
