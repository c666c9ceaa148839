"""The pronoun scorer: a gold he/she is right when it went to the character its chain's names went to."""

from __future__ import annotations

import re

from storyworld.evaluate.pronouns import score_pronouns
from storyworld.model import Character, Mention
from tests.stages.cast_helpers import CAST_FIXTURES, with_cast


def _gold(text: str, chains: list[tuple[str, int, str, str]]) -> dict:
    """A LitBank-style record: (words, occurrence, kind, chain) located in `text`."""
    mentions = []
    for words, occurrence, kind, chain in chains:
        start = [m.start() for m in re.finditer(rf"\b{words}\b", text)][occurrence]
        mentions.append(
            {"start": start, "end": start + len(words), "text": words, "kind": kind, "entities": [chain]}
        )
    return {"text": text, "mentions": mentions}


CHAINS = [
    ("Mara", 0, "PROP", "mara"),
    ("Tomas", 0, "PROP", "tomas"),
    ("She", 0, "PRON", "mara"),
    ("him", 0, "PRON", "tomas"),
    ("he", 0, "PRON", "tomas"),
    ("Tomas", 1, "PROP", "tomas"),
    ("His", 0, "PRON", "tomas"),
    ("she", 0, "PRON", "mara"),
    ("the letter", 0, "NOM", "letter"),  # a chain never found: its pronouns would be unreachable
]


def test_the_cast_resolves_the_pronouns_of_a_fixture_story_to_their_chains():
    story = with_cast("pronoun_chains.txt")
    score = score_pronouns(_gold(story.text, CHAINS), story.characters)
    assert (score.right, score.scored, score.unresolved, score.unreachable) == (5, 5, 0, 0)


def test_a_pronoun_given_to_the_other_character_or_nobody_is_wrong():
    text = (CAST_FIXTURES / "pronoun_chains.txt").read_text(encoding="utf-8")
    record = _gold(text, CHAINS)
    spans = {(m["start"], m["end"]): m["text"] for m in record["mentions"]}

    def mention(words: str, occurrence: int = 0) -> Mention:
        start, end = [s for s, t in spans.items() if t == words][occurrence]
        return Mention(start=start, end=end, text=words, kind="pronoun" if words.islower() else "name")

    mara = Character(id="c1", name="Mara", mentions=[mention("Mara"), mention("him")])  # "him" wrongly hers
    tomas = Character(id="c2", name="Tomas", mentions=[mention("Tomas"), mention("Tomas", 1), mention("he")])
    score = score_pronouns(record, [mara, tomas])
    assert (score.right, score.scored, score.unresolved) == (1, 5, 3)  # She, His, she unresolved
