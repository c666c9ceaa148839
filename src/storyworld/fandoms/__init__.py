"""Fandom packs: canon facts as TOML data files, and the lookups the cast stage needs.

A pack (packs/naruto.toml) names a fandom's characters with their aliases, titles and looks, and
the capitalised words of that world that are not characters (techniques, places, groups). The
generic pack (packs/generic.toml) holds English naming facts every story uses: titles,
honorifics, nicknames, kinship and role words. Users add packs in $STORYWORLD_PACKS, else
~/.config/storyworld/packs/. The format is documented in docs/fandom-packs.md.

Names are compared through `normalise_name`, so "Kankurō", "Kankurou" and "KANKURO" are one name.
"""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Iterator
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import ConfigDict, Field, ValidationError
from pydantic.dataclasses import dataclass

from storyworld.errors import E, StoryworldError

PACKS_ENV = "STORYWORLD_PACKS"
SHIPPED = Path(__file__).resolve().parent / "packs"
GENERIC_FILE = "generic.toml"

Gender = Literal["male", "female", "nonbinary", "unknown"]
_STRICT = ConfigDict(extra="forbid", populate_by_name=True, frozen=True)

# Long vowels are romanised three ways (ō, ou, oo; ū, uu): NFKD drops the macron, these fold the rest.
_LONG_VOWELS = (("ou", "o"), ("oo", "o"), ("uu", "u"))
_SEPARATORS = re.compile(r"[\s\-‐‑–—_.·]+")
_QUALIFIER = re.compile(r"\s*\([^()]*\)\s*$")


@lru_cache(maxsize=1 << 16)  # called on every word form of every story
def normalise_name(name: str) -> str:
    """The comparable form of a name: lower case, no diacritics, long vowels written once.

    "Kankurō", "Kankurou" and "Kankuro" -> "kankuro"; "Hyūga Hinata" and "Hyuuga  Hinata" ->
    "hyuga hinata"; "Naruto's" -> "naruto"; hyphens and dots count as spaces. An AO3 qualifier
    in brackets at the end is dropped: "Gaara (Naruto)" -> "gaara".
    """
    name = _QUALIFIER.sub("", name)
    plain = unicodedata.normalize("NFKD", name.lower().replace("’", "'"))
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    plain = re.sub(r"'s?\b", "", plain)
    for long, short in _LONG_VOWELS:
        plain = plain.replace(long, short)
    words = (re.sub(r"[^\w]", "", w) for w in _SEPARATORS.split(plain))
    return " ".join(w for w in words if w)


@dataclass(config=_STRICT)
class Title:
    """A title a character holds: {title = "Hokage", era = "Seventh"}."""

    title: str
    era: str = ""


@dataclass(config=_STRICT)
class Relation:
    """A canon tie: {with = "Uzumaki Kushina", kind = "family", note = "mother"}."""

    kind: Literal["family", "romantic", "friendship", "rivalry", "enmity", "mentor", "team", "partner"]
    note: str = ""
    other: str = Field(alias="with")  # last: a stdlib dataclass sees Field() as a default


@dataclass(config=_STRICT)
class PackCharacter:
    """One canon character. `name` is the AO3 canonical name; `names()` is every way to write it."""

    name: str
    given: str = ""
    family: str = ""
    aliases: tuple[str, ...] = ()
    gender: Gender = "unknown"
    clan: str = ""
    village: str = ""
    species: str = "human"
    hair: str = ""  # a colour word: red blond brown black pink white blue (people.toml), purple orange green
    age: int | None = None  # age when the canon begins: enough to rank "the older" of two
    appearance: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    titles: tuple[Title, ...] = ()
    relationships: tuple[Relation, ...] = ()

    def names(self, name_order: str = "family-first") -> tuple[str, ...]:
        """Canonical name, both orders of given + family, the given name alone, and the aliases.

        A one-letter name ("A (Naruto)", the Fourth Raikage) is left out: prose is full of "A".
        """
        found = [self.name]
        if self.given and self.family:
            ordered = (self.family, self.given) if name_order == "family-first" else (self.given, self.family)
            found += [" ".join(ordered), " ".join(reversed(ordered))]
        if self.given:
            found.append(self.given)
        found += self.aliases
        return tuple(n for n in dict.fromkeys(found) if len(normalise_name(n)) > 1)


@dataclass(config=_STRICT)
class PackInfo:
    id: str
    name: str
    fandoms: tuple[str, ...]
    name_order: Literal["family-first", "given-first"] = "given-first"
    setting: str = ""  # "modern" or the canon's own world ("ninja world"); tags read it for AU tags
    detect: tuple[str, ...] = ()
    shared: tuple[str, ...] = ()  # names that may belong to several characters (besides family names)
    person_nouns: tuple[str, ...] = ()  # words this canon uses for anyone ("nin", "shinobi"): "the sand nin"


