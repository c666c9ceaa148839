"""The sieve behind the speakers stage: a decision (speaker, addressees, how) for every speech quote.

Over dialogue turns (one paragraph's speech, see turns.py), most certain cue first:
1. a speech tag beside a quote: "said Mira" / "Mira said" (explicit), "she hissed" (anaphoric);
2. an action beat, a character as subject in the turn's narration ("Jory shrugged. 'Fine.'");
3. in an untagged turn: the character addressed by name in the previous turn speaks next;
4. turn-taking: in a run of untagged turns the speaker of two turns back speaks again (and the
   turns before a conversation's first tag alternate back from it);
5. the most salient character before the turn (not the previous speaker; see pronouns.salient).
Every quote of a turn, and the pieces of an open quote running into the next paragraphs, share the
turn's speaker. A name inside a quote is never its speaker: at the start of a quote or between commas
it is the addressee (a vocative).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

from spacy.tokens import Token

from storyworld.cast.features import introduces_self
from storyworld.lexicon import words
from storyworld.model import Paragraph, Story
from storyworld.speakers.context import Context
from storyworld.speakers.index import MentionIndex, QuoteMask
from storyworld.speakers.narration import (
    first_sentence,
    last_sentence,
    listeners,
    pausing,
    seen,
    silenced,
    speaking,
    unanswering,
    voice_owner,
)
from storyworld.speakers.pronouns import gender_fit, pronoun_gender, resolve, salient
from storyworld.speakers.ranker import Ranker, rerank
from storyworld.speakers.tags import Cue, action_beat, closing_tag, lead_in_tag, own_tag, speech_tag
from storyworld.speakers.turns import Turn, conversations, turns

NARRATOR_EVIDENCE = 3  # vocatives beside "said I" lines needed to name the narrator
# ('"Up already?" / The redhead did not turn. / "Go back to sleep, Naruto."': whom the next line
# addresses across a little narration likely spoke the last one)
ACROSS_NARRATION = 1500  # characters
_VOCATIVE_BEFORE = (",", "!", "?", ".", "…", "—", "-", ";")
_VOCATIVE_AFTER = (",", "!", "?", ".", "…", ";", "—", "-", ":", '"', "”", "’")


@dataclass
class Decision:
    """The sieve's verdict on one quote and which step reached it (`how`, the key of its confidence)."""

    quote: str
    speaker: str | None
    how: str  # explicit anaphoric implicit vocative-next turn-taking fallback ranked continuation none
    pieces: int = 1  # quotes in the turn: a lone quote is attributed more surely than a run of them
    addressees: list[str] = field(default_factory=list)
    evidence: list[tuple[int, int]] = field(default_factory=list)
    ranker_confidence: float | None = None  # the ranker's, when it chose the speaker


def decide(story: Story, ranker: Ranker | None = None) -> list[Decision]:
    """A decision for every speech quote of an analysed story (quotes, characters, doc, paragraphs).

    With a `ranker` the sieve's speakers become features of a learned choice among candidates (ranker.py).
    """
    quotes = [q for q in story.quotes or [] if q.speech]
    found = dialogue(story)
    if found is None:
        return [Decision(q.id, None, "none") for q in quotes]
    ctx, grouped = found
    if ranker is not None:
        told = [(turn, turn.speaker, turn.how) for conversation in grouped for turn in conversation
                if _named_outright(ctx, turn)]
        kept = [(turn, turn.speaker, turn.how) for conversation in grouped for turn in conversation
                if turn.silent and turn.speaker not in turn.silent]
        rerank(ranker, ctx, story.paragraphs or [], grouped, given_cast=story.given_cast is not None)
        _overruled_back(told)
        # nor may it give a line to whom the sentence before shows silenced or acting without a word
        _overruled_back([(turn, speaker, how) for turn, speaker, how in kept if turn.speaker in turn.silent])
    decisions = []
    for conversation in grouped:
        for position, turn in enumerate(conversation):
            decisions.extend(_decisions(ctx, conversation, position, turn))
    decided = {d.quote for d in decisions}
    decisions.extend(Decision(q.id, None, "none") for q in quotes if q.id not in decided)
    return decisions


