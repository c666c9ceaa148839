"""Where characters are mentioned, indexed by position so every lookup is a bisect, never a scan."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import dataclass

from storyworld.lexicon import words
from storyworld.model import CastEntry, Character, Quote

# Words that open a name without being a first name ("Miss Bates", "the Professor")
_TITLES = {w.lower().rstrip(".") for w in words("speech", "pronouns", "never_names")} | {
    "the", "a", "an", "captain", "colonel", "sir", "professor", "doctor", "aunt", "uncle", "mother", "father"}


@dataclass(frozen=True)
class Ref:
    """One mention of one character."""

    start: int
    end: int
    character: str
    kind: str  # name | title | epithet | pronoun


class QuoteMask:
    """Answers "is this offset inside a quote?" for sorted, non-overlapping quote spans."""

    def __init__(self, quotes: list[Quote]) -> None:
        spans = sorted((q.start, q.end) for q in quotes)
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def inside(self, offset: int) -> bool:
        i = bisect_right(self.starts, offset) - 1
        return i >= 0 and offset < self.ends[i]

    def end_before(self, offset: int) -> int:
        """Where the last quote that starts before `offset` ends (0 if none does)."""
        i = bisect_right(self.starts, offset - 1) - 1
        return self.ends[i] if i >= 0 else 0


class MentionIndex:
    """Character mentions sorted by start; pronoun mentions are kept apart from naming ones."""

    def __init__(
        self, text: str, characters: list[Character], mask: QuoteMask, given: list[CastEntry] | None = None,
    ) -> None:
        names = _names(characters, given or [])
        refs = [Ref(m.start, m.end, c.id, m.kind) for c in characters for m in c.mentions]
        # A character the cast gives no mentions is found by its names.
        refs += _scan(text, {c.id: names[c.id] for c in characters if not c.mentions})
        refs.sort(key=lambda r: (r.start, -r.end))
        # A description the cast lists for two characters ("the man") says nothing about which is meant.
        shared = _shared_names(names)
        refs = [r for r in refs if r.kind == "name" or text[r.start : r.end].lower() not in shared]
        self.naming = [r for r in refs if r.kind != "pronoun"]
        self.pronouns = {r.start: r for r in refs if r.kind == "pronoun"}
        self.naming_starts = [r.start for r in self.naming]
        self.narration = [r for r in self.naming if not mask.inside(r.start)]
        self.narration_starts = [r.start for r in self.narration]
        self.gender = {c.id: c.gender for c in characters}
        self.by_word = _characters_by_word(names)
        self.families = _families(names)
        # A given cast's names are the user's word; the aliases the cast stage found are its own guesses.
        self.by_given_name = _characters_by_alias(_names(characters, given or [], own=False))
        self.by_any_name = _characters_by_alias(names)
        self.by_given_first_name = _characters_by_first_name(_names(characters, given or [], own=False))
        self.main_name = {alias_key(c.name): c.id for c in characters}
        # Titles the cast found ("the kazekage"), by the word a vocative uses ("Ah... Kazekage.")
        self.by_title = _characters_by_title(text, refs)
        counts = Counter(r.character for r in self.naming)
        total = sum(counts.values()) or 1
        self.first_named: dict[str, int] = {}  # character -> where the story first names or describes them
        for r in self.naming:
            self.first_named.setdefault(r.character, r.start)
        self.share = {character: n / total for character, n in counts.items()}

    def naming_in(self, start: int, end: int) -> list[Ref]:
        """Naming mentions that start within [start, end)."""
        return self.naming[bisect_left(self.naming_starts, start) : bisect_left(self.naming_starts, end)]

    def by_noun(self, noun: str) -> str | None:
        """The one character whose name or alias has this word ("her aunt" -> "Aunt Juley"), if only one."""
        owners = self.by_word.get(noun.lower(), set())
        return next(iter(owners)) if len(owners) == 1 else None

    def by_name(self, phrase: str, given_only: bool) -> tuple[str | None, bool]:
        """The character whose name or alias is exactly `phrase` ("Miss Steele", "the Professor").

        Returns (character, known): known is False when no character has that name, True with None when
        two or more share it. `given_only`: only the main names and the aliases of a given cast.
        """
        owners = (self.by_given_name if given_only else self.by_any_name).get(alias_key(phrase), set())
        if not owners and given_only:  # "Tom" for a given "Tom Bertram", if no one else is a Tom
            owners = self.by_given_first_name.get(alias_key(phrase), set())
        key = alias_key(phrase)
        if len(owners) > 1 and key.split()[0] in ("the", "a", "an") and self.main_name.get(key) in owners:
            # "the woman" is one character's main name and another's alias: the main name decides (only a
            # description: a proper name two characters share stays undecided)
            return self.main_name[key], True
        return (next(iter(owners)) if len(owners) == 1 else None), bool(owners)

    def by_title_word(self, word: str) -> str | None:
        """The one character the cast calls by this title ("Kazekage" -> whoever "the kazekage" is)."""
        owners = self.by_title.get(alias_key(word), set())
        return next(iter(owners)) if len(owners) == 1 else None

    def relatives(self, character: str) -> list[tuple[str, bool]]:
        """Other characters sharing a surname with `character`, each with whether it has a Mr./Mrs. form."""
        surnames = self.families.get(character, (set(), False))[0]
        return [(other, married) for other, (theirs, married) in self.families.items()
                if other != character and surnames & theirs]

    def covering(self, offset: int) -> Ref | None:
        """The longest naming mention that contains `offset`, if any."""
        i = bisect_right(self.naming_starts, offset) - 1
        found = None
        while i >= 0 and self.naming[i].start > offset - 80:
            if self.naming[i].end > offset:
                found = self.naming[i]
            i -= 1
        return found

    def names_in_narration(self, floor: int, offset: int) -> bool:
        """Is any character named in the narration of [floor, offset)? (Two bisects, no list.)"""
        return bisect_left(self.narration_starts, floor) < bisect_left(self.narration_starts, offset)

    def narration_before(self, offset: int, floor: int) -> list[Ref]:
        """Narration mentions in [floor, offset), nearest first."""
        lo = bisect_left(self.narration_starts, floor)
        hi = bisect_left(self.narration_starts, offset)
        return self.narration[lo:hi][::-1]


def _names(
    characters: list[Character], given: list[CastEntry], own: bool = True,
) -> dict[str, tuple[str, ...]]:
    """Every character's main name first, then the aliases a given cast (`--cast`) lists for it, then those
    the cast stage found. Without `own`, only the characters of a given cast with its names."""
    given_aliases = {entry.name: entry.aliases for entry in given}
    if not own:
        return {c.id: (c.name, *given_aliases[c.name]) for c in characters if c.name in given_aliases}
    return {c.id: tuple(dict.fromkeys((c.name, *given_aliases.get(c.name, ()), *c.aliases)))
            for c in characters}


def _shared_names(names: dict[str, tuple[str, ...]]) -> set[str]:
    owners: dict[str, set[str]] = {}
    for character, forms in names.items():
        for name in forms:
            owners.setdefault(name.lower(), set()).add(character)
    return {name for name, ids in owners.items() if len(ids) > 1}


def alias_key(name: str) -> str:
    """A name as compared with the cast's names: lower case, no full stops ("Mr." = "Mr"), one space."""
    return " ".join(name.lower().replace(".", " ").split())