@dataclass(config=_STRICT)
class NonCharacters:
    """Capitalised names in the fandom that never name a character."""

    techniques: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    objects: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()

    def all(self) -> Iterator[str]:
        kinds = (self.techniques, self.places, self.groups, self.organisations, self.objects, self.terms)
        for names in kinds:
            yield from names


@dataclass(config=_STRICT)
class Pack:
    """A fandom pack: its selection data, canon characters and non-character names."""

    pack: PackInfo
    character: tuple[PackCharacter, ...] = ()
    villages: dict[str, tuple[str, ...]] = Field(default_factory=dict)  # "Sunagakure" -> ("Suna", "Sand")
    non_characters: NonCharacters = NonCharacters()
    # Periods of the canon: which era of each title went together ({Hokage = "Fifth", Kazekage = "Fifth"}),
    # so a story that shows one holder dates the others.
    period: tuple[dict[str, str], ...] = ()

    @property
    def id(self) -> str:
        return self.pack.id

    @property
    def characters(self) -> tuple[PackCharacter, ...]:
        return self.character

    @cached_property
    def _canonical(self) -> dict[str, PackCharacter]:
        return {c.name: c for c in self.character}

    @cached_property
    def _named(self) -> dict[str, tuple[PackCharacter, ...]]:
        """Normalised name -> the characters whose own names (full, given, aliases) include it."""
        return _owners((normalise_name(n), c) for c in self.character for n in c.names(self.pack.name_order))

    @cached_property
    def _families(self) -> dict[str, tuple[PackCharacter, ...]]:
        """Normalised family name -> everyone of that family."""
        return _owners((normalise_name(c.family), c) for c in self.character if c.family)

    @cached_property
    def _non_characters(self) -> frozenset[str]:
        return frozenset(normalise_name(n) for n in self.non_characters.all())

    def matches(self, name: str) -> tuple[PackCharacter, ...]:
        """Every character `name` can refer to: those it names first, then the family it names."""
        key = normalise_name(name)
        named = self._named.get(key, ())
        return named + tuple(c for c in self._families.get(key, ()) if c not in named)

    def find(self, name: str) -> PackCharacter | None:
        """The one character `name` picks out, in any spelling, if it picks out one.

        A character's own name or alias wins over a family name: "Tonks" is Nymphadora's alias, so
        it finds her though her mother is a Tonks too; "Uchiha" alone names nobody in particular.
        A name found nowhere is tried again without titles and honorifics ("Lord Kakashi-sama").
        """
        if name in self._canonical:  # the canonical name as written, even "A (Naruto)"
            return self._canonical[name]
        owners = self._owners(normalise_name(name)) or self._owners(generic().bare_name(name))
        return owners[0] if len(owners) == 1 else None

    def _owners(self, key: str) -> tuple[PackCharacter, ...]:
        return self._named.get(key) or self._families.get(key, ())

    def is_non_character(self, name: str) -> bool:
        """True for a technique, place, group, object or term of this fandom ("Chidori", "Suna")."""
        return normalise_name(name) in self._non_characters

    def origin_names(self, character: PackCharacter) -> tuple[str, ...]:
        """The character's village and every shorter word for it: ("Sunagakure", "Suna", "Sand", ...)."""
        if not character.village:
            return ()
        return (character.village, *self.villages.get(character.village, ()))

    def holders(self, title: str, era: str | None = None) -> tuple[PackCharacter, ...]:
        """Characters holding `title` ("Hokage"), optionally in one `era` ("Fourth"), in pack order."""
        wanted, wanted_era = normalise_name(title), normalise_name(era or "")
        return tuple(
            c
            for c in self.character
            if any(
                normalise_name(t.title) == wanted and (not wanted_era or normalise_name(t.era) == wanted_era)
                for t in c.titles
            )
        )

    def selects(self, fandom: str) -> bool:
        """True when an AO3 fandom name ("Naruto (Anime & Manga)") or the pack's id selects this pack."""
        return fandom_key(fandom) in {fandom_key(f) for f in (*self.pack.fandoms, self.pack.id)}


def fandom_key(fandom: str) -> str:
    """An AO3 fandom name without its medium qualifier: "NARUTO (Anime & Manga)" -> "naruto"."""
    return normalise_name(re.sub(r"\s*-\s*All Media Types\s*$", "", fandom, flags=re.IGNORECASE))


@dataclass(config=_STRICT)
class Pronoun:
    gender: Literal["male", "female", "neutral", "unknown"]
    number: Literal["singular", "plural"]
    person: Literal["first", "second", "third"] = "third"


