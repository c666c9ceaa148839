"""What the narration right beside a turn says about who spoke it and who only listened.

A reader takes a line's speaker from the sentence after it when that sentence shows someone being seen
('"That's it?" / Mira turned to see Jory leaning in the doorway': Jory), or describes whose voice or words
they were ('"Out." / His voice was flat.', 'She sounded tired.'); and rules out whoever only hears the
line ('Mira heard a gasp.', 'Jory recognised the voice', 'the voice echoed in her head') or has just been
silenced ('He was silenced with a glare.').
"""

from __future__ import annotations

from spacy.tokens import Token

from storyworld.lexicon import words
from storyworld.speakers.context import Context
from storyworld.speakers.pronouns import resolve
from storyworld.speakers.tags import OBJECTS, SUBJECTS, Cue, who

# "turned to see", "relented, only to hear", "was about to snap": the subject is the main verb's
_CLIMB = ("xcomp", "advcl", "conj", "ccomp", "acomp")
_CLIMB_STEPS = 3
SENTENCE = 400  # characters
_PLACES = ("at", "in", "by", "on", "beside", "behind", "near")


def first_sentence(ctx: Context, start: int, end: int) -> list[Token]:
    """The narration tokens of the first sentence that starts in [start, end), outside quotes (at most
    SENTENCE characters of it: no reading of whole long paragraphs)."""
    tokens = [t for t in ctx.tokens(start, min(end, start + SENTENCE)) if not t.is_space]
    if not tokens:
        return []
    sentence = tokens[0].sent
    return [t for t in tokens if t.i < sentence.end and not ctx.mask.inside(t.idx)]


def last_sentence(ctx: Context, start: int, end: int) -> list[Token]:
    """The narration tokens of the sentence that ends the stretch [start, end), outside quotes (at most
    SENTENCE characters of it)."""
    tokens = [t for t in ctx.tokens(max(start, end - SENTENCE), end) if not t.is_space]
    words_only = [t for t in tokens if not t.is_punct]
    if not words_only:
        return []
    sentence = words_only[-1].sent
    return [t for t in tokens if t.i >= sentence.start and not ctx.mask.inside(t.idx)]


def seen(ctx: Context, sentence: list[Token]) -> Cue | None:
    """The character someone else turns to see or finds there ("Mira turned to see Jory in the doorway")."""
    for token in sentence:
        if token.pos_ != "VERB" or token.lemma_.lower() not in words("speech", "perception", "see"):
            continue
        seer = _clause_subject(ctx, token)
        for target in _perceived(token):
            if target.pos_ == "PRON" or target.tag_ == "PRP":
                continue  # "turned to see him": whom "him" means is no surer than the guess it would replace
            character, _ = who(ctx, target)
            if character is not None and character != seer:
                return Cue(character, "implicit", (target.idx, target.idx + len(target)))
    return None


def voice_owner(ctx: Context, sentence: list[Token], exclude: frozenset[str]) -> Cue | None:
    """Whose voice, words or tone the sentence describes ("His voice was flat."), or who "sounded" so."""
    for token in sentence:
        lemma = token.lemma_.lower()
        owner = None
        if token.pos_ == "NOUN" and lemma in words("speech", "perception", "voice"):
            owner = next((c for c in token.children if c.dep_ == "poss"), None)
        elif token.pos_ == "VERB" and lemma == "sound":
            owner = next((c for c in token.children if c.dep_ in SUBJECTS), None)
        if owner is None:
            continue
        character, _ = who(ctx, owner, exclude)
        if character is not None and character not in exclude:
            return Cue(character, "implicit", (owner.idx, owner.idx + len(owner)))
    return None


def listeners(ctx: Context, sentence: list[Token]) -> list[str]:
    """Characters the sentence shows hearing a voice or recognising it: not the speaker of the line heard.

    (Not "listened": in a novel whoever listened so often answers at once that it says nothing.)"""
    found: list[str] = []
    for token in sentence:
        lemma = token.lemma_.lower()
        listener = None
        if token.pos_ == "VERB" and lemma in words("speech", "perception", "hear") and _hears_speech(token):
            listener = _subject_token(ctx, token)
        elif (token.pos_ == "NOUN" and lemma == "voice" and token.dep_ in SUBJECTS
              and not any(c.dep_ == "poss" for c in token.children)):
            # "the voice echoed in his mind": whoever the sentence is about hears a voice no one owns here
            # (not "in a low voice": that is the speaker's)
            listener = next((c for c in token.sent.root.children if c.dep_ in SUBJECTS), None)
            listener = None if listener is not None and listener.i == token.i else listener
        _add(ctx, listener, found)
    return found


def silenced(ctx: Context, sentence: list[Token]) -> list[str]:
    """Characters the sentence makes stop talking ("He was silenced with a glare", "silencing him"), shows
    only about to speak ("was about to snap at him, only to find ...") or acting without a word ("She
    shook her head without a word")."""
    found: list[str] = []
    for token in sentence:
        lemma = token.lemma_.lower()
        if token.pos_ == "VERB" and lemma in words("speech", "perception", "silence"):
            _add(ctx, next((c for c in token.children if c.dep_ in ("nsubjpass", *OBJECTS)), None), found)
        elif (token.pos_ == "VERB" and _wordless(token)) or _about_to_speak(token):
            _add(ctx, _subject_token(ctx, token), found)
    return found