def _named_outright(ctx: Context, turn: Turn) -> bool:
    """The narration beside the line names its speaker: who was seen or whose voice it was (`turn.told`),
    whose voice the sentence before a "he said" describes, or "I said" in a story whose narrator is known."""
    if turn.cue is None or turn.speaker is None or turn.speaker != turn.cue.speaker:
        return False
    said_i = turn.cue.pronoun is not None and _first_person(ctx, turn.cue.pronoun)
    return turn.told or turn.voiced_before == turn.speaker or (said_i and turn.speaker == ctx.narrator)


def _overruled_back(told: list[tuple[Turn, str | None, str]]) -> None:
    """The sieve's speaker again where the narration beside the line named it (narration.py: who was seen
    there, whose voice it was, before a "he said" or after the line) and the ranker, whose features do not
    read that, chose another."""
    for turn, speaker, how in told:
        if turn.speaker != speaker:
            turn.speaker, turn.how, turn.ranker_confidence = speaker, how, None


def dialogue(story: Story) -> tuple[Context, list[list[Turn]]] | None:
    """The story's conversations, every turn given the sieve's speaker (None without quotes or cast)."""
    quotes = [q for q in story.quotes or [] if q.speech]
    characters = story.characters or []
    if not quotes or not characters:
        return None
    mask = QuoteMask(story.quotes or [])
    index = MentionIndex(story.text, characters, mask, story.given_cast)
    ctx = Context.build(story.text, story.doc, index, mask)
    found = turns(story.paragraphs or [], quotes)
    breaks = sorted([b.start for b in story.breaks or []] + [c.start for c in story.chapters[1:]])
    ctx.breaks = breaks
    grouped = conversations(found, story.paragraphs or [], breaks)
    following = _narration_after(story.paragraphs or [])
    for conversation in grouped:
        for turn in conversation:
            turn.vocatives = _vocatives(ctx, turn)
            _local_cue(ctx, turn, following(turn) if turn is conversation[-1] else None)
    for conversation, following in pairwise(grouped):
        last, first = conversation[-1], following[0]
        if first.paragraph.start - (last.continued or last.quotes)[-1].end <= ACROSS_NARRATION:
            last.addressed_across = first.vocatives
    ctx.narrator = _narrator(ctx, grouped) or _cast_narrator(ctx)
    for conversation in grouped:
        _take_turns(ctx, conversation)
    _heard_lines(grouped)
    _titled_lines(ctx, grouped)
    return ctx, grouped


def _titled_lines(ctx: Context, grouped: list[list[Turn]]) -> None:
    """A line only guessed at that addresses someone by a title ("Ah... Kazekage.") is not spoken by anyone
    whose tagged lines call that character by name: those who use the name do not switch to the title."""
    cued = [turn for conversation in grouped for turn in conversation
            if turn.how in ("explicit", "anaphoric", "implicit")]
    by_name = {(turn.speaker, v) for turn in cued for v in turn.vocatives if v not in turn.titled}
    for conversation in grouped:
        for turn in conversation:
            callers = {speaker for speaker, addressee in by_name if addressee in turn.titled}
            if turn.how != "fallback" or turn.speaker not in callers:
                continue
            never = frozenset([*turn.vocatives, *turn.listeners, *callers])
            turn.speaker = salient(ctx, turn.quotes[0].start, never=never)


def _narration_after(paragraphs: list[Paragraph]) -> Callable[[Turn], Paragraph | None]:
    """For a turn that ends its conversation: the narration paragraph right after it."""
    starts = [p.start for p in paragraphs]

    def after(turn: Turn) -> Paragraph | None:
        tail = (turn.continued or turn.quotes)[-1]
        number = bisect_right(starts, tail.start)
        return paragraphs[number] if number < len(paragraphs) else None

    return after


