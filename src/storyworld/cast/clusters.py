"""Name clustering: the proper names of a story grouped into characters, in small passes.

Each pass takes the table of name keys -> characters and merges entries it is sure of; a key that
could be several characters ("Uchiha" with two Uchiha present, "Miss Bennet" with five sisters)
is left ambiguous and resolved at each mention by recency (see resolve.py).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from storyworld.cast.entities import Entity
from storyworld.cast.features import Features
from storyworld.cast.vocabulary import Canon, Vocabulary

# A name goes to the most used of several owners when it is used this many times as often as the next.
DOMINANCE = 4
# A gendered title ("Mrs.") outweighs a few pronouns that follow the name.
TITLE_VOTES = 3


def name_key(features: Features) -> str:
    """The key a name mention clusters under: "elizabeth bennet", "elizabeth", "miss bennet"."""
    parts = features.parts
    assert parts is not None
    if parts.titles and len(parts.words) == 1:
        return f"{parts.titles[-1]} {parts.key}"
    return parts.key


class NameTable:
    """Name keys and the characters each may refer to (one: settled; several: decide by recency)."""

    def __init__(self) -> None:
        self.table: dict[str, list[Entity]] = {}
        self.titled_full: set[str] = set()  # "mr george emerson": full names the story also titles

    def entities(self) -> list[Entity]:
        seen: dict[int, Entity] = {}
        for candidates in self.table.values():
            for entity in candidates:
                seen.setdefault(id(entity), entity)
        return list(seen.values())

    def settled(self) -> dict[str, Entity]:
        return {k: v[0] for k, v in self.table.items() if len(v) == 1}

    def merge(self, keep: Entity, drop: Entity) -> None:
        """Put `drop` into `keep`; never a pack character into another character (a run like
        "Sasuke Kakashi" must not swallow Sasuke and Kakashi)."""
        if keep is drop or (drop.canon is not None and keep.canon is not drop.canon):
            return
        keep.absorb(drop)
        for key, candidates in self.table.items():
            if any(c is drop for c in candidates):
                merged = [keep if c is drop else c for c in candidates]
                self.table[key] = list({id(c): c for c in merged}.values())

    def candidates(self, key: str) -> list[Entity]:
        return self.table.get(key, [])


def _dominant(owners: Iterable[Entity]) -> Entity | None:
    """The one owner, or the one used DOMINANCE times as often as any other, else None."""
    ranked = sorted(owners, key=lambda e: e.uses, reverse=True)
    if len(ranked) == 1 or (len(ranked) > 1 and ranked[0].uses >= DOMINANCE * ranked[1].uses):
        return ranked[0]
    return None


def _same_gender(one: Entity, other: Entity) -> bool:
    """No clash: "Hamidullah" (he) does not join "Hamidullah Begum" (she)."""
    return "unknown" in (one.gender, other.gender) or one.gender == other.gender


def _titled(key: str, vocab: Vocabulary) -> bool:
    """ "lady catherine", "mr bennet": a title and one name."""
    words = key.split()
    return len(words) == 2 and words[0] in vocab.person_titles


def _single(key: str) -> bool:
    return " " not in key


def exact(features: Iterable[Features], votes: dict[str, Counter[str]]) -> NameTable:
    """Pass 1: one character per distinct key. "Tom Sawyer" (x3), "Tom" (x9) -> two characters.

    Each starts with its gender votes (`votes` by key, from the pronouns that follow it), so the
    later passes do not put "Mr. Barry" into "Diana Barry".
    """
    names = NameTable()
    for f in features:
        key = name_key(f)
        if key not in names.table:
            names.table[key] = [Entity(keys={key}, gender_votes=Counter(votes.get(key, {})))]
        entity = names.table[key][0]
        entity.uses += 1
        parts = f.parts
        if parts is not None and parts.titles and len(parts.words) > 1:
            names.titled_full.add(f"{parts.titles[-1]} {key}")
        if f.gender in ("male", "female"):
            entity.gender_votes[f.gender] += TITLE_VOTES
    return names


def first_names(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 2: a lone first name joins the only full name it begins. "Tom" -> "Tom Sawyer"; with
    "Jane Fairfax" (86 uses) and "Jane Austen" (1), "Jane" -> JANE FAIRFAX (see `_dominant`)."""
    settled = names.settled()
    full = [
        (k.split()[0], e)
        for k, e in settled.items()
        if not _single(k) and k.split()[0] not in vocab.person_titles
    ]
    for key, entity in list(settled.items()):
        if not _single(key):
            continue
        owner = _dominant(
            {
                id(e): e for first, e in full if first == key and e is not entity and _same_gender(e, entity)
            }.values()
        )
        if owner is not None:
            names.merge(owner, entity)


