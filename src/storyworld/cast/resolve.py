"""Each mention, in text order, resolved to a character.

Names go to their cluster (an ambiguous one to the candidate mentioned most recently). Titles go
to whoever holds them in this story ("Rell, the Warden"; "Warden-sama" holds "warden"), else
to the pack's holder present, else to a title-only character ("the Colonel"). Epithets go by what
the story established first: appositions ("Biscuit, the dog"), hair colours said earlier ("his red
hair" ... "the redhead"), the same epithet used before; then by the pack: a description that is a
character's alias ("the demon fox", "the copy-nin"), the possessor's relative ("his brother"),
species, clan, village (one-word names, "the sand nin") and age ("the older Uchiha": what the story
said, "X was older than Y", "his older sister", else the pack's ages); finally the most recent
compatible character of the last few paragraphs (never the possessor: "her child" is not her);
"a demon" is someone new. Pronouns go to the character of fitting gender in view that a small trained
scorer finds most salient (cast/pronouns.py).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from storyworld.cast.clusters import NameTable, name_key
from storyworld.cast.entities import Entity
from storyworld.cast.features import READER, Features, introduces_self
from storyworld.cast.names import NameParts, fold
from storyworld.cast.pronouns import Candidate, PronounModel, main_clause_subject, pronoun_model
from storyworld.cast.vocabulary import Canon, Vocabulary
from storyworld.fandoms import normalise_name
from storyworld.lexicon import words

# How far back (in paragraphs) a pronoun or an epithet looks for its character.
PRONOUN_WINDOW = 4
EPITHET_WINDOW = 8
DASHES = frozenset("-‐–—")
# How far (in paragraphs) after its last description an unnamed character may be named (see reveal).
REVEAL_WINDOW = 16
# A character is a salient subject when it was the subject within this many sentences back.
SUBJECT_SENTENCES = 2
# Lines that call a first-person narrator by a name the narration never writes before it is hers.
MIN_NARRATOR_VOCATIVES = 2
# Titles a parent or spouse goes by ("her mother" is Mrs. Bennet, "her sister" a Miss Bennet).
MARRIED_TITLES = frozenset({"mr", "mrs", "lady", "sir", "missus"})
_VOCATIVE_BEFORE = re.compile(r"(?:[,“\"]\s*|\bdear\s+)$", re.IGNORECASE)
_QUOTE_OPENERS = ("\"", "“", "'", "‘")
_LINE_END = re.compile(r"[,.!?…]*[\"”'’]")


@dataclass
class Resolver:
    doc: Doc
    text: str
    vocab: Vocabulary
    names: NameTable
    allow_new: bool  # False with a given cast: no unnamed or title-only characters
    narrator: Entity | None = None
    reader: Entity | None = None  # the Reader of a reader-insert story ("Y/N", narration's "you")
    history: list[tuple[Features, Entity]] = field(default_factory=list)
    by_token: dict[int, Entity] = field(default_factory=dict)  # token index -> entity, for appositions
    holders: dict[str, Entity] = field(default_factory=dict)  # title -> holder in this story
    epithets: dict[str, Entity] = field(default_factory=dict)  # folded epithet text -> last referent
    extra: list[Entity] = field(default_factory=list)  # unnamed and title-only characters
    young: Entity | None = None  # the character last called a child, kid or infant
    described: dict[int, set[str]] = field(default_factory=dict)  # entity id -> head words it was called by
    hair_owners: dict[int, str] = field(default_factory=dict)  # token index of owner -> colour
    kin: dict[int, list[Entity]] = field(default_factory=dict)  # entity id -> kin ("his daughter Clara")
    age_facts: list[tuple[int, int]] = field(default_factory=list)  # (older, younger) token indices
    named_in: dict[int, list[Features]] = field(default_factory=dict)  # paragraph -> its name mentions
    _wins: dict[int, int] = field(default_factory=dict)  # entity id -> age facts won, for one ranking
    model: PronounModel = field(default_factory=lambda: pronoun_model())

    def run(self, mentions: Iterable[Features]) -> None:
        self.hair_owners = _hair_facts(self.doc, self.text, self.vocab)
        self.age_facts = _age_facts(self.doc, self.vocab)
        mentions = list(mentions)
        for features in mentions:
            if features.kind == "name":
                self.named_in.setdefault(features.paragraph, []).append(features)
        for features in mentions:
            entity = self._resolve(features)
            if entity is None:
                continue
            entity.mentions.append(features)
            self.history.append((features, entity))
            if features.kind in ("title", "epithet") and features.head_word in self.vocab.young:
                self.young = entity
            if features.kind == "name":
                self._learn_kin(features, entity)
            span = self.doc.char_span(features.start, features.mention.end, alignment_mode="expand")
            for token in span or ():
                self.by_token.setdefault(token.i, entity)  # "his" of "his older sister" stays his
                colour = self.hair_owners.get(token.i)
                if colour:
                    entity.hair.add(colour)

    def _resolve(self, f: Features) -> Entity | None:
        if f.reader:
            return self._reader()
        if f.kind in ("title", "epithet") and self._speech_kin(f):
            return self._quoted_relative(f)
        handlers: dict[str, Callable[[Features], Entity | None]] = {
            "name": self._name,
            "title": self._title,
            "epithet": self._epithet,
            "pronoun": self._pronoun,
        }
        return handlers[f.kind](f)

    # names -------------------------------------------------------------------------------
    def _name(self, f: Features) -> Entity | None:
        assert f.parts is not None
        relation = self.vocab.family_names.get(f.parts.key)
        if relation and not f.parts.titles:  # "Evening, Mum," said a Weasley twin
            relative = self._quoted_relative(f, relation, PRONOUN_WINDOW)
            if relative is not None:
                return relative
        candidates = self.names.candidates(name_key(f)) or self.names.candidates(f.parts.key)
        if not candidates and not self.allow_new:
            candidates = self._given_by_first_name(f.parts)
        if not candidates:
            return None
        entity = candidates[0] if len(candidates) == 1 else self._most_recent(candidates, f, None)
        if entity is None:
            entity = max(candidates, key=lambda e: len(e.mentions))
        if entity.canon is None and f.parts.titles:
            entity.canon = self._titled_canon(f.parts.key)
        for written in f.parts.titles:
            if (
                written in self.vocab.role_titles
            ):  # "Dr. Bull" is "the Doctor" from here on; "Mr." holds nothing
                title = self.vocab.full_title(written)
                self.holders[title] = entity
                entity.titles.add(title)
        self._claim_apposition(f, entity)
        return entity

    def _given_by_first_name(self, parts: NameParts) -> list[Entity]:
        """ "Elizabeth Bennet" in the text for the given "Elizabeth": a full name whose first name is one
        given character's. The full name becomes a key of hers, so her family name is known ("her
        sister" is then a Bennet)."""
        owners = self.names.candidates(parts.first) if len(parts.words) > 1 else []
        if len(owners) != 1:
            return []
        owners[0].keys.add(parts.key)
        self.names.table[parts.key] = owners
        return owners

    def _titled_canon(self, bare: str) -> Canon | None:
        """ "Granny Tsunade" as the story's only form of the name: the clusters key it with its title,
        the pack finds it by the bare name (unless a character of the story already is that one)."""
        owners = self.vocab.canon_by_key.get(bare, ())
        if len(owners) != 1 or any(e.canon and e.canon.name == owners[0].name for e in self.names.entities()):
            return None
        return owners[0]

    def _claim_apposition(self, f: Features, entity: Entity) -> None:
        """ "the Warden, Rell": a description just before, in apposition, was this character."""
        anchor = f.head.head if f.head.dep_ == "appos" and f.quote is None else None
        if anchor is None or not self.history:
            return
        last, previous = self.history[-1]
        if last.head.i == anchor.i and last.kind in ("title", "epithet") and previous is not entity:
            if previous in self.extra and len(previous.mentions) == 1:
                self.extra.remove(previous)
            previous.mentions.remove(last)
            entity.mentions.append(last)
            self.history[-1] = (last, entity)
            self._learn(last, entity)

    # titles ------------------------------------------------------------------------------
    def _title(self, f: Features) -> Entity | None:
        title = f.head_word
        if self._possessed_kin(f):  # "her sister", "his father": kin, not the title of a nun or a priest
            return self._relative(f) or self._family_member(f)
        entity = self._apposed(f) or self._canon_alias(f) or self._relative(f)
        if entity is None:
            entity = self.holders.get(title)
        if entity is None:
            holders = [e for e in self.names.entities() if title in e.titles] or self._pack_holders(title)
            entity = self._most_recent(holders, f, None) or (
                max(holders, key=lambda e: len(e.mentions)) if holders else None
            )
        if entity is None:
            entity = self._remembered(f) or self._new(f, title_only=True)
        if entity is not None:
            self.holders[title] = entity
            entity.titles.add(title)
            self._learn(f, entity)
        return entity

    # epithets ----------------------------------------------------------------------------
    def _epithet(self, f: Features) -> Entity | None:
        if f.partitive:
            return self._member(f)
        entity = self._dashed(f) or self._apposed(f) or self._relative(f)
        if entity is None and self._possessed_kin(f):
            return self._family_member(f)  # whoever's sister she is, not the last "her sister"
        entity = entity or self._remembered(f)
        if entity is None:
            entity = self._by_facts(f) or self._canon_alias(f)
        if entity is None and f.definite:
            holders = self._role_holders(f)
            entity = holders[0] if len(holders) == 1 else None
        if entity is None and f.head_word in self.vocab.young:
            entity = self._called_young() if f.definite else None
        elif entity is None and f.definite and self._refers_back(f) and not self._possessed_kin(f):
            entity = self._recent_compatible(f)
        if entity is None:
            entity = self._new(f, title_only=False)
        if entity is not None:
            self._learn(f, entity)
        return entity

    def _refers_back(self, f: Features) -> bool:
        """ "the younger man", "the blonde" may be someone present; "the guard" is somebody new."""
        if f.head_word in self.vocab.anaphoric:
            return True
        return bool(set(f.modifiers) & (self.vocab.older | self.vocab.younger | set(self.vocab.hair_colour)))

    def _dashed(self, f: Features) -> Entity | None:
        """ "a soldier- a man- with a bow": a description set right after another across a dash says
        more about the same person."""
        if f.definite or not self.history:
            return None
        last, entity = self.history[-1]
        if last.kind not in ("title", "epithet"):
            return None
        between = (last.mention.text[-1:] + self.text[last.mention.end : f.start]).strip()
        return entity if between and set(between) <= DASHES else None

    def _apposed(self, f: Features) -> Entity | None:
        """ "Biscuit, the dog" / "Rell is the Warden": the description names the anchor's character."""
        head = f.head
        if f.quote is not None:  # "taking this child, Uchiha": in speech a name after a comma is a vocative
            return None
        if head.dep_ == "appos":
            return self.by_token.get(head.head.i)
        if head.dep_ == "attr" and head.head.lemma_ in ("be", "become"):
            subjects = [c for c in head.head.children if c.dep_ == "nsubj"]
            if subjects:
                return self.by_token.get(subjects[0].i)
        return None

    def _remembered(self, f: Features) -> Entity | None:
        """The same epithet used before for a character still in the window."""
        entity = self.epithets.get(_epithet_key(f))
        if entity is not None and entity in self._window(f, EPITHET_WINDOW):
            return entity
        return None

    def _by_facts(self, f: Features) -> Entity | None:
        """Hair colour, species, clan, village and age facts, from the story or the pack."""
        modifiers = list(f.modifiers)
        colour = _colour(f, self.vocab)
        pool = self.names.entities() + self.extra
        if colour:
            return self._choose([e for e in pool if colour in e.hair_colours()], f)
        if f.head_word in self.vocab.animals:  # "a demon" is someone new, "the demon" one we know
            species = [e for e in pool if f.head_word in e.species_names()]
            return self._choose(species, f) if f.definite else None
        if f.head.pos_ == "PROPN":  # "the older Uchiha"
            clan = f.head_word
            members = [e for e in pool if clan in e.words or (e.canon and e.canon.clan == clan)]
            return self._by_age(members, f, modifiers) or self._choose(members, f)
        origins = [  # "the sand nin", "the Suna genin" (never "the Suna medic" for the Kazekage)
            e
            for e in pool
            if e.canon
            and set(modifiers) & e.canon.origin
            and (f.head_word in self.vocab.anaphoric or f.head_word in e.canon.origin)
        ]
        if origins and f.definite:
            youngest = self._youngest(origins) if f.head_word in self.vocab.young else None
            return youngest or self._choose(origins, f)  # "that sand kid": the youngest of the Sand
        if (
            set(modifiers) & (self.vocab.older | self.vocab.younger)
            or f.head_word in self.vocab.older | self.vocab.younger
        ):
            # "the younger man" compares the two characters of fitting gender mentioned last (looking
            # further back when only one is near: "Mrs. Weasley" ... six paragraphs ... "the older witch")
            for paragraphs in (PRONOUN_WINDOW, EPITHET_WINDOW):
                window = [e for e in self._window(f, paragraphs) if _gender_fits(f.gender, e.gender)][:2]
                if len(window) == 2:
                    break
            return self._by_age(window, f, [*modifiers, f.head_word])
        return None

    def _by_age(self, entities: list[Entity], f: Features, modifiers: list[str]) -> Entity | None:
        """ "The older Uchiha": of the candidates present (all of them when fewer than two are in
        view: "Orin turned to see the younger Uchiha" before the other is named), the oldest or
        youngest, by what the story said ("Itachi, his older brother") or else the pack's ages."""
        older, younger = set(modifiers) & self.vocab.older, set(modifiers) & self.vocab.younger
        if not older and not younger:
            return None
        window = self._window(f, EPITHET_WINDOW)
        present = [e for e in entities if e in window]
        # "the youngest Weasley" is the youngest of them all, present or not
        superlative = any(word.endswith("est") for word in older | younger)
        ranked = self._by_age_order(present if len(present) >= 2 and not superlative else entities)
        if ranked is None:
            return None
        end, neighbour = (ranked[0], ranked[1]) if older else (ranked[-1], ranked[-2])
        return None if self._age_key(end) == self._age_key(neighbour) else end  # a tie decides nothing

    def _by_age_order(self, entities: list[Entity]) -> list[Entity] | None:
        """The candidates oldest first, when the story or the pack orders them."""
        if len(entities) < 2:
            return None
        self._wins = {}
        for older_token, younger_token in self.age_facts:
            older, younger = self.by_token.get(older_token), self.by_token.get(younger_token)
            if older in entities and younger in entities and older is not younger:
                self._wins[id(older)] = self._wins.get(id(older), 0) + 1
                self._wins[id(younger)] = self._wins.get(id(younger), 0) - 1
        if not self._wins:  # the story's own facts first; the pack's ages only break ties
            entities = [e for e in entities if e.canon and e.canon.age is not None]
            if len(entities) < 2:
                return None
        return sorted(entities, key=self._age_key, reverse=True)

    def _age_key(self, entity: Entity) -> tuple[int, float]:
        return self._wins.get(id(entity), 0), _age(entity)

    def _canon_alias(self, f: Features) -> Entity | None:
        """ "the copy-nin", "The demon fox", "the Sixth Hokage": a description the pack lists as the
        alias of one canon character is that character, whether or not the story has named it."""
        words = normalise_name(f.mention.text).split()
        keys = [" ".join(words)]
        if len(words) > 1 and words[0] == "the":
            keys.append(" ".join(words[1:]))
        for key in keys:
            owners = self.vocab.canon_by_key.get(key, ())
            if len(owners) == 1:
                return self._canon_entity(owners[0], introduces=f.subject)
        return None

    def _relative(self, f: Features) -> Entity | None:
        """ "his brother" with Gaara for "his": the pack's relative of the possessor ("older brother"
        Kankurou), when exactly one relative fits the word; brought in even if the story has not
        named them (a canon relation, unlike "the fox" of an AU)."""
        owners = [c for c in f.head.children if c.dep_ == "poss"]
        owner = self.by_token.get(owners[0].i) if owners else None
        if owner is None or owner.canon is None:
            return None
        related = {name for words, name in owner.canon.relatives if f.head_word in words}
        canon = [c for c in self.vocab.canon if c.name in related]
        return self._canon_entity(canon[0], introduces=True) if len(canon) == 1 else None

    def _family_member(self, f: Features) -> Entity | None:
        """ "her sister" with Elizabeth Bennet for "her": the most recent other character of the sister's
        gender sharing the possessor's family name ("Jane Bennet", "Miss Bennet"), else nobody (nor for
        "her aunt", who may be of another family)."""
        owners = [c for c in f.head.children if c.dep_ == "poss"]
        owner = self.by_token.get(owners[0].i) if owners else None
        if owner is None or f.head_word not in words("speech", "relatives", "household"):
            return None
        linked = self.kin.get(id(owner), [])
        family = {k.split()[-1] for e in (owner, *linked) for k in e.keys}
        relatives = [e for e in self.names.entities() if e is not owner and _gender_fits(f.gender, e.gender)
                     and (e in linked or any(k.split()[-1] in family for k in e.keys))]
        # a parent or spouse is the Mr./Mrs. one, a child or sibling one who is not
        parent = f.head_word in words("speech", "relatives", "married")
        fitting = [e for e in relatives if any(k.split()[0] in MARRIED_TITLES for k in e.keys) == parent]
        return self._most_recent(fitting, f, None)

    def _learn_kin(self, f: Features, entity: Entity) -> None:
        """ "His daughter Clara", "Clara, his daughter": Clara is of his household, whatever her surname."""
        head = f.head
        around = [head.head] if head.dep_ == "appos" else []
        around += [c for c in head.children if c.dep_ == "appos"]
        for noun in around:
            possessors = [c for c in noun.children if c.dep_ == "poss"]
            if fold(noun.text) not in self.vocab.kinship or not possessors:
                continue
            relative = self.by_token.get(possessors[0].i)
            if relative is not None and relative is not entity:
                self.kin.setdefault(id(entity), []).append(relative)
                self.kin.setdefault(id(relative), []).append(entity)

    def _possessed_kin(self, f: Features) -> bool:
        """ "her child", "his brother": a relative of someone, not a way to mention the last character."""
        return f.head_word in self.vocab.kinship and any(c.dep_ == "poss" for c in f.head.children)

    def _canon_entity(self, canon: Canon, *, introduces: bool) -> Entity | None:
        """The story's character for a canon one; a new one (the story never names it) only when the
        description acts ("The fox snarled"): in an AU "the fox's face" may be anyone's."""
        for entity in (*self.names.entities(), *self.extra):
            if entity.canon is not None and entity.canon.name == canon.name:
                return entity
        if not self.allow_new or not introduces:
            return None
        entity = Entity(canon=canon)
        self.extra.append(entity)
        return entity

    def _choose(self, candidates: list[Entity], f: Features) -> Entity | None:
        """The most recent candidate in the window, else the only candidate, else the most mentioned."""
        if not candidates:
            return None
        recent = self._most_recent(candidates, f, EPITHET_WINDOW)
        if recent is not None:
            return recent
        return max(candidates, key=lambda e: len(e.mentions))

    def _recent_compatible(self, f: Features) -> Entity | None:
        """The most recent character of fitting gender in the window, not one named in this sentence;
        first the most recent unnamed one the story described with this word ("a lanky lad" ... "the
        lad": the one introduced so, though a named man was mentioned since), then the most recent unnamed
        one the story described as a person of any kind ("a lanky lad" ... "the poor boy")."""
        same_sentence = {id(e) for g, e in reversed(self.history[-12:]) if g.sentence == f.sentence}
        animal = f.head_word in self.vocab.animals
        colour = _colour(f, self.vocab)
        origins = set(f.modifiers) & self.vocab.village_words
        owners = [self.by_token.get(c.i) for c in f.head.children if c.dep_ == "poss"]
        fitting = []
        for g, entity in reversed(self.history):
            if f.paragraph - g.paragraph > PRONOUN_WINDOW or g.scene != f.scene:
                break  # "The figure moved" opening a scene is not whoever ended the last one
            if id(entity) in same_sentence or entity in owners or not _gender_fits(f.gender, entity.gender):
                continue  # nor the possessor: "her child" is not her
            described = self.described.get(id(entity), {entity.label})
            general = f.head_word in self.vocab.anaphoric and self._same_age(f, described)
            if animal != bool(entity.species_names()) or (
                entity.label and f.head_word not in described and not general
            ):
                continue
            if colour and entity.hair_colours() and colour not in entity.hair_colours():
                continue
            if origins and entity.canon and not origins & entity.canon.origin:
                continue  # "the Sound nin" is not the Leaf genin just mentioned
            fitting.append(entity)
        unnamed = [e for e in fitting if e.label and f.head_word in self.described.get(id(e), {e.label})]
        unnamed = unnamed or [e for e in fitting if e.label]
        if not unnamed:
            return fitting[0] if fitting else None
        # one shown there after the unnamed character appeared may be it, named ("A tall woman" ...
        # "Sorry, Kurenai-sensei" ... "the woman"; "a very small girl" ... "this is Tilly Marsh"), as
        # `reveal` expects; not one only talked about ("Daniel Ashby, twenty-six")
        first_seen = unnamed[0].mentions[0].start
        revealing = [e for e in fitting
                     if not e.label and e.mentions[0].start > first_seen and self._shown(e)]
        return revealing[0] if revealing else unnamed[0]

    def _shown(self, entity: Entity) -> bool:
        """Whether the story's first mention of a character shows them there: in the narration, called
        to, or introduced ("this is Tilly Marsh")."""
        first = entity.mentions[0]
        if first.quote is None or self._vocative(first):
            return True
        span = self.doc.char_span(first.start, first.mention.end, alignment_mode="expand")
        before = [t.lower_ for t in self.doc[max(span.start - 2, 0) : span.start]] if span is not None else []
        return before == ["this", "is"]

    def _same_age(self, f: Features, described: set[str]) -> bool:
        """Whether a description may be of a character the story described with the words `described`,
        some of them person words: "the poor boy" of "a lanky lad", not of "a grey-haired man"."""
        if not described & self.vocab.anaphoric:
            return False
        if f.head_word in self.vocab.grown and "young" in f.modifiers:
            return True  # "the young man" may be either
        for age, other in ((self.vocab.youthful, self.vocab.grown), (self.vocab.grown, self.vocab.youthful)):
            if f.head_word in age and described & other and not described & age:
                return False
        return True

    def _member(self, f: Features) -> Entity | None:
        """ "one of them", then "another one": each a new unnamed member of the group."""
        if not self.allow_new:
            return None
        entity = Entity(label=f.head_word, named=False)
        self.extra.append(entity)
        return entity

    def _called_young(self) -> Entity | None:
        """ "the child": the character the story last called a child, infant or kid (an age word
        says who; the character mentioned last may be an adult)."""
        return self.young

    def _youngest(self, entities: list[Entity]) -> Entity | None:
        ranked = self._by_age_order(entities)
        if ranked is None or self._age_key(ranked[-1]) == self._age_key(ranked[-2]):
            return None
        return ranked[-1]

    def _pack_holders(self, title: str) -> list[Entity]:
        """The story's characters the pack says held `title`, when they held it in one era that fits
        the titles the story has given so far: with the Sixth and the Seventh Hokage both in a story
        that names no Hokage, "the Hokage" may be either of them or neither (the Third, in a story of
        the early years); with a later era's Kazekage in the story it is not the Third."""
        holders = self._fitting_holders(title)
        return holders if len({e.canon.era(title) for e in holders if e.canon is not None}) <= 1 else []

    def _role_holders(self, f: Features) -> list[Entity]:
        """Characters the story has shown whose pack roles name the description: "the teacher" or "their
        homeroom teacher" in a scene with Aizawa (a homeroom teacher by the pack) and no other teacher
        shown is he; "the Sound nin" is no ninja of the Leaf."""
        if not self.vocab.canon:  # (no pack, no roles: not worth a walk over every character)
            return []
        return [e for e in self.names.entities() if e.canon is not None and e.mentions
                and f.head_word in e.canon.roles and set(f.modifiers) <= e.canon.origin]

    def _fitting_holders(self, title: str) -> list[Entity]:
        """The story's characters the pack says held `title` in an era that fits the story's date."""
        holders = [e for e in self.names.entities() if e.canon is not None and title in e.canon.titles]
        eras = self._dated_eras(title)
        if eras is None:
            return holders
        return [e for e in holders if e.canon is not None and e.canon.era(title) in eras]

    def settle_titles(self) -> None:
        """A title-only character ("the Hokage", whom "she listened" made a woman) is the one pack
        holder of the title in the story whose gender and era fit: Tsunade, not Naruto or Kakashi; else
        the one character the story names with the title ("the President" of the early chapters is
        "President Sunday" once the name is given; with Colonel Forster and Colonel Fitzwilliam "the
        Colonel" stays apart)."""
        for entity in list(self.extra):
            title = entity.label or ""
            if entity.keys or entity.canon or title not in self.vocab.role_titles:
                continue
            sure = entity.gender in ("male", "female")  # (a pack holder must match a known gender)
            holders = [e for e in self._fitting_holders(title) if e.gender == entity.gender] if sure else []
            if not holders:
                holders = [e for e in self._named_holders(title) if self.names.compatible(e, entity)]
            if len(holders) == 1:
                holders[0].absorb(entity)
                self.extra.remove(entity)

    def _named_holders(self, title: str) -> list[Entity]:
        """The characters whose names the story writes with `title` before them ("Colonel Brandon")."""
        return [e for e in self.names.entities()
                if any(" " in k and self.vocab.full_title(k.split()[0]) == title for k in e.keys)]

    def _dated_eras(self, title: str) -> set[str] | None:
        """The eras of `title` in the pack's periods that fit every title holder the story has had
        (None when nothing dates the story)."""
        held = {t: e.canon.era(t) for t, e in self.holders.items() if t != title and e.canon is not None}
        known = {t: era for t, era in held.items() if era}
        periods = [p for p in self.vocab.periods if title in p and any(t in p for t in known)]
        if not periods:
            return None
        return {p[title] for p in periods if all(p.get(t, era) == era for t, era in known.items())}

    def _speech_kin(self, f: Features) -> bool:
        """ "My brother" / "your grandmother" inside a quotation: a relative of the speaker or the
        addressee, whom the words alone do not name."""
        return (
            f.quote is not None
            and f.head_word in self.vocab.kinship
            and any(c.dep_ == "poss" and fold(c.text) in self.vocab.speech_possessives for c in f.head.lefts)
        )

    def _quoted_relative(
        self, f: Features, relation: str | None = None, paragraphs: int = 1
    ) -> Entity | None:
        """The relative (`relation`, else the description's head word) the pack gives one of the
        characters named or described in this paragraph or the `paragraphs` before (the speaker and
        the addressee are among them), when exactly one such relative is in the story; else nobody
        (never a new character "my brother")."""
        relation = relation or f.head_word
        near = [
            e
            for g, e in self.history[-40:]
            if f.paragraph - g.paragraph <= paragraphs
            and g.kind != "pronoun"
            and not (g.quote is not None and g.head_word in self.vocab.kinship)  # another "my brother"
        ]
        # and the names still to come in the paragraph: the tag of '"Evening, Mum," said Fred'
        later = [self.names.candidates(name_key(g)) for g in self.named_in.get(f.paragraph, ())
                 if g.start > f.start]
        near += [found[0] for found in later if len(found) == 1]
        canon_of = {e.canon.name: e for e in (*self.names.entities(), *self.extra) if e.canon is not None}
        found = {
            id(relative): relative
            for e in near
            if e.canon is not None
            for words, name in e.canon.relatives
            if relation in words and (relative := canon_of.get(name)) is not None and relative is not e
        }
        return next(iter(found.values())) if len(found) == 1 else None

    def _new(self, f: Features, *, title_only: bool) -> Entity | None:
        if not self.allow_new or f.head_word in self.vocab.vague:
            return None
        # "the guard" again, however far on, is the same guard (a role, unlike "the man", names one;
        # "the other medic", "her medic" may be someone else)
        bare = f.mention.text.lower().split()[:1] == ["the"] and not f.modifiers
        anywhere = bare and f.head_word not in self.vocab.anaphoric
        for entity in self.extra:
            if entity.label == f.head_word and (anywhere or entity in self._window(f, EPITHET_WINDOW)):
                return entity
        entity = Entity(label=f.head_word, named=title_only and f.head.text[:1].isupper())
        if f.head_word in self.vocab.animals:
            entity.species.add(f.head_word)
        if f.gender in ("male", "female"):
            entity.gender_votes[f.gender] += 1
        self.extra.append(entity)
        return entity

    def _learn(self, f: Features, entity: Entity) -> None:
        self.epithets[_epithet_key(f)] = entity
        if entity.label:
            self.described.setdefault(id(entity), {entity.label}).add(f.head_word)
        if f.gender in ("male", "female"):  # "her sister Jane", "the younger man"
            entity.gender_votes[f.gender] += 1
        colour = _colour(f, self.vocab)
        if colour:
            entity.hair.add(colour)
        if f.head_word in self.vocab.animals and f.head.dep_ in ("appos", "attr"):
            entity.species.add(f.head_word)

    # pronouns ----------------------------------------------------------------------------
    def _pronoun(self, f: Features) -> Entity | None:
        """The character in view the pronoun model scores highest (see cast/pronouns.py)."""
        word = fold(f.mention.text)
        if word in self.vocab.first_person:
            return self._narrator()
        if f.gender not in ("male", "female"):
            return None
        candidates = self._pronoun_candidates(f)
        best = self.model.choose(f, candidates)
        if best is not None and best.gender == "unknown" and len(candidates) == 1:
            best.gender_votes[f.gender] += 1  # a he/she with only one possible referent settles its gender
        return best

    def _pronoun_candidates(self, f: Features) -> list[Candidate]:
        """The characters of fitting gender mentioned in the window, most recently mentioned first."""
        found: dict[int, Candidate] = {}
        for g, entity in reversed(self.history):
            if f.paragraph - g.paragraph > PRONOUN_WINDOW:
                break
            if entity is self.narrator or entity is self.reader:
                continue
            candidate = found.get(id(entity))
            if candidate is None:
                candidate = found[id(entity)] = Candidate(entity, len(found), g)
            candidate.count += 1
            candidate.recent_subject |= g.subject and f.sentence - g.sentence <= SUBJECT_SENTENCES
            candidate.last_sentence_subject |= g.subject and f.sentence - g.sentence <= 1
            candidate.main_subject |= f.sentence - g.sentence <= 1 and main_clause_subject(g)
            candidate.tag_speaker |= (
                g.paragraph == f.paragraph
                and g.quote is None
                and g.subject
                and g.head.head.lemma_ in self.vocab.speech_verbs
            )
        fitting = [
            c for c in found.values() if _gender_fits(f.gender, c.entity.gender) and not _bound(f, c.latest)
        ]
        # "Ivo said, 'He is late'": a he/she inside a line is not the one the tag gives it to
        others = [c for c in fitting if not (f.quote is not None and c.tag_speaker)]
        return others or fitting

    def reveal(self) -> None:
        """An unnamed character the scene goes on to name is that character: "The figure moved ...
        Orin paused" (a figure, intruder or stranger, when the first character new to the scene
        whom the narration names comes after it), or "a woman ... 'Lady Vess, ...' the woman purred"
        (a character introduced after it takes the description it was called by). Never when both
        are described in one sentence, or when the description goes on after the name."""
        indices: dict[int, list[int]] = {}
        for i, (_, entity) in enumerate(self.history):
            indices.setdefault(id(entity), []).append(i)
        for unnamed in list(self.extra):
            if unnamed.keys or unnamed.canon or unnamed is self.narrator or unnamed is self.reader:
                continue
            if unnamed.label == self.vocab.partitive_one:
                continue  # one of a group
            described = [i for i in indices.get(id(unnamed), []) if self.history[i][0].kind != "pronoun"]
            named = self._revealed(described, indices) if described else None
            if named is None:
                continue
            named.absorb(unnamed)
            self.extra.remove(unnamed)
            self.history = [(g, named if e is unnamed else e) for g, e in self.history]

    def _revealed(self, described: list[int], indices: dict[int, list[int]]) -> Entity | None:
        """The character that names the unnamed one described at history `described` (see reveal)."""
        unnamed = self.history[described[0]][1]
        words = {self.history[i][0].head_word for i in described}
        mystery = bool(words & self.vocab.mystery) and any(m.subject for m in unnamed.mentions)  # it acts
        sentences = {self.history[i][0].sentence for i in described}
        villages = {m for i in described for m in self.history[i][0].modifiers} & self.vocab.village_words
        last = self.history[described[0]][0]  # its latest description so far
        opened = described[0]  # history index of its first description in the scene of `last`
        for j in range(described[0] + 1, len(self.history)):
            g, entity = self.history[j]
            if entity is unnamed:
                if g.kind != "pronoun":
                    opened = j if g.scene != last.scene else opened
                    last = g
                continue
            if g.paragraph - last.paragraph > REVEAL_WINDOW:
                return None
            if g.scene != last.scene or not (entity.keys or entity.canon) or entity is self.narrator:
                continue
            if villages and entity.canon and not villages & entity.canon.origin:
                continue  # "A sand nin" is not Kakashi of the Leaf, "the copy-nin" though he is
            newcomer = mystery and g.kind == "name" and g.quote is None
            newcomer = newcomer and not self._in_scene_before(indices[id(entity)], opened)
            takes_description = (
                g.kind in ("title", "epithet")
                and g.head_word in words
                and indices[id(entity)][0] > described[0]  # introduced after it
            )
            if not (newcomer or takes_description):
                continue
            own = {m.sentence for m in entity.mentions if m.kind != "pronoun"}
            if described[-1] > j or own & sentences or not _gender_fits(unnamed.gender, entity.gender):
                return None  # the first named newcomer, or the first to take its description, is not it
            return entity
        return None

    def _in_scene_before(self, mentioned: list[int], at: int) -> bool:
        """Is one of the history indices `mentioned` (in order) in the scene of history index `at`,
        before it?"""
        before = bisect_left(mentioned, at)
        return before > 0 and self.history[mentioned[before - 1]][0].scene == self.history[at][0].scene

    def name_the_narrator(self) -> None:
        """ "My name is Odile." / "I am Odile." in the narration, or in a line the narration tags as the
        narrator's own ("'Hi,' I said. 'I'm Odile.'"): the narration's I is that character. (A line that
        is only a name is no introduction: "'Holmes!' I cried." calls somebody.)"""
        if self.narrator is None:
            return
        # paragraphs where the narrator is the subject of a speech verb outside the quotes
        speech = self.vocab.speech_verbs
        said_by_me = {
            g.paragraph for g, e in self.history
            if e is self.narrator and g.quote is None and g.subject and g.head.head.lemma_ in speech
        }
        introduced = next(
            (e for g, e in self.history
             if g.kind == "name" and e is not self.narrator and introduces_self(g.head)
             and (g.quote is None or g.paragraph in said_by_me)),
            None,
        )
        named = introduced or self._answered_by_name(said_by_me) or self._called_by_others(said_by_me)
        if named is not None:
            named.mentions.extend(self.narrator.mentions)
            self.extra.remove(self.narrator)
            self.narrator = named
        elif not self.allow_new:  # a given cast has no unnamed narrator
            self.extra.remove(self.narrator)
            self.narrator = None

    def _answered_by_name(self, said_by_me: set[int]) -> Entity | None:
        """An exchange of names: one line says "I'm Emi", and a line the narration tags as the narrator's own
        is only that name ("'Emi,' I said."), a name the narration never writes: the narrator's."""
        self_named = {id(e) for g, e in self.history
                      if g.kind == "name" and g.quote is not None and introduces_self(g.head)}
        in_narration = {id(e) for g, e in self.history if g.kind == "name" and g.quote is None}
        candidates = self_named - in_narration - {id(self.narrator)}
        return next((e for g, e in self.history if g.kind == "name" and g.paragraph in said_by_me
                     and id(e) in candidates and self._whole_line(g)), None)

    def _whole_line(self, f: Features) -> bool:
        """The mention is all its quotation says ('"Emi," I said.')."""
        before = self.text[max(f.start - 1, 0) : f.start]
        after = self.text[f.mention.end : f.mention.end + 3]
        return before in _QUOTE_OPENERS and bool(_LINE_END.match(after))

    def _called_by_others(self, said_by_me: set[int]) -> Entity | None:
        """The name others call the narrator by ("You see, Watson, ...", "my dear Watson"): a name
        never written in the narration, used as a vocative in lines the narrator does not tag as
        her own, at least MIN_NARRATOR_VOCATIVES times; the most called such name."""
        in_narration: set[int] = set()
        calls: dict[int, int] = {}
        by_id: dict[int, Entity] = {}
        for g, entity in self.history:
            if g.kind != "name" or entity is self.narrator:
                continue
            by_id[id(entity)] = entity
            if g.quote is None:
                in_narration.add(id(entity))
            elif g.paragraph not in said_by_me and g.head.pos_ == "PROPN" and self._vocative(g):
                calls[id(entity)] = calls.get(id(entity), 0) + 1
        called = [(n, key) for key, n in calls.items() if key not in in_narration]
        return by_id[max(called)[1]] if called and max(called)[0] >= MIN_NARRATOR_VOCATIVES else None

    def _vocative(self, f: Features) -> bool:
        """Set off as the one spoken to: ", Watson," / "Watson, ..." / "my dear Watson." """
        before = self.text[max(f.start - 12, 0) : f.start]
        after = self.text[f.mention.end : f.mention.end + 1]
        return bool(_VOCATIVE_BEFORE.search(before)) and after in (",", ".", "!", "?")

    def _narrator(self) -> Entity | None:
        # (with a given cast too: "I" may yet be one of the given characters, see name_the_narrator)
        if self.narrator is None:
            self.narrator = Entity(label="narrator", named=False)
            self.extra.append(self.narrator)
        return self.narrator

    def _reader(self) -> Entity | None:
        """The one Reader of the story; with a given cast, the entry called Reader or Y/N."""
        if self.reader is None and self.allow_new:
            self.reader = Entity(label=READER)
            self.extra.append(self.reader)
        elif self.reader is None:
            given = {id(e): e for key in ("yn", fold(READER)) for e in self.names.candidates(key)}
            self.reader = next(iter(given.values())) if len(given) == 1 else None
        return self.reader

    # windows -----------------------------------------------------------------------------
    def _window(self, f: Features, paragraphs: int) -> list[Entity]:
        found: dict[int, Entity] = {}
        for g, entity in reversed(self.history):
            if f.paragraph - g.paragraph > paragraphs:
                break
            found.setdefault(id(entity), entity)
        return list(found.values())

    def _most_recent(self, candidates: list[Entity], f: Features, paragraphs: int | None) -> Entity | None:
        wanted = {id(c) for c in candidates}
        for g, entity in reversed(self.history):
            if paragraphs is not None and f.paragraph - g.paragraph > paragraphs:
                break
            if id(entity) in wanted:
                return entity
        return None


