"""Score speaker and addressee attribution against gold (PDNC, LitBank), end to end and with the gold cast.

The pipeline runs on the gold text alone; the gold is read only to score. Each gold quote piece is
matched to the predicted speech quote whose content overlaps it; speaker accuracy is over matched
pieces. A predicted character stands for the gold character it shares names with:
- end to end: our own cast, mapped by the overlap of names and aliases (without case, full stops or a
  leading "the"; a tie goes to the gold character that has our main name);
- gold cast: the gold characters are given as `--cast` would give them, so the map is by main name.
Addressee accuracy is over matched pieces with gold addressees: right when our addressees include
at least one of theirs. Confidence is checked for calibration: accuracy per confidence bin.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

from storyworld.castfile import gender_of
from storyworld.evaluate.gold import GoldCharacter, GoldDocument
from storyworld.evaluate.quotes import QuoteScore, score_quotes
from storyworld.ingest import from_string
from storyworld.model import CastEntry, Character, Quote, Story
from storyworld.pipeline import Stage, default_stages, run

MODES = ("end-to-end", "gold-cast")
QUOTE_TYPES = ("explicit", "anaphoric", "implicit")
BINS = (0.0, 0.5, 0.7, 0.8, 0.9, 1.0)
CONFIDENT = 0.9  # among verdicts this confident, accuracy must be at least this


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def accuracy(self) -> float | None:
        return self.right / self.total if self.total else None

    def __add__(self, other: Tally) -> Tally:
        return Tally(self.right + other.right, self.total + other.total)


@dataclass
class ModeScore:
    """Speaker and addressee accuracy for one way of getting the cast."""

    speaker: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in ("all", *QUOTE_TYPES)})
    addressee: Tally = field(default_factory=Tally)
    matched: int = 0  # gold pieces matched by a predicted quote
    calibration: list[Tally] = field(default_factory=lambda: [Tally() for _ in BINS[:-1]])

    def __add__(self, other: ModeScore) -> ModeScore:
        return ModeScore(
            {k: self.speaker[k] + other.speaker[k] for k in self.speaker},
            self.addressee + other.addressee,
            self.matched + other.matched,
            [a + b for a, b in zip(self.calibration, other.calibration, strict=True)],
        )


@dataclass
class DocumentScore:
    id: str
    words: int
    seconds: float
    quotes: QuoteScore
    modes: dict[str, ModeScore]


def gold_cast(characters: Iterable[GoldCharacter]) -> list[CastEntry]:
    """The gold characters as a `--cast` file would give them."""
    return [
        CastEntry(name=c.name, aliases=sorted(set(c.aliases) - {c.name}), gender=gender_of(c.gender))
        for c in characters
    ]


def evaluate_document(document: GoldDocument, modes: Iterable[str] = MODES) -> DocumentScore:
    """Run the pipeline up to the speakers stage on the text (once parsed, once per mode) and score it."""
    began = time.perf_counter()
    stories = analyse(document.text, document.characters, modes, document.fandoms)
    scores = {mode: score_speakers(story, document, mode) for mode, story in stories.items()}
    story = next(iter(stories.values()))
    quote_score = score_quotes(story.quotes or [], document.quotes, document.text)
    seconds = time.perf_counter() - began
    return DocumentScore(document.id, len(document.text.split()), seconds, quote_score, scores)


def analyse(text: str, characters: list[GoldCharacter], modes: Iterable[str] = MODES,
            fandoms: Iterable[str] = ()) -> dict[str, Story]:
    """The story analysed up to the speakers stage in each mode; the text is parsed once.

    Only the gold characters' names, aliases and gender reach the pipeline, and only in gold-cast mode;
    `fandoms` are the fandom tags a reader would see in the work's metadata.
    """
    stages = _stages_to_speakers()
    story = from_string(text)
    story.metadata.fandoms = list(fandoms)
    parsed = run(story, stages[:1])
    cached = _cached(stages[0], parsed)
    stories = {}
    for mode in modes:
        given = gold_cast(characters) if mode == "gold-cast" else None
        stories[mode] = run(replace(parsed, given_cast=given), [cached, *stages[1:]])
    return stories


def _stages_to_speakers() -> list[Stage]:
    stages = default_stages()
    names = [s.name for s in stages]
    return stages[: names.index("speakers") + 1]


def _cached(stage: Stage, story: Story) -> Stage:
    """A stand-in for a stage that already ran: it hands back the layers it computed."""
    layers = {layer: getattr(story, layer) for layer in stage.assigns}
    return Stage(stage.name, stage.requires, stage.assigns, lambda _story: dict(layers))


def score_speakers(story: Story, document: GoldDocument, mode: str) -> ModeScore:
    """Speaker and addressee accuracy of an analysed story against the gold pieces."""
    to_gold = character_map(story.characters or [], document.characters, by_main_name=mode == "gold-cast")
    verdicts = {a.quote: a for a in story.attributions or []}
    find = quote_finder([q for q in story.quotes or [] if q.speech])
    score = ModeScore()
    for piece in document.quotes:
        if piece.speaker is None or piece.content_end <= piece.content_start:
            continue
        quote = find(piece.content_start, piece.content_end)
        verdict = verdicts.get(quote.id) if quote is not None else None
        if verdict is None:
            continue
        score.matched += 1
        ok = to_gold.get(verdict.speaker or "") == piece.speaker
        score.speaker["all"].add(ok)
        if piece.type in QUOTE_TYPES:
            score.speaker[piece.type].add(ok)
        score.calibration[bin_of(verdict.confidence)].add(ok)
        if piece.addressees:
            ours = {to_gold.get(a) for a in verdict.addressees}
            score.addressee.add(bool(ours & set(piece.addressees)))
    return score


def bin_of(confidence: float) -> int:
    return min(bisect_right(BINS, confidence) - 1, len(BINS) - 2)


def quote_finder(quotes: list[Quote]) -> Callable[[int, int], Quote | None]:
    """The predicted quote overlapping [start, end), by bisect over the sorted quotes."""
    quotes = sorted(quotes, key=lambda q: q.start)
    starts = [q.start for q in quotes]

    def find(start: int, end: int) -> Quote | None:
        i = bisect_right(starts, end - 1) - 1
        while i >= 0 and quotes[i].end > start - 2000:
            if quotes[i].start < end and quotes[i].end > start:
                return quotes[i]
            i -= 1
        return None

    return find


def character_map(ours: list[Character], gold: list[GoldCharacter], *, by_main_name: bool) -> dict[str, str]:
    """Our character id -> the gold character id it stands for: the one sharing most names (compared without
    case, full stops or a leading "the"); among those sharing as many, the one that has our main name."""
    if by_main_name:
        ids = {g.name: g.id for g in gold}
        mapped = {c.id: ids[c.name] for c in ours if c.name in ids}
        if len(mapped) == len(ours):
            return mapped
    gold_names = [(g.id, _names(g.name, g.aliases)) for g in gold]
    mapping = {}
    for character in ours:
        names = _names(character.name, character.aliases)
        main = _names(character.name, ())
        overlap = Counter({gid: len(names & theirs) + 0.5 * bool(main & theirs)
                           for gid, theirs in gold_names if names & theirs})
        if overlap:
            mapping[character.id] = overlap.most_common(1)[0][0]
    return mapping


def _names(name: str, aliases: Iterable[str]) -> set[str]:
    found = {" ".join(n.lower().replace(".", " ").split()) for n in (name, *aliases)}
    return {n.removeprefix("the ") for n in found if n}


def summary(scores: list[DocumentScore]) -> dict[str, Any]:
    """Per-document and overall numbers as plain data (what --json writes)."""
    def mode_dict(score: ModeScore) -> dict[str, Any]:
        confident = sum(
            (t for t, low in zip(score.calibration, BINS, strict=False) if low >= CONFIDENT), Tally()
        )
        return {
            "matched": score.matched,
            "speaker": {k: {"accuracy": t.accuracy, "n": t.total} for k, t in score.speaker.items()},
            "addressee": {"accuracy": score.addressee.accuracy, "n": score.addressee.total},
            "calibration": [
                {"bin": [low, high], "accuracy": t.accuracy, "n": t.total}
                for (low, high), t in zip(pairwise(BINS), score.calibration, strict=True)
            ],
            "confident_accuracy": confident.accuracy,
            "confident_ok": confident.accuracy is None or confident.accuracy >= CONFIDENT,
        }

    def quote_dict(score: QuoteScore) -> dict[str, Any]:
        return {"precision": score.precision, "recall": score.recall, "gold": score.gold,
                "predicted": score.predicted}

    documents = [
        {"id": s.id, "words": s.words, "seconds": round(s.seconds, 2), "quotes": quote_dict(s.quotes),
         "modes": {m: mode_dict(v) for m, v in s.modes.items()}}
        for s in scores
    ]
    modes = list(scores[0].modes) if scores else []
    overall = {
        "words": sum(s.words for s in scores),
        "seconds": round(sum(s.seconds for s in scores), 2),
        "quotes": quote_dict(sum((s.quotes for s in scores[1:]), scores[0].quotes)) if scores else None,
        "modes": {m: mode_dict(sum((s.modes[m] for s in scores), ModeScore())) for m in modes},
    }
    return {"documents": documents, "overall": overall}