def _narrator(ctx: Context, grouped: list[list[Turn]]) -> str | None:
    """Who "I" is in narration: the character others address by name next to the lines "I" speaks.

    ('"Come in, Hale," said he. / "Thank you," said I.' makes Hale the narrator.)
    """
    addressed: Counter[str] = Counter()
    for conversation in grouped:
        for position, turn in enumerate(conversation):
            if turn.cue is None or turn.cue.pronoun is None or not _first_person(ctx, turn.cue.pronoun):
                continue
            for neighbour in conversation[max(position - 1, 0) : position + 2]:
                if neighbour is not turn:
                    addressed.update(neighbour.vocatives)
    best = addressed.most_common(1)
    return best[0][0] if best and best[0][1] >= NARRATOR_EVIDENCE else None


def _cast_narrator(ctx: Context) -> str | None:
    """The character the cast made the narration's "I" (at least NARRATOR_EVIDENCE times)."""
    mine = Counter(r.character for r in ctx.index.pronouns.values()
                   if not ctx.mask.inside(r.start) and ctx.text[r.start : r.end] == "I")
    best = mine.most_common(1)
    return best[0][0] if best and best[0][1] >= NARRATOR_EVIDENCE else None


def _first_person(ctx: Context, start: int) -> bool:
    token = ctx.token_at(start)
    return token is not None and token.lower_ == "i"


def _vocatives(ctx: Context, turn: Turn) -> list[str]:
    """Characters addressed by name or by the title the cast knows them by inside the turn's quotes
    ("Go back to sleep, Mira.", "Ah... Warden."); those addressed by a bare title go in `turn.titled`."""
    found: list[str] = []
    for quote in turn.quotes + turn.continued:
        refs = ctx.index.naming_in(quote.start + 1, quote.end)
        # (not an epithet: whom the cast guessed "my poor fellow" means is no evidence)
        named = [(r.start, r.end, r.character, r.kind == "title") for r in refs if r.kind != "epithet"]
        bare = _titles_in(ctx, quote.start + 1, quote.end)
        titles = [(start, end, character, True) for start, end, character in bare]
        for start, end, character, title in named + titles:
            before = ctx.text[quote.start + 1 : start].strip().lower()
            after = ctx.text[end : end + 2].strip()[:1] or '"'
            opens = (before == "" or before.endswith(_VOCATIVE_BEFORE)
                     or _before_name().search(before) is not None)
            if opens and after in _VOCATIVE_AFTER and character not in found:
                found.append(character)
                if title:
                    turn.titled.append(character)
    return found


@cache
def _before_name() -> re.Pattern[str]:
    """Words that lead into the name of the one spoken to, as whole words at the end of a text ("Thanks"
    of "Thanks Naruto"; "yeah" does not end with "ah"), compiled once."""
    leading = words("speech", "address", "before_name")
    return re.compile(r"(?:^|\W)(?:" + "|".join(map(re.escape, leading)) + r")$")


def _titles_in(ctx: Context, start: int, end: int) -> list[tuple[int, int, str]]:
    """Bare titles in a quote that the cast uses for one character ("Kazekage" for "the kazekage")."""
    if not ctx.index.by_title:
        return []
    found = []
    for token in ctx.tokens(start, end):
        character = ctx.index.by_title_word(token.text) if token.pos_ in ("PROPN", "NOUN") else None
        if character is not None and ctx.index.covering(token.idx) is None:
            found.append((token.idx, token.idx + len(token), character))
    return found


