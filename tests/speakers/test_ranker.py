"""The speaker ranker (speakers/ranker.py): exchange and address features, the stacked second pass and its
hidden layer."""

from __future__ import annotations

import re

import numpy as np
import pytest

from storyworld.ingest import from_string
from storyworld.model import Character, Mention, Story
from storyworld.pipeline import run
from storyworld.speakers.ranker import (
    FEATURES,
    NEIGHBOUR_FEATURES,
    STACKED_FEATURES,
    Forest,
    Hidden,
    Ranker,
    Surroundings,
    address_gender,
    candidates,
    rerank,
    stacked,
)
from storyworld.speakers.sieve import dialogue
from storyworld.stages import quotes, segment


def _with_cast(fixtures, name: str, cast: tuple[tuple[str, str], ...]) -> Story:
    """A fixture story with paragraphs and quotes, and the (name, gender) cast found by name alone."""
    story = run(from_string((fixtures / "speakers" / name).read_text()), [segment.STAGE, quotes.STAGE])
    story.characters = [
        Character(id=who.lower(), name=who, gender=gender, mentions=[
            Mention(start=m.start(), end=m.end(), text=m.group(), kind="name")
            for m in re.finditer(rf"\b{who}\b", story.text)])
        for who, gender in cast
    ]
    return story


@pytest.fixture
def exchange(fixtures) -> Story:
    """Idris and Wenna trade untagged lines after one tag each; Petroc only listens."""
    return _with_cast(fixtures, "exchange.txt", (("Idris", "male"), ("Wenna", "female"), ("Petroc", "male")))


def _turn_with(grouped, words: str):
    return next((c, i) for c in grouped for i, t in enumerate(c) if any(words in q.text for q in t.quotes))


def test_exchange_features_describe_who_has_been_talking(exchange):
    ctx, grouped = dialogue(exchange)
    around = Surroundings(ctx, exchange.paragraphs)
    conversation, position = _turn_with(grouped, "Not on a dead line")
    found = candidates(around, conversation, position)
    wenna, idris = found["wenna"], found["idris"]
    assert wenna[FEATURES.index("parity-share")] == 1.0  # her line two turns back: alternation gives her this
    assert idris[FEATURES.index("parity-share")] == 0.0
    assert wenna[FEATURES.index("other-of-pair")] == 1.0  # of the two talking, not the one who just spoke
    assert idris[FEATURES.index("other-of-pair")] == 0.0
    assert wenna[FEATURES.index("alternation-unaddressed")] == 1.0
    assert idris[FEATURES.index("exchange-share-so-far")] == pytest.approx(2 / 3)


def test_addressed_in_an_untagged_turn_is_a_feature_of_its_own(exchange):
    ctx, grouped = dialogue(exchange)
    around = Surroundings(ctx, exchange.paragraphs)
    conversation, position = _turn_with(grouped, "Take it, and take your temper")
    found = candidates(around, conversation, position)
    assert found["wenna"][FEATURES.index("addressed-before")] == 1.0
    assert found["wenna"][FEATURES.index("addressed-before-untagged")] == 1.0
    assert found["idris"][FEATURES.index("addressed-before-untagged")] == 0.0


def test_stacked_features_read_the_neighbours_first_pass_probabilities():
    first = [{"a": 0.9, "b": 0.1}, {"a": 0.2, "b": 0.8}, {"a": 0.7, "b": 0.3}, {"b": 1.0}]
    row = stacked([0.5], first, 2, "a", untagged=False)
    extra = dict(zip(NEIGHBOUR_FEATURES, row[1 : 1 + len(NEIGHBOUR_FEATURES)], strict=True))
    assert row[0] == 0.5 and len(row) == 1 + 2 * len(NEIGHBOUR_FEATURES)
    assert extra["ranked-1-back"] == 0.2 and extra["ranked-2-back"] == 0.9 and extra["ranked-1-ahead"] == 0.0
    assert extra["ranked-alternation-back"] == pytest.approx(0.9 * 0.8)
    assert extra["first-pass"] == 0.7
    assert extra["ranked-exchange-share"] == pytest.approx((0.9 + 0.2) / 3)
    assert not any(row[1 + len(NEIGHBOUR_FEATURES) :])  # the untagged copy stays empty for a tagged turn
    untagged = stacked([0.5], first, 2, "a", untagged=True)
    assert untagged[1 + len(NEIGHBOUR_FEATURES) :] == untagged[1 : 1 + len(NEIGHBOUR_FEATURES)]


def test_the_second_pass_decides_when_it_has_weights(exchange):
    """First-pass weights that back the sieve, second-pass weights that distrust the first pass: the second
    pass wins, so the tagged turn's speaker changes."""
    sieve_step = FEATURES.index("sieve:explicit")
    first = [3.0 if i == sieve_step else 0.0 for i in range(len(FEATURES))]
    against = [-3.0 if name == "first-pass" else 0.0 for name in STACKED_FEATURES]
    ctx, grouped = dialogue(exchange)
    conversation, position = _turn_with(grouped, "The line is down")
    assert conversation[position].speaker == "idris"
    rerank(Ranker(first, calibration={"own": [(0.0, 0.5)]}, stacked=against), ctx, exchange.paragraphs,
           grouped, given_cast=False)
    assert conversation[position].speaker != "idris" and conversation[position].how == "ranked"


