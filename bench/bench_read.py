"""Speed and peak memory of `storyworld.read` against a plain spaCy parse, per input, in one run.

    python bench/bench_read.py                      # the examples (and the seeds when ../shared exists)
    python bench/bench_read.py --pdnc --limit 3     # add the first 3 PDNC novels
    python bench/bench_read.py --files my.txt --json bench.json

Every measurement runs in a fresh spawned process, so its peak memory is that process's
`ru_maxrss` (what a user's `storyworld read` would cost), not a share of this one. In each
process the spaCy model is loaded and warmed up on a short text before the clock starts; the
pipeline measurement includes ingest and building the World, the spaCy one parses the same
ingested text with `nlp(text)`. See bench/README.md for the columns.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from multiprocessing import get_context
from pathlib import Path

from rich.console import Console
from rich.table import Table

from storyworld.errors import StoryworldError

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("STORYWORLD_SHARED", ROOT.parent / "shared"))
MEMORY_METHOD = "ru_maxrss of a fresh spawned process (resource.getrusage), model loaded"
WARM_UP = 'The lamp was lit.\n\n"Is anyone there?" asked Mira.\n\n"Only me," said the old man.\n'


@dataclass
class Measurement:
    """One timed run in a fresh process. `seconds` is wall time, `cpu_seconds` the process's CPU
    time (all threads) over the same stretch. Memory in MiB; `loaded_mib` is the high-water mark
    after the model is loaded and warmed up, `peak_mib` after the work."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0
    loaded_mib: float = 0.0
    peak_mib: float = 0.0
    stages: dict[str, float] = field(default_factory=dict)
    error: str | None = None


@dataclass
class Row:
    input: str
    words: int
    pipeline: Measurement
    spacy: Measurement

    @property
    def ratio(self) -> float | None:
        """How many times the CPU time of a plain spaCy parse the pipeline takes."""
        if self.pipeline.error or self.spacy.error or not self.spacy.cpu_seconds:
            return None
        return self.pipeline.cpu_seconds / self.spacy.cpu_seconds


def _maxrss_mib() -> float:
    # Linux reports KiB, macOS bytes.
    scale = 1 / 1024 if sys.platform != "darwin" else 1 / (1024 * 1024)
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * scale


def _ingested_text(path: str) -> str:
    from storyworld.ingest import load

    return load(path).text


def measure_pipeline(path: str) -> Measurement:
    """Ingest, every stage (timed one by one), and the World: what `storyworld.read(path)` does."""
    import storyworld
    from storyworld.ingest import load
    from storyworld.nlp import load as load_nlp
    from storyworld.pipeline import default_stages, run

    load_nlp()
    storyworld.read(WARM_UP)  # loads the lexicons and packs the stages read lazily
    load(path)  # imports the reader for this format, so the clock sees steady-state ingest
    loaded = _maxrss_mib()
    stages: dict[str, float] = {}
    began, began_cpu = time.perf_counter(), time.process_time()
    story = load(path)
    stages["ingest"] = time.perf_counter() - began
    run(story, default_stages(), timings=stages)
    built = time.perf_counter()
    story.to_world()
    stages["to_world"] = time.perf_counter() - built
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - began_cpu
    return Measurement(seconds, cpu_seconds, loaded, _maxrss_mib(), stages)


def measure_spacy(path: str) -> Measurement:
    """A plain `nlp(text)` over the same ingested text, with the model the pipeline uses."""
    from storyworld.nlp import load as load_nlp

    nlp = load_nlp()
    nlp(WARM_UP)
    text = _ingested_text(path)
    loaded = _maxrss_mib()
    began, began_cpu = time.perf_counter(), time.process_time()
    nlp(text)
    seconds, cpu_seconds = time.perf_counter() - began, time.process_time() - began_cpu
    return Measurement(seconds, cpu_seconds, loaded, _maxrss_mib())


def _reported(function: Callable[[str], Measurement], path: str) -> Measurement:
    """Run one measurement; a failure comes back as text (the input is reported, the run goes on)."""
    try:
        return function(path)
    except Exception as err:
        return Measurement(peak_mib=_maxrss_mib(), error=f"{type(err).__name__}: {err}")


def in_fresh_process(function: Callable[[str], Measurement], path: str) -> Measurement:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(_reported, function, path).result()


def default_inputs(pdnc: bool, limit: int | None) -> list[Path]:
    inputs = sorted(p for p in (ROOT / "examples").iterdir() if p.suffix in (".txt", ".html"))
    inputs += sorted((SHARED / "seeds").glob("*.txt"))
    if pdnc:
        novels = sorted((SHARED / "corpora" / "pdnc" / "data").glob("*/novel_text.txt"))
        inputs += novels[:limit] if limit is not None else novels
    return inputs


def label(path: Path) -> str:
    """A short name: PDNC novels are all called novel_text.txt, so they go by their folder."""
    return path.parent.name if path.name == "novel_text.txt" else path.name


def fastest(function: Callable[[str], Measurement], path: str, repeat: int) -> Measurement:
    """The quickest (in CPU time) of `repeat` fresh-process runs: the least disturbed by other work."""
    runs = [in_fresh_process(function, path) for _ in range(repeat)]
    return min(runs, key=lambda m: float("inf") if m.error else m.cpu_seconds)


