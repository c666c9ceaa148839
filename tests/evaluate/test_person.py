"""Narrative person: first-person narration told apart from third person with quoted "I"."""

from __future__ import annotations

from storyworld.evaluate.person import evaluate_person, predict_person

FIRST = (
    "I never meant to stay in Harrowgate. I came for my aunt's funeral and found the house unsold.\n\n"
    '"You could keep it," the agent told me.\n\n'
    "I laughed at him, but that night I walked the rooms and counted the windows, and I began to wonder.\n"
)
THIRD = (
    "Mira never meant to stay in Harrowgate. She came for her aunt's funeral.\n\n"
    '"I could keep it," she said. "I could, I suppose. I really could."\n\n'
    "He laughed at her, but that night she walked the rooms and counted the windows.\n"
)


def test_first_person_narration_is_first_and_quoted_i_is_not():
    assert predict_person(FIRST) == "first"
    assert predict_person(THIRD) == "third"


def test_pdnc_narrative_person_mostly_agrees(shared):
    results = evaluate_person(str(shared / "corpora" / "pdnc"))
    assert len(results) == 16
    # Three PDNC labels mark a frame narrator (or none we can see) on a third-person story: see
    # the closing note of the scenes issue. The narrator-protagonist novels must be right.
    assert sum(r.gold == r.predicted for r in results) >= 13
    assert all(r.gold == "first" for r in results if r.predicted == "first")