def _characters_by_alias(names: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for character, forms in names.items():
        for name in forms:
            if alias_key(name):
                found.setdefault(alias_key(name), set()).add(character)
    return found


def _characters_by_first_name(names: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    """The first word of every name of two words or more that does not open with a title."""
    found: dict[str, set[str]] = {}
    for character, forms in names.items():
        for name in forms:
            parts = alias_key(name).split()
            if len(parts) > 1 and parts[0] not in _TITLES:
                found.setdefault(parts[0], set()).add(character)
    return found


def _characters_by_title(text: str, refs: list[Ref]) -> dict[str, set[str]]:
    """Title mentions without their article ("the Hokage" -> hokage), each with the characters it names."""
    found: dict[str, set[str]] = {}
    for ref in refs:
        if ref.kind == "title":
            words_of = alias_key(text[ref.start : ref.end]).split()
            if words_of and words_of[0] in ("the", "a", "an"):
                words_of = words_of[1:]
            if words_of:
                found.setdefault(" ".join(words_of), set()).add(ref.character)
    return found


def _families(names: dict[str, tuple[str, ...]]) -> dict[str, tuple[set[str], bool]]:
    """Per character: the last words of its capitalised names of two words or more ("Mr. Bennet",
    "Elizabeth Bennet" -> bennet), and whether one of them is a Mr./Mrs. form."""
    found = {}
    for character, forms in names.items():
        full = [f.split() for f in forms if len(f.split()) > 1 and f.split()[-1][:1].isupper()]
        married = any(alias_key(parts[0]) in ("mr", "mrs") for parts in full)
        found[character] = ({parts[-1].lower() for parts in full}, married)
    return found


def _characters_by_word(names: dict[str, tuple[str, ...]]) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for character, forms in names.items():
        for name in forms:
            for word in re.findall(r"[a-z]+", name.lower()):
                found.setdefault(word, set()).add(character)
    return found


def _scan(text: str, names: dict[str, tuple[str, ...]]) -> list[Ref]:
    """Mentions of characters that came without any: names and aliases as whole words, longest first.

    A name two characters share goes to the one whose main name it is, else to the first listed.
    """
    owner: dict[str, str] = {}
    for character, forms in names.items():
        owner.setdefault(forms[0], character)
    for character, forms in names.items():
        for alias in forms[1:]:
            owner.setdefault(alias, character)
    names = [n for n in owner if n.strip() and n.lower() not in words("speech", "pronouns", "never_names")]
    if not names:
        return []
    names.sort(key=len, reverse=True)
    # "the captain" is also "The captain" at a sentence start.
    alternatives = [f"[{n[0].upper()}{n[0].lower()}]{re.escape(n[1:])}" if n[0].isalpha() else re.escape(n)
                    for n in names]
    pattern = re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")
    lowered = {name.lower(): character for name, character in owner.items()}
    return [
        Ref(m.start(), m.end(), owner.get(m.group()) or lowered[m.group().lower()], "name")
        for m in pattern.finditer(text)
    ]