def _age(entity: Entity) -> float:
    return entity.canon.age if entity.canon and entity.canon.age is not None else float("-inf")


def _gender_fits(wanted: str, actual: str) -> bool:
    return wanted not in ("male", "female") or actual in (wanted, "unknown")


def _bound(pronoun: Features, antecedent: Features) -> bool:
    """ "Naruto hit him": an object pronoun is not the subject of its own verb (unless reflexive)."""
    if pronoun.mention.text.lower().endswith("self"):
        return False
    return pronoun.object and antecedent.subject and antecedent.head.head.i == pronoun.verb.i


def _epithet_key(f: Features) -> str:
    words = f.mention.text.split()
    return " ".join(fold(w) for w in words[1:] if fold(w)) if len(words) > 1 else fold(f.mention.text)


def _colour(f: Features, vocab: Vocabulary) -> str | None:
    """The hair colour an epithet implies: "the redhead", "the blonde boy", "the raven-haired man"."""
    if f.kind != "epithet":
        return None
    for word in (f.head_word, *f.modifiers):
        if word in vocab.epithet_colour:
            return vocab.epithet_colour[word]
    if "haired" in f.modifiers:  # "the raven-haired man", "the brown haired man"
        before = f.modifiers[: f.modifiers.index("haired")]
        colours = [vocab.hair_colour[w] for w in before if w in vocab.hair_colour]
        return colours[-1] if colours else None
    return None


