"""Speakers: for every speech quote its speaker, addressees, confidence and cue.

A sieve over dialogue turns (one paragraph's speech, see speakers/turns.py), most certain cue first:
1. a speech tag beside a quote: "said Mira" / "Mira said" (explicit), "she hissed" (anaphoric);
2. an action beat, a character as subject in the turn's narration ("Jory shrugged. 'Fine.'");
3. in an untagged turn: the character addressed by name in the previous turn speaks next;
4. turn-taking: in a run of untagged turns the speaker of two turns back speaks again;
5. the latest character named in the narration before the turn (not the previous speaker).
Every quote of a turn, and the pieces of an open quote running into the next paragraphs, share the
turn's speaker. A name inside a quote is never its speaker: at the start of a quote or between commas
it is the addressee (a vocative). Confidences are per-cue accuracies measured on PDNC by
scripts/train_speaker_confidence.py (data/speaker_confidence.json).
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files

from storyworld.lexicon import words
from storyworld.model import Attribution, Evidence, Quote, Story
from storyworld.pipeline import Stage
from storyworld.speakers.context import Context
from storyworld.speakers.index import MentionIndex, QuoteMask
from storyworld.speakers.pronouns import resolve
from storyworld.speakers.tags import action_beat, speech_tag
from storyworld.speakers.turns import Turn, conversations, turns

LOOKBACK = 2000  # characters of narration searched for a fallback speaker
_VOCATIVE_BEFORE = ("", ",", "!", "?", ".", "—", "-", ";", "oh", "dear", "my dear", "ah")
_VOCATIVE_AFTER = (",", "!", "?", ".", ";", "—", "-", ":", '"', "”", "’")


def attribute(story: Story) -> dict:
    quotes = [q for q in story.quotes or [] if q.speech]
    characters = story.characters or []
    if not quotes or not characters:
        return {"attributions": [_unknown(q) for q in quotes]}
    mask = QuoteMask(story.quotes or [])
    ctx = Context.build(story.text, story.doc, MentionIndex(story.text, characters, mask), mask)
    found = turns(story.paragraphs or [], quotes)
    breaks = sorted([b.start for b in story.breaks or []] + [c.start for c in story.chapters[1:]])
    attributions = []
    for conversation in conversations(found, story.paragraphs or [], breaks):
        for turn in conversation:
            turn.vocatives = _vocatives(ctx, turn)
            _local_cue(ctx, turn)
        _take_turns(ctx, conversation)
        for position, turn in enumerate(conversation):
            attributions.extend(_verdicts(ctx, conversation, position, turn))
    attributed = {a.quote for a in attributions}
    attributions.extend(_unknown(q) for q in quotes if q.id not in attributed)
    return {"attributions": attributions}


def _unknown(quote: Quote) -> Attribution:
    return Attribution(quote=quote.id, speaker=None, confidence=0.0, cue="implicit")


def _vocatives(ctx: Context, turn: Turn) -> list[str]:
    """Characters addressed by name inside the turn's quotes ("Go back to sleep, Mira.")."""
    found: list[str] = []
    for quote in turn.quotes + turn.continued:
        for ref in ctx.index.naming_in(quote.start + 1, quote.end):
            before = ctx.text[quote.start + 1 : ref.start].strip().lower()
            after = ctx.text[ref.end : ref.end + 2].strip()[:1] or '"'
            opens = any(before.endswith(w) for w in _VOCATIVE_BEFORE if w) or before == ""
            if opens and after in _VOCATIVE_AFTER and ref.character not in found:
                found.append(ref.character)
    return found


def _local_cue(ctx: Context, turn: Turn) -> None:
    """A speech tag beside any of the turn's quotes, else an action beat in its paragraph."""
    pieces = turn.quotes
    for i, quote in enumerate(pieces):
        before = pieces[i - 1].end if i else turn.paragraph.start
        after = pieces[i + 1].start if i + 1 < len(pieces) else turn.paragraph.end
        cue = speech_tag(ctx, turn.paragraph, quote, before, after)
        named_addressee = cue is not None and cue.speaker in turn.vocatives
        if cue is not None and (cue.speaker is not None or cue.pronoun is not None) and not named_addressee:
            turn.cue = cue
            return
    beat = action_beat(ctx, turn.paragraph, frozenset(turn.vocatives))
    if beat is not None:
        turn.cue = beat


