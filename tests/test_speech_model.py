"""The speech model: a logistic regression over the quotes stage's cues, shipped as JSON."""

from __future__ import annotations

from storyworld.ingest import from_string
from storyworld.speech_model import SpeechModel, speech_model
from storyworld.stages.quotes import speech_features
from storyworld.stages.segment import find_paragraphs


def test_probability_follows_the_weights():
    model = SpeechModel(("rule", "title"), (4.0, -6.0), -1.0)
    assert model.is_speech({"rule": 1.0, "title": 0.0})
    assert not model.is_speech({"rule": 1.0, "title": 1.0})
    assert model.probability({"rule": 0.0, "title": 0.0}) < 0.5


def test_the_shipped_model_reads_cues_the_stage_computes():
    text = 'She read "The Winter Garden" twice.\n\n"Come and eat," he said.\n'
    story = from_string(text)
    story.paragraphs = find_paragraphs(text)
    title, speech = speech_features(story)[:2]
    model = speech_model()
    assert set(model.features) <= set(title)
    assert model.to_json()["features"] == list(model.features)
    assert not model.is_speech(title) and model.is_speech(speech)
