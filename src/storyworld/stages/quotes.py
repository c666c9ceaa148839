"""Quotations: every quoted span (marks included), pieces of one utterance grouped, speech or not.

How, in three passes:
1. Learn which mark the document's dialogue uses (as BookNLP does): double quotes, single quotes
   (British style) or a dash opening the paragraph (European style). Only that mark opens a
   quotation, so quotes nested inside it, and apostrophes, never start one of their own.
2. Scan each paragraph on its own, so one stray mark cannot swallow the rest of the book. A
   quotation left open at a paragraph's end ends there; when the next paragraph reopens with a
   mark, both pieces are one utterance (the old convention for a speech over several paragraphs).
3. Decide speech from the quotation's surroundings: scare quotes, titles and cited words sit inside
   a narration sentence, are short, and have no speech tag or dialogue punctuation; a letter quoted
   paragraph by paragraph is read, not spoken. The hand-written decision (`_is_speech`) is one of
   the cues (`_cues`) a small logistic regression weighs (storyworld.speech_model, trained by
   scripts/train_speech_classifier.py); a speech verb right before the quotation decides on its own,
   and a paragraph that continues an utterance follows its first piece.

`spoken_parts(text, quote)` gives the speaker's own words inside a quotation (without embedded
quotations and stage directions), which is what PDNC annotates and what scoring compares.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import cache

from storyworld.lexicon import words
from storyworld.model import Paragraph, Quote, Story
from storyworld.pipeline import Stage
from storyworld.speech_model import SpeechModel, speech_model

_DOUBLE_OPEN = '"“«„'
_DOUBLE_CLOSE = '"”»'
_SINGLE = "'‘’"
_DASHES = "—–"
_DASH = re.compile(r"[—–]|--")  # Gutenberg texts write the dash as two hyphens
_SENTENCE_END = re.compile(r"[.!?…]+(?=\s|$)")
_NARRATION_DASH = re.compile(r"\s(?:[—–]|--)")
_PUNCTUATION = ".,;:!?…—–-)"
# Words that begin with an apostrophe ('em, rock 'n' roll): never the start of a quotation.
_ELISION = re.compile(
    r"(?:em|n|tis|twas|twere|til|till|cause|bout|round|fore|ere|s|d|ll|re|ve|m|t|un|im|er|ow)\b", re.I
)
_SINGLE_OPENER = re.compile(r"(?:^|(?<=[\s(\[—–\"“]))['‘](?!" + _ELISION.pattern + r")(?=\w)", re.I | re.M)
# A parenthesis opening on a participle ("smiling", not "nothing" or "excepting"), "with", "in a",
# "to Name" or "he nodded"; or a lone adverb or two ("rather hesitatingly").
_STAGE_DIRECTION = re.compile(
    r"[-—–]*\((?:(?!(?:no|some|any|every)thing|during|excepting|according|concerning|regarding|including)"
    r"[a-z]+ing\b|with\b|in an?\b|to [A-Z]|(?:he|she|they) [a-z]+ed\b)[^()]*\)[-—–]*"
    r"|[-—–]*\((?:[a-z]+ )?[a-z]+ly,?\)[-—–]*"
)
# Capitalised words with no sentence punctuation: the name of a book, a ship, an inn.
_TITLE = re.compile(r"(?:[A-Z][\w'’-]*)(?: (?:[A-Z][\w'’-]*|of|the|a|an|and|in|on|at|to|for))*")
# A letter quoted paragraph by paragraph opens with a salutation and ends with a sign-off or a
# signature in capitals; at most this many paragraphs apart.
_SALUTATION = re.compile(r"(?:My |MY )?(?:[Dd]ear|[Dd]earest|DEAR|DEAREST)(?: [A-Z][\w.'’-]*){1,3},")
_SIGN_OFF = re.compile(
    r"(?:Yours|Your (?:\w+ )?(?:affectionate|loving|sincere|obedient|devoted|faithful)|Believe me"
    r"|Ever yours|Sincerely|Faithfully|Affectionately)\b"
)
_SIGNATURE = re.compile(r"[A-Z][A-Z.' -]*\.?")
_LETTER_PARAGRAPHS = 40
_HEADING_LINES, _HEADING_WORDS = 3, 4  # at most, above a salutation
_WORD = re.compile(r"[\w'’-]+")
SAID_RIGHT_BEFORE = "said_right_before"  # a cue that decides speech on its own, not weighed by the model
_LONG = 5  # words: a quotation this long is speech (or a written text read out) wherever it stands


@dataclass
class _Piece:
    start: int
    end: int
    paragraph: int
    closed: bool = True
    continues: bool = False  # reopens an utterance left open at the end of the previous paragraph


def find_quotes(story: Story, model: SpeechModel | None = None) -> list[Quote]:
    """Every quotation in `story.text`, in text order, ids q1, q2..., groups g1, g2...

    `model` decides speech (default: the shipped one; the training script passes others)."""
    return _as_quotes(story.text, story.paragraphs or [], _pieces(story), model or speech_model())


def speech_features(story: Story) -> list[dict[str, float]]:
    """The speech model's inputs for each quotation `find_quotes` returns, in the same order."""
    return _features(story.text, story.paragraphs or [], _pieces(story))


