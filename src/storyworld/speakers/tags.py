"""Local cues in a paragraph's narration: speech tags ("said Mira", "she hissed") and action beats."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from storyworld.lexicon import words
from storyworld.model import Paragraph, Quote
from storyworld.speakers.context import Context
from storyworld.speakers.pronouns import gender_fit, resolve

SUBJECTS = ("nsubj", "nsubjpass")
OBJECTS = ("dobj", "dative", "iobj")
NEAR = 120  # characters of narration beside a quote in which its tag is looked for
_MARKS = ('"', "“", "”")
_NAME_END = re.compile(r'--|[—"“”]')
_NOUN_PHRASE_OPENERS = ("the", "a", "an", "his", "her", "their", "my", "our")
_PARTICLES = ("in", "out", "up", "on", "back", "off")
_SUBJECT_POS = ("PROPN", "PRON", "NOUN", "DET")
_INSIDE_NAME = ("det", "compound", "amod", "flat", "punct")
_REPORTED = ("of", "about", "on")  # "spoke of the war": speech reported, not a line tagged
_LEAD_IN_ENDS = (":", ",", "—", "-", "--")  # narration that hands over to the quote in the next paragraph


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
    after_tokens = _first_clause(after_tokens)
    before_tokens = [t for t in ctx.tokens(max(before, quote.start - NEAR), quote.start) if not t.is_space]
    for tokens in (after_tokens, _last_clause(before_tokens)):
        for token in tokens:
            # (not the verb of an adverbial clause: '"Enough." His scarf shifted like it was thinking.'; a
            # relative clause may be a misparse: '"Or what?" another one asked')
            if _is_speech_verb(token) and token.dep_ != "advcl":
                return _tag_cue(ctx, token)
    inverted = _inverted_verb(quote, after_tokens)
    return _tag_cue(ctx, inverted) if inverted is not None else None


def own_tag(ctx: Context, quote: Quote, before: int, after: int, taken: tuple[int, int]) -> Cue | None:
    """A name tag of a later piece of a paragraph, when it has one of its own: right after it if the piece
    is left open ('and "No, no!" cried Louisa'), else in the narration before it unless that tag (`taken`)
    is the previous piece's. A piece broken off with a dash is interrupted: the words after it are the
    next speaker's ('"in such terms--" Mary interrupted him. "I declare..."')."""
    after_tokens = _first_clause([t for t in ctx.tokens(quote.end, min(after, quote.end + NEAR))
                                  if not t.is_space])
    before_tokens = _last_clause([t for t in ctx.tokens(max(before, quote.start - NEAR), quote.start)
                                  if not t.is_space])
    sides = [before_tokens]
    if _bare(quote.text).endswith((",", "!", "?")):
        sides.insert(0, after_tokens)
    for tokens in sides:
        verb = next((t for t in tokens if _is_speech_verb(t)), None)
        if verb is None:
            continue
        cue = _tag_cue(ctx, verb)
        if cue.kind == "explicit" and cue.speaker is not None and cue.evidence != taken:
            return cue
    return None


def _bare(text: str) -> str:
    """A quote's words without the closing marks."""
    return text.rstrip().rstrip("".join(_MARKS) + "'’")


def lead_in_tag(ctx: Context, quote: Quote, start: int) -> Cue | None:
    """A tag that ends the narration before a paragraph opening with `quote` ("Then Mira said:").

    `start` is where the previous paragraph starts; only its narration after its last quote counts.
    """
    start = max(start, ctx.mask.end_before(quote.start), quote.start - NEAR)
    tokens = [t for t in ctx.tokens(start, quote.start) if not t.is_space]
    if not tokens or not (tokens[-1].text in _LEAD_IN_ENDS or _is_speech_verb(tokens[-1])):
        return None
    for token in _last_clause(tokens):
        if _is_speech_verb(token):
            return _tag_cue(ctx, token)
    return None


