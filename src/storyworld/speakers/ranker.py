"""A learned second opinion on each turn's speaker: candidates from the turn's surroundings, ranked.

For every dialogue turn the candidates are the sieve's own choice, the speakers of nearby turns, the
characters addressed around it, those mentioned in the narration of the turn's paragraph, the three
before it and the one after, the most salient characters, and the conversation's scene: everyone who
spoke or was addressed by name in it and those named in its narration and the 3,000 characters before it.
Each (turn, candidate) pair gets the features below; a conditional logit (softmax over the turn's
candidates, weights in data/speaker_ranker.json, trained by scripts/train_speaker_ranker.py on PDNC with
novels held out) ranks them, then a second pass, whose score adds a layer of tanh units to its linear
one and whose probabilities are averaged with boosted trees', ranks them again reading the first pass's
choices for the neighbouring turns; the chosen candidate's probability, mapped through the held-out
accuracy of its probability bin (the artifact's calibration table), is the verdict's confidence.
"""

from __future__ import annotations

import json
import math
import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib.resources import files

import numpy as np

from storyworld.model import Paragraph
from storyworld.speakers.context import Context
from storyworld.speakers.pronouns import gender_fit, pronoun_gender, resolve, salience
from storyworld.speakers.tags import OBJECTS, acts
from storyworld.speakers.turns import Turn

SIEVE_STEPS = ("explicit", "anaphoric", "implicit", "vocative-next", "turn-taking", "fallback")
BASE_FEATURES = (
    *(f"sieve:{step}" for step in SIEVE_STEPS),
    "sieve:lone-quote",
    "tag-subject", "tag-gender-fit", "tag-gender-clash", "tag-first-person",
    "paragraph-names", "paragraph-epithets", "paragraph-pronouns",
    "paragraph-subject", "paragraph-first-subject", "beat-after-quote", "paragraph-object", "named-in-quote",
    "near-before", "near-after",
    "previous-paragraph-1", "previous-paragraph-2", "previous-paragraph-3", "next-paragraph",
    "vocative-here", "addressed-before", "addressed-after",
    "spoke-1-back", "spoke-2-back", "spoke-3-back", "spoke-1-ahead", "spoke-2-ahead",
    "conversation-share", "salience", "salience-top", "story-share", "narrator",
    "tag-referent", "tag-last-fitting-subject", "tag-fit-spoke-1-back", "tag-fit-spoke-2-back",
    "tag-fit-addressed-before", "last-subject", "addressed-across-narration",
    # conjunctions a linear score cannot form, and the shape of the exchange so far
    "alternation-unaddressed", "addressed-before-untagged", "addressed-before-spoke-2-back",
    "spoke-2-and-4-back", "exchange-first", "exchange-second", "exchange-share-so-far", "parity-share",
    "other-of-pair", "tag-fit-other-of-pair",
    # who a line is spoken to, by address forms ("sir", "my dear girl") and by the narration's listeners
    "address-fit-here", "address-fit-before", "address-fit-after", "listener",
    "spoke-1-back-after-question", "spoke-1-back-long",
    # the wider scene: characters named around the conversation or addressed anywhere in it
    "conversation-narration", "conversation-vocative", "scene-pronoun-subjects",
    # who has called the line's addressees by these names before ("Kacchan")
    "address-habit",
)
# Turns tagged "he"/"she" and turns with no tag weigh the same evidence differently: every feature again
# for each of those kinds of turn (zero in the others).
TURN_KINDS = ("pronoun-tag", "untagged")
FEATURES = (*BASE_FEATURES, *(f"{kind}:{name}" for kind in TURN_KINDS for name in BASE_FEATURES))
# The second pass reads the first pass's probabilities for the neighbouring turns instead of the sieve's
# speakers (stacking: trained on first-pass probabilities of novels the first pass never saw).
NEIGHBOUR_FEATURES = (
    "ranked-1-back", "ranked-2-back", "ranked-3-back", "ranked-1-ahead", "ranked-2-ahead",
    "ranked-alternation-back", "ranked-alternation-ahead", "ranked-between", "ranked-exchange-share",
    "first-pass",
)
STACKED_FEATURES = (*FEATURES, *NEIGHBOUR_FEATURES, *(f"untagged:{name}" for name in NEIGHBOUR_FEATURES))
NEAR_SCALE = 200.0  # characters over which the pull of a nearby narration mention fades
SALIENCE_TOP = 3  # most salient characters that become candidates
SUBJECT_LOOKBACK = 1500  # characters of narration searched for the last subject before a turn
SCENE_LOOKBACK = 3000  # characters before a conversation whose named characters may speak in it
LONG_TURN = 600  # characters of speech at which a turn counts as a long speech (the speaker may go on)
# Address forms by the gender of the one addressed: a line saying "sir" is spoken to a man.
ADDRESS_FORMS = {
    "male": ("sir", "my lord", "papa", "father", "uncle", "my boy", "my son", "brother", "my good man",
             "my dear fellow", "old fellow", "old man", "old chap", "master", "mister", "my dear sir",
             "dad", "daddy", "pa", "grandad", "granddad", "grandpa", "grandfather", "son", "bro", "dude"),
    "female": ("madam", "ma'am", "miss", "my lady", "mamma", "mama", "mother", "aunt", "my girl",
               "my dear girl", "sister", "my dear madam", "my love", "my dear child",
               "mum", "mom", "mummy", "mommy", "ma", "auntie", "grandma", "granny", "nan", "grandmother",
               "sis", "girl"),
}
_ADDRESS = {gender: re.compile(r"(?:^|[,!?.;:—-])\s*(?:" + "|".join(re.escape(f) for f in forms)
                                + r")\s*(?:[,!?.;:—-]|$)", re.IGNORECASE)
            for gender, forms in ADDRESS_FORMS.items()}