def _pieces(story: Story) -> list[_Piece]:
    text = story.text
    paragraphs = story.paragraphs or []
    mark = dialogue_mark(text, paragraphs)
    pieces: list[_Piece] = []
    for index, paragraph in enumerate(paragraphs):
        if mark == "dash" and _DASH.match(text, paragraph.start):
            found = _dash_pieces(text, paragraph, index)
        else:
            found = _marked_pieces(text, paragraph, index, single=mark == "single")
        if found and pieces and not pieces[-1].closed and pieces[-1].paragraph == index - 1:
            found[0].continues = found[0].start == paragraph.start
        pieces.extend(found)
    return pieces


def dialogue_mark(text: str, paragraphs: list[Paragraph]) -> str:
    """'double', 'single' or 'dash': the mark that opens this document's dialogue."""
    double = text.count('"') / 2 + sum(text.count(c) for c in "“«„")
    single = len(_SINGLE_OPENER.findall(text))
    dash_led = sum(1 for p in paragraphs if _DASH.match(text, p.start))
    quote_led = sum(1 for p in paragraphs if text[p.start] in _DOUBLE_OPEN + _SINGLE)
    if dash_led >= 3 and dash_led > quote_led:
        return "dash"
    return "single" if single > double else "double"


def _marked_pieces(text: str, paragraph: Paragraph, index: int, *, single: bool) -> list[_Piece]:
    pieces = []
    position = paragraph.start
    while True:
        start = _next_opener(text, position, paragraph.end, single)
        if start is None:
            return pieces
        close = (_single_closer if single else _double_closer)(text, start + 1, paragraph.end)
        if close is None:
            end = paragraph.end
            while end > start + 1 and text[end - 1].isspace():
                end -= 1
            pieces.append(_Piece(start, end, index, closed=False))
            return pieces
        pieces.append(_Piece(start, close + 1, index))
        position = close + 1


def _next_opener(text: str, position: int, end: int, single: bool) -> int | None:
    for i in range(position, end):
        char = text[i]
        if single:
            if char in "'‘?" and _opens_single(text, i, end):
                return i
        elif char in _DOUBLE_OPEN or (char == "”" and _looks_opening(text, i, end)):
            return i
    return None


def _looks_opening(text: str, i: int, end: int) -> bool:
    """A mark at a word's start: after a space or the paragraph start, before a word."""
    before = text[i - 1] if i > 0 else " "
    return (before.isspace() or before in '([—–-"“') and i + 1 < end and not text[i + 1].isspace()


def _opens_single(text: str, i: int, end: int) -> bool:
    # A "?" glued to the next word is an opening mark lost to a bad encoding (?Anne,' she said).
    if text[i] == "?" and not text[i + 1 : i + 2].isalpha():
        return False
    return _looks_opening(text, i, end) and not _ELISION.match(text, i + 1)


def _double_closer(text: str, position: int, end: int) -> int | None:
    for i in range(position, end):
        char = text[i]
        opens = char in "“«„" or (char == '"' and text[i - 1].isspace() and _looks_opening(text, i, end))
        if opens and i > position:  # a new quotation opens: this one was never closed
            return _last_visible(text, position, i)
        if char in _DOUBLE_CLOSE or (char == "“" and not _looks_opening(text, i, end)):
            return i
    return None


def _last_visible(text: str, start: int, i: int) -> int:
    """The index of the last non-space character before i (where an unclosed piece stops)."""
    while i > start and text[i - 1].isspace():
        i -= 1
    return i - 1


