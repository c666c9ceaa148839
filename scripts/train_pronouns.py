"""Train the pronoun scorer (src/storyworld/cast/pronouns.py) on LitBank, scored with documents held out.

Every excerpt is parsed once up to the mentions. The cast stage then runs with a model that records,
for each he/she/him/her/his, its candidates and their features; a candidate is right when its
names and descriptions align (same end offset) mostly with the gold chain of the pronoun. A
conditional logit (softmax over the candidates of one pronoun, L2) is fitted with numpy. Held-out
score: five folds by document, each fold's model run through the cast stage on its own documents and
scored by storyworld.evaluate.pronouns. The final weights, fitted on every excerpt, are written to
src/storyworld/data/pronoun_weights.json.

    python scripts/train_pronouns.py [--limit N] [--rounds 1] [--dry-run]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from unittest import mock

import numpy as np

from storyworld.cast.pronouns import Candidate, PronounModel, features, pronoun_model
from storyworld.evaluate.cast import SHARED, STAGES
from storyworld.evaluate.pronouns import PRONOUNS, PronounScore, score_pronouns
from storyworld.ingest import from_string
from storyworld.model import Story
from storyworld.pipeline import run
from storyworld.stages import cast

OUT = Path(__file__).resolve().parents[1] / "src/storyworld/data/pronoun_weights.json"
FOLDS = 5
L2 = 0.01
STEPS = 800
RATE = 1.0


class Recorder(PronounModel):
    """Chooses as the given weights do, and keeps every pronoun's candidates."""

    def __init__(self, weights: dict[str, float]) -> None:
        super().__init__(weights)
        self.seen: list[tuple[int, list[Candidate], list[dict[str, float]]]] = []

    def choose(self, pronoun, candidates):  # type: ignore[no-untyped-def]
        self.seen.append((pronoun.mention.end, candidates, [features(pronoun, c) for c in candidates]))
        return super().choose(pronoun, candidates)


def _cast_with(story: Story, model: PronounModel) -> list:
    with mock.patch("storyworld.cast.resolve.pronoun_model", return_value=model):
        return cast.build_cast(story)


def _examples(record: dict, story: Story, weights: dict[str, float]) -> list[tuple[list[dict], int]]:
    """(candidate features, index of the right one) for each gold pronoun with a right candidate."""
    recorder = Recorder(weights)
    _cast_with(story, recorder)
    gold_by_end: dict[int, str] = {}
    pronoun_chain: dict[int, str] = {}
    for m in record["mentions"]:
        if not m.get("entities") or m.get("ner", "PER") != "PER":
            continue
        if m.get("kind") in ("PROP", "NOM"):
            gold_by_end[m["end"]] = m["entities"][0]
        elif m.get("kind") == "PRON" and m["text"].lower() in PRONOUNS:
            pronoun_chain[m["end"]] = m["entities"][0]
    examples = []
    for end, candidates, values in recorder.seen:
        chain = pronoun_chain.get(end)
        if chain is None:
            continue
        chains = [_chain_of(c, gold_by_end) for c in candidates]
        right = [i for i, c in enumerate(chains) if c == chain]
        if right:
            examples.append((values, right[0]))
    return examples


def _chain_of(candidate: Candidate, gold_by_end: dict[int, str]) -> str | None:
    votes = Counter(
        gold_by_end[f.mention.end]
        for f in candidate.entity.mentions
        if f.kind != "pronoun" and f.mention.end in gold_by_end
    )
    return votes.most_common(1)[0][0] if votes else None


def fit(examples: list[tuple[list[dict], int]], names: list[str]) -> dict[str, float]:
    """Softmax over each pronoun's candidates, by full-batch gradient descent with L2 (features scaled
    to at most 1 while fitting)."""
    rows = [
        (k, [v[n] for n in names], i == right)
        for k, (values, right) in enumerate(examples)
        for i, v in enumerate(values)
    ]
    group = np.array([k for k, _, _ in rows])
    x = np.array([r for _, r, _ in rows])
    y = np.array([float(ok) for _, _, ok in rows])
    scale = np.maximum(np.abs(x).max(axis=0), 1.0)
    x = x / scale
    starts = np.flatnonzero(np.r_[True, group[1:] != group[:-1]])
    w = np.zeros(len(names))
    for _ in range(STEPS):
        z = x @ w
        e = np.exp(z - np.maximum.reduceat(z, starts)[group])
        p = e / np.add.reduceat(e, starts)[group]
        w -= RATE * (x.T @ (p - y) / len(examples) + L2 * w)
    return {n: round(float(v), 4) for n, v in zip(names, w / scale, strict=True)}


def _score(records: list[dict], stories: list[Story], model: PronounModel) -> PronounScore:
    total = PronounScore()
    for record, story in zip(records, stories, strict=True):
        total += score_pronouns(record, _cast_with(story, model))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--litbank", default=str(SHARED / "corpora/litbank/litbank-dev.jsonl"))
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--rounds", type=int, default=1, help="fits, each recorded with the last weights")
    parser.add_argument("--dry-run", action="store_true", help="do not write the weights")
    args = parser.parse_args()
    lines = Path(args.litbank).read_text(encoding="utf-8").splitlines()[: args.limit]
    records = [json.loads(line) for line in lines]
    stories = [run(from_string(r["text"]), STAGES[:-1]) for r in records]
    start = dict(pronoun_model().weights)
    print(f"packaged weights: {_score(records, stories, PronounModel(start))}")
    names = sorted(features_names(records, stories, start))
    folds = [list(range(k, len(records), FOLDS)) for k in range(FOLDS)]
    held_out = PronounScore()
    for fold in folds:
        train = [i for i in range(len(records)) if i not in fold]
        weights = start
        for _ in range(args.rounds):  # record again with the new weights: the history they make
            examples = [e for i in train for e in _examples(records[i], stories[i], weights)]
            weights = fit(examples, names)
        held_out += _score([records[i] for i in fold], [stories[i] for i in fold], PronounModel(weights))
    print(f"held out ({FOLDS} folds by document): {held_out} accuracy {held_out.accuracy:.3f}")
    weights = start
    for _ in range(args.rounds):
        examples = [e for i in range(len(records)) for e in _examples(records[i], stories[i], weights)]
        weights = fit(examples, names)
    final = _score(records, stories, PronounModel(weights))
    print(f"all documents, in sample: {final} accuracy {final.accuracy:.3f}")
    print(json.dumps(weights, indent=1))
    if not args.dry_run:
        note = (
            f"trained by scripts/train_pronouns.py on {len(records)} LitBank excerpts; held out "
            f"({FOLDS} folds by document) {held_out.right}/{held_out.scored} = {held_out.accuracy:.3f}"
        )
        OUT.write_text(json.dumps({"note": note, "weights": weights}, indent=1) + "\n", encoding="utf-8")


def features_names(records: list[dict], stories: list[Story], weights: dict[str, float]) -> set[str]:
    """Every feature name the candidates of the first document carry."""
    recorder = Recorder(weights)
    for story in stories[:3]:
        _cast_with(story, recorder)
    return {name for _, _, values in recorder.seen for v in values for name in v}


if __name__ == "__main__":
    main()