@dataclass
class Hidden:
    """A hidden layer added to a linear score: sum_h out[h] * tanh(x . weights[:, h] + bias[h]) forms the
    conjunctions a linear score cannot ("spoke two turns back" counts for more when the turn is short)."""

    weights: list[list[float]]  # features x units
    bias: list[float]
    out: list[float]

    @cached_property
    def _arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return np.asarray(self.weights), np.asarray(self.bias), np.asarray(self.out)

    def score(self, x: np.ndarray) -> np.ndarray:
        weights, bias, out = self._arrays  # converted once, not for every turn
        return np.tanh(x @ weights + bias) @ out


@dataclass
class Forest:
    """Regression trees whose leaf values add up to a score (boosted by LightGBM at training time, read
    here with numpy alone). The nodes of all trees in flat lists: a node splits on `feature` (-1 at a
    leaf), going to `left` when the value is <= `threshold`, else to `right`; a leaf scores `value`;
    `roots` start the trees."""

    feature: list[int]
    threshold: list[float]
    left: list[int]
    right: list[int]
    value: list[float]
    roots: list[int]

    @cached_property
    def _arrays(self) -> tuple[np.ndarray, ...]:
        return (np.asarray(self.feature), np.asarray(self.threshold), np.asarray(self.left),
                np.asarray(self.right), np.asarray(self.value), np.asarray(self.roots))

    def score(self, x: np.ndarray) -> np.ndarray:
        feature, threshold, left, right, value, roots = self._arrays
        node = np.broadcast_to(roots, (len(x), len(roots))).copy()  # rows x trees
        rows = np.arange(len(x))[:, None]
        inner = feature[node] >= 0
        while inner.any():  # every row of every tree one level down per step
            split = feature[node]
            goes_left = x[rows, np.maximum(split, 0)] <= threshold[node]
            node = np.where(inner, np.where(goes_left, left[node], right[node]), node)
            inner = feature[node] >= 0
        return value[node].sum(axis=1)