def _single_closer(text: str, position: int, end: int) -> int | None:
    """The mark that closes a single-quoted piece, skipping plural possessives and elisions.

    A closing mark right after punctuation ('Go,' she said) or before punctuation or the paragraph
    end is sure; one between a letter and a space (the Joneses' house, goin' home) is taken only
    when no sure one comes before the next quotation opens.
    """
    weak = None
    for i in range(position, end):
        char = text[i]
        if char in "'‘" and _opens_single(text, i, end):
            break
        if char not in "'’" or text[i - 1].isspace() or (i + 1 < end and text[i + 1].isalnum()):
            continue
        if text[i - 1] in _PUNCTUATION or i + 1 == end or text[i + 1] in _PUNCTUATION:
            return i
        if weak is None:
            weak = i
    return weak


def _dash_pieces(text: str, paragraph: Paragraph, index: int) -> list[_Piece]:
    """European dialogue: '—Speech —narration— more speech.' The opening dash is the mark.

    Narration opens with a spaced dash and closes at the next dash; some authors leave the tag
    unmarked ('—Come up! he said. Now.'), and then it runs to the end of its sentence. Speech that
    resumes after narration has no mark of its own: that piece starts at its first word.
    """
    pieces = []
    start = paragraph.start
    while start < paragraph.end:
        dash = _NARRATION_DASH.search(text, start + 1, paragraph.end)
        tag = _unmarked_tag().search(text, start + 1, dash.start() if dash else paragraph.end)
        end = tag.start() if tag else dash.start() if dash else paragraph.end
        if any(c.isalnum() for c in text[start:end]):
            pieces.append(_Piece(start, end, index))
        if tag:
            resume = _SENTENCE_END.search(text, tag.end(), paragraph.end)
        else:
            resume = _DASH.search(text, dash.end(), paragraph.end) if dash else None
        if resume is None:
            break
        start = resume.end()
        while start < paragraph.end and (text[start].isspace() or text[start] in ".,;:"):
            start += 1
    return pieces


@cache
def _unmarked_tag() -> re.Pattern[str]:
    """', he said' / '! Stephen answered' right after speech punctuation, with no dash before it."""
    verbs = "|".join(sorted(words("quotes", "speech", "verbs"), key=len, reverse=True))
    speaker = r"(?:he|she|they|I|we|[A-Z][\w'’]+(?: [A-Z][\w'’]+)?)"
    return re.compile(rf"(?<=[,!?.…]) +(?={speaker} (?:\w+ly )?(?:{verbs})\b)")


def _as_quotes(
    text: str, paragraphs: list[Paragraph], pieces: list[_Piece], model: SpeechModel
) -> list[Quote]:
    quotes: list[Quote] = []
    group = 0
    previous: _Piece | None = None
    previous_speech = False
    for n, (piece, values) in enumerate(zip(pieces, _features(text, paragraphs, pieces), strict=True)):
        if piece.continues and previous is not None:
            speech = previous_speech  # one utterance over several paragraphs: its first piece decides
        else:
            # 'he said "fine"' is speech, though annotators leave out half of these: the model cannot learn it
            speech = bool(values[SAID_RIGHT_BEFORE]) or model.is_speech(values)
        joins = (
            previous is not None
            and speech
            and previous_speech
            and (piece.continues or previous.paragraph == piece.paragraph)
        )
        if not joins:
            group += 1
        quotes.append(
            Quote(
                id=f"q{n + 1}",
                start=piece.start,
                end=piece.end,
                text=text[piece.start : piece.end],
                speech=speech,
                group=f"g{group}",
            )
        )
        previous, previous_speech = piece, speech
    return quotes


def _letter_paragraphs(text: str, paragraphs: list[Paragraph], pieces: list[_Piece]) -> set[int]:
    """Paragraphs of a letter quoted paragraph by paragraph: from 'Dear Meg,' to 'Yours,' or 'HELEN.'

    Read, not spoken. Only a run of quoted paragraphs that both opens and closes like a letter counts.
    """
    opening = {p.paragraph: _content(text, p) for p in pieces if p.start == paragraphs[p.paragraph].start}
    letters: set[int] = set()
    for first, content in opening.items():
        if first in letters or not _SALUTATION.match(content):
            continue
        for last in range(first, first + _LETTER_PARAGRAPHS):
            if last not in opening:
                break
            if _SIGN_OFF.match(opening[last]) or _SIGNATURE.fullmatch(opening[last]):
                while _SIGNATURE.fullmatch(opening.get(last + 1, "")):
                    last += 1
                letters.update(range(_heading_start(opening, first), last + 1))
                break
    return letters


