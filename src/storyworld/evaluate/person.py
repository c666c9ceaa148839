"""Narrative person against PDNC's novel index: does storyworld tell first-person narration?

Runs only what the decision needs (paragraphs, quotes) and the scenes stage's own
`narration_person` over each whole novel, without reading the gold until it compares.

    python -m storyworld.evaluate.person ../shared/corpora/pdnc
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

from rich.console import Console
from rich.table import Table

from storyworld.evaluate.gold import load_pdnc
from storyworld.ingest import from_string
from storyworld.spans import quote_test
from storyworld.stages.quotes import find_quotes
from storyworld.stages.scenes import narration_person
from storyworld.stages.segment import find_paragraphs

PERSONS = {1: "first", 2: "second", 3: "third"}


@dataclass(frozen=True)
class PersonResult:
    document: str
    predicted: str
    gold: str | None


def predict_person(text: str) -> str:
    story = from_string(text)
    story.paragraphs = find_paragraphs(text)
    inside = quote_test([(q.start, q.end) for q in find_quotes(story)])
    return narration_person(text, 0, len(text), inside)


def evaluate_person(path: str) -> list[PersonResult]:
    results = []
    for document in load_pdnc(path):
        predicted = predict_person(document.text)
        gold = PERSONS.get(document.narrative_person) if document.narrative_person else None
        results.append(PersonResult(document.id, predicted, gold))
    return results


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    results = evaluate_person(argv[0] if argv else "../shared/corpora/pdnc")
    table = Table(title="Narrative person")
    for column in ("novel", "gold", "predicted", "right"):
        table.add_column(column)
    for result in results:
        right = result.gold == result.predicted
        table.add_row(result.document, str(result.gold), result.predicted, str(right))
    right = sum(r.gold == r.predicted for r in results)
    Console().print(table)
    Console().print(f"{right}/{len(results)} right")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