def _take_turns(ctx: Context, conversation: list[Turn]) -> None:
    """Fill each turn's speaker: its own cue, else the addressee of the last turn, else alternation."""
    history: list[str] = []
    for position, turn in enumerate(conversation):
        previous = conversation[position - 1] if position else None
        last = history[-1] if history else None
        ruled_out = {last, *turn.vocatives}
        addressed = [v for v in previous.vocatives if v not in ruled_out] if previous else []
        alternating = history[-2] if len(history) >= 2 and history[-2] not in ruled_out else None
        expected = addressed[0] if addressed else alternating
        cue = turn.cue
        if cue is not None and cue.pronoun is not None:
            cue.speaker = resolve(ctx, cue.pronoun, expected, frozenset(ruled_out), tuple(history))
        if cue is not None and cue.speaker is not None:
            turn.speaker, turn.how = cue.speaker, cue.kind
        elif addressed:
            turn.speaker, turn.how = addressed[0], "vocative-next"
        elif alternating is not None:
            turn.speaker, turn.how = alternating, "turn-taking"
        else:
            turn.speaker, turn.how = _latest_named(ctx, turn, ruled_out), "fallback"
        if turn.speaker is not None:
            history.append(turn.speaker)


def _latest_named(ctx: Context, turn: Turn, exclude: set[str | None]) -> str | None:
    start = turn.quotes[0].start
    for ref in ctx.index.narration_before(start, start - LOOKBACK):
        if ref.character not in exclude:
            return ref.character
    return None


def _addressees(ctx: Context, conversation: list[Turn], position: int, turn: Turn) -> list[str]:
    """Named vocatives, the tag's object ("told him"), a group address, else the other party."""
    speaker = turn.speaker
    named = [a for a in [*turn.vocatives, *(turn.cue.addressees if turn.cue else [])] if a != speaker]
    if named:
        return list(dict.fromkeys(named))
    spoken = " ".join(q.text.lower() for q in turn.quotes)
    participants = list(dict.fromkeys(t.speaker for t in conversation if t.speaker not in (None, speaker)))
    if any(word in spoken for word in words("speech", "address", "group")) and participants:
        return participants
    neighbours = [conversation[i] for i in (position - 1, position + 1) if 0 <= i < len(conversation)]
    for neighbour in neighbours:
        if neighbour.speaker is not None and neighbour.speaker != speaker:
            return [neighbour.speaker]
    return []


def _verdicts(ctx: Context, conversation: list[Turn], position: int, turn: Turn) -> list[Attribution]:
    addressees = _addressees(ctx, conversation, position, turn) if turn.speaker else []
    cue = turn.cue if turn.cue is not None and turn.cue.speaker == turn.speaker else None
    evidence = [Evidence(start=s, end=e, text=ctx.text[s:e]) for s, e in [cue.evidence]] if cue else []
    verdicts = []
    for piece in turn.quotes + turn.continued:
        how = "continuation" if piece in turn.continued else turn.how
        verdicts.append(Attribution(
            quote=piece.id, speaker=turn.speaker, addressees=addressees if turn.speaker else [],
            confidence=confidence(how, len(turn.quotes)) if turn.speaker else 0.0,
            cue=_CUES[how], evidence=evidence,
        ))
    return verdicts


_CUES = {
    "explicit": "explicit", "anaphoric": "anaphoric", "implicit": "implicit", "vocative-next": "vocative",
    "turn-taking": "turn-taking", "fallback": "implicit", "continuation": "continuation",
}


@cache
def _confidence_table() -> dict[str, float]:
    return json.loads((files("storyworld") / "data" / "speaker_confidence.json").read_text(encoding="utf-8"))


def confidence(how: str, pieces: int) -> float:
    """The measured accuracy of this kind of decision (see scripts/train_speaker_confidence.py)."""
    table = _confidence_table()
    return float(table.get(f"{how}/{min(pieces, 2)}", table.get(how, 0.5)))


STAGE = Stage(
    "speakers", requires=("quotes", "characters", "doc", "paragraphs", "breaks"), assigns=("attributions",),
    compute=attribute,
)