def test_packaged_ranker_has_both_passes():
    ranker = Ranker.load()
    assert ranker is not None and ranker.stacked is not None and len(ranker.stacked) == len(STACKED_FEATURES)
    hidden = ranker.stacked_hidden
    assert hidden is not None and len(hidden.weights) == len(STACKED_FEATURES)
    assert all(len(row) == len(hidden.out) == len(hidden.bias) for row in hidden.weights)


@pytest.fixture
def landing(fixtures) -> Story:
    """Mrs. Quill asks Hestor for a crossing ("sir"), he answers her ("madam"); Tobin is only seen."""
    return _with_cast(fixtures, "address.txt", (("Hestor", "male"), ("Quill", "female"), ("Tobin", "male")))


def test_address_forms_say_whom_a_line_is_spoken_to(landing):
    ctx, grouped = dialogue(landing)
    around = Surroundings(ctx, landing.paragraphs)
    conversation, position = _turn_with(grouped, "That depends on the tide")
    assert address_gender(conversation[position]) == "female"
    assert address_gender(conversation[position - 1]) == "male"
    assert address_gender(conversation[position + 1]) is None  # no address form in "And if the tide is kind?"
    found = candidates(around, conversation, position)
    here, before = FEATURES.index("address-fit-here"), FEATURES.index("address-fit-before")
    assert found["quill"][here] == 1.0 and found["hestor"][here] == 0.0  # "madam": she is spoken to
    assert found["hestor"][before] == 1.0 and found["quill"][before] == 0.0  # "sir" just before: he answers


def test_a_question_and_the_scene_around_the_conversation_are_features(landing):
    ctx, grouped = dialogue(landing)
    around = Surroundings(ctx, landing.paragraphs)
    conversation, position = _turn_with(grouped, "Then I am kind too")
    found = candidates(around, conversation, position)
    asked = FEATURES.index("spoke-1-back-after-question")
    assert found[conversation[position - 1].speaker][asked] == 1.0  # the last line was a question
    assert found["tobin"][FEATURES.index("conversation-narration")] > 0.0  # named before the talk began


def test_hidden_units_add_conjunctions_to_the_linear_score():
    """A unit firing only when both features are on lifts the candidate with both above those with one."""
    ranker = Ranker([0.0, 0.0], stacked=[0.0, 0.0],
                    stacked_hidden=Hidden(weights=[[4.0], [4.0]], bias=[-6.0], out=[10.0]))
    ranked = ranker.rank({"both": [1.0, 1.0], "one": [1.0, 0.0], "other": [0.0, 1.0]}, second=True)
    assert ranked[0][0] == "both" and ranked[0][1] > 0.9
    plain = ranker.rank({"both": [1.0, 1.0], "one": [1.0, 0.0]})  # the first pass has no hidden layer
    assert plain[0][1] == pytest.approx(0.5)


def test_trees_split_left_on_at_most_the_threshold_and_add_their_leaves():
    """Two stumps: the first scores 1 when feature 0 is at most 0.5 (else -1), the second 2 when feature 1
    is above 0 (else 0); a three-level tree reaches its deepest leaf."""
    stumps = Forest(feature=[0, -1, -1, 1, -1, -1], threshold=[0.5, 0, 0, 0.0, 0, 0],
                    left=[1, -1, -1, 4, -1, -1], right=[2, -1, -1, 5, -1, -1],
                    value=[0, 1.0, -1.0, 0, 0.0, 2.0], roots=[0, 3])
    x = np.array([[0.5, 0.0], [0.6, 1.0], [0.0, 3.0]])
    assert stumps.score(x).tolist() == [1.0, 1.0, 3.0]
    deep = Forest(feature=[0, 1, -1, -1, -1], threshold=[1.0, 1.0, 0, 0, 0], left=[1, 2, -1, -1, -1],
                  right=[4, 3, -1, -1, -1], value=[0, 0, 5.0, 6.0, 7.0], roots=[0])
    assert deep.score(np.array([[0.0, 0.0], [0.0, 2.0], [2.0, 0.0]])).tolist() == [5.0, 6.0, 7.0]


def test_the_second_pass_averages_the_weights_and_the_trees():
    """Weights that cannot tell two candidates apart (0.5 each) and trees sure of one: the average."""
    sure = Forest(feature=[0, -1, -1], threshold=[0.5, 0, 0], left=[1, -1, -1], right=[2, -1, -1],
                  value=[0, 0.0, 50.0], roots=[0])
    ranker = Ranker([0.0], stacked=[0.0], stacked_forest=sure)
    ranked = dict(ranker.rank({"yes": [1.0], "no": [0.0]}, second=True))
    assert ranked["yes"] == pytest.approx(0.75) and ranked["no"] == pytest.approx(0.25)
    assert dict(ranker.rank({"yes": [1.0], "no": [0.0]}))["yes"] == pytest.approx(0.5)  # first pass: none