@dataclass
class Ranker:
    weights: list[float]
    keep_explicit: bool = False  # the sieve's tags with a name stand; the ranker only gives their confidence
    # cast ("own" or "given") -> (probability bin, accuracy): a given cast makes choices surer
    calibration: dict[str, list[tuple[float, float]]] = field(default_factory=dict)
    stacked: list[float] | None = None  # second-pass weights (STACKED_FEATURES); the calibration is theirs
    stacked_hidden: Hidden | None = None  # the second pass's hidden layer (the first pass is linear)
    # boosted trees over the second pass's features: their probabilities and the weights' are averaged
    stacked_forest: Forest | None = None

    def confidence(self, probability: float, given_cast: bool) -> float:
        """How often a choice this probable was right on novels the weights never saw."""
        return confidence_of(self.calibration["given" if given_cast else "own"], probability)

    @classmethod
    def load(cls) -> Ranker | None:
        return _packaged()

    @cached_property
    def _vectors(self) -> tuple[np.ndarray, np.ndarray | None]:
        """The two passes' weights as arrays, converted once."""
        return np.asarray(self.weights), None if self.stacked is None else np.asarray(self.stacked)

    def rank(self, candidates: dict[str, list[float]], second: bool = False) -> list[tuple[str, float]]:
        """Candidates with their probabilities, most probable first (by the first pass, or the second)."""
        first, stacked = self._vectors
        weights, hidden = (stacked, self.stacked_hidden) if second else (first, None)
        x = np.array(list(candidates.values()), dtype=float)
        probability = softmax(x @ weights + (hidden.score(x) if hidden is not None else 0.0))
        if second and self.stacked_forest is not None:
            probability = (probability + softmax(self.stacked_forest.score(x))) / 2
        return sorted(zip(candidates, probability.tolist(), strict=True), key=lambda item: -item[1])


def softmax(scores: np.ndarray) -> np.ndarray:
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()


@cache
def _packaged() -> Ranker | None:
    path = files("storyworld") / "data" / "speaker_ranker.json"
    if not path.is_file():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    if tuple(data["features"]) != FEATURES or tuple(data.get("stacked_features", ())) != STACKED_FEATURES:
        return None  # a stale artifact: rather the sieve alone than wrong weights
    tables = {cast: [(low, accuracy) for low, accuracy in rows] for cast, rows in data["calibration"].items()}
    hidden = Hidden(**data["stacked_hidden"]) if data.get("stacked_hidden") else None
    forest = Forest(**data["stacked_forest"]) if data.get("stacked_forest") else None
    return Ranker(data["weights"], data["keep_explicit"], tables, data["stacked_weights"], hidden, forest)


def confidence_of(calibration: list[tuple[float, float]], probability: float) -> float:
    """The accuracy of the highest calibration bin whose lower bound `probability` reaches."""
    found = probability
    for low, accuracy in calibration:
        if probability >= low:
            found = accuracy
    return found