def _heading_start(opening: dict[int, str], salutation: int) -> int:
    """The first paragraph of the letter's heading: the address and date quoted on their own lines
    above the salutation ("Howards End," "Tuesday.")."""
    first = salutation
    while (
        first - 1 in opening
        and salutation - first < _HEADING_LINES
        and len(_WORD.findall(opening[first - 1])) <= _HEADING_WORDS
        and opening[first - 1][-1:] in ",."
    ):
        first -= 1
    return first


def _content(text: str, piece: _Piece) -> str:
    return text[piece.start : piece.end].strip(_DOUBLE_OPEN + _DOUBLE_CLOSE + _SINGLE + _DASHES + " \n")


@dataclass
class _Context:
    """What surrounds a quotation in its paragraph, up to the neighbouring quotations."""

    before: str  # narration before it, right-trimmed
    after: str
    content: str  # without marks or emphasis
    tokens: list[str]
    earlier: bool  # another quotation comes before it in the paragraph
    later: bool


def _context(text: str, paragraph: Paragraph, piece: _Piece, neighbours: list[_Piece]) -> _Context:
    earlier = [p.end for p in neighbours if p.end <= piece.start]
    later = [p.start for p in neighbours if p.start >= piece.end]
    content = _content(text, piece).strip("_*")  # emphasis marks: "_Look!_"
    return _Context(
        before=text[max(earlier, default=paragraph.start) : piece.start].rstrip(),
        after=text[piece.end : min(later, default=paragraph.end)],
        content=content,
        tokens=_WORD.findall(content),
        earlier=bool(earlier),
        later=bool(later),
    )


def _is_speech(context: _Context) -> bool:
    """Speech, or a quoted word, title or scare quote inside narration? See the module docstring."""
    before, content, tokens = context.before, context.content, context.tokens
    if not before.strip("([—–-"):
        return True  # opens the paragraph, or follows another quotation directly
    last_words = [w.lower() for w in _WORD.findall(before[-40:])[-4:]] or [""]
    if _TITLE.fullmatch(content):
        return False
    if last_words[-1] in words("quotes", "naming", "cues") and before[-1].isalnum():
        return len(tokens) >= _LONG and content[:1].isupper()
    if _has_speech_verb(" ".join(w for w in last_words if w not in words("quotes", "naming", "cues"))):
        return True  # 'said he; "...' / 'muttered beneath her breath "..."' (but not 'called it "...")
    if before[-1] in ",:;" and (content[:1].isupper() or context.earlier):
        return True  # '..., "Come in."' or the second piece of '"Fenna," he said, "you left..."'
    tagged = not content.endswith(".") and _tagged_after(context.after)  # '"Hi." She said' is a new sentence
    if before[-1] in ",:;" and not tagged:
        return False
    if tagged or len(tokens) >= _LONG:
        return True
    return before[-1] in ".!?…" and content[:1].isupper() and content[-1:] in ".,!?…-—"


def _features(text: str, paragraphs: list[Paragraph], pieces: list[_Piece]) -> list[dict[str, float]]:
    """Per piece, the cues the speech model weighs; `rule` is the hand-written decision above."""
    letters = _letter_paragraphs(text, paragraphs, pieces)
    found = []
    for n, piece in enumerate(pieces):
        paragraph = paragraphs[piece.paragraph]
        neighbours = [p for p in pieces[max(0, n - 8) : n + 8] if p.paragraph == piece.paragraph]
        context = _context(text, paragraph, piece, neighbours)
        letter = piece.paragraph in letters
        found.append(_cues(context, piece, letter, len(neighbours)))
    return found


