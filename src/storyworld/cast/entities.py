"""The working form of a character while the cast is being built."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from storyworld.cast.features import Features
from storyworld.cast.vocabulary import Canon
from storyworld.model import CastEntry


@dataclass(eq=False)
class Entity:
    keys: set[str] = field(default_factory=set)  # folded name keys: "elizabeth bennet", "mr bennet"
    canon: Canon | None = None
    given: CastEntry | None = None
    label: str | None = None  # the description that names an unnamed or title-only character
    named: bool = True
    uses: int = 0  # name mentions counted while clustering
    gender_votes: Counter[str] = field(default_factory=Counter)
    hair: set[str] = field(default_factory=set)
    species: set[str] = field(default_factory=set)
    titles: set[str] = field(default_factory=set)
    mentions: list[Features] = field(default_factory=list)

    @property
    def words(self) -> set[str]:
        return {w for k in self.keys for w in k.split()} | (set(self.canon.words) if self.canon else set())

    @property
    def gender(self) -> str:
        if self.given is not None and self.given.gender != "unknown":
            return self.given.gender
        if self.canon is not None and self.canon.gender in ("male", "female"):
            return self.canon.gender
        votes = {g: n for g, n in self.gender_votes.items() if g in ("male", "female", "nonbinary")}
        if not votes:
            return "unknown"
        best = max(votes, key=lambda g: votes[g])
        return best if votes[best] >= 2 * (sum(votes.values()) - votes[best]) else "unknown"

    def hair_colours(self) -> set[str]:
        return self.hair | ({self.canon.hair} if self.canon and self.canon.hair else set())

    def species_names(self) -> set[str]:
        return self.species | (set(self.canon.species) if self.canon else set())

    def held_titles(self) -> set[str]:
        return self.titles | (set(self.canon.titles) if self.canon else set())

    def absorb(self, other: Entity) -> None:
        self.keys |= other.keys
        self.uses += other.uses
        self.canon = self.canon or other.canon
        self.gender_votes.update(other.gender_votes)
        self.hair |= other.hair
        self.species |= other.species
        self.titles |= other.titles
        self.mentions.extend(other.mentions)
