"""What the cast stage needs to know about one mention, read from the parse by position.

Kept out of model.Mention (the World contract): head word, grammatical role, gender and number,
paragraph and sentence, and whether it sits inside a quotation.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from spacy.attrs import SENT_START
from spacy.tokens import Doc, Span, Token

from storyworld.cast.names import NameParts, fold, split_name
from storyworld.cast.vocabulary import Vocabulary
from storyworld.model import Mention, Paragraph, Quote, SceneBreak

_WORDS = re.compile(r"[\s\-‐]+")
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
OBJECT_DEPS = frozenset({"dobj", "pobj", "dative", "iobj"})
# A sentence with no verb found is read as subject + predicate when this many tokens follow the mention.
MIN_PREDICATE_TOKENS = 3
# Reader-insert fan fiction leaves the reader's name for the reading site to fill in: "Y/N" (your name),
# "F/N" (first name), "L/N" (last name), bracketed or not, any case ("(y/n)", "[Y/N]", "Y/n's"). The
# brackets belong to the mention, so a line's vocative reads as one: "Oi, (y/n), you're late."
READER_PLACEHOLDER = re.compile(r"(?<![\w/])([(\[])?[YFL]/N(?(1)[)\]])(?![\w/])", re.IGNORECASE)
READER = "Reader"  # the name AO3 gives the character the reader plays ("Bakugou Katsuki/Reader")


class Positions:
    """Which paragraph and quotation a character offset falls in, by binary search."""

    def __init__(
        self,
        paragraphs: Sequence[Paragraph],
        quotes: Sequence[Quote],
        doc: Doc | None = None,
        breaks: Sequence[SceneBreak] = (),
    ) -> None:
        self._paragraph_starts = [p.start for p in paragraphs]
        self._break_ends = sorted(b.end for b in breaks)
        # Sentence number of every token, from one array (Token.sent walks back on every call).
        starts = doc.to_array([SENT_START]) if doc is not None and len(doc) else []
        self._sentences = list(accumulate(1 if flag == 1 else 0 for flag in starts))
        spans = sorted((q.start, q.end) for q in quotes)
        self._quote_starts = [s for s, _ in spans]
        self._quote_ends = [e for _, e in spans]

    def paragraph(self, offset: int) -> int:
        return max(bisect_right(self._paragraph_starts, offset) - 1, 0)

    def scene(self, offset: int) -> int:
        """The number of scene breaks before `offset`."""
        return bisect_right(self._break_ends, offset)

    def sentence(self, token: int) -> int:
        return self._sentences[token] if token < len(self._sentences) else 0

    def quote(self, offset: int) -> int | None:
        """The index of the quotation holding `offset`, if any."""
        i = bisect_right(self._quote_starts, offset) - 1
        if i >= 0 and offset < self._quote_ends[i]:
            return i
        return None


@dataclass
class Features:
    mention: Mention
    head: Token
    paragraph: int
    sentence: int  # number of the sentence
    quote: int | None  # index of the quotation it sits in
    gender: str  # male | female | plural | unknown
    scene: int = 0  # scene breaks before it
    parts: NameParts | None = None  # for names
    head_word: str = ""  # folded head noun for titles and epithets
    modifiers: tuple[str, ...] = ()  # folded words between the determiner and the head
    definite: bool = True
    misparsed_subject: bool = False  # "A certain blonde woke": the parser made the subject the root
    partitive: bool = False  # "one of them", "another one": one member of a group, someone new
    reader: bool = False  # a Y/N placeholder, or you/your in second-person narration: the Reader

    @property
    def start(self) -> int:
        return self.mention.start

    @property
    def kind(self) -> str:
        return self.mention.kind

    @property
    def subject(self) -> bool:
        return self.head.dep_ in SUBJECT_DEPS or self.misparsed_subject

    @property
    def object(self) -> bool:
        return self.head.dep_ in OBJECT_DEPS

    @property
    def verb(self) -> Token:
        """The verb this mention depends on (through a preposition for pobj)."""
        head = self.head.head
        return head.head if self.head.dep_ == "pobj" else head


def describe(doc: Doc, mention: Mention, vocab: Vocabulary, positions: Positions) -> Features:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    head = span.root if span is not None and len(span) else doc[0]
    features = Features(
        mention=mention,
        head=head,
        paragraph=positions.paragraph(mention.start),
        sentence=positions.sentence(head.i),
        quote=positions.quote(mention.start),
        gender="unknown",
        scene=positions.scene(mention.start),
        misparsed_subject=span is not None and positions.quote(mention.start) is None and _root_subject(span),
    )
    first = fold(mention.text.split()[0]) if mention.text.split() else ""
    if mention.kind == "name":
        features.reader = READER_PLACEHOLDER.fullmatch(mention.text) is not None
        features.parts = split_name(mention.text, vocab.person_titles, vocab.honorifics)
        if features.parts.titles:
            features.gender = vocab.title_gender(features.parts.titles[0])
    elif mention.kind == "pronoun":
        features.reader = mention.text.lower() in vocab.second_person  # only the narration's (mentions stage)
        features.gender = vocab.pronoun_gender.get(fold(mention.text), "unknown")
    else:
        words = [fold(w) for w in _WORDS.split(mention.text) if fold(w)]
        if _partitive(words, vocab):
            features.partitive, features.definite = True, False
            features.head_word = vocab.partitive_one
            return features
        while len(words) > 1 and words[-1] in vocab.honorifics:  # "Kazekage-sama" holds "kazekage"
            words.pop()
        features.head_word = words[-1] if words else fold(head.text)
        features.modifiers = tuple(words[1:-1])
        features.definite = first not in ("a", "an")
        features.gender = vocab.noun_gender.get(features.head_word, "unknown")
    return features


def _partitive(words: list[str], vocab: Vocabulary) -> bool:
    """ "one of them", "another", "another one", "the other one"."""
    one = vocab.partitive_one
    return (
        (words[:1] == [one] and len(words) > 2)
        or (bool(words) and words[0] in vocab.partitive_others and words[1:] in ([], [one]))
        or (len(words) == 3 and words[1] in vocab.partitive_others and words[2] == one)
    )


def _root_subject(span: Span) -> bool:
    """ "A certain blonde woke groggily, ...": the small model sometimes loses the verb of a sentence
    (here "woke" is tagged a noun) and leaves the sentence with no subject. In narration, a mention
    opening a sentence whose root has no subject, with a few words after it, is that subject."""
    if not span[0].is_sent_start or span.root.dep_ in SUBJECT_DEPS:
        return False
    sentence = span[0].sent
    if sentence.end - span.end < MIN_PREDICATE_TOKENS:
        return False
    return not any(c.dep_ in SUBJECT_DEPS or c.dep_ == "expl" for c in sentence.root.children)


def introduces_self(head: Token) -> bool:
    """ "I am Odile" / "My name is Odile" / "I'm Odile": the name is what I am (not "I'm not Odile").
    `head` is a name's last word (the parse may take an unknown name for an adjective: "I'm Naruto!")."""
    verb = head.head
    negated = any(c.dep_ == "neg" for c in verb.children)
    if head.dep_ not in ("attr", "acomp") or verb.lemma_ != "be" or negated:
        return False
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return bool(subjects) and (
        subjects[0].lower_ == "i"
        or (subjects[0].lower_ == "name" and any(c.lower_ == "my" for c in subjects[0].children))
    )