def _hair_facts(doc: Doc, text: str, vocab: Vocabulary) -> dict[int, str]:
    """Owner token index -> hair colour: "his fiery hair", "Rell's red locks", "a boy with red hair"."""
    facts: dict[int, str] = {}
    pattern = re.compile(r"\b(?:" + "|".join(sorted(vocab.hair_nouns)) + r")\b", re.IGNORECASE)
    for match in pattern.finditer(text):  # the text, not doc.text (which rebuilds it from the tokens)
        span = doc.char_span(match.start(), match.end())
        if span is None or span.root.pos_ != "NOUN":
            continue
        token = span.root
        colours = [vocab.hair_colour[fold(c.text)] for c in token.lefts if fold(c.text) in vocab.hair_colour]
        if not colours:
            continue
        owners = [c for c in token.children if c.dep_ == "poss"]
        if owners:
            facts[owners[0].i] = colours[0]
        elif token.head.lower_ == "with" and token.head.head.pos_ in ("NOUN", "PROPN"):
            facts[token.head.head.i] = colours[0]
        elif token.dep_ == "dobj" and token.head.lemma_ == "have":
            subjects = [c for c in token.head.children if c.dep_ == "nsubj"]
            if subjects:
                facts[subjects[0].i] = colours[0]
    return facts