class Surroundings:
    """What the features read beyond the Context: paragraphs by position, pronoun mentions in order, and
    (given the conversations) who has called whom by which name in tagged lines."""

    def __init__(
        self, ctx: Context, paragraphs: list[Paragraph], grouped: list[list[Turn]] | None = None,
    ) -> None:
        self.ctx = ctx
        # (addressee, the name it is called by) -> (where, who) of each tagged line that called it so:
        # "Kacchan" is what one character calls another
        self.habits: dict[tuple[str, str], list[tuple[int, str]]] = {}
        for turn in (t for conversation in grouped or [] for t in conversation):
            if turn.how in ("explicit", "anaphoric") and turn.speaker is not None:
                for form in vocative_forms(ctx, turn):
                    self.habits.setdefault(form, []).append((turn.quotes[0].start, turn.speaker))
        self.paragraphs = paragraphs
        self.starts = [p.start for p in paragraphs]
        self.pronoun_refs = sorted(ctx.index.pronouns.values(), key=lambda r: r.start)
        self.pronoun_starts = [r.start for r in self.pronoun_refs]
        self.first_seen: dict[str, int] = {}
        for ref in [*ctx.index.naming, *self.pronoun_refs]:
            self.first_seen[ref.character] = min(ref.start, self.first_seen.get(ref.character, ref.start))
        self._scenes: dict[tuple[int, int], tuple[Counter[str], Counter[str]]] = {}

    def habit(self, turn: Turn) -> Counter[str]:
        """Who, in the tagged lines before `turn`, called its addressees by the names it calls them."""
        start = turn.quotes[0].start
        return Counter(who for form in vocative_forms(self.ctx, turn) for at, who in self.habits.get(form, [])
                       if at < start)

    def scene(self, conversation: list[Turn]) -> tuple[Counter[str], Counter[str]]:
        """Who the narration around a conversation (from its scene's start, at most SCENE_LOOKBACK before
        it, to its end) names, and whose he/she are its subjects (a close-third point of view: named
        less, narrated more). Once per conversation: every turn of it reads the same counts."""
        opening = conversation[0].paragraph.start
        floor = max(opening - SCENE_LOOKBACK, self.ctx.scene_start(opening))
        key = (floor, conversation[-1].last_paragraph.end)
        if key not in self._scenes:
            named = Counter(r.character for r in self.narration(*key))
            told = Counter(r.character for r in self.pronouns(*key) if acts(self.ctx.token_at(r.start)))
            self._scenes[key] = named, told
        return self._scenes[key]

    def number(self, offset: int) -> int:
        return bisect_right(self.starts, offset) - 1

    def narration(self, start: int, end: int) -> list:
        """Naming narration mentions in [start, end), in text order."""
        return self.ctx.index.narration_before(end, start)[::-1]

    def paragraph_narration(self, number: int) -> list:
        if not 0 <= number < len(self.paragraphs):
            return []
        p = self.paragraphs[number]
        return self.narration(p.start, p.end)

    def pronouns(self, start: int, end: int) -> list:
        lo = bisect_right(self.pronoun_starts, start - 1)
        hi = bisect_right(self.pronoun_starts, end - 1)
        return [r for r in self.pronoun_refs[lo:hi] if not self.ctx.mask.inside(r.start)]

    def subjects_before(self, offset: int) -> list[str]:
        """Characters that are clause subjects in the narration before `offset` (names and the cast's
        resolved pronouns), nearest first."""
        floor = max(offset - SUBJECT_LOOKBACK, self.ctx.scene_start(offset))
        refs = [*self.narration(floor, offset), *self.pronouns(floor, offset)]
        refs = [r for r in refs if acts(self.ctx.token_at(r.end - 1))]
        return [r.character for r in sorted(refs, key=lambda r: -r.start)]


def vocative_forms(ctx: Context, turn: Turn) -> set[tuple[str, str]]:
    """(addressee, the words it is called by, lower case) for each name the turn's lines address."""
    return {(r.character, ctx.text[r.start : r.end].lower()) for q in turn.quotes
            for r in ctx.index.naming_in(q.start, q.end) if r.character in turn.vocatives}