def closing_tag(ctx: Context, quote: Quote, start: int) -> Cue | None:
    """A sentence that ends a narration paragraph by saying someone spoke ("—and Mira spoke, flat and calm."),
    for the line that opens the next paragraph with no tag or beat of its own (the caller's to check).

    `start` is where the paragraph before starts; it must hold no line. Narrower than any speech verb at the
    end of the paragraph: the verb is the main one of its sentence and has no object or clause of its own
    ("Mira said nothing.", "He asked whether..." and "She spoke of the war." report speech, not tag it).
    """
    tokens = [t for t in ctx.tokens(start, quote.start) if not t.is_space]
    if not tokens or ctx.mask.end_before(quote.start) > start:
        return None
    verb = tokens[-1].sent.root
    if not _is_speech_verb(verb) or verb.tag_ != "VBD":
        return None
    reported = any(c.dep_ in (*OBJECTS, "ccomp", "xcomp") or (c.dep_ == "prep" and c.lower_ in _REPORTED)
                   for c in verb.children)
    return None if reported else _tag_cue(ctx, verb)


def _inverted_verb(quote: Quote, tokens: list[Token]) -> Token | None:
    """A past-tense verb right after a quote with its subject after it ('"Oh," interposed Cecil'): after a
    quote that does not end its sentence, that word order marks a speech tag whatever the verb."""
    words_only = [t for t in tokens if not t.is_punct]
    if len(words_only) < 2 or words_only[0].tag_ != "VBD":
        return None
    if any(t.text not in _LEAD_IN_ENDS for t in tokens[: tokens.index(words_only[0])]):
        return None
    if not _bare(quote.text).endswith((",", "!", "?", "-", "—")):
        return None
    subject = words_only[1]
    named = subject.pos_ == "PROPN" or (subject.pos_ == "DET" and subject.lower_ in _NOUN_PHRASE_OPENERS)
    return words_only[0] if named else None


def action_beat(ctx: Context, paragraph: Paragraph, exclude: frozenset[str]) -> Cue | None:
    """The first character that acts in the paragraph's narration: a clause's subject, or whose the subject is
    when a name says so ("Ron's grin only widened."; on PDNC "his eyes" as often points elsewhere)."""
    for token in ctx.tokens(paragraph.start, paragraph.end):
        named = token.dep_ in SUBJECTS or token.pos_ != "PRON"  # "his eyes narrowed" is no beat
        if not (acts(token) and named) or ctx.mask.inside(token.idx):
            continue
        speaker, _ = who(ctx, token, exclude)
        if speaker is not None and speaker not in exclude:
            return Cue(speaker, "implicit", (token.idx, token.idx + len(token)))
    return None


def acts(token: Token) -> bool:
    """A clause's subject, or whose the subject is: "Anne's white face appeared", "his eyes narrowed"."""
    return token.dep_ in SUBJECTS or (token.dep_ == "poss" and token.head.dep_ in SUBJECTS)


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
        return any(child.dep_ == "prt" for child in token.children) or _particle_after(token) is not None
    return True


def _particle_after(verb: Token) -> Token | None:
    """The particle right after a verb ("put in Lucy", "called out Cecil"), however the parse labelled it."""
    following = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    return following if following is not None and following.lower_ in _PARTICLES else None


def _subject(ctx: Context, verb: Token) -> Token | None:
    """The verb's subject in the narration; for a conjoined verb ("smiled and said") the first verb's, for
    a verb complement ("managed to mutter") the main verb's."""
    for candidate in (verb, verb.head if verb.dep_ in ("conj", "xcomp") else None):
        if candidate is None:
            continue
        for child in candidate.children:
            # (an adverb is no subject: "said Pooh carelessly" parsed with "carelessly" as one)
            misparsed = child.pos_ == "ADV" and child.is_lower
            if child.dep_ in SUBJECTS and not misparsed and not ctx.mask.inside(child.idx):
                return child
    # A parse that made the tag a clause of its subject ('"Or what?" another one asked': an acl of "one")
    if verb.dep_ in ("acl", "relcl") and verb.head.i == verb.i - 1 and not ctx.mask.inside(verb.head.idx):
        return verb.head
    # A parse that missed an inverted subject ("said Mira"): the word right after the verb.
    following = verb.nbor(1) if verb.i + 1 < len(verb.doc) else None
    if following is not None and _particle_after(verb) is not None and following.i + 1 < len(verb.doc):
        following = following.nbor(1)  # "put in Lucy"
    # (or a capitalised token the tokenizer ran into the next quote: 'Elizabeth--"there')
    if following is not None and (following.pos_ in _SUBJECT_POS or following.text[:1].isupper()):
        # "replied his wife": the noun the possessive belongs to
        return following.head if following.dep_ == "poss" and following.head.i > following.i else following
    return None