def _age_facts(doc: Doc, vocab: Vocabulary) -> list[tuple[int, int]]:
    """(older, younger) token pairs the story states: "Itachi was older than Sasuke", "his older
    brother Itachi", "Sasuke's elder sister, Mei", "her little brother"."""
    facts = []
    for token in doc:
        word = token.lower_
        older = word in vocab.older or (word in vocab.older_kin and token.head.lower_ in vocab.siblings)
        younger = word in vocab.younger or (word in vocab.younger_kin and token.head.lower_ in vocab.siblings)
        if not older and not younger:
            continue
        pair = _compared(token) or _kin(token, vocab)
        if pair is not None:
            first, second = pair  # first is `word` than second
            facts.append((first, second) if older else (second, first))
    return facts


def _compared(comparative: Token) -> tuple[int, int] | None:
    """ "X is older than Y" -> (X, Y)."""
    than = [c for c in comparative.children if c.lower_ == "than"]
    objects = [c for c in than[0].children if c.dep_ == "pobj"] if than else []
    if not objects:
        return None
    if comparative.dep_ in ("acomp", "attr"):
        subjects = [c for c in comparative.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        return (subjects[0].i, objects[0].i) if subjects else None
    if comparative.dep_ in ("amod", "appos"):  # "Itachi, five years older than Sasuke,"
        return comparative.head.i, objects[0].i
    return None


def _kin(modifier: Token, vocab: Vocabulary) -> tuple[int, int] | None:
    """ "his older brother Itachi" / "Itachi, his older brother" / "Itachi was his older brother"
    -> (Itachi, his): the sibling is `modifier` than the possessor."""
    noun = modifier.head
    if modifier.dep_ != "amod" or noun.lower_ not in vocab.siblings:
        return None
    owners = [c for c in noun.children if c.dep_ == "poss"]
    if not owners:
        return None
    named = [c for c in noun.children if c.dep_ == "appos"]
    if noun.dep_ in ("appos", "compound"):
        named.append(noun.head)
    elif noun.dep_ == "attr":
        named += [c for c in noun.head.children if c.dep_ == "nsubj"]
    return (named[0].i, owners[0].i) if named else None
