"""Corpus indexing speed: stories/s and words/s with --jobs 1 and 2, and on a 2-worker Dask LocalCluster.

    python bench/bench_index.py                          # 200 PDNC chapters, first 1500 words of each
    python bench/bench_index.py --stories 400 --max-words 0 --json bench-index.json

The corpus: the PDNC novels (../shared/corpora/pdnc/data/*/novel_text.txt) split at their chapter
headings (novels without headings in pieces of about 4000 words), taken round-robin across the
novels into a temporary folder, one file per chapter; skipped cleanly when ../shared is absent.
Every run indexes the same files into a fresh database, so times include starting the workers and
loading the spaCy model in each (what a user's `storyworld index` costs). Scaling efficiency is
(words/s with 2 workers) / (2 x words/s with 1). Peak memory is the largest ru_maxrss of any
worker process (with --jobs 1 the work runs in the bench process itself). Database size is the
SQLite file after the run, per million words indexed. CPU seconds are shown next to wall seconds
because on a shared machine wall time also measures the neighbours.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from itertools import pairwise
from pathlib import Path

from rich.console import Console
from rich.table import Table

from storyworld.corpus.rows import count_words
from storyworld.corpus.run import index

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYWORLD_SHARED", ROOT.parent / "shared"))
HEADING = re.compile(r"^[ \t]*(?:CHAPTER|Chapter|BOOK|Book)\b[^\n]*$", re.MULTILINE)
PARAGRAPHS = re.compile(r"\n[ \t]*\n")


@dataclass
class Run:
    name: str
    jobs: int
    stories: int
    failed: int
    words: int
    wall_s: float
    cpu_s: float
    stories_per_s: float
    words_per_s: float
    peak_worker_mib: float
    db_mib_per_million_words: float


def chapters(text: str, piece_words: int = 4000) -> list[str]:
    """A novel's chapters (split before each heading); without headings, ~piece_words pieces."""
    starts = [m.start() for m in HEADING.finditer(text)]
    if len(starts) >= 2:
        bounds = [0, *starts, len(text)]
        return [text[a:b] for a, b in pairwise(bounds) if count_words(text[a:b]) > 50]
    pieces, current = [], []
    for paragraph in PARAGRAPHS.split(text):
        current.append(paragraph)
        if count_words("\n\n".join(current)) >= piece_words:
            pieces.append("\n\n".join(current))
            current = []
    return [*pieces, "\n\n".join(current)] if current else pieces


def trimmed(text: str, max_words: int) -> str:
    """The first whole paragraphs of `text` up to about max_words words (0: all of it)."""
    if not max_words:
        return text
    kept, words = [], 0
    for paragraph in PARAGRAPHS.split(text):
        if words >= max_words:
            break
        kept.append(paragraph)
        words += count_words(paragraph)
    return "\n\n".join(kept)


def build_corpus(folder: Path, stories: int, max_words: int) -> int:
    """Write `stories` chapter files (round-robin across the novels) into folder; returns how many."""
    novels = sorted((SHARED / "corpora" / "pdnc" / "data").glob("*/novel_text.txt"))
    split = {novel.parent.name: chapters(novel.read_text(encoding="utf-8")) for novel in novels}
    written, round_ = 0, 0
    while written < stories and any(round_ < len(c) for c in split.values()):
        for name, parts in split.items():
            if round_ < len(parts) and written < stories:
                (folder / f"{name}-{round_ + 1:03d}.txt").write_text(
                    trimmed(parts[round_], max_words), encoding="utf-8"
                )
                written += 1
        round_ += 1
    return written


def measure(name: str, folder: Path, db: Path, jobs: int, engine: str) -> Run:
    cpu_before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    summary = index([folder], db, jobs=jobs, engine=engine)  # type: ignore[arg-type]
    wall = time.perf_counter() - began
    cpu_after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    # Pool workers are reaped children; Dask workers are grandchildren, so their CPU may be missing.
    cpu = sum(a.ru_utime + a.ru_stime - b.ru_utime - b.ru_stime for a, b in zip(cpu_after, cpu_before,
                                                                               strict=True))
    size = sum(p.stat().st_size for p in db.parent.glob(db.name + "*"))
    return Run(
        name=name, jobs=jobs, stories=summary.analysed, failed=len(summary.failed), words=summary.words,
        wall_s=round(wall, 1), cpu_s=round(cpu, 1),
        stories_per_s=round(summary.analysed / wall, 2), words_per_s=round(summary.words / wall),
        peak_worker_mib=round(max(summary.peak_rss.values(), default=0) / 2**20, 1),
        db_mib_per_million_words=round(size / 2**20 / max(summary.words / 1e6, 1e-9), 1),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=200, help="How many chapter files (default 200).")
    parser.add_argument("--max-words", type=int, default=1500,
                        help="Keep about this many words of each chapter; 0 keeps whole chapters.")
    parser.add_argument("--no-dask", action="store_true", help="Skip the Dask LocalCluster run.")
    parser.add_argument("--json", type=Path, help="Also write the results here.")
    args = parser.parse_args()
    console = Console()
    if not (SHARED / "corpora" / "pdnc" / "data").is_dir():
        console.print(f"skipped: no PDNC corpus under {SHARED}")
        return 0
    runs = []
    with tempfile.TemporaryDirectory(prefix="bench-index-") as tmp:
        folder = Path(tmp, "stories")
        folder.mkdir()
        count = build_corpus(folder, args.stories, args.max_words)
        console.print(f"{count} stories in {folder}")
        plan = [("local --jobs 1", 1, "local"), ("local --jobs 2", 2, "local")]
        if not args.no_dask:
            plan.append(("dask LocalCluster 2 workers", 2, "dask"))
        for name, jobs, engine in plan:
            db = Path(tmp, f"{engine}-{jobs}.sqlite")
            runs.append(measure(name, folder, db, jobs, engine))
            console.print(runs[-1])
    table = Table(title="storyworld index")
    for column in asdict(runs[0]):
        table.add_column(column)
    for run in runs:
        table.add_row(*(str(v) for v in asdict(run).values()))
    console.print(table)
    one, two = runs[0].words_per_s, runs[1].words_per_s
    efficiency = two / (2 * one) if one else 0.0
    console.print(f"scaling efficiency, 2 local workers: {efficiency:.0%}")
    if len(runs) > 2 and one:
        console.print(f"scaling efficiency, 2 Dask workers: {runs[2].words_per_s / (2 * one):.0%}")
    console.print(f"cpus: {os.cpu_count()}, load average at the end: {os.getloadavg()[0]:.1f}")
    if args.json:
        args.json.write_text(json.dumps({"runs": [asdict(r) for r in runs], "efficiency_local_2": efficiency},
                                        indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