def titled_surnames(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 3: "Mr. Sawyer" joins the only full name ending in Sawyer whose gender fits the title;
    failing that, "Miss Lucy" joins the only full name beginning with Lucy.

    "Mr. Sawyer" + "Tom Sawyer" (male) -> TOM SAWYER; "Aunt Polly" + "Polly Harper" -> POLLY HARPER;
    but see `_told_apart` ("Mr. Emerson" and "Mr. George Emerson" may be father and son);
    "Miss Bennet" with Jane and Elizabeth Bennet stays a character of its own (BookNLP does the
    same: the title does not say which sister).
    """
    settled = names.settled()
    full = [
        (k.split(), e) for k, e in settled.items() if " " in k and k.split()[0] not in vocab.person_titles
    ]
    for key, entity in list(settled.items()):
        words = key.split()
        if len(words) != 2 or words[0] not in vocab.person_titles:
            continue
        gender = vocab.title_gender(words[0])
        fits = [
            (w, e)
            for w, e in full
            if e is not entity and (gender == "unknown" or e.gender in (gender, "unknown"))
        ]
        for position in (-1, 0):
            owners = list(
                {
                    id(e): e
                    for w, e in fits
                    if w[position] == words[1]
                    and not (position == -1 and _told_apart(words[0], w, e, entity, names))
                }.values()
            )
            if owners:  # a family shares a surname: only a first name may go to a dominant owner
                owner = _dominant(owners) if position == 0 else (owners[0] if len(owners) == 1 else None)
                if owner is not None:
                    names.merge(owner, entity)
                break


def _told_apart(title: str, full: list[str], owner: Entity, titled: Entity, names: NameTable) -> bool:
    """ "Mr. Emerson" (200 uses) is not "George Emerson" (20) when the story also writes "Mr. George
    Emerson": it needs the first name to tell them apart."""
    return f"{title} {' '.join(full)}" in names.titled_full and titled.uses > owner.uses


def same_surname_titles(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 3b: titled surnames with no gender clash are one person. "Dr. Aziz" + "Mr. Aziz" -> one;
    "Mr. Bennet" + "Mrs. Bennet" stay two (and a "Dr. Bennet" beside them stays apart), as do
    "Major Callendar" (he, by the pronouns that follow) and "Mrs. Callendar".
    """
    by_surname: dict[str, list[tuple[str, Entity]]] = {}
    for key, entity in names.settled().items():
        words = key.split()
        if len(words) == 2 and words[0] in vocab.person_titles:
            by_surname.setdefault(words[1], []).append((entity.gender, entity))
    for group in by_surname.values():
        genders = {g for g, _ in group} - {"unknown"}
        if len(group) > 1 and len(genders) <= 1:
            keep = group[0][1]
            for _, entity in group[1:]:
                names.merge(keep, entity)


def titled_bare(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 3c: a bare name joins the only titled form of it. "Marilla" + "Aunt Marilla" -> one;
    "Bennet" with "Mr. Bennet" and "Mrs. Bennet" is either, by recency at each mention.
    """
    settled = names.settled()
    titled: dict[str, list[Entity]] = {}
    for key, entity in settled.items():
        words = key.split()
        if len(words) == 2 and words[0] in vocab.person_titles:
            titled.setdefault(words[1], []).append(entity)
    for key, entity in list(settled.items()):
        owners = list({id(e): e for e in titled.get(key, []) if e is not entity}.values())
        if len(owners) == 1:
            names.merge(owners[0], entity)
        elif len(owners) > 1:
            names.table[key] = owners


def nicknames(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 4: a nickname joins the character whose given name it shortens.

    "Eliza Bennet" -> ELIZABETH BENNET (the same name with the given name written out); "Lizzy"
    and "Miss Lizzy" -> the only (or dominant) full name beginning with Elizabeth, never a titled
    form of it ("Kitty" is not "Lady Catherine").
    """
    settled = names.settled()
    for key, entity in list(settled.items()):
        words = key.split()
        given = 1 if _titled(key, vocab) else 0
        formal = vocab.nicknames.get(words[given]) if len(words) > given else None
        if not formal:
            continue
        variants = {" ".join([*words[:given], f, *words[given + 1 :]]) for f in formal}
        owners = {id(e): e for k, e in settled.items() if e is not entity and k in variants}
        if not owners and len(words) == given + 1:
            owners = {
                id(e): e
                for k, e in settled.items()
                if e is not entity
                and not _titled(k, vocab)
                and k.split()[0] in formal
                and _same_gender(e, entity)
                and not any(_titled(k2, vocab) and k2.split()[1] in formal for k2 in e.keys)
            }
        owner = _dominant(owners.values())
        if owner is not None:
            names.merge(owner, entity)


def surnames(names: NameTable) -> None:
    """Pass 5: a lone surname joins the only full name it ends; with several it stays ambiguous.

    "Sawyer" + "Tom Sawyer" -> TOM SAWYER; "Uchiha" + "Sasuke Uchiha" + "Itachi Uchiha" -> either,
    by recency at each mention.
    """
    settled = names.settled()
    for key, entity in list(settled.items()):
        if not _single(key) or len(entity.keys) > 1:
            continue
        owners = list(
            {id(e): e for k, e in settled.items() if e is not entity and k.split()[-1] == key}.values()
        )
        if len(owners) == 1:
            names.merge(owners[0], entity)
        elif len(owners) > 1:
            names.table[key] = owners


def canon(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 6: names the fandom pack knows join their canon character; two keys of one canon merge.

    "Kankuro" and "Kankurō" already share a key; "Naruto" and "Uzumaki Naruto" (both keys of the
    pack's "Uzumaki Naruto") -> one character with canonical "Uzumaki Naruto". A key that is a word
    of several canon names ("Uchiha") stays ambiguous among those present.
    """
    if not vocab.canon:
        return
    by_canon: dict[str, Entity] = {}
    for key, entity in list(names.settled().items()):
        match = _canon_for(key, vocab.canon)
        if match is None:
            continue
        owner = by_canon.get(match.name)
        if owner is None:
            entity.canon = entity.canon or match
            by_canon[match.name] = entity
        else:
            names.merge(owner, entity)
    for key, candidates in list(names.table.items()):
        if len(candidates) != 1 or candidates[0].canon is not None or not _single(key):
            continue
        present = [e for e in by_canon.values() if key in e.words]
        if len(present) > 1:
            names.table[key] = present
        elif len(present) == 1:
            names.merge(present[0], candidates[0])


def _canon_for(key: str, characters: tuple[Canon, ...]) -> Canon | None:
    """The one canon character with this exact name key, if exactly one has it."""
    matches = [c for c in characters if key in c.keys]
    return matches[0] if len(matches) == 1 else None


def cluster_names(features: list[Features], vocab: Vocabulary, votes: dict[str, Counter[str]]) -> NameTable:
    """Every pass in order over the story's name mentions; `votes` are gender votes by name key."""
    names = exact(features, votes)
    canon(names, vocab)
    first_names(names, vocab)
    titled_surnames(names, vocab)
    same_surname_titles(names, vocab)
    titled_bare(names, vocab)
    nicknames(names, vocab)
    surnames(names)
    canon(names, vocab)
    return names