def _local_cue(ctx: Context, turn: Turn, next_narration: Paragraph | None) -> None:
    """A speech tag beside any of the turn's quotes, else what the sentences beside it say (whose voice it
    was, who was seen, who paused or moved their lips before it: narration.py), else an action beat in its
    paragraph, else a paragraph before it ending "X spoke.". `next_narration`: the paragraph after a turn
    that ends its conversation."""
    before, after = _sentence_before(ctx, turn), _sentence_after(ctx, turn, next_narration)
    _listen(ctx, turn, before, after)
    pieces = turn.quotes
    for i, quote in enumerate(pieces):
        bound_before = pieces[i - 1].end if i else turn.paragraph.start
        bound_after = pieces[i + 1].start if i + 1 < len(pieces) else turn.paragraph.end
        cue = speech_tag(ctx, turn.paragraph, quote, bound_before, bound_after)
        # (a pronoun tag is kept: it is resolved again once turn-taking is known, never to a vocative)
        named_addressee = cue is not None and cue.pronoun is None and cue.speaker in turn.vocatives
        if cue is not None and (cue.speaker is not None or cue.pronoun is not None) and not named_addressee:
            turn.cue = cue
            if cue.pronoun is not None and i == 0:  # "Asuma's voice cut through. 'Fall back,' he ordered."
                voiced = voice_owner(ctx, before, frozenset([*turn.vocatives, *turn.listeners]))
                turn.voiced_before = voiced.speaker if voiced is not None else None
            if i == 0:
                _split_pieces(ctx, turn)
            return
    if turn.lead_in is not None:
        cue = lead_in_tag(ctx, turn.quotes[0], turn.lead_in.start)
        if cue is not None and cue.speaker not in turn.vocatives and (cue.speaker or cue.pronoun is not None):
            turn.cue = cue
            return
    ruled_out = frozenset([*turn.vocatives, *turn.listeners])
    revealed = _introduced(ctx, turn) or voice_owner(ctx, after, ruled_out)
    tail = (turn.continued or turn.quotes)[-1]
    # (only across a paragraph: 'Mira turned to see Jory' beside a line is hers)
    if revealed is None and next_narration is not None and not first_sentence(ctx, tail.end,
                                                                                turn.last_paragraph.end):
        revealed = seen(ctx, after)
    # (the sentences that name the speaker outright, seen or heard, outrank the ranker: see decide)
    turn.told = revealed is not None and revealed.speaker not in ruled_out
    if revealed is None and turn.lead_in is not None:
        revealed = pausing(ctx, before) or speaking(ctx, before) or voice_owner(ctx, before, ruled_out)
    beat = action_beat(ctx, turn.paragraph, ruled_out)
    turn.cue = revealed if revealed is not None and revealed.speaker not in ruled_out else beat
    if turn.cue is None and turn.lead_in is not None:
        cue = closing_tag(ctx, turn.quotes[0], turn.lead_in.start)
        if cue is not None and cue.speaker not in ruled_out and (cue.speaker or cue.pronoun is not None):
            turn.cue = cue


def _introduced(ctx: Context, turn: Turn) -> Cue | None:
    """The character an untagged line introduces as its speaker ("Hi. I'm Emi.", "My name is Jory.")."""
    for quote in turn.quotes:
        for ref in ctx.index.naming_in(quote.start + 1, quote.end):
            head = ctx.token_at(ref.end - 1)
            if ref.kind == "name" and head is not None and introduces_self(head):
                return Cue(ref.character, "implicit", (ref.start, ref.end))
    return None


def _sentence_after(ctx: Context, turn: Turn, next_narration: Paragraph | None) -> list[Token]:
    """The first narration sentence after the turn's last quote: in its paragraph, else `next_narration`'s."""
    tail = (turn.continued or turn.quotes)[-1]
    sentence = first_sentence(ctx, tail.end, turn.last_paragraph.end)
    if sentence or next_narration is None:
        return sentence
    return first_sentence(ctx, next_narration.start, next_narration.end)


def _sentence_before(ctx: Context, turn: Turn) -> list[Token]:
    """The last narration sentence before the turn: in its paragraph, else in the paragraph before it (after
    the last line there)."""
    floor = turn.lead_in.start if turn.lead_in else turn.paragraph.start
    first = turn.quotes[0]
    return last_sentence(ctx, max(floor, ctx.mask.end_before(first.start)), first.start)


