"""Measure how often each kind of speaker decision is right on PDNC; write the confidence table.

    python scripts/train_speaker_confidence.py ../shared/corpora/pdnc [--out FILE] [--novel NAME ...]
        [--cache DIR]

For every novel the pipeline runs up to the speakers stage twice (our own cast, then the gold cast as
`--cast` gives it), and each decision of the sieve (speakers/sieve.py) is checked against the gold
speaker of the quote it covers. A decision kind's confidence is its accuracy over all novels
(add-one smoothed, capped at its first-quartile accuracy across novels and cast modes, since a name
tag is surer with a given cast than with our own; rare kinds fall back to their step). Calibration is
reported leaving each novel out: its decisions are scored with a table built from the other novels
only. CPU only; about a minute a novel (`--cache DIR` reads and keeps the analysed stories as
train_speaker_ranker.py does).
Retrain after changing the sieve, then commit src/storyworld/data/speaker_confidence.json.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from itertools import pairwise
from pathlib import Path

from train_speaker_ranker import stories_of

from storyworld.evaluate.gold import load_pdnc
from storyworld.evaluate.speakers import BINS, bin_of, character_map, quote_finder
from storyworld.speakers.confidence import key
from storyworld.speakers.sieve import decide

MIN_COUNT = 30  # decisions a kind needs before it gets its own row
# The table knows no cast mode: without the cap a name tag claimed 0.9 in tables built without one
# novel and was right 83% of the time there.
CAP = 0.85
MIN_NOVEL_COUNT = 20  # decisions of a kind a novel needs for its accuracy to count on its own
OUT = Path(__file__).resolve().parents[1] / "src" / "storyworld" / "data" / "speaker_confidence.json"

Outcome = tuple[str, str, bool]  # (row key, step, right)


def outcomes(document, cache: Path | None) -> dict[tuple[str, str], list[Outcome]]:
    """Every scored decision of one novel, per (novel, cast mode)."""
    by_mode = {}
    for mode, story in stories_of(document, cache).items():
        found = by_mode[(document.id, mode)] = []
        to_gold = character_map(story.characters or [], document.characters, by_main_name=mode == "gold-cast")
        decisions = {d.quote: d for d in decide(story)}
        find = quote_finder([q for q in story.quotes or [] if q.speech])
        for piece in document.quotes:
            quote = find(piece.content_start, piece.content_end) if piece.speaker else None
            decision = decisions.get(quote.id) if quote is not None else None
            if decision is not None and decision.speaker is not None:
                found.append((key(decision), decision.how, to_gold.get(decision.speaker) == piece.speaker))
    return by_mode


def table(by_novel: dict[tuple[str, str], list[Outcome]]) -> dict[str, float]:
    """Per decision kind: its accuracy, but no more than in the weaker novels (the first quartile of
    per-novel-and-mode accuracies), since a confidence must hold on novels the table has not seen."""
    right: Counter[str] = Counter()
    total: Counter[str] = Counter()
    per_novel: dict[str, list[float]] = {}
    for rows in by_novel.values():
        novel_right: Counter[str] = Counter()
        novel_total: Counter[str] = Counter()
        for row_key, how, ok in rows:
            for k in (row_key, how):
                novel_right[k] += ok
                novel_total[k] += 1
        for k, n in novel_total.items():
            right[k] += novel_right[k]
            total[k] += n
            if n >= MIN_NOVEL_COUNT:
                per_novel.setdefault(k, []).append(novel_right[k] / n)
    kept = [k for k in sorted(total) if total[k] >= MIN_COUNT or "/" not in k]
    return {
        k: round(min((right[k] + 1) / (total[k] + 2), _first_quartile(per_novel.get(k, [])), CAP), 3)
        for k in kept
    }


def _first_quartile(values: list[float]) -> float:
    if not values:
        return 1.0
    ordered = sorted(values)
    return ordered[(len(ordered) - 1) // 4]


def lookup(rows: dict[str, float], row_key: str, how: str) -> float:
    return rows.get(row_key, rows.get(how, 0.5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pdnc", type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--novel", action="append", default=[])
    parser.add_argument("--cache", type=Path, help="analysed stories, as train_speaker_ranker.py keeps them")
    args = parser.parse_args()
    by_novel: dict[tuple[str, str], list[Outcome]] = {}
    for document in load_pdnc(args.pdnc):
        if args.novel and document.id not in args.novel:
            continue
        by_novel.update(outcomes(document, args.cache))
        rows = [r for (novel, _), rs in by_novel.items() if novel == document.id for r in rs]
        accuracy = sum(r[2] for r in rows) / max(len(rows), 1)
        print(f"{document.id:28s} decisions {len(rows):5d}  accuracy {accuracy:.3f}", flush=True)
    bins: list[Counter[bool]] = [Counter() for _ in BINS[:-1]]
    for (novel, _), rows in by_novel.items():
        held_out = table({other: rs for other, rs in by_novel.items() if other[0] != novel})
        for row_key, how, ok in rows:
            bins[bin_of(lookup(held_out, row_key, how))][ok] += 1
    print("calibration, each novel scored by a table built without it:")
    for (low, high), counts in zip(pairwise(BINS), bins, strict=True):
        n = counts[True] + counts[False]
        print(f"  {low:.1f}-{high:.1f}  accuracy {counts[True] / n if n else float('nan'):.3f}  n={n}")
    final = table(by_novel)
    args.out.write_text(json.dumps(final, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