def unanswering(ctx: Context, sentence: list[Token]) -> list[str]:
    """Characters the sentence says did not answer ("Sasha didn't answer him"): the one addressed."""
    found: list[str] = []
    for token in sentence:
        if (token.pos_ == "VERB" and token.lemma_.lower() in words("speech", "perception", "answer")
                and any(c.dep_ == "neg" for c in token.children)):
            _add(ctx, _subject_token(ctx, token), found)
    return found


def pausing(ctx: Context, sentence: list[Token]) -> Cue | None:
    """The subject of a sentence that only pauses ("He paused, and ..."): the line after it is the same
    speaker's, going on."""
    root = sentence[0].sent.root if sentence else None
    if root is None or root.lemma_.lower() not in words("speech", "perception", "pause"):
        return None
    subject = _subject_token(ctx, root)
    if subject is None:
        return None
    if subject.pos_ == "PRON":
        # "He paused, and Naruto could not move": not whoever the clause joined to it names
        others = frozenset(filter(None, (who(ctx, c)[0] for verb in root.conjuncts for c in verb.children
                                         if c.dep_ in SUBJECTS and c.pos_ != "PRON")))
        character = resolve(ctx, subject.idx, never=others)
    else:
        character = who(ctx, subject)[0]
    return Cue(character, "implicit", (subject.idx, subject.idx + len(subject))) if character else None


def speaking(ctx: Context, sentence: list[Token]) -> Cue | None:
    """Whose lips move or mouth opens in the sentence right before a line ("he found his lips moving
    again"): the line is theirs."""
    for token in sentence:
        if token.lemma_.lower() not in words("speech", "perception", "mouth") or token.dep_ not in (
                *SUBJECTS, *OBJECTS):
            continue
        verb = token.head
        if verb.lemma_.lower() not in words("speech", "perception", "mouth_moves") or any(
                c.dep_ == "neg" for c in verb.children):
            continue
        owner = next((c for c in token.children if c.dep_ == "poss"), None)
        character = who(ctx, owner)[0] if owner is not None else None
        if character is not None:
            return Cue(character, "implicit", (owner.idx, owner.idx + len(owner)))
    return None


def _about_to_speak(token: Token) -> bool:
    """ "was about to snap at him": a speech verb under "about"."""
    return token.dep_ == "xcomp" and token.head.lower_ == "about" and token.lemma_.lower() in words(
        "speech", "verbs", "speech")


def _wordless(verb: Token) -> bool:
    """The verb is done "without a word" or "silently"."""
    for child in verb.children:
        if child.dep_ == "advmod" and child.lower_ in words("speech", "perception", "wordless"):
            return True
        if child.dep_ == "prep" and child.lower_ == "without" and any(
                t.lemma_.lower() in ("word", "sound") for t in child.subtree):
            return True
    return False


def _add(ctx: Context, token: Token | None, found: list[str]) -> None:
    character = who(ctx, token)[0] if token is not None else None
    if character is not None and character not in found:
        found.append(character)


def _hears_speech(verb: Token) -> bool:
    """Heard / recognised a voice, a gasp, words (not footsteps; not "could not hear a word")."""
    if any(c.dep_ == "neg" for c in verb.children):
        return False
    sounds = words("speech", "perception", "sounds")
    heard = [c for c in verb.children if c.dep_ in (*OBJECTS, "ccomp")]  # "recognise the owner ... leaning"
    return any(t.lemma_.lower() in sounds for c in heard for t in c.subtree)


def _perceived(verb: Token) -> list[Token]:
    """Whom a perception verb shows somewhere or doing something: the subject of its participle clause
    ("see Jory leaning in the doorway"), or its object with a participle or a place ("find Jory walking
    toward him", "found Jory at the door"); not a bare object ("ran upstairs to see her brother": a visit)."""
    found = []
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp", "oprd") and child.tag_ in ("VBG", "VBN"):
            found += [c for c in child.children if c.dep_ in SUBJECTS]
        elif child.dep_ in OBJECTS:
            placed = any(c.dep_ == "prep" and c.lower_ in _PLACES for c in verb.children)
            if placed or any(c.dep_ == "acl" and c.tag_ in ("VBG", "VBN") for c in child.children):
                found.append(child)
    return found


def _subject_token(ctx: Context, verb: Token) -> Token | None:
    """The subject of the verb, or of the verb it depends on ("turned to see", "relented, only to hear")."""
    for _ in range(_CLIMB_STEPS):
        subject = next((c for c in verb.children if c.dep_ in SUBJECTS and not ctx.mask.inside(c.idx)), None)
        if subject is not None or verb.dep_ not in _CLIMB or verb.head.i == verb.i:
            return subject
        verb = verb.head
    return None


def _clause_subject(ctx: Context, verb: Token) -> str | None:
    subject = _subject_token(ctx, verb)
    return who(ctx, subject)[0] if subject is not None else None