def candidates(around: Surroundings, conversation: list[Turn], position: int) -> dict[str, list[float]]:
    """Every candidate speaker of the turn at `position` with its feature vector (FEATURES order)."""
    ctx = around.ctx
    turn = conversation[position]
    paragraph = turn.paragraph
    number = around.number(paragraph.start)
    first = turn.quotes[0]
    last = turn.quotes[-1]
    spoke = [t.speaker for t in conversation]
    back = [spoke[position - k] if position - k >= 0 else None for k in (1, 2, 3, 4)]
    ahead = [spoke[position + k] if position + k < len(spoke) else None for k in (1, 2)]
    before_turn = conversation[position - 1] if position else None
    after_turn = conversation[position + 1] if position + 1 < len(conversation) else None
    addressed_before = set(before_turn.vocatives + (before_turn.cue.addressees if before_turn.cue else [])) \
        if before_turn else set()
    addressed_after = set(after_turn.vocatives) if after_turn else set()
    before_untagged = before_turn is not None and is_untagged(before_turn)
    so_far = Counter(s for s in spoke[:position] if s is not None)
    leaders = [c for c, _ in so_far.most_common(2)]
    same_parity = spoke[position - 2 :: -2] if position >= 2 else []  # the turns an alternation gives it

    here = around.paragraph_narration(number)
    here_pronouns = around.pronouns(paragraph.start, paragraph.end)
    subjects = [r.character for r in here if acts(ctx.token_at(r.end - 1))]
    subjects += [r.character for r in here_pronouns if acts(ctx.token_at(r.start))]
    objects = {r.character for r in here if ctx.token_at(r.end - 1).dep_ in (*OBJECTS, "pobj")}
    quoted = Counter(r.character for q in turn.quotes for r in ctx.index.naming_in(q.start, q.end))
    first_subject = min(
        ((r.start, r.character) for r in [*here, *here_pronouns] if acts(ctx.token_at(r.end - 1))),
        default=(0, None),
    )[1]
    beat_after = _beat_after(ctx, turn, here)
    previous = [Counter(r.character for r in around.paragraph_narration(number - k)) for k in (1, 2, 3)]
    following = Counter(r.character for r in around.paragraph_narration(number + 1))

    addressed_gender = [address_gender(t) for t in (turn, before_turn, after_turn)]
    before_question = before_turn is not None and _spoken(before_turn).rstrip(QUOTE_MARKS).endswith("?")
    before_length = min(1.0, len(_spoken(before_turn)) / LONG_TURN) if before_turn is not None else 0.0

    cue = turn.cue
    tag_gender = None
    first_person = False
    if cue is not None and cue.pronoun is not None:
        token = ctx.token_at(cue.pronoun)
        first_person = token is not None and token.lower_ == "i"
        tag_gender = pronoun_gender(token.text) if token is not None else None
    scores = salience(ctx, first.start, tag_gender)
    pronoun_at = cue.pronoun if cue is not None else None
    # whom the tag's "he" means: the cast's resolution, unless the line calls that one by name
    # ('"Naruto," he muttered' is not Naruto's)
    addressed = frozenset(turn.vocatives)
    tag_referent = resolve(ctx, pronoun_at, never=addressed) if pronoun_at is not None else None
    subjects = around.subjects_before(first.start)
    # "he said": the last man who was a subject of the narration (subject salience, not the nearest mention)
    before_tag = around.subjects_before(pronoun_at) if pronoun_at is not None else subjects
    last_fitting = next((c for c in before_tag if tag_gender and gender_fit(ctx, c, tag_gender) == 1.0
                         and c not in addressed), None)
    top_score = max(scores.values(), default=0.0)
    salient = [c for c, s in scores.most_common(SALIENCE_TOP) if s > 0]
    counted = Counter(s for s in spoke if s is not None)
    scene, told = around.scene(conversation)
    told_total = sum(told.values()) or 1
    scene_vocatives = {c for t in conversation for c in t.vocatives}
    habit = around.habit(turn)
    here_names = {r.character for r in here}

    # (sets sorted: the candidates' order, and so a retraining, does not depend on string hashing)
    pool = [turn.speaker, *back, *ahead, *leaders, *(c for c, _ in counted.most_common(2)),
            *sorted(addressed_before), *sorted(addressed_after), *turn.vocatives,
            *turn.addressed_across, *(r.character for r in here), *(r.character for r in here_pronouns),
            *(c for counts in previous for c in counts), *following, *salient, ctx.narrator,
            *counted, *sorted(scene_vocatives), *scene]
    if cue is not None and cue.speaker is not None:
        pool.append(cue.speaker)
    # Nobody speaks before the story has shown them: a character first mentioned after the next
    # paragraph is no candidate ("who is that?" is answered in the very next paragraph at the latest).
    next_paragraph = min(around.number(turn.last_paragraph.start) + 1, len(around.paragraphs) - 1)
    shown_by = around.paragraphs[next_paragraph].end
    tag_speaker = cue.speaker if cue is not None else None
    pool = [c for c in pool if c is None or c == tag_speaker or around.first_seen.get(c, 0) < shown_by]
    turn_kind = "pronoun-tag" if tag_gender else "untagged" if is_untagged(turn) else None
    found: dict[str, list[float]] = {}
    for c in dict.fromkeys(x for x in pool if x is not None):
        mine_before = [r for r in here if r.character == c and r.end <= first.start]
        mine_after = [r for r in here if r.character == c and r.start >= last.end]
        near_before = math.exp(-(first.start - mine_before[-1].end) / NEAR_SCALE) if mine_before else 0.0
        near_after = math.exp(-(mine_after[0].start - last.end) / NEAR_SCALE) if mine_after else 0.0
        picked = c == turn.speaker
        tagged = cue is not None and cue.speaker == c and cue.kind != "implicit"
        # "said I" fits the narrator as "she said" fits a woman
        fit = gender_fit(ctx, c, tag_gender) if tag_gender else float(first_person and c == ctx.narrator)
        row = [
            *(float(picked and turn.how == step) for step in SIEVE_STEPS),
            float(picked and len(turn.quotes) == 1),
            float(tagged),
            fit,
            float(tag_gender is not None and fit == 0.0),
            float(first_person and c == ctx.narrator),
            math.log1p(sum(1 for r in here if r.character == c and r.kind == "name")),
            math.log1p(sum(1 for r in here if r.character == c and r.kind != "name")),
            math.log1p(sum(1 for r in here_pronouns if r.character == c)),
            float(c in subjects),
            float(c == first_subject),
            float(c == beat_after),
            float(c in objects),
            math.log1p(quoted[c]),
            near_before,
            near_after,
            *(math.log1p(counts[c]) for counts in previous),
            math.log1p(following[c]),
            float(c in turn.vocatives),
            float(c in addressed_before),
            float(c in addressed_after),
            *(float(s == c) for s in back[:3]),
            *(float(s == c) for s in ahead),
            counted[c] / len(spoke),
            scores.get(c, 0.0) / top_score if top_score > 0 else 0.0,
            float(bool(salient) and salient[0] == c),
            ctx.index.share.get(c, 0.0),
            float(c == ctx.narrator),
            float(tag_referent == c),
            float(c == last_fitting),
            fit * float(back[0] == c) if tag_gender else 0.0,
            fit * float(back[1] == c) if tag_gender else 0.0,
            fit * float(c in addressed_before) if tag_gender else 0.0,
            float(bool(subjects) and subjects[0] == c),
            float(c in turn.addressed_across),
            float(back[1] == c and back[0] != c and addressed_before <= {c}),
            float(c in addressed_before and before_untagged),
            float(c in addressed_before and back[1] == c),
            float(back[1] == c and back[3] == c),
            float(bool(leaders) and leaders[0] == c),
            float(len(leaders) > 1 and leaders[1] == c),
            so_far[c] / position if position else 0.0,
            same_parity.count(c) / len(same_parity) if same_parity else 0.0,
            float(len(leaders) > 1 and c in leaders and c != back[0]),
            fit * float(len(leaders) > 1 and c in leaders and c != back[0]) if tag_gender else 0.0,
            *(gender_fit(ctx, c, g) if g else 0.0 for g in addressed_gender),
            float(c in turn.listeners),
            float(back[0] == c and before_question),
            before_length * float(back[0] == c),
            math.log1p(scene[c]),
            float(c in scene_vocatives),
            told[c] / told_total,
            # (only for who is in the conversation or this paragraph: an absent habit says nothing)
            math.log1p(habit[c]) * float(counted[c] > 0 or c in subjects or c in here_names),
        ]
        found[c] = row + [x * (kind == turn_kind) for kind in TURN_KINDS for x in row]
    return found


