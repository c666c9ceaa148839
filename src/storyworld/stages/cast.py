"""Cast: mentions clustered into characters.

1. Proper names are clustered in passes (cast/clusters.py): exact key, titled full name, first
   name, titled surname, nickname, surname, canon character of the fandom pack; never across a
   gender clash, two gendered titles or names set side by side. With `story.given_cast` the
   characters are exactly those given, and names match them by name, alias and their variants.
2. Gender comes from the given cast or the pack, else from titles and the first he/she after a
   name in its sentence.
3. Every mention is then resolved in text order (cast/resolve.py): titles and epithets by what
   the story established, pronouns by salience. Unnamed characters ("the guard") are kept when
   they speak or act more than once.
"""

from __future__ import annotations

from collections import Counter

from storyworld.cast.clusters import NameTable, cluster_names, name_key
from storyworld.cast.entities import Entity
from storyworld.cast.features import READER, Features, Positions, describe
from storyworld.cast.names import fold, split_name
from storyworld.cast.resolve import Resolver
from storyworld.cast.vocabulary import Vocabulary, vocabulary
from storyworld.model import CastEntry, Character, Story
from storyworld.pipeline import Stage

# An unnamed character is kept when it heads a speech tag or is the subject this many times.
MIN_UNNAMED_SUBJECTS = 2
MIN_TITLE_MENTIONS = 2
MIN_PRONOUN_VOTES = 2  # he/she resolved to a character that has no gender otherwise
STATEMENT_VOTES = 2  # "X was a distant aunt" counts as two he/she votes
TITLED_NAME_SHARE = 3  # a titled name names the character when used a third as often as the commonest
GENDERED = ("male", "female")


def _given_table(entries: list[CastEntry], vocab: Vocabulary) -> NameTable:
    """Name keys for a given cast: each name and alias, their first and last words, nicknames.

    A variant claimed by two entries ("Bennet" for Jane and Elizabeth Bennet) stays ambiguous.
    """
    names = NameTable()
    variants: dict[str, list[Entity]] = {}
    for entry in entries:
        entity = Entity(given=entry)
        for written in (entry.name, *entry.aliases):
            parts = split_name(written, vocab.person_titles, vocab.honorifics)
            if not parts.words:
                continue
            key = f"{parts.titles[-1]} {parts.key}" if parts.titles and len(parts.words) == 1 else parts.key
            entity.keys.add(key)
            names.table.setdefault(key, []).append(entity)
            for variant in {parts.first, parts.last} | set(_nicknames_of(parts.first, vocab)):
                variants.setdefault(variant, []).append(entity)
    for variant, owners in variants.items():
        if variant not in names.table:
            names.table[variant] = list({id(e): e for e in owners}.values())
    return names


def _nicknames_of(first: str, vocab: Vocabulary) -> list[str]:
    return [nick for nick, formal in vocab.nicknames.items() if first in formal]


def _gender_votes(features: list[Features], vocab: Vocabulary) -> dict[str, Counter[str]]:
    """Name key -> he/she votes: the first he/she after a subject name in its sentence (subject or
    possessive, with no other name between) votes for that name, and so does what the narration says
    the name is ("Hamidullah Begum was a distant aunt of Aziz", "Tom, a farmer's son,")."""
    votes: dict[str, Counter[str]] = {}
    for i, f in enumerate(features):
        if f.kind != "name":
            continue
        said = _said_to_be(f, vocab)
        if said is not None:
            votes.setdefault(name_key(f), Counter())[said] += STATEMENT_VOTES
        if not f.subject:
            continue
        for g in features[i + 1 : i + 8]:
            if g.sentence != f.sentence or g.kind == "name" or g.quote != f.quote:
                break
            counts = g.subject or g.head.dep_ == "poss"  # "Petra showed him": an object is someone else
            if g.kind == "pronoun" and g.gender in ("male", "female") and counts:
                votes.setdefault(name_key(f), Counter())[g.gender] += 1
                break
    return votes


def _said_to_be(f: Features, vocab: Vocabulary) -> str | None:
    """The gender of the noun the narration equates a name with: "X was a distant aunt" (a copula's
    attribute) or "X, a farmer's son," (an apposition); None when there is none or it has no gender."""
    if f.quote is not None:
        return None
    head = f.head
    nouns = [c for c in head.children if c.dep_ == "appos"]
    if f.subject and head.head.lemma_ == "be":
        nouns += [c for c in head.head.children if c.dep_ == "attr"]
    genders = {vocab.noun_gender.get(fold(n.text)) for n in nouns if n.pos_ == "NOUN"} & {"male", "female"}
    return genders.pop() if len(genders) == 1 else None


def _kept(entity: Entity, speech_verbs: frozenset[str]) -> bool:
    if entity.given is not None or entity.keys:
        return bool(entity.mentions)
    if entity.label in ("narrator", READER):
        return bool(entity.mentions)
    if entity.named:
        return len(entity.mentions) >= MIN_TITLE_MENTIONS
    speaks = any(
        m.subject
        and (
            m.head.head.lemma_ in speech_verbs
            or any(c.dep_ == "acl" and c.lemma_ in speech_verbs for c in m.head.children)  # "one asked"
        )
        for m in entity.mentions
    )
    subjects = sum(m.subject for m in entity.mentions)
    return speaks or subjects >= MIN_UNNAMED_SUBJECTS


