"""Local cues in a paragraph's narration: speech tags ("said Mira", "she hissed") and action beats."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from storyworld.lexicon import words
from storyworld.model import Paragraph, Quote
from storyworld.speakers.context import Context
from storyworld.speakers.pronouns import resolve

SUBJECTS = ("nsubj", "nsubjpass")
OBJECTS = ("dobj", "dative", "iobj")
NEAR = 120  # characters of narration beside a quote in which its tag is looked for
_MARKS = ('"', "“", "”")


@dataclass
class Cue:
    """A speaker found in the narration, how, and where."""

    speaker: str | None  # None: a tag whose subject is no known character ("said the other")
    kind: str  # explicit | anaphoric | implicit
    evidence: tuple[int, int]
    addressees: list[str] = field(default_factory=list)
    pronoun: int | None = None  # where the subject pronoun is, resolved once turn-taking is known


def speech_tag(ctx: Context, paragraph: Paragraph, quote: Quote, before: int, after: int) -> Cue | None:
    """The speech tag of `quote`: first the narration right after it, then right before it.

    `before`/`after` bound the narration that belongs to this quote (the neighbouring quotes' ends).
    """
    after_tokens = [t for t in ctx.tokens(quote.end, min(after, quote.end + NEAR)) if not t.is_space]
    before_tokens = [t for t in ctx.tokens(max(before, quote.start - NEAR), quote.start) if not t.is_space]
    for tokens in (_first_clause(after_tokens), _last_clause(before_tokens)):
        for token in tokens:
            if _is_speech_verb(token):
                return _tag_cue(ctx, token)
    return None


def action_beat(ctx: Context, paragraph: Paragraph, exclude: frozenset[str]) -> Cue | None:
    """The first character that is the subject of a clause in the paragraph's narration."""
    for token in ctx.tokens(paragraph.start, paragraph.end):
        if token.dep_ not in SUBJECTS or ctx.mask.inside(token.idx):
            continue
        speaker, _ = _who(ctx, token, exclude)
        if speaker is not None and speaker not in exclude:
            return Cue(speaker, "implicit", (token.idx, token.idx + len(token)))
    return None


def _first_clause(tokens: list[Token]) -> list[Token]:
    """Words up to the next sentence or quote: '"Go,"--said Mira. She left.' keeps '--said Mira'."""
    words_seen = False
    for i, token in enumerate(tokens):
        if words_seen and (token.is_sent_start or token.text in _MARKS):
            return tokens[:i]
        words_seen = words_seen or not token.is_punct
    return tokens


def _last_clause(tokens: list[Token]) -> list[Token]:
    """Words after the last sentence start: 'She left. Mira said,\n' keeps 'Mira said,'."""
    words_seen = False
    for i in range(len(tokens) - 1, 0, -1):
        words_seen = words_seen or not tokens[i].is_punct
        if words_seen and (tokens[i].is_sent_start or tokens[i - 1].text in _MARKS):
            return tokens[i:]
    return tokens


def _is_speech_verb(token: Token) -> bool:
    if token.pos_ not in ("VERB", "AUX") or token.lemma_.lower() not in words("speech", "verbs", "speech"):
        return False
    if token.lemma_.lower() in words("speech", "verbs", "needs_particle"):
        return any(child.dep_ == "prt" for child in token.children)
    return True


def _subject(ctx: Context, verb: Token) -> Token | None:
    """The verb's subject in the narration; for a conjoined verb ("smiled and said") the first verb's."""
    for candidate in (verb, verb.head if verb.dep_ == "conj" else None):
        if candidate is None:
            continue
        for child in candidate.children:
            if child.dep_ in SUBJECTS and not ctx.mask.inside(child.idx):
                return child
    # A parse that missed an inverted subject ("said Mira"): the word right after the verb.
    following = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if following is not None and following.pos_ in ("PROPN", "PRON", "NOUN", "DET"):
        return following
    return None


def _who(ctx: Context, token: Token, exclude: frozenset[str] = frozenset()) -> tuple[str | None, str]:
    """The character `token` names (kind explicit) or a pronoun refers to (kind anaphoric)."""
    if token.pos_ == "PRON" or token.tag_ == "PRP":
        return resolve(ctx, token.idx, avoid=exclude), "anaphoric"
    ref = ctx.index.covering(token.idx)
    if ref is not None:
        return ref.character, "explicit"
    # A description no mention covers: its head noun may be in one character's name ("her aunt").
    return (ctx.index.by_noun(token.lemma_) if token.pos_ == "NOUN" else None), "explicit"


def _tag_cue(ctx: Context, verb: Token) -> Cue:
    subject = _subject(ctx, verb)
    evidence = (verb.idx, verb.idx + len(verb))
    if subject is None:
        return Cue(None, "explicit", evidence)
    speaker, kind = _who(ctx, subject)
    pronoun = subject.idx if kind == "anaphoric" else None
    last = subject.right_edge
    evidence = (min(verb.idx, subject.left_edge.idx), max(evidence[1], last.idx + len(last)))
    addressees = []
    for child in verb.children:
        target = child
        if child.dep_ == "prep" and child.lower_ == "to":
            target = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif child.dep_ not in OBJECTS:
            continue
        if target is not None:
            who, _ = _who(ctx, target, frozenset({speaker}) if speaker else frozenset())
            if who is not None and who != speaker:
                addressees.append(who)
    return Cue(speaker, kind, evidence, addressees, pronoun)