QUOTE_MARKS = "\"'”’» "
SENTENCE_MARKS = frozenset(".!?\"“”")


def _beat_after(ctx: Context, turn: Turn, here: list) -> str | None:
    """Who a paragraph that opens with the line goes on to show acting, by name or description, in the
    sentence right after it ('"Harry, dear, plates!" Mrs. Weasley pushed a stack into his arms'):
    the fan-fiction beat. On PDNC a name there is the speaker 84% of the time (99 lines), action beats at
    large 64%."""
    first = turn.quotes[0]
    if first.start > turn.paragraph.start + 1 or not is_untagged(turn):
        return None  # (a tag's subject is a feature of its own)
    for r in here:
        if r.start >= first.end and acts(ctx.token_at(r.end - 1)):
            between = ctx.text[first.end : r.start]
            return None if set(between) & SENTENCE_MARKS else r.character
    return None


def _spoken(turn: Turn) -> str:
    return " ".join(q.text for q in turn.quotes + turn.continued)


def address_gender(turn: Turn | None) -> str | None:
    """The gender an address form in the turn's speech points to ("Yes, sir." -> male), if just one."""
    if turn is None:
        return None
    text = " ".join(q.text.strip(QUOTE_MARKS) for q in turn.quotes + turn.continued)
    found = [gender for gender, pattern in _ADDRESS.items() if pattern.search(text)]
    return found[0] if len(found) == 1 else None


