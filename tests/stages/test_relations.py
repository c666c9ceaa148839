"""Relations: dialogue, action and co-presence interactions; relationship kinds from cues."""

from __future__ import annotations

from storyworld.model import Scene
from storyworld.stages.relations import find_relations
from tests.stages.helpers import attribute, story_with_cast

CAST = {
    "c1": ("Ilse", r"\bIlse\b"),
    "c2": ("Corin", r"\bCorin\b"),
    "c3": ("Dagny", r"\bDagny\b"),
}


def _relations(text: str, speakers=None):
    story = story_with_cast(text, CAST)
    if speakers:
        attribute(story, speakers)
    story.scenes = [Scene(id="sc1", start=0, end=len(text), characters=["c1", "c2", "c3"])]
    return find_relations(story)


def test_action_with_participle_takes_the_main_verbs_subject():
    text = "Ilse snarled, pushing Corin into the mud.\n"
    interactions, _ = _relations(text)
    actions = {(i.source, i.target) for i in interactions if i.kind == "action"}
    assert ("c1", "c2") in actions and ("c2", "c1") not in actions


def test_dialogue_goes_from_speaker_to_addressee_with_quote_evidence():
    text = '"Stay," Ilse told Corin.\n\n"No," said Corin.\n'
    interactions, _ = _relations(text, {0: ("c1", ["c2"]), 1: ("c2", ["c1"])})
    dialogue = {(i.source, i.target): i for i in interactions if i.kind == "dialogue"}
    assert set(dialogue) == {("c1", "c2"), ("c2", "c1")}
    assert dialogue[("c1", "c2")].evidence == [(0, 7)]


def test_relationship_kinds_from_cues_with_evidence():
    text = (
        "Ilse had been Corin's lover for three winters.\n"
        "Dagny was Corin's sister, and she never let him forget it.\n"
        "Ilse kissed Corin before the ship left.\n"
    )
    _, relationships = _relations(text)
    kinds = {(tuple(r.characters), r.kind): r for r in relationships}
    assert ("c1", "c2") in {pair for pair, kind in kinds if kind == "romantic"}
    assert kinds[(("c1", "c2"), "romantic")].weight >= 2
    assert (("c2", "c3"), "family") in kinds
    assert (("c1", "c3"), "romantic") not in kinds
    romantic = kinds[(("c1", "c2"), "romantic")]
    assert any("lover" in text[s:e] or "kissed" in text[s:e] for s, e in romantic.evidence)


def test_i_love_you_said_to_someone_is_romantic():
    text = '"I love you," Dagny whispered to Ilse.\n'
    _, relationships = _relations(text, {0: ("c3", ["c1"])})
    assert any(r.kind == "romantic" and r.characters == ["c1", "c3"] for r in relationships)


def test_co_presence_counts_shared_scenes():
    interactions, _ = _relations("Ilse, Corin and Dagny sat by the fire.\n")
    present = {(i.source, i.target) for i in interactions if i.kind == "co-presence"}
    assert present == {("c1", "c2"), ("c1", "c3"), ("c2", "c3")}


def test_a_cue_in_speech_binds_only_in_first_or_second_person():
    text = (
        '"I wanted him to have a full family," Ilse told Corin.\n\n'
        '"You are my brother," Dagny told Corin.\n\n'
        '"He\'s your partner, not your enemy," Ilse told Dagny.\n\n'
        '"Sleep well, my darling," Corin told Ilse.\n'
    )
    said = {0: ("c1", ["c2"]), 1: ("c3", ["c2"]), 2: ("c1", ["c3"]), 3: ("c2", ["c1"])}
    _, relationships = _relations(text, said)
    kinds = {(tuple(r.characters), r.kind) for r in relationships}
    assert (("c2", "c3"), "family") in kinds and (("c1", "c2"), "family") not in kinds
    assert (("c1", "c3"), "romantic") not in kinds  # the partner is a third party
    assert (("c1", "c3"), "enmity") not in kinds
    assert (("c1", "c2"), "romantic") in kinds


def test_possessive_cue_ties_the_possessor_to_the_nearest_other_character():
    text = "Corin waited on the pier. Ilse came at dawn, and she was glad to see her lover.\n"
    story = story_with_cast(text, CAST, {"c1": "she|her"})
    story.scenes = []
    _, relationships = find_relations(story)
    assert any(r.kind == "romantic" and r.characters == ["c1", "c2"] for r in relationships)


def test_a_cue_word_used_as_another_verb_is_no_cue():
    text = "Ilse tried to crush Corin's hand in the door.\n\nDagny kissed Corin.\n"
    _, relationships = _relations(text)
    kinds = {(tuple(r.characters), r.kind) for r in relationships}
    assert (("c1", "c2"), "romantic") not in kinds and (("c2", "c3"), "romantic") in kinds
