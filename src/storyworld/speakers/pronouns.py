"""Who a subject pronoun ("he said") refers to: the cast's own resolution, else a salience guess."""

from __future__ import annotations

from collections import Counter

from storyworld.lexicon import words
from storyworld.speakers.context import Context

LOOKBACK = 1500  # characters of narration searched for an antecedent
# When the cast's own resolution is ruled out (it is whom the line addresses), its chain of pronouns went
# astray: the antecedent is whoever the longer stretch of narration is about ('"...Iruka..." he managed')
VETOED_LOOKBACK = 6000
DISTANCE_SCALE = 100  # characters over which a mention's weight halves
ROLE_WEIGHT = {"nsubj": 2.0, "nsubjpass": 1.5, "poss": 0.5}
PRESENT_BONUS = 0.25  # a character who already spoke in this conversation
EXPECTED_BONUS = 1.0  # the character turn-taking expects to speak now
AVOIDED_FACTOR = 0.3  # the previous speaker or someone addressed in the line itself
PRIOR_WEIGHT = 0.5  # how much a character's share of all mentions counts (protagonists are "she" most)


def pronoun_gender(word: str) -> str | None:
    word = word.lower()
    for gender in ("male", "female"):
        if word in words("speech", "pronouns", gender):
            return gender
    return None


def resolve(
    ctx: Context, start: int, expected: str | None = None, avoid: frozenset[str | None] = frozenset(),
    present: tuple[str, ...] = (), never: frozenset[str] = frozenset(),
) -> str | None:
    """The character a third-person pronoun at `start` refers to.

    The cast's own pronoun mention wins unless it is one of `never` (whom the line itself addresses by
    name). Otherwise each character of the pronoun's gender scores by its recent narration mentions
    (subjects count most, nearer ones more), its share of the whole story's mentions, whether it already
    spoke in this conversation (`present`), and whether turn-taking expects it (`expected`) or makes it
    unlikely (`avoid`); none of `never` is chosen.
    """
    given = ctx.index.pronouns.get(start)
    if given is not None and given.character not in never:
        return given.character
    token = ctx.token_at(start)
    if token is not None and token.lower_ == "i":
        return ctx.narrator
    gender = pronoun_gender(token.text) if token is not None else None
    if gender is None:
        return None
    lookback = VETOED_LOOKBACK if given is not None else LOOKBACK
    scores = salience(ctx, start, gender, expected, avoid, present, lookback)
    for character in never:
        scores.pop(character, None)
    best = max(scores.items(), key=lambda item: item[1], default=None)
    return best[0] if best and best[1] > 0 else None


def salient(
    ctx: Context, start: int, gender: str | None = None, expected: str | None = None,
    avoid: frozenset[str | None] = frozenset(), present: tuple[str, ...] = (),
    never: frozenset[str] = frozenset(),
) -> str | None:
    """The most salient character at `start` (of `gender`, if given) but none of `never`, scored as `resolve`
    describes."""
    scores = salience(ctx, start, gender, expected, avoid, present)
    for character in never:
        scores.pop(character, None)
    best = max(scores.items(), key=lambda item: item[1], default=None)
    return best[0] if best and best[1] > 0 else None


def salience(
    ctx: Context, start: int, gender: str | None = None, expected: str | None = None,
    avoid: frozenset[str | None] = frozenset(), present: tuple[str, ...] = (), lookback: int = LOOKBACK,
) -> Counter[str]:
    """Every fitting character's salience at `start` (see `resolve`), from the narration `lookback`
    characters back, within the scene."""
    scores: Counter[str] = Counter()
    for ref in ctx.index.narration_before(start, max(start - lookback, ctx.scene_start(start))):
        fit = gender_fit(ctx, ref.character, gender)
        if fit:
            role = ctx.token_at(ref.end - 1).dep_
            decay = 1.0 + (start - ref.start) / DISTANCE_SCALE
            scores[ref.character] += fit * ROLE_WEIGHT.get(role, 1.0) / decay
    for character, share in ctx.index.share.items():
        if scores[character] or share > 0.1:
            scores[character] += PRIOR_WEIGHT * share * gender_fit(ctx, character, gender)
    for character in dict.fromkeys(present):  # in order: a tie in `max` must not depend on hashing
        scores[character] += PRESENT_BONUS * gender_fit(ctx, character, gender)
    if expected is not None and gender_fit(ctx, expected, gender):
        scores[expected] += EXPECTED_BONUS
    for character in avoid:
        if character in scores:
            scores[character] *= AVOIDED_FACTOR
    return scores


def gender_fit(ctx: Context, character: str, gender: str | None) -> float:
    if gender is None:
        return 1.0
    known = ctx.index.gender.get(character, "unknown")
    return 1.0 if known == gender else 0.5 if known in ("unknown", "nonbinary") else 0.0