def is_untagged(turn: Turn) -> bool:
    """No speech tag with a name or a pronoun (an action beat at most)."""
    cue = turn.cue
    return cue is None or cue.kind == "implicit" or (cue.speaker is None and cue.pronoun is None)


def stacked(row: list[float], first: list[dict[str, float]], position: int, candidate: str,
            untagged: bool) -> list[float]:
    """A candidate's first-pass features followed by NEIGHBOUR_FEATURES (then their copy for untagged
    turns): `first` holds every turn's first-pass probabilities in the conversation."""
    def ranked(k: int) -> float:
        i = position + k
        return first[i].get(candidate, 0.0) if 0 <= i < len(first) else 0.0

    others = len(first) - 1
    share = (sum(p.get(candidate, 0.0) for p in first) - ranked(0)) / others if others else 0.0
    extra = [
        ranked(-1), ranked(-2), ranked(-3), ranked(1), ranked(2),
        ranked(-2) * (1 - ranked(-1)), ranked(2) * (1 - ranked(1)), ranked(-1) * ranked(1), share, ranked(0),
    ]
    return [*row, *extra, *(x * untagged for x in extra)]


def rerank(
    ranker: Ranker, ctx: Context, paragraphs: list[Paragraph], grouped: list[list[Turn]], given_cast: bool,
) -> None:
    """Give every turn the ranker's speaker and its calibrated confidence (`turn.ranker_confidence`).

    Features read the sieve's speakers of neighbouring turns, so every turn is ranked before any changes;
    the second pass then reads the first pass's probabilities for the neighbours.
    """
    around = Surroundings(ctx, paragraphs, grouped)
    verdicts = []
    for conversation in grouped:
        rows = [candidates(around, conversation, position) for position in range(len(conversation))]
        first = [dict(ranker.rank(found)) if found else {} for found in rows]
        for position, (turn, found) in enumerate(zip(conversation, rows, strict=True)):
            if ranker.stacked is not None and found:
                found = {c: stacked(row, first, position, c, is_untagged(turn)) for c, row in found.items()}
                ranked = ranker.rank(found, second=True)
            else:
                ranked = sorted(first[position].items(), key=lambda item: -item[1])
            if ranker.keep_explicit and turn.how == "explicit":
                ranked = [r for r in ranked if r[0] == turn.speaker]
            verdicts.append((turn, ranked[0] if ranked else None))
    for turn, best in verdicts:
        if best is None:
            continue
        speaker, probability = best
        if speaker != turn.speaker:
            turn.speaker, turn.how = speaker, "ranked"
        turn.ranker_confidence = ranker.confidence(probability, given_cast)