def bench(path: Path, repeat: int) -> Row:
    """Both measurements of one input; words are counted here (this process's memory is not reported)."""
    words = len(_ingested_text(str(path)).split())
    return Row(label(path), words, fastest(measure_pipeline, str(path), repeat),
               fastest(measure_spacy, str(path), repeat))


def _rate(words: int, m: Measurement) -> str:
    return "-" if m.error or not m.cpu_seconds else f"{words / m.cpu_seconds:,.0f}"


def _times(m: Measurement) -> tuple[str, str]:
    return ("error", "error") if m.error else (f"{m.seconds:.2f}", f"{m.cpu_seconds:.2f}")


def render(rows: list[Row], console: Console) -> None:
    table = Table(title=f"storyworld.read vs spaCy nlp(text) — memory: {MEMORY_METHOD}")
    for column in ("input", "words", "pipeline wall s", "pipeline CPU s", "pipeline words/CPU-s",
                   "spaCy wall s", "spaCy CPU s", "spaCy words/CPU-s", "ratio (CPU)",
                   "pipeline peak MiB", "spaCy peak MiB", "loaded MiB"):
        table.add_column(column, justify="left" if column == "input" else "right", no_wrap=column == "input")
    for row in rows:
        p, s = row.pipeline, row.spacy
        table.add_row(
            row.input, f"{row.words:,}",
            *_times(p), _rate(row.words, p),
            *_times(s), _rate(row.words, s),
            "-" if row.ratio is None else f"{row.ratio:.2f}x",
            f"{p.peak_mib:,.0f}", f"{s.peak_mib:,.0f}", f"{p.loaded_mib:,.0f}",
        )
    ok = [r for r in rows if r.ratio is not None]
    if ok:
        words = sum(r.words for r in ok)
        pipeline = Measurement(sum(r.pipeline.seconds for r in ok), sum(r.pipeline.cpu_seconds for r in ok))
        spacy = Measurement(sum(r.spacy.seconds for r in ok), sum(r.spacy.cpu_seconds for r in ok))
        table.add_row("[b]all[/b]", f"{words:,}", *_times(pipeline), _rate(words, pipeline),
                      *_times(spacy), _rate(words, spacy), f"{pipeline.cpu_seconds / spacy.cpu_seconds:.2f}x",
                      f"{max(r.pipeline.peak_mib for r in ok):,.0f}",
                      f"{max(r.spacy.peak_mib for r in ok):,.0f}", "")
    console.print(table)

    names = list(dict.fromkeys(name for row in rows for name in row.pipeline.stages))
    stages = Table(title="pipeline wall seconds per stage (ingest and to_world included)")
    stages.add_column("input")
    for name in names:
        stages.add_column(name, justify="right")
    for row in rows:
        stages.add_row(row.input, *(f"{row.pipeline.stages.get(n, 0.0):.3f}" for n in names))
    console.print(stages)
    for row in rows:
        for kind, measurement in (("pipeline", row.pipeline), ("spaCy", row.spacy)):
            if measurement.error:
                console.print(f"[red]{row.input}: {kind} failed: {measurement.error}[/red]")


def environment() -> dict[str, object]:
    import spacy

    import storyworld
    from storyworld.nlp import MODEL

    return {
        "memory": MEMORY_METHOD,
        "model": MODEL,
        "spacy": spacy.__version__,
        "storyworld": storyworld.__version__,
        "python": platform.python_version(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs",
        # Other work on the machine slows every number down; the load says how busy it was.
        "load_average": list(os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", nargs="+", type=Path, help="Measure these inputs instead of the defaults.")
    parser.add_argument("--pdnc", action="store_true", help="Add the PDNC novels from ../shared.")
    parser.add_argument("--limit", type=int, metavar="N",
                        help="Only the first N PDNC novels (by name); implies --pdnc.")
    parser.add_argument("--repeat", type=int, default=1, metavar="N",
                        help="Run each measurement N times (each in a fresh process) and keep the fastest.")
    parser.add_argument("--json", type=Path, metavar="FILE", help="Also write the results as JSON.")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    inputs = args.files or default_inputs(args.pdnc or args.limit is not None, args.limit)
    missing = [str(p) for p in inputs if not p.exists()]
    if missing:
        parser.error(f"no such input: {', '.join(missing)}")
    console = Console()
    if not console.is_terminal:  # piped output: wide enough for every column
        console = Console(width=200)
    rows = []
    for path in inputs:
        console.print(f"[dim]measuring {label(path)}[/dim]")
        try:
            rows.append(bench(path, args.repeat))
        except StoryworldError as err:  # an input storyworld refuses is reported, not measured
            console.print(f"[red]{label(path)}: {err}[/red]")
    render(rows, console)
    console.print(f"load average at the end: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    if args.json:
        inputs_json = [{**asdict(r), "ratio": r.ratio} for r in rows]
        report = {**environment(), "repeat": args.repeat, "inputs": inputs_json}
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        console.print(f"results written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
