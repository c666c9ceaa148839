"""Relations: who talks to and acts on whom (interactions), and what kind of bond it is.

Interactions come from three sources, each with its evidence spans:
- dialogue: a speech quote's speaker -> each of its addressees;
- action: a verb whose subject and object are both characters ("Naruto hissed, pushing the
  redhead into the ground": a participle takes the subject of the verb it hangs on);
- co-presence: two characters in the same scene.
Relationship kinds come from cue words (data/relations.toml) in a sentence that names exactly the
two characters, from a possessive ("his lover" beside the one it names), from a verb between them
("kissed"), and from what one says to the other ("I love you"). Weight is the evidence count.
"""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from itertools import combinations

from spacy.tokens import Doc, Token

from storyworld.lexicon import lexicon
from storyworld.model import Interaction, Relationship, RelationshipKind, Story
from storyworld.pipeline import Stage
from storyworld.spans import MentionIndex, quote_test, token_characters

MAX_EVIDENCE = 20
SUBJECTS = ("nsubj", "nsubjpass")
OBJECTS = ("dobj", "pobj", "iobj", "dative")
# A participle or coordinated verb without a subject takes its head's ("..., pushing the redhead").
INHERITS_SUBJECT = ("advcl", "xcomp", "conj", "acl")


@lru_cache(maxsize=1)
def _cues() -> dict[RelationshipKind, tuple[re.Pattern[str], frozenset[str]]]:
    cues = {}
    for kind, entry in lexicon("relations").items():
        phrases = sorted(entry["phrases"], key=len, reverse=True)
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, phrases)) + r")\b", re.IGNORECASE)
        cues[kind] = (pattern, frozenset(entry["lemmas"]))
    return cues


class _Tally:
    """Counts and evidence per (source, target, kind); order-free when `directed` is False."""

    def __init__(self, directed: bool) -> None:
        self.directed = directed
        self.count: dict[tuple[str, str, str], int] = defaultdict(int)
        self.evidence: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)

    def add(self, a: str, b: str, kind: str, span: tuple[int, int]) -> None:
        if a == b:
            return
        key = (a, b, kind) if self.directed else (*sorted((a, b)), kind)
        self.count[key] += 1
        if len(self.evidence[key]) < MAX_EVIDENCE:
            self.evidence[key].append(span)


def _subject(verb: Token) -> list[Token]:
    while True:
        subjects = [child for child in verb.children if child.dep_ in SUBJECTS]
        if subjects or verb.dep_ not in INHERITS_SUBJECT or verb.head is verb:
            return subjects
        verb = verb.head


def _objects(verb: Token) -> list[Token]:
    found = [child for child in verb.children if child.dep_ in ("dobj", "iobj", "dative")]
    for prep in (child for child in verb.children if child.dep_ == "prep"):
        found.extend(child for child in prep.children if child.dep_ == "pobj")
    return found


def _actions(doc: Doc, owners: dict[int, str], inside_quote, tally: _Tally, cue_tally: _Tally) -> None:
    lemma_kinds = [(kind, lemmas) for kind, (_, lemmas) in _cues().items()]
    for token in doc:
        if token.pos_ != "VERB" or inside_quote(token.idx):
            continue
        sources = {owners[t.i] for t in _subject(token) if t.i in owners}
        targets = {owners[t.i] for t in _objects(token) if t.i in owners}
        if not sources or not targets:
            continue
        sentence = token.sent
        span = (sentence.start_char, sentence.end_char)
        for source in sources:
            for target in targets:
                tally.add(source, target, "action", span)
                for kind, lemmas in lemma_kinds:
                    if token.lemma_.lower() in lemmas:
                        cue_tally.add(source, target, kind, span)


def _sentence_cues(doc: Doc, owners: dict[int, str], inside_quote, cue_tally: _Tally) -> None:
    """A cue word in the narration of a sentence that names exactly two characters ties those two.
    (Cues inside quotes are the dialogue's business: see _dialogue.)"""
    cues = _cues()
    for sentence in doc.sents:
        present = {owners[t.i] for t in sentence if t.i in owners}
        if len(present) != 2:
            continue
        a, b = sorted(present)
        for kind, (pattern, lemmas) in cues.items():
            for match in pattern.finditer(sentence.text):
                start = sentence.start_char + match.start()
                if not inside_quote(start) and not _other_verb(doc, start, lemmas):
                    cue_tally.add(a, b, kind, (start, sentence.start_char + match.end()))
                    break


def _other_verb(doc: Doc, start: int, lemmas: frozenset[str]) -> bool:
    """A cue word used as a verb its kind does not list: "to crush his ribs" is no crush, "master
    the technique" no master ("kissed", "married" are listed)."""
    span = doc.char_span(start, start + 1, alignment_mode="expand")
    return span is not None and span[0].pos_ == "VERB" and span[0].lemma_.lower() not in lemmas


@lru_cache(maxsize=1)
def _cue_nouns() -> dict[str, RelationshipKind]:
    """One-word cues that name a role toward someone ("lover", "son", "sensei"), by kind."""
    return {
        phrase.lower(): kind
        for kind, entry in lexicon("relations").items()
        for phrase in entry["phrases"]
        if " " not in phrase
    }