def test_nobody_the_story_has_not_shown_yet_is_a_candidate(fixtures):
    """Castell rides in four paragraphs after Maelis and Orrin's exchange: no candidate for its lines; for
    his own line he is."""
    cast = (("Maelis", "female"), ("Orrin", "male"), ("Castell", "male"))
    story = _with_cast(fixtures, "late_arrival.txt", cast)
    ctx, grouped = dialogue(story)
    around = Surroundings(ctx, story.paragraphs)
    conversation, position = _turn_with(grouped, "Not the mule")
    assert set(candidates(around, conversation, position)) == {"maelis", "orrin"}
    conversation, position = _turn_with(grouped, "Any bread left")
    assert "castell" in candidates(around, conversation, position)


def test_who_called_someone_by_a_name_before_is_a_candidate_for_calling_them_so_again(fixtures):
    """Wren's tagged line called Bram "Bramble"; the untagged "Bramble!" later counts that for her alone."""
    text = (fixtures / "speakers" / "pet_name.txt").read_text()
    story = run(from_string(text), [segment.STAGE, quotes.STAGE])
    story.characters = [
        Character(id=who.lower(), name=who, gender=gender, mentions=[
            Mention(start=m.start(), end=m.end(), text=m.group(), kind="name")
            for m in re.finditer(pattern, story.text)])
        for who, pattern, gender in (("Wren", r"\bWren\b", "female"), ("Bram", r"\bBram(?:ble)?\b", "male"),
                                     ("Oska", r"\bOska\b", "female"))
    ]
    ctx, grouped = dialogue(story)
    around = Surroundings(ctx, story.paragraphs, grouped)
    conversation, position = _turn_with(grouped, "Bramble!")
    assert around.habit(conversation[position]) == {"wren": 1}
    found = candidates(around, conversation, position)
    habit = FEATURES.index("address-habit")
    assert found["wren"][habit] > 0 == found["oska"][habit]


def test_familiar_address_forms_say_whom_a_line_speaks_to(fixtures):
    """ "Sorry, Grandad." is spoken to a man, "Go and wash, girl." to a woman."""
    story = _with_cast(fixtures, "grandad.txt", (("Lenna", "female"), ("Oren", "male")))
    _, grouped = dialogue(story)
    conversation, position = _turn_with(grouped, "Sorry, Grandad")
    assert address_gender(conversation[position]) == "male"
    conversation, position = _turn_with(grouped, "Go and wash")
    assert address_gender(conversation[position]) == "female"


def test_who_acts_right_after_a_line_that_opens_the_paragraph_is_a_feature(fixtures):
    """ '"Plates, Tobin!" Marra pushed a stack into his arms': Marra; in '"Pass the salt." Tobin looked
    around for it, and then Marra slid it' only Tobin, the first to act after the line."""
    cast = (("Marra", "female"), ("Tobin", "male"), ("Jory", "male"))
    story = _with_cast(fixtures, "beat_after_line.txt", cast)
    ctx, grouped = dialogue(story)
    around = Surroundings(ctx, story.paragraphs, grouped)
    beat = FEATURES.index("beat-after-quote")
    found = candidates(around, *_turn_with(grouped, "Plates"))
    assert found["marra"][beat] == 1.0 and found["tobin"][beat] == 0.0
    found = candidates(around, *_turn_with(grouped, "Pass the salt"))
    assert found["tobin"][beat] == 1.0 and found["marra"][beat] == 0.0
    found = candidates(around, *_turn_with(grouped, "You never mind it"))  # a tag, and no narration after
    assert not any(row[beat] for row in found.values())


def test_whose_he_or_she_the_scene_narrates_is_a_feature(fixtures):
    """Mira is the scene's "she" (four times a subject); Ilse and Bram are only named: the share of the
    scene's subject pronouns that are hers is a feature of its own (a close-third point of view)."""
    cast = (("Mira", "female"), ("Ilse", "female"), ("Bram", "male"))
    story = _with_cast(fixtures, "close_third.txt", cast)
    for character in story.characters:
        if character.id == "mira":  # the cast's resolution of the narration's "she"
            character.mentions += [Mention(start=m.start(), end=m.end(), text=m.group(), kind="pronoun")
                                   for m in re.finditer(r"\b[Ss]he\b", story.text)]
    ctx, grouped = dialogue(story)
    around = Surroundings(ctx, story.paragraphs, grouped)
    found = candidates(around, *_turn_with(grouped, "South. The river"))
    told = FEATURES.index("scene-pronoun-subjects")
    assert found["mira"][told] == 1.0
    assert found["ilse"][told] == 0.0 == found["bram"][told]
