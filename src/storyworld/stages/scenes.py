"""Scenes: spans between breaks and chapter starts, split again where the point of view shifts
with no marker; each scene with its POV character, participants and setting cues.

Point of view is read from the narration, not the dialogue: in third person limited the POV
character is the one who perceives and thinks ("Sasuke felt", "his mind"), so each character
mention outside quotes scores by its grammatical role; in first person it is the narrator ("I").
An unmarked shift is a cut between paragraphs where the focal character before and after differ
clearly, each side long enough to be a scene of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc

from storyworld.lexicon import words
from storyworld.model import BreakKind, Character, Paragraph, Scene, SettingCue, Story
from storyworld.pipeline import Stage
from storyworld.spans import MentionIndex, quote_test

FIRST_PERSON = frozenset({"i", "me", "my", "mine", "myself"})
SECOND_PERSON = frozenset({"you", "your", "yours", "yourself"})
# A third of narration pronouns in the first person makes a first-person narration.
FIRST_PERSON_SHARE = 0.33
# An unmarked shift needs both sides this long, and each side's focal character this dominant.
MIN_SIDE_WORDS = 120
MIN_SIDE_PARAGRAPHS = 4
MIN_SHARE = 0.45
MAX_OTHER_SHARE = 0.2
MAX_SETTING_CUES = 8
MAX_TITLE_WORDS = 10
_SENTENCE_MARK = re.compile(r"[.!?;\"“”]")


@dataclass(frozen=True)
class _Part:
    start: int
    end: int
    kind: BreakKind
    pov_name: str | None = None  # the name a POV header gives ("Sasuke's POV")


def _focal_weight(doc: Doc, start: int) -> float:
    """How strongly a mention at `start` marks its character as the perceiver."""
    token = doc.char_span(start, start + 1, alignment_mode="expand")
    if token is None or not len(token):
        return 0.0
    token = token[0]
    perception = words("narration", "pov", "perception")
    if token.dep_ in ("nsubj", "nsubjpass"):
        return 3.0 if token.head.lemma_.lower() in perception else 1.0
    if token.dep_ == "poss":
        return 2.0 if token.head.lemma_.lower() in words("narration", "pov", "inner") else 0.5
    return 0.25


def _paragraph_focus(
    story: Story, index: MentionIndex, inside_quote: Callable[[int], bool]
) -> list[Counter[str]]:
    assert story.doc is not None and story.paragraphs is not None
    focus = []
    for paragraph in story.paragraphs:
        scores: Counter[str] = Counter()
        for placed in index.within(paragraph.start, paragraph.end):
            if not inside_quote(placed.mention.start):
                scores[placed.character] += _focal_weight(story.doc, placed.mention.start)
        focus.append(scores)
    return focus


def _top(scores: Counter[str]) -> tuple[str | None, float, float]:
    """The leading character, its share of the total, and the total."""
    total = sum(scores.values())
    if not total:
        return None, 0.0, 0.0
    name, value = scores.most_common(1)[0]
    return name, value / total, total


def _shift_cut(paragraphs: list[Paragraph], focus: list[Counter[str]], text: str) -> int | None:
    """The paragraph index where the focal character changes most clearly, if anywhere."""
    n = len(paragraphs)
    if n < 2 * MIN_SIDE_PARAGRAPHS:
        return None
    word_counts = [len(text[p.start : p.end].split()) for p in paragraphs]
    best, best_gain = None, 0.0
    left: Counter[str] = Counter()
    total_scores: Counter[str] = Counter()
    for scores in focus:
        total_scores.update(scores)
    words_left = 0
    for cut in range(1, n):
        left.update(focus[cut - 1])
        words_left += word_counts[cut - 1]
        if cut < MIN_SIDE_PARAGRAPHS or n - cut < MIN_SIDE_PARAGRAPHS:
            continue
        if words_left < MIN_SIDE_WORDS or sum(word_counts) - words_left < MIN_SIDE_WORDS:
            continue
        right = total_scores - left
        left_top, left_share, left_total = _top(left)
        right_top, right_share, right_total = _top(right)
        if left_top is None or right_top is None or left_top == right_top:
            continue
        if left_share < MIN_SHARE or right_share < MIN_SHARE:
            continue
        if left[right_top] / left_total > MAX_OTHER_SHARE or right[left_top] / right_total > MAX_OTHER_SHARE:
            continue
        gain = left_share + right_share
        if gain > best_gain:
            best, best_gain = cut, gain
    return best


def _base_parts(story: Story) -> list[_Part]:
    """Spans between cuts; a span holding nothing but a heading, marker or POV header joins the
    span after it (so "Chapter 2" and "Sasuke's POV" head their scene instead of being one)."""
    cuts: dict[int, BreakKind] = {0: "start"}
    for chapter in story.chapters[1:]:
        cuts[chapter.start] = "chapter"
    povs: dict[int, str] = {}
    for brk in story.breaks or []:
        cuts.setdefault(brk.end, brk.kind)
        if brk.pov:
            povs[brk.end] = brk.pov
    markers = sorted((b.start, b.end) for b in story.breaks or [] if b.end > b.start)
    starts = sorted(cuts)
    ends = [*starts[1:], len(story.text)]
    parts: list[_Part] = []
    head: _Part | None = None  # heading-only spans waiting for the text they head
    for start, end in zip(starts, ends, strict=True):
        pov_name = povs.get(start) or (head.pov_name if head else None)
        kind = head.kind if head else cuts[start]
        merged = _Part(head.start if head else start, end, kind, pov_name)
        if _only_markers(story.text, start, end, markers):
            head = _Part(merged.start, end, merged.kind, povs.get(end) or pov_name)
            continue
        parts.append(merged)
        head = None
    if head is not None and parts:  # a trailing marker belongs to the last scene
        last = parts.pop()
        parts.append(_Part(last.start, head.end, last.kind, last.pov_name))
    elif head is not None:  # nothing but titles and markers: still one scene
        parts.append(head)
    return parts


def _only_markers(text: str, start: int, end: int, markers: list[tuple[int, int]]) -> bool:
    """True when [start, end) holds nothing but white space, break markers and title lines (the
    story's title above "Chapter 1" heads the first scene rather than being a scene of its own)."""
    position, rest = start, []
    for a, b in markers:
        if b <= position or a >= end:
            continue
        rest.append(text[position:a])
        position = max(position, b)
    rest.append(text[position:end])
    return all(_title_line(line) for piece in rest for line in piece.splitlines() if line.strip())


def _title_line(line: str) -> bool:
    """A short line with no sentence or quotation in it: "The Quiet Hour", "Part One: Snow"."""
    return len(line.split()) <= MAX_TITLE_WORDS and not _SENTENCE_MARK.search(line)


def _split_on_shifts(part: _Part, story: Story, focus: list[Counter[str]]) -> list[_Part]:
    assert story.paragraphs is not None
    members = [i for i, p in enumerate(story.paragraphs) if part.start <= p.start < part.end]
    cut = _shift_cut([story.paragraphs[i] for i in members], [focus[i] for i in members], story.text)
    if cut is None:
        return [part]
    at = story.paragraphs[members[cut]].start
    return [
        *_split_on_shifts(_Part(part.start, at, part.kind), story, focus),
        *_split_on_shifts(_Part(at, part.end, "pov-shift"), story, focus),
    ]


_PRONOUN = re.compile(
    r"\b(?:I|[Mm]e|[Mm]y|[Mm]ine|[Mm]yself|[Yy]ou|[Yy]our|[Yy]ours|[Yy]ourself|"
    r"[Hh]e|[Hh]im|[Hh]is|[Hh]imself|[Ss]he|[Hh]er|[Hh]ers|[Hh]erself|[Tt]hey|[Tt]hem|[Tt]heir|[Tt]hemselves)\b"
)


def narration_person(text: str, start: int, end: int, inside_quote: Callable[[int], bool]) -> str:
    """"first", "second" or "third": the person of the narration's own pronouns (quotes excluded).

    A third of them in the first person makes a first-person narration: a first-person narrator
    says "I" far more than a third-person narration's unquoted thoughts and letters do.
    """
    counts: Counter[str] = Counter()
    for match in _PRONOUN.finditer(text, start, end):
        if not inside_quote(match.start()):
            lower = match.group().lower()
            counts["first" if lower in FIRST_PERSON else "second" if lower in SECOND_PERSON else "third"] += 1
    total = sum(counts.values()) or 1
    if counts["first"] / total >= FIRST_PERSON_SHARE:
        return "first"
    if counts["second"] / total >= FIRST_PERSON_SHARE:
        return "second"
    return "third"


@lru_cache(maxsize=1)
def _setting_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """("on the balcony", "in Konoha", "three days later") as patterns built from the lexicon."""

    def alternation(section: str, key: str) -> str:
        return "|".join(map(re.escape, sorted(words("narration", section, key), key=len, reverse=True)))

    locative = alternation("setting", "locative")
    place = re.compile(
        rf"\b(?:{locative})\s+(?:the|a|an|his|her|their|our|my)\s+"
        rf"(?:\w+\s+)?(?:{alternation('setting', 'places')})\b",
        re.IGNORECASE,
    )
    named_place = re.compile(rf"\b(?:{locative})\s+((?:[A-Z][\w'’-]+)(?:\s+[A-Z][\w'’-]+)*)")
    time = re.compile(rf"\b(?:{alternation('setting', 'times')})\b", re.IGNORECASE)
    return place, named_place, time


def _setting(story: Story, start: int, end: int, index: MentionIndex) -> list[SettingCue]:
    """Place and time words: common places after a preposition, proper names after one that
    are not characters ("in Konoha", "at Netherfield"), and time expressions."""
    place_pattern, named_place, time_pattern = _setting_patterns()
    cues: dict[tuple[int, int], SettingCue] = {}
    for match in named_place.finditer(story.text, start, end):
        s, e = match.span(1)
        if not index.within(s, e):
            cues[(s, e)] = SettingCue(kind="place", start=s, end=e, text=match.group(1))
    for kind, pattern in (("place", place_pattern), ("time", time_pattern)):
        for match in pattern.finditer(story.text, start, end):
            s, e = match.span()
            if not any(a <= s < b for a, b in cues):
                cues[(s, e)] = SettingCue(kind=kind, start=s, end=e, text=match.group())
    ordered = sorted(cues.values(), key=lambda c: c.start)
    return ordered[:MAX_SETTING_CUES]


def find_scenes(story: Story) -> list[Scene]:
    characters = story.characters or []
    index = MentionIndex(characters)
    inside_quote = quote_test([(q.start, q.end) for q in story.quotes or []])
    focus = _paragraph_focus(story, index, inside_quote)
    parts = [piece for part in _base_parts(story) for piece in _split_on_shifts(part, story, focus)]
    speakers = {a.quote: a for a in story.attributions or []}
    quotes = story.quotes or []
    narrator = _narrator(index, inside_quote)
    scenes = []
    for number, part in enumerate(parts, start=1):
        members = [i for i, p in enumerate(story.paragraphs or []) if part.start <= p.start < part.end]
        scores: Counter[str] = Counter()
        for i in members:
            scores.update(focus[i])
        person = narration_person(story.text, part.start, part.end, inside_quote)
        pov = (
            _named(characters, part.pov_name)
            or (narrator if person == "first" else None)
            or _top(scores)[0]
        )
        present: Counter[str] = Counter(p.character for p in index.within(part.start, part.end))
        for quote in quotes:
            verdict = speakers.get(quote.id)
            if verdict and verdict.speaker and part.start <= quote.start < part.end:
                present[verdict.speaker] += 1
        chapter = next((c.id for c in story.chapters if c.start <= part.start < c.end), None)
        scenes.append(
            Scene(
                id=f"sc{number}",
                start=part.start,
                end=part.end,
                chapter=chapter,
                pov=pov,
                person=person,
                characters=[c for c, _ in present.most_common()],
                setting=_setting(story, part.start, part.end, index),
                break_=part.kind,
            )
        )
    return scenes


def _named(characters: list[Character], name: str | None) -> str | None:
    """The character a POV header names, by name or alias (a lone given name matches too)."""
    if not name:
        return None
    wanted = name.casefold()
    for character in characters:
        names = {n.casefold() for n in (character.name, *character.aliases)}
        if wanted in names or wanted in {n.split()[0] for n in names if n} | {
            n.split()[-1] for n in names if n
        }:
            return character.id
    return None


def _narrator(index: MentionIndex, inside_quote: Callable[[int], bool]) -> str | None:
    """The character the narration's "I" was resolved to, if any."""
    counts = Counter(
        p.character
        for p in index.all()
        if p.mention.kind == "pronoun"
        and p.mention.text.lower() in FIRST_PERSON
        and not inside_quote(p.mention.start)
    )
    return counts.most_common(1)[0][0] if counts else None


def scenes(story: Story) -> dict:
    return {"scenes": find_scenes(story)}


STAGE = Stage(
    "scenes",
    requires=("text", "chapters", "breaks", "paragraphs", "doc", "quotes", "characters", "attributions"),
    assigns=("scenes",),
    compute=scenes,
)