def _display_name(entity: Entity, vocab: Vocabulary) -> str:
    if entity.given is not None:
        return entity.given.name
    if entity.canon is not None:
        return entity.canon.name
    if entity.label == READER:
        return READER
    names = Counter(m.mention.text for m in entity.mentions if m.kind == "name")
    if not names:
        described = Counter(_alias(m.mention.text) for m in entity.mentions if m.kind != "pronoun")
        return described.most_common(1)[0][0] if described else "the narrator"

    first = min((m for m in entity.mentions if m.kind == "name"), key=lambda m: m.start).mention.text
    commonest = max(names.values())

    def rank(text: str) -> tuple[bool, bool, int]:
        """A full name that introduces the character or recurs first ("Cyril Fielding"), then a titled one
        in common use ("Mr. Fielding"), then the commonest: "Mrs. Wilcox" (136 times), not "Mrs. Warrington
        Wilcox" (twice), nor "Annie Miller" for "Mrs. Miller" (40 times before it); "Jane" (279 times)
        rather than "Miss Bennet" (55)."""
        parts = split_name(text, vocab.person_titles, vocab.honorifics)
        full = len(parts.words) > 1 and not parts.honorifics and not parts.titles
        titled = bool(parts.titles) and names[text] * TITLED_NAME_SHARE >= commonest
        return full and (names[text] > 1 or text == first), titled, names[text]

    return max(names, key=rank)


def _alias(text: str) -> str:
    """ "The redhead" at a sentence start is the alias "the redhead"."""
    first, _, rest = text.partition(" ")
    return f"{first.lower()} {rest}" if rest and first.lower() in ("the", "a", "an", "this", "that") else text


def _character(number: int, entity: Entity, story: Story, vocab: Vocabulary) -> Character:
    mentions = sorted((f.mention for f in entity.mentions), key=lambda m: m.start)
    aliases = Counter(_alias(m.text) for m in mentions if m.kind != "pronoun")
    named = entity.given is not None or bool(entity.keys) or entity.named
    original = (
        story.fandom is not None and entity.canon is None and bool(entity.keys) and entity.given is None
    )
    return Character(
        id=f"c{number}",
        name=_display_name(entity, vocab),
        aliases=[a for a, _ in aliases.most_common()],
        canonical=entity.canon.name if entity.canon else None,
        original=original,
        named=named,
        gender=_gender(entity),  # type: ignore[arg-type]
        mentions=mentions,
    )


def _gender(entity: Entity) -> str:
    """The character's gender; for one nothing else gave one ("One of them grinned like he'd won"), that of
    the pronouns resolved to it, if at least MIN_PRONOUN_VOTES outnumber the others two to one."""
    if entity.gender != "unknown":
        return entity.gender
    votes = Counter(f.gender for f in entity.mentions if f.kind == "pronoun" and f.gender in GENDERED)
    gender = Entity(gender_votes=votes).gender  # the entity's own two-to-one rule over these votes
    return gender if votes[gender] >= MIN_PRONOUN_VOTES else "unknown"


def build_cast(story: Story) -> list[Character]:
    """The story's characters, each with every mention resolved to it."""
    assert story.doc is not None
    vocab = vocabulary(story.fandom)
    positions = Positions(story.paragraphs or [], story.quotes or [], story.doc, story.breaks or [])
    features = [describe(story.doc, m, vocab, positions) for m in story.mentions or []]
    votes = _gender_votes(features, vocab)
    if story.given_cast is not None:
        names = _given_table(list(story.given_cast), vocab)
        for key, counts in votes.items():
            owners = names.candidates(key)
            if len(owners) == 1:
                owners[0].gender_votes.update(counts)
    else:
        names = cluster_names([f for f in features if f.kind == "name" and not f.reader], vocab, votes)
    resolver = Resolver(story.doc, story.text, vocab, names, allow_new=story.given_cast is None)
    resolver.run(features)
    resolver.reveal()
    resolver.settle_titles()
    resolver.name_the_narrator()
    if story.given_cast is not None:
        entities = list({id(e): e for e in names.entities()}.values())
        entities.sort(key=lambda e: story.given_cast.index(e.given))  # type: ignore[union-attr, arg-type]
        return [_character(i, e, story, vocab) for i, e in enumerate(entities, start=1)]
    entities = [e for e in names.entities() + resolver.extra if _kept(e, vocab.speech_verbs)]
    entities.sort(key=lambda e: min(f.start for f in e.mentions))
    return [_character(i, e, story, vocab) for i, e in enumerate(entities, start=1)]


def _compute(story: Story) -> dict:
    return {"characters": build_cast(story)}


STAGE = Stage("cast", requires=("mentions", "fandom", "breaks"), assigns=("characters",), compute=_compute)