def _possessive_cues(doc: Doc, owners: dict[int, str], inside_quote, cue_tally: _Tally) -> None:
    """"his lover", "Naruto's sensei": the possessor and the one the noun names.

    The noun's own character when it is a mention, else the nearest other character in the
    sentence, else in the sentence before ("... Rell ... The blonde snapped at his lover").
    """
    nouns = _cue_nouns()
    for token in doc:
        kind = nouns.get(token.lower_)
        if kind is None or inside_quote(token.idx):
            continue
        possessors = {owners[c.i] for c in token.children if c.dep_ == "poss" and c.i in owners}
        if len(possessors) != 1:
            continue
        (possessor,) = possessors
        partner = owners.get(token.i)
        if partner is None or partner == possessor:
            sentence = token.sent
            window = [*doc[max(sentence.start - 60, 0) : sentence.start], *sentence]
            others = [t for t in window if owners.get(t.i, possessor) != possessor]
            if not others:
                continue
            partner = owners[min(others, key=lambda t: abs(t.i - token.i)).i]
        cue_tally.add(possessor, partner, kind, (token.idx, token.idx + len(token.text)))


# "you are my ...", "I'm your ...": the speaker says what the two of them are to each other.
_IDENTITY = re.compile(
    r"\b(?:you(?:'re|’re| are| were)|i(?:'m|’m| am| was))\s+(?:\w+\s+)?(?:my|your|our)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
# "Good night, my love." / "My son, listen.": the cue is how the speaker addresses the listener.
_VOCATIVE_BEFORE = re.compile(r"(?:^|[,.!?;—–-]\s*)(?:my|our)\s+(?:\w+\s+)?$", re.IGNORECASE)
_VOCATIVE_AFTER = re.compile(r"^\s*(?:[,.!?;—–-]|$)")


def _binds_the_two(text: str, cue: re.Match[str]) -> bool:
    """A cue in speech ties speaker and addressee when it names what they are to each other: "I
    love you", "You are my brother", "Good night, my love" — not "a full family", "his brother",
    or "He's your partner" (the partner is somebody else)."""
    if re.search(r"\byou\b", cue.group(), re.IGNORECASE):
        return True
    before, after = text[: cue.start()], text[cue.end() :]
    vocative = _VOCATIVE_BEFORE.search(before) and _VOCATIVE_AFTER.match(after)
    return bool(_IDENTITY.search(before) or vocative)


def _dialogue(story: Story, tally: _Tally, cue_tally: _Tally) -> None:
    quotes = {q.id: q for q in story.quotes or []}
    cues = _cues()
    for verdict in story.attributions or []:
        quote = quotes.get(verdict.quote)
        if quote is None or verdict.speaker is None:
            continue
        for addressee in verdict.addressees:
            tally.add(verdict.speaker, addressee, "dialogue", (quote.start, quote.end))
            for kind, (pattern, _) in cues.items():
                if any(_binds_the_two(quote.text, m) for m in pattern.finditer(quote.text)):
                    cue_tally.add(verdict.speaker, addressee, kind, (quote.start, quote.end))


def _co_presence(story: Story, tally: _Tally) -> None:
    for scene in story.scenes or []:
        for a, b in combinations(sorted(set(scene.characters)), 2):
            tally.add(a, b, "co-presence", (scene.start, scene.end))


def find_relations(story: Story) -> tuple[list[Interaction], list[Relationship]]:
    assert story.doc is not None
    index = MentionIndex(story.characters or [])
    owners = token_characters(story.doc, index)
    inside_quote = quote_test([(q.start, q.end) for q in story.quotes or []])
    directed, undirected, cue_tally = _Tally(True), _Tally(False), _Tally(False)
    _dialogue(story, directed, cue_tally)
    _actions(story.doc, owners, inside_quote, directed, cue_tally)
    _co_presence(story, undirected)
    _sentence_cues(story.doc, owners, inside_quote, cue_tally)
    _possessive_cues(story.doc, owners, inside_quote, cue_tally)
    interactions = [
        Interaction(source=a, target=b, kind=kind, count=n, evidence=tally.evidence[(a, b, kind)])
        for tally in (directed, undirected)
        for (a, b, kind), n in tally.count.items()
    ]
    interactions.sort(key=lambda i: (-i.count, i.source, i.target, i.kind))
    relationships = [
        Relationship(characters=[a, b], kind=kind, weight=float(n), evidence=cue_tally.evidence[(a, b, kind)])
        for (a, b, kind), n in cue_tally.count.items()
    ]
    relationships.sort(key=lambda r: (-r.weight, r.characters, r.kind))
    return interactions, relationships


def relations(story: Story) -> dict:
    interactions, relationships = find_relations(story)
    return {"interactions": interactions, "relationships": relationships}


STAGE = Stage(
    "relations",
    requires=("doc", "quotes", "characters", "attributions", "scenes"),
    assigns=("interactions", "relationships"),
    compute=relations,
)
