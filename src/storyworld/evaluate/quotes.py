"""Score quotation finding against gold: exact and overlapping content spans.

Gold corpora annotate pieces (PDNC without marks, LitBank with them), so both sides are compared on
content spans, marks, dashes and spaces trimmed. PDNC also leaves out quotations embedded in speech
and stage directions in parentheses, so a prediction counts as its `spoken_parts`. Only predictions
with `speech=True` count.

    python -m storyworld.evaluate.quotes ../shared/corpora/pdnc [--show 5]
"""

from __future__ import annotations

import argparse
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import accumulate

from storyworld.errors import StoryworldError
from storyworld.evaluate.gold import GoldDocument, GoldQuote, content_span, load_gold
from storyworld.ingest import from_string
from storyworld.model import Quote
from storyworld.stages.quotes import find_quotes, spoken_parts
from storyworld.stages.segment import find_paragraphs

Span = tuple[int, int]


@dataclass
class QuoteScore:
    predicted: int
    gold: int
    matched: int
    lenient_predicted: int  # predictions overlapping some gold piece
    lenient_gold: int  # gold pieces overlapped by some prediction
    false_positives: list[Span] = field(default_factory=list)
    false_negatives: list[Span] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @property
    def lenient_precision(self) -> float:
        return self.lenient_predicted / self.predicted if self.predicted else 1.0

    @property
    def lenient_recall(self) -> float:
        return self.lenient_gold / self.gold if self.gold else 1.0

    @property
    def lenient_f1(self) -> float:
        return _f1(self.lenient_precision, self.lenient_recall)

    def __add__(self, other: QuoteScore) -> QuoteScore:
        return QuoteScore(
            self.predicted + other.predicted,
            self.gold + other.gold,
            self.matched + other.matched,
            self.lenient_predicted + other.lenient_predicted,
            self.lenient_gold + other.lenient_gold,
        )


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def score_quotes(predicted: list[Quote], gold: list[GoldQuote], text: str) -> QuoteScore:
    """Compare the speech quotations' content spans with the gold pieces' content spans."""
    ours = _nonempty(
        content_span(text, start, end) for q in predicted if q.speech for start, end in spoken_parts(text, q)
    )
    theirs = _nonempty((g.content_start, g.content_end) for g in gold)
    matched = ours & theirs
    return QuoteScore(
        predicted=len(ours),
        gold=len(theirs),
        matched=len(matched),
        lenient_predicted=_overlap_count(ours, theirs),
        lenient_gold=_overlap_count(theirs, ours),
        false_positives=sorted(ours - matched),
        false_negatives=sorted(theirs - matched),
    )


def _nonempty(spans: Iterable[Span]) -> set[Span]:
    return {span for span in spans if span[1] > span[0]}


def _overlap_count(spans: set[Span], others: set[Span]) -> int:
    """How many of `spans` overlap at least one of `others`."""
    ordered = sorted(others)
    starts = [start for start, _ in ordered]
    furthest = list(accumulate((end for _, end in ordered), max))  # furthest end among the first i
    count = 0
    for start, end in spans:
        before = bisect_left(starts, end)  # the others that start before this span ends
        count += before > 0 and furthest[before - 1] > start
    return count


def score_document(document: GoldDocument) -> QuoteScore:
    """Run quote finding on the gold text (paragraphs only, no parse) and score it."""
    story = from_string(document.text)
    story.paragraphs = find_paragraphs(document.text)
    return score_quotes(find_quotes(story), document.quotes, document.text)


def _excerpt(text: str, span: Span, width: int = 40) -> str:
    start, end = span
    inside = text[start:end]
    if len(inside) > 2 * width:
        inside = inside[:width] + " ... " + inside[-width:]
    excerpt = text[max(0, start - width) : start] + "[" + inside + "]" + text[end : end + width]
    return excerpt.replace("\n", " ")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Score quotation finding on a gold corpus.")
    parser.add_argument("path", help="PDNC's folder (or data/ or one novel) or a .jsonl export")
    parser.add_argument("--show", type=int, default=0, help="print N false positives and negatives each")
    args = parser.parse_args(argv)
    try:
        documents = load_gold(args.path)
    except StoryworldError as err:
        print(f"error: {err}")
        return 1
    total = QuoteScore(0, 0, 0, 0, 0)
    print(f"{'document':<34} {'recall':>7} {'prec':>7} {'F1':>7}", end="")
    print(f" {'gold':>6} {'pred':>6} {'match':>6} {'lenR':>6} {'lenP':>6}")
    for document in documents:
        score = score_document(document)
        total = total + score
        print(_row(document.id, score))
        for label, spans in (("FP", score.false_positives), ("FN", score.false_negatives)):
            for span in spans[: args.show]:
                print(f"    {label} {_excerpt(document.text, span)}")
    print(_row("TOTAL", total))
    return 0


def _row(name: str, score: QuoteScore) -> str:
    return (
        f"{name[-34:]:<34} {score.recall:7.3f} {score.precision:7.3f} {score.f1:7.3f} {score.gold:6d}"
        f" {score.predicted:6d} {score.matched:6d} {score.lenient_recall:6.3f} {score.lenient_precision:6.3f}"
    )


if __name__ == "__main__":
    raise SystemExit(main())
