"""Fandom: which fandom pack applies, from the metadata's fandoms or else detected in the text.

The author's AO3 fandom tags decide when they select a pack ("Naruto (Anime & Manga)" -> naruto);
for a crossover the text picks among the tagged packs. Otherwise the text votes: a pack's `detect`
words ("chakra", "Konoha") and its characters' names. One stray "ninja" or a girl called Sakura is
not a fandom, so a pack needs two distinct detect words and four cues in all (detect words plus
distinct characters), or, with no detect word at all (a modern AU), several characters named often.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storyworld.fandoms import Pack, fandom_key, load_packs, normalise_name
from storyworld.model import Story
from storyworld.pipeline import Stage

MIN_DETECT_WORDS = 2  # distinct detect words ...
MIN_CUES = 4  # ... and this many distinct detect words and canon characters together
MIN_CHARACTERS_ALONE = 4  # distinct canon characters that select a pack without any detect word
MIN_NAME_MENTIONS_ALONE = 10  # ... named this often in all
_WORD = re.compile(r"\w+(?:['’]\w+)?")


@dataclass(frozen=True)
class _Evidence:
    detect_words: frozenset[str]
    characters: frozenset[str]
    name_mentions: int

    @property
    def selects(self) -> bool:
        if len(self.detect_words) >= MIN_DETECT_WORDS and self.cues >= MIN_CUES:
            return True
        return len(self.characters) >= MIN_CHARACTERS_ALONE and self.name_mentions >= MIN_NAME_MENTIONS_ALONE

    @property
    def cues(self) -> int:
        return len(self.detect_words) + len(self.characters)

    @property
    def score(self) -> int:
        return 2 * len(self.detect_words) + len(self.characters)


def detect(story: Story) -> dict[str, str | None]:
    packs = load_packs()
    tagged = _tagged(story.metadata.fandoms, packs)
    if len(tagged) == 1:
        return {"fandom": tagged[0].id}
    grams = _capitalised_grams(story.text)
    if tagged:  # a crossover: the tagged pack the text points at most; a tie keeps the tag order
        return {"fandom": max(tagged, key=lambda pack: _evidence(pack, grams).score).id}
    found = [(e, pack.id) for pack in packs.values() if (e := _evidence(pack, grams)).selects]
    return {"fandom": max(found, key=lambda pair: pair[0].score)[1] if found else None}


def _tagged(fandoms: list[str], packs: dict[str, Pack]) -> list[Pack]:
    """The packs the fandom tags select, in tag order: exactly, or by naming the pack's fandom."""
    chosen: list[Pack] = []
    for fandom in fandoms:
        words = f" {fandom_key(fandom)} "
        for pack in packs.values():
            named = f" {normalise_name(pack.pack.name)} " in words
            if (pack.selects(fandom) or named) and pack not in chosen:
                chosen.append(pack)
    return chosen


def _evidence(pack: Pack, grams: dict[str, tuple[int, bool]]) -> _Evidence:
    """What in the text points at `pack`; `grams` maps normalised n-grams to (count, capitalised)."""
    detect = frozenset(k for w in pack.pack.detect if (k := normalise_name(w)) in grams)
    characters, mentions = set(), 0
    for character in pack.characters:
        # Full and given names only: a family name alone would count a whole clan, an epithet
        # alias ("Old Man") is not evidence. Names count only capitalised ("the sakura trees").
        names = set(character.names(pack.pack.name_order)) - set(character.aliases)
        keys = {normalise_name(n) for n in names}
        counts = [grams[k][0] for k in keys if k in grams and grams[k][1]]
        if counts:
            characters.add(character.name)
            mentions += max(counts)
    return _Evidence(detect, frozenset(characters), mentions)


def _capitalised_grams(text: str, longest: int = 4) -> dict[str, tuple[int, bool]]:
    """Every run of 1..`longest` words as its normalised key -> (count, ever written capitalised)."""
    words = [(normalise_name(m.group()), m.group()[:1].isupper()) for m in _WORD.finditer(text)]
    grams: dict[str, tuple[int, bool]] = {}
    for i in range(len(words)):
        for n in range(1, longest + 1):
            piece = words[i : i + n]
            if len(piece) < n:
                break
            key = " ".join(w for w, _ in piece)
            count, capitalised = grams.get(key, (0, False))
            grams[key] = (count + 1, capitalised or piece[0][1])
    return grams


STAGE = Stage("fandom", requires=("text", "metadata"), assigns=("fandom",), compute=detect)
