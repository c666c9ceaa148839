"""Fandom: which fandom pack applies, from the metadata's fandoms or else detected in the text.

The author's AO3 fandom tags decide when they select a pack ("Naruto (Anime & Manga)" -> naruto);
for a crossover the text picks among the tagged packs. Otherwise the text votes: a pack's `detect`
words ("chakra", "Konoha") and its characters' names. One stray "ninja" or a girl called Sakura is
not a fandom, so a pack needs two distinct detect words and four cues in all (detect words plus
named characters). Otherwise its characters must carry a good share of all the names in the text
(a smaller share when one detect word backs them): a novel with a George, a Harry and a Mr Brown
is not fan fiction, a coffee-shop story about Naruto, Sasuke, Sakura and Ino is, and so is a
dorm story about Bakugou, Midoriya and Kirishima that mentions one quirk.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from storyworld.fandoms import Pack, fandom_key, load_packs, normalise_name
from storyworld.model import Story
from storyworld.pipeline import Stage

MIN_DETECT_WORDS = 2  # distinct detect words ...
MIN_CUES = 4  # ... and this many distinct detect words and named characters together
MIN_CHARACTERS_ALONE = 4  # without detect words: distinct characters named ...
MIN_NAME_SHARE_ALONE = 0.3  # ... who carry this share of the capitalised words inside sentences
MIN_NAME_SHARE_BACKED = 0.15  # ... or this share when one detect word backs them
_WORD = re.compile(r"(\W*)(\w+(?:['’]\w+)?)")
_SENTENCE_GAP = re.compile(r"[.!?:;\"“”‘\n—–]")  # between two words: the second may open a sentence


@dataclass(frozen=True)
class _Evidence:
    detect_words: frozenset[str]
    characters: frozenset[str]  # character names, and "the <family> family" for a family name alone
    name_share: float  # their mentions inside sentences / all capitalised words inside sentences

    @property
    def selects(self) -> bool:
        if len(self.detect_words) >= MIN_DETECT_WORDS and self.cues >= MIN_CUES:
            return True
        share = MIN_NAME_SHARE_BACKED if self.detect_words else MIN_NAME_SHARE_ALONE
        return len(self.characters) >= MIN_CHARACTERS_ALONE and self.name_share >= share

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
    candidates = tagged or list(packs.values())
    scan = _Scan(story.text, candidates)
    evidence = [(_evidence(pack, scan), pack.id) for pack in candidates]
    if tagged:  # a crossover: the tagged pack the text points at most; a tie keeps the tag order
        return {"fandom": max(evidence, key=lambda pair: pair[0].score)[1]}
    found = [pair for pair in evidence if pair[0].selects]
    return {"fandom": max(found, key=lambda pair: pair[0].score)[1] if found else None}


def _tagged(fandoms: list[str], packs: dict[str, Pack]) -> list[Pack]:
    """The packs the fandom tags select, in tag order: exactly, or by naming one of the pack's
    fandoms as whole words ("My Hero Academia: Two Heroes" names "My Hero Academia")."""
    chosen: list[Pack] = []
    for fandom in fandoms:
        words = f" {fandom_key(fandom)} "
        for pack in packs.values():
            names = (pack.pack.name, *pack.pack.fandoms)
            named = any(f" {fandom_key(n)} " in words for n in names)
            if (pack.selects(fandom) or named) and pack not in chosen:
                chosen.append(pack)
    return chosen


def _own_names(pack: Pack) -> dict[str, set[str]]:
    """Character name -> its normalised full and given names. Aliases are left out: "Old Man",
    "Midnight" or "Twice" in a story is no evidence of a fandom."""
    return {
        c.name: {normalise_name(n) for n in set(c.names(pack.pack.name_order)) - set(c.aliases)}
        for c in pack.characters
    }


def _families(pack: Pack) -> set[str]:
    return {normalise_name(c.family) for c in pack.characters if c.family}


class _Scan:
    """One pass over the text counting the packs' detect words and names (normalised)."""

    def __init__(self, text: str, packs: Iterable[Pack]) -> None:
        keys = set()
        for pack in packs:
            keys |= {normalise_name(w) for w in pack.pack.detect} | _families(pack)
            keys |= {k for names in _own_names(pack).values() for k in names}
        by_first: dict[str, set[tuple[str, ...]]] = defaultdict(set)
        for key in filter(None, keys):
            words = tuple(key.split())
            by_first[words[0]].add(words)
        self.anywhere: Counter[str] = Counter()  # key -> times, any case
        self.capitalised: Counter[str] = Counter()  # key -> times written capitalised
        self.inside: Counter[str] = Counter()  # key -> times capitalised inside a sentence
        self.proper_inside = 0  # capitalised words inside sentences: roughly, every name mention
        tokens = _WORD.findall(text)  # (gap before the word, the word)
        folded = dict.fromkeys(word for _, word in tokens)  # a novel has far fewer forms than words
        for word in folded:
            folded[word] = normalise_name(word)
        for i, (gap, word) in enumerate(tokens):
            capitalised = word[:1].isupper()
            inside = capitalised and i > 0 and not _SENTENCE_GAP.search(gap)
            if inside and word != "I":
                self.proper_inside += 1
            for words in by_first.get(folded[word], ()):
                following = tuple(folded[t[1]] for t in tokens[i : i + len(words)])
                if following == words:
                    key = " ".join(words)
                    self.anywhere[key] += 1
                    self.capitalised[key] += capitalised
                    self.inside[key] += inside


def _evidence(pack: Pack, scan: _Scan) -> _Evidence:
    """What in the text points at `pack`. A family name alone ("Midoriya", "Uchiha") counts once
    for the family, not once per member; names count only capitalised ("the sakura trees")."""
    detect = frozenset(k for w in pack.pack.detect if scan.anywhere[k := normalise_name(w)])
    cues: dict[str, int] = {}
    family_of = {c.name: normalise_name(c.family) for c in pack.characters if c.family}
    for name, keys in _own_names(pack).items():
        if any(scan.capitalised[k] for k in keys):
            cues[name] = max(scan.inside[k] for k in keys)
    for family in _families(pack) - {family_of[n] for n in cues if n in family_of}:
        if scan.capitalised[family]:
            cues[f"the {family} family"] = scan.inside[family]
    share = sum(cues.values()) / scan.proper_inside if scan.proper_inside else 0.0
    return _Evidence(detect, frozenset(cues), share)


STAGE = Stage("fandom", requires=("text", "metadata"), assigns=("fandom",), compute=detect)
