"""Speed and peak memory of the segment stage alone against a plain `nlp(text)`, on one text file.

    python bench/bench_segment.py ../shared/corpora/pdnc/data/PrideAndPrejudice/novel_text.txt
    python bench/bench_segment.py FILE --chunk-chars 10000 50000 --batch-size 4 16

Each measurement runs in a fresh spawned process (peak memory is that process's ru_maxrss), after
loading the model and warming it up. CPU seconds are reported next to wall seconds because on a
shared machine wall time mostly measures the neighbours.
"""

from __future__ import annotations

import argparse
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path


def _measure(path: str, chunk_chars: int | None, batch_size: int) -> tuple[float, float, float]:
    """(wall s, cpu s, peak MB) of the segment stage, or of nlp(text) when chunk_chars is None."""
    from storyworld import nlp
    from storyworld.ingest import load
    from storyworld.segment import parse
    from storyworld.stages import segment

    story = load(path)
    language = nlp.load()
    language("Warm the model up before the clock starts.")
    parse.CHUNK_CHARS = chunk_chars or parse.CHUNK_CHARS
    parse.BATCH_SIZE = batch_size
    wall, cpu = time.perf_counter(), time.process_time()
    if chunk_chars is None:
        language(story.text)
    else:
        segment.STAGE.compute(story)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("file", type=Path)
    parser.add_argument("--chunk-chars", type=int, nargs="+", default=[5_000])
    parser.add_argument("--batch-size", type=int, nargs="+", default=[8])
    args = parser.parse_args()
    words = len(args.file.read_text(encoding="utf-8").split())
    runs: list[tuple[str, int | None, int]] = [("plain nlp(text)", None, 1)]
    runs += [(f"segment chunk={c} batch={b}", c, b) for c in args.chunk_chars for b in args.batch_size]
    print(f"{args.file.name}: {words} words")
    for label, chunk_chars, batch_size in runs:
        with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
            wall, cpu, peak = pool.submit(_measure, str(args.file), chunk_chars, batch_size).result()
        print(
            f"{label:32} wall {wall:6.1f}s ({words / wall:6.0f} words/s)  "
            f"cpu {cpu:6.1f}s ({words / cpu:6.0f} words/s)  peak {peak:6.0f} MB"
        )


if __name__ == "__main__":
    main()
