"""Which character in view a he/she/him/her/his refers to: a small log-linear scorer.

Each character mentioned in the last few paragraphs (of a gender that fits) is a candidate, described
by salience features: how recently it was mentioned (rank among the characters, sentences and
paragraphs back), its grammatical role then (subject, object, possessor) and whether the pronoun
repeats that role, whether either sits inside a quotation (the resolver has already set aside the
one a speech tag gives the line to: "he" in a line is not its speaker), and how sure its gender is.
The weights (data/pronoun_weights.json) are trained by scripts/train_pronouns.py on LitBank with
documents held out; the highest-scoring candidate wins.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from storyworld.cast.entities import Entity
from storyworld.cast.features import Features

MAX_RANK = 6
MAX_SENTENCES = 6


@dataclass
class Candidate:
    """A character in view of a pronoun, with what the window says about it."""

    entity: Entity
    rank: int  # 0 for the character mentioned last
    latest: Features  # its last mention
    count: int = 0  # its mentions in the window
    recent_subject: bool = False  # a subject in this or the last two sentences
    last_sentence_subject: bool = False  # a subject in this sentence or the one before
    tag_speaker: bool = False  # the subject of a speech verb in the narration of the pronoun's paragraph
    main_subject: bool = False  # a main clause's subject in this sentence or the one before


def features(pronoun: Features, candidate: Candidate) -> dict[str, float]:
    """The feature values of one candidate (names are the keys of the weights file)."""
    g, entity = candidate.latest, candidate.entity
    quoted = pronoun.quote is not None
    possessive = pronoun.head.dep_ == "poss"
    values = {
        "rank": min(candidate.rank, MAX_RANK),
        "rank-0": candidate.rank == 0,
        "rank-1": candidate.rank == 1,
        "sentences": min(pronoun.sentence - g.sentence, MAX_SENTENCES),
        "same-sentence": pronoun.sentence == g.sentence,
        "paragraphs": pronoun.paragraph - g.paragraph,
        "recent-subject": candidate.recent_subject,
        "last-sentence-subject": candidate.last_sentence_subject,
        "last-subject": g.subject,
        "last-object": g.object,
        "last-possessor": g.head.dep_ == "poss",
        "parallel-subject": pronoun.subject and (g.subject or candidate.last_sentence_subject),
        "parallel-object": pronoun.object and g.object,
        "possessive-of-subject": possessive and g.subject and pronoun.sentence == g.sentence,
        "antecedent-quoted": g.quote is not None and not quoted,
        "same-quote": quoted and g.quote == pronoun.quote,
        "from-outside-quote": quoted and g.quote != pronoun.quote,
        "gender-sure": entity.gender == pronoun.gender,
        "last-name": g.kind == "name",
        "last-pronoun": g.kind == "pronoun",
        "window-mentions": math.log1p(candidate.count),
        "all-mentions": math.log1p(len(entity.mentions)),
        "named": bool(entity.keys or entity.given or entity.canon),
        "animal": bool(entity.species_names()),
        "addressed-here": quoted and g.quote == pronoun.quote and _vocative(g),
        "subject-then-subject": pronoun.subject and g.subject and candidate.rank == 0,
        # "Oren was quiet so long that Ivo thought ... 'No,' he said": the main clause's subject
        "main-clause-subject": candidate.main_subject,
    }
    return {name: float(value) for name, value in values.items()}


def _vocative(mention: Features) -> bool:
    """ "Don't move, Watson.": a name set off by commas with no role in its clause (the addressee,
    whom a he/she in the same line hardly means)."""
    head = mention.head
    if head.dep_ not in ("npadvmod", "appos", "dep", "intj", "ROOT", "vocative", "nmod", "conj"):
        return False
    doc = head.doc
    before = doc[head.i - 1].text if head.i else ""
    after = doc[head.i + 1].text if head.i + 1 < len(doc) else ""
    return before in (",", "") or after in (",", ".", "!", "?")


@dataclass
class PronounModel:
    weights: dict[str, float] = field(default_factory=dict)

    def score(self, values: dict[str, float]) -> float:
        return sum(self.weights.get(name, 0.0) * value for name, value in values.items())

    def choose(self, pronoun: Features, candidates: list[Candidate]) -> Entity | None:
        """The best-scoring candidate (the training script records the candidates here)."""
        if not candidates:
            return None
        return max(candidates, key=lambda c: self.score(features(pronoun, c))).entity


@cache
def _packaged() -> PronounModel:
    path = files("storyworld") / "data" / "pronoun_weights.json"
    return PronounModel(json.loads(path.read_text(encoding="utf-8"))["weights"])


def pronoun_model() -> PronounModel:
    """The packaged model (one place for the training script to put another)."""
    return _packaged()


def main_clause_subject(mention: Features) -> bool:
    """The mention is the subject of its sentence's main verb (or of a verb joined to it by "and"), not
    of a clause inside ("that Ivo thought", "when she left")."""
    if not mention.subject:
        return False
    verb = mention.head.head
    while verb.dep_ == "conj" and verb.head is not verb:
        verb = verb.head
    return verb.dep_ == "ROOT"