def _cues(context: _Context, piece: _Piece, letter: bool, count: int) -> dict[str, float]:
    before, after, content, tokens = context.before, context.after, context.content, context.tokens
    lowered = {t.lower() for t in tokens}
    last_before = before.strip("([—–-")[-1:]
    after_words = _WORD.findall(after)[:4]
    before_words = [w.lower() for w in _WORD.findall(before[-40:])[-4:]]
    share = {
        key: sum(t.lower() in words("quotes", *key.split(".")) for t in tokens) / max(1, len(tokens))
        for key in ("person.speaking", "person.reporting", "tense.present", "tense.past")
    }
    return {
        "rule": float(not letter and (piece.continues or _is_speech(context))),
        "letter": float(letter),
        "opens_paragraph": float(not last_before),
        "log_words": math.log1p(len(tokens)),
        "one_or_two_words": float(len(tokens) <= 2),
        "starts_upper": float(content[:1].isupper()),
        "ends_comma": float(content[-1:] == ","),
        "ends_stop": float(content[-1:] in ".;"),
        "ends_exclaim_ask": float(content[-1:] in "!?"),
        "ends_dash": float(content[-1:] in "-—–"),
        "ends_bare": float(content[-1:].isalnum()),
        "after_colon_comma": float(bool(last_before) and last_before in ",:;"),
        "after_sentence_end": float(bool(last_before) and last_before in ".!?…"),
        "after_word": float(last_before.isalnum()),
        "after_dash": float(before.endswith(("-", "—", "–"))),
        "verb_before": float(_has_speech_verb(" ".join(before_words))),
        SAID_RIGHT_BEFORE: float(
            last_before.isalpha()
            and _has_speech_verb(" ".join(before_words[-1:]))
            and before_words[-1] not in words("quotes", "naming", "cues")
            and not _TITLE.fullmatch(content)  # 'read "Rain"'
        ),
        "verb_after": float(_has_speech_verb(" ".join(after_words))),
        "cue_before": float(bool(before_words) and before_words[-1] in words("quotes", "naming", "cues")),
        "title": float(bool(_TITLE.fullmatch(content))),
        "after_lower": float(bool(after_words) and after_words[0][:1].islower()),
        "nothing_after": float(not after.strip()),
        "earlier_piece": float(context.earlier),
        "later_piece": float(context.later),
        "pieces_in_paragraph": math.log(count),
        "first_second_person": float(bool(lowered & words("quotes", "person", "speaking"))),
        "third_person_share": share["person.reporting"],
        "first_second_person_share": share["person.speaking"],
        "present_share": share["tense.present"],
        "past_share": share["tense.past"],
        "asks_or_exclaims": float(any(c in content for c in "!?")),
        "inner_quote": float(any(c in content for c in _DOUBLE_OPEN + _DOUBLE_CLOSE + "‘")),
    }


def _tagged_after(after: str) -> bool:
    """Narration right after the quotation reads like a speech tag ("..." she said / said Tom)."""
    return _has_speech_verb(" ".join(_WORD.findall(after)[:4]))


def _has_speech_verb(narration: str) -> bool:
    verbs = words("quotes", "speech", "verbs")
    return any(w.lower() in verbs for w in _WORD.findall(narration))


def spoken_parts(text: str, quote: Quote) -> list[tuple[int, int]]:
    """The speaker's own words: the quotation minus quotations embedded in it and stage directions
    in parentheses ("I think (turning to Ann) you are right"). PDNC annotates these parts."""
    cuts = sorted(_embedded_quotations(text, quote) + _stage_directions(text, quote))
    parts = []
    position = quote.start
    for start, end in cuts:
        if start >= position:
            parts.append((position, start))
            position = end
    parts.append((position, quote.end))
    return [
        (start + len(text[start:end]) - len(text[start:end].lstrip(" \n,;")), end)
        for start, end in parts
        if any(c.isalnum() for c in text[start:end])
    ]


def _embedded_quotations(text: str, quote: Quote) -> list[tuple[int, int]]:
    """Quotations inside this one, marked the other way ('single' inside "double" and vice versa)."""
    single = text[quote.start] not in _SINGLE
    end = quote.end - 1 if text[quote.end - 1] in _DOUBLE_CLOSE + _SINGLE else quote.end
    found = []
    position = quote.start + 1
    while (start := _next_opener(text, position, end, single)) is not None:
        close = (_single_closer if single else _double_closer)(text, start + 1, end)
        if close is None:
            break
        # Cut out quoted speech, not a cited word; nor one that ends the quotation ("He said 'No.'").
        speech = len(_WORD.findall(text, start, close)) >= _LONG
        if speech and any(c.isalnum() for c in text[close + 1 : end]):
            found.append((start, close + 1))
        position = close + 1
    return found


def _stage_directions(text: str, quote: Quote) -> list[tuple[int, int]]:
    """Narration in parentheses inside speech: "(smiling)", "(with a bow)", "(to Mrs. Bates,)"."""
    return [m.span() for m in _STAGE_DIRECTION.finditer(text, quote.start, quote.end)]


def quotes(story: Story) -> dict[str, list[Quote]]:
    return {"quotes": find_quotes(story)}


STAGE = Stage("quotes", requires=("text", "paragraphs"), assigns=("quotes",), compute=quotes)
