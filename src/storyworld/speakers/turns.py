"""Dialogue turns: the speech quotes of one paragraph (plus the paragraphs an open quote runs into),
grouped into conversations that end at scene breaks or long stretches of narration."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from storyworld.model import Paragraph, Quote
from storyworld.speakers.tags import Cue

CLOSERS = ('"', "”", "’", "'", "»")
NARRATION_GAP = 0  # characters of narration paragraphs between two turns that end a conversation (0: any)


@dataclass
class Turn:
    paragraph: Paragraph
    quotes: list[Quote]
    continued: list[Quote] = field(default_factory=list)  # pieces in later paragraphs (an open quote)
    cue: Cue | None = None
    speaker: str | None = None
    how: str = "implicit"
    vocatives: list[str] = field(default_factory=list)
    titled: list[str] = field(default_factory=list)  # those of them addressed by a bare title ("Warden")
    lead_in: Paragraph | None = None  # the paragraph before, when the turn's first quote opens its own
    # characters addressed by name in the next turn when narration comes between (a later conversation)
    addressed_across: list[str] = field(default_factory=list)
    # later pieces of the paragraph with a name tag of their own naming someone else ('"No!" said Tom, and
    # "No, no!" cried Lou'): quote id -> speaker
    piece_speakers: dict[str, str] = field(default_factory=dict)
    ranker_confidence: float | None = None  # the ranker's calibrated confidence in `speaker`, if it ranked
    listeners: list[str] = field(default_factory=list)  # shown hearing the line or silenced: not its speaker
    silent: list[str] = field(default_factory=list)  # of them, silenced or wordless just before it
    told: bool = False  # its cue is whom the narration beside it shows seen or speaking (narration.py)
    # whose voice the sentence before a "he said" line describes: where the tag's pronoun means the same one,
    # the narration has named the speaker outright (like `told`)
    voiced_before: str | None = None
    heard_after: list[str] = field(default_factory=list)  # those of them the narration after it shows
    last_paragraph: Paragraph | None = None  # the paragraph of its last piece (set by `turns`)

    def __post_init__(self) -> None:
        self.last_paragraph = self.last_paragraph or self.paragraph


def turns(paragraphs: list[Paragraph], quotes: list[Quote]) -> list[Turn]:
    """One turn per paragraph with speech; a quote left open at a paragraph's end continues the turn."""
    starts = [p.start for p in paragraphs]
    found: list[Turn] = []
    by_paragraph: dict[int, Turn] = {}
    for quote in sorted((q for q in quotes if q.speech), key=lambda q: q.start):
        number = bisect_right(starts, quote.start) - 1
        if number < 0:
            continue
        turn = by_paragraph.get(number)
        if turn is not None:
            turn.quotes.append(quote)
            continue
        previous = found[-1] if found else None
        if previous is not None and _continues(previous, quote, number, by_paragraph, paragraphs):
            previous.continued.append(quote)
            previous.last_paragraph = paragraphs[number]
            by_paragraph[number] = previous
            continue
        opens = quote.start == paragraphs[number].start and number > 0
        turn = Turn(paragraphs[number], [quote], lead_in=paragraphs[number - 1] if opens else None)
        found.append(turn)
        by_paragraph[number] = turn
    return found


def _continues(previous: Turn, quote: Quote, number: int, by_paragraph: dict, paragraphs: list) -> bool:
    last = (previous.continued or previous.quotes)[-1]
    if by_paragraph.get(number - 1) is not previous or quote.start != paragraphs[number].start:
        return False
    same_group = quote.group is not None and quote.group == last.group
    left_open = not last.text.rstrip().endswith(CLOSERS)
    return same_group or left_open


def conversations(found: list[Turn], paragraphs: list[Paragraph], breaks: list[int]) -> list[list[Turn]]:
    """Split turns where NARRATION_GAP characters of narration paragraphs or a scene break fall between."""
    starts = [p.start for p in paragraphs]
    groups: list[list[Turn]] = []
    last_paragraph = -10
    last_end = -1
    for turn in found:
        number = bisect_right(starts, turn.paragraph.start) - 1
        crossed = bisect_right(breaks, turn.paragraph.start) != bisect_right(breaks, last_end)
        narration = sum(p.end - p.start for p in paragraphs[max(last_paragraph + 1, 0) : number])
        if not groups or narration > NARRATION_GAP or crossed:
            groups.append([])
        groups[-1].append(turn)
        tail = (turn.continued or turn.quotes)[-1]
        last_paragraph = bisect_right(starts, tail.start) - 1
        last_end = tail.end
    return groups