def _listen(ctx: Context, turn: Turn, before: list[Token], after: list[Token]) -> None:
    """Who the narration beside the turn shows hearing it, silenced just before it or not answering after it:
    not its speaker (`turn.listeners`; those shown after it also in `turn.heard_after`)."""
    last_line = ctx.mask.end_before(turn.quotes[0].start)
    # (whoever hears the last line, in the first sentence after it, may well answer it)
    opening = first_sentence(ctx, last_line, before[-1].idx + 1) if last_line and before else []
    answering = bool(opening) and opening[0].i == before[0].i
    turn.heard_after = list(dict.fromkeys([*listeners(ctx, after), *unanswering(ctx, after)]))
    heard = [] if answering else listeners(ctx, before)
    turn.silent = silenced(ctx, before)
    quiet = [*heard, *turn.silent]
    turn.listeners = list(dict.fromkeys([*quiet, *turn.heard_after]))


def _split_pieces(ctx: Context, turn: Turn) -> None:
    """Later pieces whose own name tag names someone other than the first piece's speaker."""
    pieces = turn.quotes
    taken = turn.cue.evidence
    for i in range(1, len(pieces)):
        after = pieces[i + 1].start if i + 1 < len(pieces) else turn.paragraph.end
        cue = own_tag(ctx, pieces[i], pieces[i - 1].end, after, taken)
        if cue is None:
            continue
        taken = cue.evidence
        if cue.speaker != turn.cue.speaker and cue.speaker not in turn.vocatives:
            turn.piece_speakers[pieces[i].id] = cue.speaker


def _take_turns(ctx: Context, conversation: list[Turn]) -> None:
    """Fill each turn's speaker: its own cue, else the addressee of the last turn, else alternation."""
    history: list[str] = []
    for position, turn in enumerate(conversation):
        previous = conversation[position - 1] if position else None
        last = history[-1] if history else None
        ruled_out = {last, *turn.vocatives, *turn.listeners}
        start = turn.quotes[0].start
        addressed = [v for v in _addressed(previous) if v not in ruled_out
                     and (v in history or _in_scene(ctx, v, start) or _first_called(ctx, v, previous))
                     ] if previous else []
        alternating = history[-2] if len(history) >= 2 and history[-2] not in ruled_out else None
        expected = addressed[0] if addressed else alternating
        cue = turn.cue
        if cue is not None and cue.pronoun is not None:
            cue.speaker = _voiced(ctx, turn) or resolve(ctx, cue.pronoun, expected, frozenset(ruled_out),
                                                        tuple(history), never=frozenset(turn.vocatives))
        if cue is not None and cue.kind == "implicit" and _listener_beat(turn, cue, last):
            cue = None
        if cue is not None and cue.speaker is not None:
            turn.speaker, turn.how = cue.speaker, cue.kind
        elif addressed:
            turn.speaker, turn.how = addressed[0], "vocative-next"
        elif alternating is not None:
            turn.speaker, turn.how = alternating, "turn-taking"
        else:
            start = turn.quotes[0].start
            turn.speaker = salient(ctx, start, avoid=frozenset(ruled_out), present=tuple(history),
                                   never=frozenset([*turn.listeners, *turn.vocatives]))
            turn.how = "fallback"
        if turn.speaker is not None:
            history.append(turn.speaker)
    _fill_back(conversation)


def _voiced(ctx: Context, turn: Turn) -> str | None:
    """Whose voice the sentence before a "she ordered" describes, if the pronoun fits them ("Mirel's voice
    cut through the clearing." / '"Run," she ordered.')."""
    token = ctx.token_at(turn.cue.pronoun) if turn.cue is not None and turn.cue.pronoun is not None else None
    gender = pronoun_gender(token.text) if token is not None else None
    voiced = turn.voiced_before
    fits = voiced is not None and gender is not None and gender_fit(ctx, voiced, gender) > 0
    return voiced if fits else None


