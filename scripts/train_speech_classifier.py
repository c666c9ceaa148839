"""Learn the quotes stage's speech model (speech vs titles, letters, cited words); report it held out.

    python scripts/train_speech_classifier.py ../shared/corpora [--out FILE] [--no-write]

Every quotation the quotes stage finds in PDNC and LitBank (../shared/corpora only, never the seeds)
is one example: its cues (`speech_features`) and whether its spoken parts overlap a gold piece.
A logistic regression (plain numpy, L2, Newton steps) is fitted on them. Held out: each PDNC novel
is scored (exact spans, evaluate/quotes.py) with a model fitted on the other novels and LitBank,
and LitBank with a model fitted on PDNC alone; the hand-written rule is scored alongside. The model
fitted on everything is written to src/storyworld/data/speech_classifier.json.
"""

from __future__ import annotations

import argparse
import json
from bisect import bisect_left
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from storyworld.evaluate.gold import GoldDocument, content_span, load_jsonl, load_pdnc
from storyworld.evaluate.quotes import QuoteScore, score_quotes
from storyworld.ingest import from_string
from storyworld.model import Story
from storyworld.speech_model import SpeechModel
from storyworld.stages.quotes import SAID_RIGHT_BEFORE, find_quotes, speech_features, spoken_parts
from storyworld.stages.segment import find_paragraphs

OUT = Path(__file__).resolve().parents[1] / "src" / "storyworld" / "data" / "speech_classifier.json"
L2 = 1.0  # penalty on the standardised weights
LITBANK_WEIGHT = 1.0  # LitBank excerpts are short: each of their examples counts this much


@dataclass
class Example:
    document: GoldDocument
    story: Story
    features: np.ndarray  # one row per quotation found
    labels: np.ndarray  # 1: overlaps a gold piece


def prepare(document: GoldDocument, names: list[str], kept: np.ndarray) -> Example:
    story = from_string(document.text)
    story.paragraphs = find_paragraphs(document.text)
    rows = speech_features(story)
    gold = sorted((g.content_start, g.content_end) for g in document.quotes)
    starts = [s for s, _ in gold]
    labels = []
    for quote in find_quotes(story, rule_model(names)):  # every quotation, whatever the shipped model says
        parts = [content_span(document.text, s, e) for s, e in spoken_parts(document.text, quote)]
        labels.append(any(_overlaps(span, gold, starts) for span in parts))
    matrix = np.array([[row[n] for n in names] for row in rows], dtype=float).reshape(len(rows), len(names))
    return Example(document, story, matrix * kept, np.array(labels, dtype=float))


def feature_names() -> list[str]:
    """The cues the quotes stage computes, read off a two-line story."""
    text = '"Come in," she said.\n'
    story = from_string(text)
    story.paragraphs = find_paragraphs(text)
    return [name for name in speech_features(story)[0] if name != SAID_RIGHT_BEFORE]


def _overlaps(span: tuple[int, int], gold: list[tuple[int, int]], starts: list[int]) -> bool:
    start, end = span
    i = bisect_left(starts, end)
    return any(gold[j][1] > start for j in range(max(0, i - 50), i))


def fit(examples: list[Example], names: list[str], weights: list[float]) -> SpeechModel:
    """L2 logistic regression by Newton steps on standardised features, folded back to raw ones."""
    x = np.vstack([e.features for e in examples])
    y = np.concatenate([e.labels for e in examples])
    w_rows = np.concatenate([np.full(len(e.labels), w) for e, w in zip(examples, weights, strict=True)])
    mean, std = x.mean(axis=0), x.std(axis=0)
    std[std == 0] = 1.0
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], L2)
    penalty[-1] = 0.0
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ beta, -30, 30)))
        gradient = z.T @ (w_rows * (p - y)) + penalty * beta
        hessian = (z * (w_rows * p * (1 - p))[:, None]).T @ z + np.diag(penalty)
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if np.abs(step).max() < 1e-8:
            break
    raw = beta[:-1] / std
    bias = beta[-1] - float(raw @ mean)
    return SpeechModel(tuple(names), tuple(float(w) for w in raw), float(bias))


def rule_model(names: list[str]) -> SpeechModel:
    return SpeechModel(tuple(names), tuple(1.0 if n == "rule" else 0.0 for n in names), -0.5)


def score(example: Example, model: SpeechModel) -> QuoteScore:
    return score_quotes(find_quotes(example.story, model), example.document.quotes, example.document.text)


def _row(name: str, rule: QuoteScore, learned: QuoteScore) -> str:
    return (
        f"{name[-28:]:<28} {rule.recall:6.3f} {rule.precision:6.3f} {rule.f1:6.3f}"
        f"   {learned.recall:6.3f} {learned.precision:6.3f} {learned.f1:6.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpora", help="the folder holding pdnc/ and litbank/")
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--no-write", action="store_true", help="report only")
    parser.add_argument("--drop", nargs="*", default=[], help="features to leave out (weight 0)")
    args = parser.parse_args(argv)
    corpora = Path(args.corpora)
    names = feature_names()
    kept = np.array([n not in args.drop for n in names], dtype=float)
    novels = [prepare(d, names, kept) for d in load_pdnc(corpora / "pdnc")]
    excerpts = [prepare(d, names, kept) for d in load_jsonl(corpora / "litbank" / "litbank-dev.jsonl")]
    rule = rule_model(names)
    print(f"{'held out':<28} {'rule R':>6} {'P':>6} {'F1':>6}   {'model R':>6} {'P':>6} {'F1':>6}")
    totals = [QuoteScore(0, 0, 0, 0, 0), QuoteScore(0, 0, 0, 0, 0)]
    for held in novels:
        train = [n for n in novels if n is not held] + excerpts
        model = fit(train, names, [1.0] * (len(novels) - 1) + [LITBANK_WEIGHT] * len(excerpts))
        scores = score(held, rule), score(held, model)
        totals = [t + s for t, s in zip(totals, scores, strict=True)]
        print(_row(held.document.id, *scores))
    print(_row("PDNC TOTAL", *totals))
    pdnc_only = fit(novels, names, [1.0] * len(novels))
    empty = QuoteScore(0, 0, 0, 0, 0)
    litbank = [sum((score(e, m) for e in excerpts), start=empty) for m in (rule, pdnc_only)]
    print(_row("LitBank (fitted on PDNC)", *litbank))
    final = fit(novels + excerpts, names, [1.0] * len(novels) + [LITBANK_WEIGHT] * len(excerpts))
    for name, weight in sorted(zip(names, final.weights, strict=True), key=lambda x: -abs(x[1])):
        print(f"  {name:<22} {weight:+.3f}")
    if not args.no_write:
        args.out.write_text(json.dumps(final.to_json(), indent=1) + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
