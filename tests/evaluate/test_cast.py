"""The cast scorer: PDNC one-to-one mapping and LitBank B3."""

from __future__ import annotations

import pytest

from storyworld.evaluate.cast import b_cubed, score_litbank, score_pdnc
from storyworld.model import Character, Mention


def _character(cid: str, name: str, *spans: tuple[int, int, str]) -> Character:
    mentions = [Mention(start=s, end=e, text=t, kind="name") for s, e, t in spans]
    return Character(id=cid, name=name, mentions=mentions)


def test_b_cubed_perfect_and_all_singletons():
    gold = {(0, 1): "a", (2, 3): "a", (4, 5): "b"}
    assert b_cubed(gold, {(0, 1): "x", (2, 3): "x", (4, 5): "y"}) == (1.0, 1.0)
    precision, recall = b_cubed(gold, {})
    assert precision == 1.0 and recall == pytest.approx((0.5 + 0.5 + 1) / 3)


def test_b_cubed_penalises_a_wrong_merge():
    gold = {(0, 1): "a", (2, 3): "b"}
    precision, recall = b_cubed(gold, {(0, 1): "x", (2, 3): "x"})
    assert precision == 0.5 and recall == 1.0


def test_pdnc_main_characters_map_one_to_one():
    record = {
        "characters": [
            {"id": "1", "name": "Elinor Dashwood", "aliases": ["Elinor", "Miss Dashwood"]},
            {"id": "2", "name": "Edward Ferrars", "aliases": ["Edward"]},
        ],
        "quotes": [{"speaker": "1", "group": str(i)} for i in range(5)]
        + [{"speaker": "2", "group": str(i)} for i in range(5, 10)],
    }
    predicted = [
        _character("c1", "Elinor", (0, 6, "Elinor")),
        _character("c2", "Edward", (10, 16, "Edward")),
        _character("c3", "Edward Ferrars", (20, 34, "Edward Ferrars")),
        _character("c4", "Barton", (40, 46, "Barton")),
    ]
    score, missed = score_pdnc(record, predicted)
    assert (score.main, score.one_to_one, score.predicted, score.unmapped) == (2, 1, 4, 1)
    assert missed == ["Edward Ferrars -> ['Edward', 'Edward Ferrars']"]


def test_unnamed_characters_map_only_when_asked():
    record = {"characters": [{"id": "1", "name": "The Policeman", "aliases": ["A Policeman"]}],
              "quotes": [{"speaker": "1", "group": str(i)} for i in range(5)]}
    policeman = _character("c1", "the policeman", (0, 13, "the policeman"))
    policeman.named = False
    named_only, _ = score_pdnc(record, [policeman])
    everyone, _ = score_pdnc(record, [policeman], named_only=False)
    assert (named_only.one_to_one, named_only.predicted) == (0, 0)
    assert (everyone.one_to_one, everyone.predicted) == (1, 1)


def test_litbank_aligns_on_the_span_end():
    record = {
        "mentions": [
            {"start": 0, "end": 10, "entities": ["a"], "ner": "PER"},
            {"start": 20, "end": 23, "entities": ["a"], "ner": "PER"},
            {"start": 30, "end": 35, "entities": ["b"], "ner": "LOC"},
        ]
    }
    predicted = [_character("c1", "X", (4, 10, "Holmes"), (20, 23, "him"))]
    precision, recall, count = score_litbank(record, predicted)
    assert (precision, recall, count) == (1.0, 1.0, 2)