def who(ctx: Context, token: Token, exclude: frozenset[str] = frozenset()) -> tuple[str | None, str]:
    """The character `token` names (kind explicit) or a pronoun refers to (kind anaphoric)."""
    if token.pos_ == "PRON" or token.tag_ == "PRP":
        # "another one asked", "one of them said": the cast made a character of the words, not a pronoun
        ref = ctx.index.covering(token.idx)
        if ref is not None and token.lower_ not in words("speech", "pronouns", "never_names"):
            return ref.character, "explicit"
        return resolve(ctx, token.idx, avoid=exclude), "anaphoric"
    # The main names and a given cast's aliases or a relative ("her mother"), then the cast's own mentions,
    # then the aliases it found.
    named = _named(ctx, token, given_only=True) or _relative(ctx, token)
    if named is not None:
        return named, "explicit"
    ref = ctx.index.covering(token.idx)
    if ref is not None:
        return ref.character, "explicit"
    named = _named(ctx, token, given_only=False)
    if named is not None:
        return named, "explicit"
    # A description no mention covers: its head noun may be in one character's name ("her aunt").
    return (ctx.index.by_noun(token.lemma_) if token.pos_ == "NOUN" else None), "explicit"


def _relative(ctx: Context, token: Token) -> str | None:
    """A kinship noun with a possessive pronoun ("said her mother"): the one character of the right gender
    sharing a surname with whoever the pronoun means (of several, see below)."""
    noun = token.lemma_.lower()
    gender = next((g for g in ("female", "male") if noun in words("speech", "relatives", g)), None)
    owner = next((c for c in token.children if c.dep_ == "poss" and c.pos_ == "PRON"), None)
    if gender is None or owner is None:
        return None
    possessor = resolve(ctx, owner.idx)
    if possessor is None:
        return None
    found = [(c, married) for c, married in ctx.index.relatives(possessor)
             if gender_fit(ctx, c, gender) == 1.0]
    if len(found) > 1:  # a parent or spouse is the Mr./Mrs. one, a child or sibling the one who is not
        titled = noun in words("speech", "relatives", "married")
        found = [(c, married) for c, married in found if married == titled]
    return found[0][0] if len(found) == 1 else None


def _named(ctx: Context, token: Token, given_only: bool) -> str | None:
    """The one character a name or alias of the cast matches the phrase `token` heads, longest form first.

    "said the man with the papers", "said the gentle Mrs. Thorpe" -> "Mrs. Thorpe", "said Tom": the cast's
    own names decide even where the mention stage linked the words to someone else or to no one.
    """
    # A parse that took a word of the name ("the" of "the Professor", "Mrs." of "Mrs. Weston") as subject.
    while token.dep_ in _INSIDE_NAME and token.head.i > token.i:
        token = token.head
    doc = token.doc
    right = max(token.i, min(token.right_edge.i, token.i + 8))
    forms = [doc[token.left_edge.i : right + 1]] if right > token.i else []
    forms += [doc[i : token.i + 1] for i in range(token.left_edge.i, token.i + 1)]
    for form in forms:
        # A token may run on into the next quote ('Woodhouse--"indeed'): the name ends at the dash or mark.
        character, known = ctx.index.by_name(_NAME_END.split(form.text)[0], given_only)
        if known:
            return character
    return None


def _tag_cue(ctx: Context, verb: Token) -> Cue:
    subject = _subject(ctx, verb)
    evidence = (verb.idx, verb.idx + len(verb))
    if subject is None:
        return Cue(None, "explicit", evidence)
    speaker, kind = who(ctx, subject)
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
            addressee, _ = who(ctx, target, frozenset({speaker}) if speaker else frozenset())
            if addressee is not None and addressee != speaker:
                addressees.append(addressee)
    return Cue(speaker, kind, evidence, addressees, pronoun)