@dataclass(config=_STRICT)
class GenericPack:
    """English naming facts (packs/generic.toml). Keys of the word tables are lower case."""

    titles: dict[str, Gender]  # "Mr." -> male: words that go before a name
    honorifics: dict[str, Gender]  # "kun" -> unknown, "nee" -> female: suffixes after a name
    nicknames: dict[str, tuple[str, ...]]  # "Elizabeth" -> ("Lizzy", "Liz", ...)
    kinship: dict[str, Gender]  # "mother" -> female
    roles: dict[str, Gender]  # "guard" -> unknown, "maid" -> female
    appearance: dict[str, tuple[str, ...]]  # "eyes" -> (...), "age" -> (...), "species" -> (...)
    pronouns: dict[str, Pronoun]
    non_names: tuple[str, ...]  # capitalised words that are not names ("Damn", "Monday")

    @cached_property
    def _full_names(self) -> dict[str, tuple[str, ...]]:
        index: dict[str, list[str]] = {}
        for full, nicks in self.nicknames.items():
            for nick in nicks:
                index.setdefault(normalise_name(nick), []).append(full)
        return {k: tuple(v) for k, v in index.items()}

    @cached_property
    def _non_names(self) -> frozenset[str]:
        return frozenset(normalise_name(w) for w in self.non_names)

    @cached_property
    def _title_words(self) -> frozenset[str]:
        return frozenset(normalise_name(t) for t in self.titles)

    @cached_property
    def _honorific_words(self) -> tuple[tuple[str, ...], ...]:
        """Longest first, so "nii-san" goes as a whole before "san" alone."""
        words = {tuple(normalise_name(h).split()) for h in self.honorifics}
        return tuple(sorted(words, key=len, reverse=True))

    def bare_name(self, name: str) -> str:
        """`normalise_name(name)` without titles before it or honorifics after it, keeping one word
        at least: "Lord Hokage-sama" -> "hokage", "Mr. Darcy" -> "darcy", "Sir" -> "sir"."""
        words = normalise_name(name).split()
        while len(words) > 1 and words[0] in self._title_words:
            words.pop(0)
        stripped = True
        while stripped:
            stripped = False
            for honorific in self._honorific_words:
                if len(words) > len(honorific) and tuple(words[-len(honorific) :]) == honorific:
                    words = words[: -len(honorific)]
                    stripped = True
                    break
        return " ".join(words)

    def full_names(self, nickname: str) -> tuple[str, ...]:
        """The given names `nickname` is short for: "Lizzy" -> ("Elizabeth",)."""
        return self._full_names.get(normalise_name(nickname), ())

    def is_non_name(self, word: str) -> bool:
        return normalise_name(word) in self._non_names


def user_folder() -> Path:
    """Where user packs live: $STORYWORLD_PACKS, else ~/.config/storyworld/packs/."""
    configured = os.environ.get(PACKS_ENV)
    return Path(configured) if configured else Path.home() / ".config" / "storyworld" / "packs"


def load_packs() -> dict[str, Pack]:
    """Every fandom pack by id: the shipped ones, then the user's (a user pack replaces a shipped one)."""
    return _load_packs(user_folder())


@cache
def _load_packs(folder: Path) -> dict[str, Pack]:
    paths = [p for p in sorted(SHIPPED.glob("*.toml")) if p.name != GENERIC_FILE]
    if folder.is_dir():
        paths += sorted(folder.glob("*.toml"))
    packs = {}
    for path in paths:
        pack = _parse(path, Pack)
        _check_aliases(path, pack)
        packs[pack.id] = pack
    return packs


@cache
def generic() -> GenericPack:
    """The generic pack (always loaded)."""
    return _parse(SHIPPED / GENERIC_FILE, GenericPack)


def _parse(path: Path, kind: type[Any]) -> Any:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # -sig: editors that write a BOM
        return kind(**data)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise StoryworldError(E.E017, path=path, reason=str(error)) from error
    except ValidationError as error:
        problems = [".".join(str(p) for p in e["loc"]) + f": {e['msg']}" for e in error.errors()]
        reason = "; ".join(problems[:3]) + (f" (and {len(problems) - 3} more)" if len(problems) > 3 else "")
        raise StoryworldError(E.E017, path=path, reason=reason) from error
    except TypeError as error:  # a missing or unknown top-level table
        raise StoryworldError(E.E017, path=path, reason=str(error)) from error


def _owners(pairs: Iterable[tuple[str, PackCharacter]]) -> dict[str, tuple[PackCharacter, ...]]:
    index: dict[str, list[PackCharacter]] = {}
    for key, character in pairs:
        owners = index.setdefault(key, [])
        if character not in owners:
            owners.append(character)
    return {key: tuple(owners) for key, owners in index.items()}


def _check_aliases(path: Path, pack: Pack) -> None:
    """Two characters may share a name only when it is a family name or listed in [pack] shared."""
    allowed = {normalise_name(n) for n in pack.pack.shared} | set(pack._families)
    for key, owners in pack._named.items():
        if len(owners) > 1 and key not in allowed:
            names = " and ".join(c.name for c in owners)
            raise StoryworldError(
                E.E017, path=path, reason=f"the name '{key}' belongs to {names}; list it in [pack] shared"
            )
