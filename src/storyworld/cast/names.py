"""Name keys: one spelling for every way a name is written.

"Kankurō", "Kankuro", "Kankurou" and "KANKURO" share the key "kankuro"; "Naruto-kun" keys as
"naruto" (the honorific is kept in the alias text, dropped for identity); "Mr. Darcy" keys as
"darcy" with the title "mr" kept apart.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from storyworld.fandoms import normalise_name

_SEPARATORS = re.compile(r"[\s\-‐‑–—_.]+")


@lru_cache(maxsize=1 << 16)  # called for every token considered: a story reuses few distinct words
def fold(word: str) -> str:
    """The comparable form of one word: the fandom packs' `normalise_name`, spaces dropped."""
    return normalise_name(word).replace(" ", "")


@dataclass(frozen=True)
class NameParts:
    """A proper name taken apart: `words` are the folded name words, titles and honorifics apart."""

    words: tuple[str, ...]
    titles: tuple[str, ...] = ()
    honorifics: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        return " ".join(self.words)

    @property
    def first(self) -> str:
        return self.words[0] if self.words else ""

    @property
    def last(self) -> str:
        return self.words[-1] if self.words else ""


def split_name(text: str, titles: Iterable[str], honorifics: Iterable[str]) -> NameParts:
    """Take "Mr. Tom Sawyer" / "Naruto-kun" apart into name words, titles and honorifics.

    `titles` and `honorifics` are folded word sets (see `fold`).
    """
    titles, honorifics = set(titles), set(honorifics)
    pieces = [fold(p) for p in _SEPARATORS.split(text)]
    pieces = [p for p in pieces if p]
    found_titles: list[str] = []
    found_honorifics: list[str] = []
    while len(pieces) > 1 and pieces[0] in titles:
        found_titles.append(pieces.pop(0))
    while len(pieces) > 1 and pieces[-1] in honorifics:
        found_honorifics.insert(0, pieces.pop())
    return NameParts(tuple(pieces), tuple(found_titles), tuple(found_honorifics))
