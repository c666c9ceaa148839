"""The words the mentions and cast stages read, gathered once per fandom.

English facts (pronouns, person nouns, hair colours) come from storyworld/data/people.toml; titles,
honorifics, nicknames, non-names and canon characters come from the generic pack and the
detected fandom's pack (storyworld.fandoms). Every word here is folded (see names.fold).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from storyworld import fandoms
from storyworld.cast.names import fold
from storyworld.fandoms import normalise_name
from storyworld.lexicon import lexicon, words

Gender = str  # "male" | "female" | "unknown"

# Sibling words and the words that give their age order only beside them ("his big brother").
SIBLINGS = frozenset({"brother", "sister", "sibling", "twin", "cousin", "bro", "sis"})
OLDER_KIN = frozenset({"big"})
YOUNGER_KIN = frozenset({"little", "baby", "kid"})


@dataclass(frozen=True)
class Canon:
    """A canon character of the fandom pack, with the facts epithets are resolved against."""

    name: str
    keys: frozenset[str]  # folded full names and aliases ("naruto uzumaki", "naruto")
    gender: Gender = "unknown"
    hair: str | None = None  # a colour of people.toml [appearance]
    species: frozenset[str] = frozenset()  # "dog", "fox"; empty for people
    clan: str | None = None  # folded family or clan name
    origin: frozenset[str] = frozenset()  # folded words for village/nation ("sand", "suna")
    titles: frozenset[str] = frozenset()  # folded titles held ("kazekage")
    roles: frozenset[str] = frozenset()  # folded last words of the roles ("teacher" of "homeroom teacher")
    eras: tuple[tuple[str, str], ...] = ()  # (title, era) held: ("hokage", "seventh")
    age: float | None = None
    words: frozenset[str] = field(default_factory=frozenset)  # every folded word of every key
    relatives: tuple[tuple[frozenset[str], str], ...] = ()  # ({"older", "brother"}, "Kankurou")

    def era(self, title: str) -> str | None:
        """When this character held `title` ("seventh"; "" when the pack does not say), if ever."""
        return next((era for held, era in self.eras if held == title), None)


@dataclass(frozen=True)
class Vocabulary:
    pronoun_gender: dict[str, Gender]  # he -> male, they -> plural
    first_person: frozenset[str]
    second_person: frozenset[str]  # you, your: the Reader of a second-person story
    noun_gender: dict[str, Gender]  # man -> male, guard -> unknown
    animals: frozenset[str]
    vague: frozenset[str]
    kinship: frozenset[str]  # mother, brother, son: "her child" is someone's relative, not a re-mention
    anaphoric: frozenset[str]  # heads that may refer back to someone present ("the younger man", "the nin")
    young: frozenset[str]  # child, kid, infant: a character the story called that, not the last one
    youthful: frozenset[str]  # boy, lad: a person word of an age ("the poor boy" is not "a grey-haired man")
    grown: frozenset[str]  # man, woman
    mystery: frozenset[str]  # figure, intruder: someone the scene names later
    family_names: dict[str, str]  # mum -> mother: what a family calls the relative a pack's notes name
    partitive_one: str  # "one" of "one of them"
    partitive_others: frozenset[str]  # "another", "the other one"
    partitive_groups: frozenset[str]  # "them" of "one of them"
    speech_possessives: frozenset[str]  # "my" of "my brother" in a quotation
    hair_colour: dict[str, str]  # fiery -> red
    epithet_colour: dict[str, str]  # redhead -> red
    hair_nouns: frozenset[str]
    older: frozenset[str]
    younger: frozenset[str]
    siblings: frozenset[str]
    older_kin: frozenset[str]  # "big" of "big brother"
    younger_kin: frozenset[str]  # "little" of "little sister"
    place_prepositions: frozenset[str]
    determiners: frozenset[str]
    thing_determiners: frozenset[str]
    plural_verbs: frozenset[str]
    person_titles: dict[str, Gender]  # mr -> male: titles that go before a name
    role_titles: frozenset[str]  # hokage, colonel, king: titles a character holds
    abbreviations: dict[str, str]  # dr -> doctor
    honorifics: frozenset[str]  # kun, chan, sensei
    nicknames: dict[str, frozenset[str]]  # lizzy -> {elizabeth}
    given_names: frozenset[str]  # every given name and short form the nickname table knows
    non_characters: frozenset[str]  # folded keys of techniques, places, groups, interjections
    canon: tuple[Canon, ...]
    canon_words: frozenset[str]  # every folded word of a canon name
    canon_clans: frozenset[str]  # folded clan and family names of the canon
    village_words: frozenset[str]  # folded one-word village names of the pack ("sand", "suna", "leaf")
    canon_by_key: dict[str, tuple[Canon, ...]]  # normalised name or alias ("the demon fox") -> owners
    periods: tuple[dict[str, str], ...]  # folded title -> folded era, one dict per period of the canon
    speech_verbs: frozenset[str]
    person_objects: frozenset[str]  # verbs whose object is a person ("save", "thank")
    at_person: frozenset[str]  # verbs whose "at" takes a person ("looked at Cecily")

    def full_title(self, title: str) -> str:
        """ "dr" -> "doctor", "capt" -> "captain": the written-out form of an abbreviated title."""
        return self.abbreviations.get(title, title)

    def title_gender(self, title: str) -> Gender:
        return self.person_titles.get(title, "unknown")


def _folded(values: object) -> frozenset[str]:
    return frozenset(fold(v) for v in values or () if fold(v))  # type: ignore[attr-defined]


def _by_key(table: dict[str, list[str]]) -> dict[str, str]:
    """{"male": ["he", ...]} -> {"he": "male", ...}"""
    return {fold(word): key for key, words in table.items() for word in words}


@cache
def vocabulary(fandom: str | None) -> Vocabulary:
    """The words for a story of `fandom` (a pack id, or None for no fandom)."""
    people = lexicon("people")
    appearance = dict(people["appearance"])
    epithets = appearance.pop("epithets")
    hair = appearance.pop("hair")
    context = people["context"]
    generic = fandoms.generic()
    pack = fandoms.load_packs().get(fandom) if fandom else None
    characters = pack.characters if pack else ()
    held = {t.title for c in characters for t in c.titles}
    person_titles = {fold(t): g for t, g in generic.titles.items()} | {fold(t): "unknown" for t in held}
    nicknames: dict[str, set[str]] = {}
    for full, nicks in generic.nicknames.items():
        for nick in nicks:
            nicknames.setdefault(fold(nick), set()).add(fold(full))
    animals = _folded(generic.appearance.get("species", ()))
    noun_gender = dict.fromkeys(animals | _folded(people["nouns"]["person"]), "unknown")
    noun_gender |= {fold(r): "unknown" for c in characters for r in c.roles}
    noun_gender |= {fold(w): g for w, g in (*generic.kinship.items(), *generic.roles.items()) if " " not in w}
    pronoun_gender = {
        fold(w): "plural" if p.number == "plural" else p.gender
        for w, p in generic.pronouns.items()
        if p.person == "third" and (p.gender in ("male", "female") or p.number == "plural")
    }
    inverse = _inverse_relatives(characters, people["inverse_relations"])
    canon = tuple(_canon(c, pack, animals, inverse.get(c.name, ())) for c in characters) if pack else ()
    non_characters = {normalise_name(w) for w in generic.non_names}
    if pack is not None:
        non_characters |= {normalise_name(w) for w in pack.non_characters.all()}
    return Vocabulary(
        pronoun_gender=pronoun_gender,
        first_person=frozenset(
            fold(w) for w, p in generic.pronouns.items() if p.person == "first" and p.number == "singular"
        ),
        second_person=frozenset(w.lower() for w, p in generic.pronouns.items() if p.person == "second"),
        noun_gender=noun_gender,
        animals=animals,
        vague=_folded(people["nouns"]["vague"]),
        kinship=frozenset(fold(w) for w in generic.kinship if " " not in w),
        anaphoric=_folded(people["nouns"]["anaphoric"]) | _folded(pack.pack.person_nouns if pack else ()),
        young=_folded(people["nouns"]["young"]),
        youthful=_folded(people["nouns"]["youthful"]),
        grown=_folded(people["nouns"]["grown"]),
        mystery=_folded(people["nouns"]["mystery"]),
        family_names={fold(w): relation for relation, ws in people["family_names"].items() for w in ws},
        partitive_one=fold(people["partitives"]["one"]),
        partitive_others=_folded(people["partitives"]["others"]),
        partitive_groups=_folded(people["partitives"]["groups"]),
        speech_possessives=_folded(context["speech_possessives"]),
        hair_colour=_by_key(appearance),
        epithet_colour={fold(k): v for k, v in epithets.items()},
        hair_nouns=_folded(hair),
        older=_folded(people["comparatives"]["older"]),
        younger=_folded(people["comparatives"]["younger"]),
        siblings=SIBLINGS,
        older_kin=OLDER_KIN,
        younger_kin=YOUNGER_KIN,
        place_prepositions=_folded(context["place_prepositions"]),
        determiners=_folded(context["determiners"]),
        thing_determiners=_folded(context["thing_determiners"]),
        plural_verbs=_folded(context["plural_verbs"]),
        person_titles=person_titles,
        role_titles=frozenset(person_titles) - _folded(context["name_only_titles"]),
        abbreviations=_abbreviations(generic.titles),
        honorifics=_folded(generic.honorifics),
        nicknames={n: frozenset(f) for n, f in nicknames.items()},
        given_names=frozenset(nicknames) | frozenset(fold(f) for f in generic.nicknames),
        non_characters=frozenset(non_characters),
        canon=canon,
        canon_words=frozenset(w for c in canon for w in c.words),
        canon_clans=frozenset(c.clan for c in canon if c.clan),
        village_words=_village_words(pack),
        canon_by_key=_owners(canon),
        periods=tuple({fold(t): fold(e) for t, e in p.items()} for p in pack.period) if pack else (),
        speech_verbs=words("speech", "verbs", "speech"),
        person_objects=words("narration", "mentions", "person_objects"),
        at_person=words("narration", "mentions", "at_person"),
    )


def _village_words(pack: fandoms.Pack | None) -> frozenset[str]:
    villages = pack.villages.items() if pack else ()
    return frozenset(fold(n) for village, short in villages for n in (village, *short) if " " not in n)


def _owners(canon: tuple[Canon, ...]) -> dict[str, tuple[Canon, ...]]:
    owners: dict[str, list[Canon]] = {}
    for character in canon:
        for key in character.keys:
            owners.setdefault(key, []).append(character)
    return {key: tuple(found) for key, found in owners.items()}


def _abbreviations(titles: dict[str, str]) -> dict[str, str]:
    """ "Dr." -> "doctor": each dotted title to the one written-out title that starts with its first
    letter and holds its letters in order."""
    found = {}
    dotted = {fold(t) for t in titles if t.endswith(".")}
    full = [fold(t) for t in titles if not t.endswith(".") and fold(t) not in dotted]  # not "Mr" for "Mr."
    for title in titles:
        if not title.endswith("."):
            continue
        short = fold(title)
        pattern = re.compile(".*".join(map(re.escape, short)))
        matches = {f for f in full if f != short and f[0] == short[0] and pattern.match(f)}
        if matches:
            found[short] = min(matches, key=len)  # "Dr." is doctor, not dowager
    return found


def _inverse_relatives(
    characters: Iterable[fandoms.PackCharacter], inverse: dict[str, dict[str, str]]
) -> dict[str, list[tuple[frozenset[str], str]]]:
    """Each character's relatives as the other side gives them: Molly lists Fred as her son, so Fred's
    mother is Molly though his own entry names only his twin."""
    found: dict[str, list[tuple[frozenset[str], str]]] = {}
    for character in characters:
        for relation in character.relationships:
            word = fold(relation.note.split()[-1]) if relation.note else ""
            other_side = inverse.get(word, {}).get(character.gender)
            if other_side:
                found.setdefault(relation.other, []).append((frozenset({other_side}), character.name))
    return found


def _canon(
    character: fandoms.PackCharacter,
    pack: fandoms.Pack,
    animals: frozenset[str],
    inverse: Iterable[tuple[frozenset[str], str]] = (),
) -> Canon:
    keys = frozenset(normalise_name(n) for n in character.names(pack.pack.name_order) if normalise_name(n))
    # Village (with the pack's one-word names for it: "the leaf nin"; never "Land of Hot Water", or
    # "the hot guy" would be from Yugakure), clan, roles and looks: the words a "the sand nin" style
    # epithet is checked against.
    villages = [n for n in pack.origin_names(character) if len(normalise_name(n).split()) == 1]
    origin = {*villages, character.clan, *character.roles, *character.appearance}
    return Canon(
        name=character.name,
        keys=keys,
        gender=character.gender,
        hair=character.hair or None,
        species=frozenset()
        if character.species == "human"
        else _folded(character.species.split()) | (_folded(character.appearance) & animals),
        clan=fold(character.clan or character.family) or None,
        origin=frozenset(w for o in origin for w in normalise_name(o).split()),
        titles=_folded(t.title for t in character.titles),
        roles=frozenset(normalise_name(r).split()[-1] for r in character.roles if normalise_name(r)),
        eras=tuple((fold(t.title), fold(t.era)) for t in character.titles),
        age=character.age,
        words=frozenset(
            w for n in (character.name, character.given, character.family) for w in normalise_name(n).split()
        ),
        relatives=tuple(dict.fromkeys((  # (a pack may give a relation from both sides: once is enough)
            *((_folded(r.note.split()), r.other) for r in character.relationships if r.note),
            *inverse,
        ))),
    )