def _in_scene(ctx: Context, character: str, offset: int) -> bool:
    """Has the narration of the scene named `character` before `offset`? ("Malfoy. Helped." names someone
    who is not there to answer.)"""
    return any(r.character == character for r in ctx.index.narration_before(offset, ctx.scene_start(offset)))


def _first_called(ctx: Context, character: str, turn: Turn) -> bool:
    """Is the turn calling `character` the first the story says of them? A story that opens on '"Katara,
    that's discrimination, right?"' has her there to answer; "Corin. Helped." of a Corin the last scene
    showed does not."""
    return ctx.index.first_named.get(character, turn.quotes[0].start) >= turn.quotes[0].start


def _heard_lines(grouped: list[list[Turn]]) -> None:
    """A lone line someone is shown hearing ('"Up already?" / The redhead did not turn to recognise the
    voice.') is the other party's: whom the next line addresses by name, else who speaks next."""
    for conversation, following in zip(grouped, [*grouped[1:], []], strict=True):
        turn = conversation[0]
        if len(conversation) > 1 or turn.how != "fallback" or not turn.heard_after:
            continue
        addressed = [c for c in turn.addressed_across if c not in turn.listeners]
        if addressed:
            turn.speaker, turn.how = addressed[0], "vocative-next"
        elif following and following[0].speaker not in (None, *turn.listeners, *turn.vocatives):
            turn.speaker, turn.how = following[0].speaker, "turn-taking"


def _addressed(turn: Turn) -> list[str]:
    """Whom a turn addresses by name or as its tag's object ("she told Jory")."""
    tagged = turn.cue.addressees if turn.cue is not None and turn.cue.speaker == turn.speaker else []
    return list(dict.fromkeys([*turn.vocatives, *tagged]))


def _listener_beat(turn: Turn, cue: Cue, last: str | None) -> bool:
    """An action beat after the line whose subject spoke the line before is the listener's reaction
    ('"You are late." / "The road was flooded." Mira frowned at him.'): it does not say who spoke."""
    return cue.speaker == last and cue.evidence[0] > turn.quotes[0].start


def _fill_back(conversation: list[Turn]) -> None:
    """Untagged turns before the first tagged one alternate back from it and the other party (the speaker
    after it, else the last other one guessed): their guesses only followed salience, so they yield."""
    first = next((i for i, t in enumerate(conversation) if t.how in ("explicit", "anaphoric")), None)
    if not first:
        return
    anchor = conversation[first].speaker
    after = conversation[first + 1].speaker if first + 1 < len(conversation) else None
    guessed = [t.speaker for t in conversation[first - 1 :: -1] if t.speaker not in (None, anchor)]
    other = after if after not in (None, anchor) else next(iter(guessed), None)
    for i in range(first - 1, -1, -1):
        turn = conversation[i]
        if turn.how not in ("fallback", "turn-taking"):
            return
        speaker = anchor if (first - i) % 2 == 0 else other
        if speaker is not None and speaker not in turn.vocatives:
            turn.speaker, turn.how = speaker, "turn-taking"


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


def _decisions(ctx: Context, conversation: list[Turn], position: int, turn: Turn) -> list[Decision]:
    if turn.speaker is None:
        return [Decision(q.id, None, "none") for q in turn.quotes + turn.continued]
    addressees = _addressees(ctx, conversation, position, turn)
    cue = turn.cue if turn.cue is not None and turn.cue.speaker == turn.speaker else None
    evidence = [cue.evidence] if cue else []
    decisions = []
    speaker = turn.speaker
    for piece in turn.quotes + turn.continued:
        if piece.id in turn.piece_speakers:  # its own tag: the pieces after it follow it
            speaker = turn.piece_speakers[piece.id]
            decisions.append(Decision(piece.id, speaker, "explicit", len(turn.quotes), [turn.speaker]))
            continue
        how = "continuation" if piece in turn.continued else turn.how
        decisions.append(Decision(piece.id, speaker, how, len(turn.quotes), addressees, evidence,
                                  turn.ranker_confidence if speaker == turn.speaker else None))
    return decisions
