"""`storyworld index`: find stories, analyse the new and changed ones in parallel, write each as it lands.

Workers (a local process pool, or Dask workers) return plain rows; this process alone writes,
one story per transaction, in the order results arrive. Unchanged files (same content sha256 as
stored) are skipped, so a re-run after a crash or a kill simply finishes the job.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from natsort import natsorted

from storyworld.corpus import store
from storyworld.corpus.worker import analyse_file, failed_result, init_worker
from storyworld.errors import E, StoryworldError
from storyworld.ingest import STORY_SUFFIXES

Engine = Literal["local", "dask"]
Result = dict[str, Any]
Task = tuple[str, str]  # (path, sha256)
Work = Callable[[str, str], Result]  # what a worker does with one task: worker.analyse_file
Initializer = Callable[[bool], None]  # run once per worker process: worker.init_worker


@dataclass
class Summary:
    """What a run did; `failed` pairs each failed path with its reason."""

    found: int = 0
    analysed: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)
    words: int = 0
    seconds: float = 0.0
    peak_rss: dict[int, int] = field(default_factory=dict)  # worker pid -> peak resident bytes


def find_stories(paths: Iterable[Path]) -> list[Path]:
    """Every story file under `paths`: each FILE is one story (a folder is searched, never one story).

    A path given as a file is taken whatever its suffix (ingest then says if it cannot read it);
    in folders, files with a story suffix at any depth, hidden files and folders skipped.
    """
    found: list[Path] = []
    for path in paths:
        if not path.exists():
            raise StoryworldError(E.E001, path=path)
        if path.is_file():
            found.append(path.resolve())
            continue
        before = len(found)
        for root, dirs, files in os.walk(path):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            found += [
                Path(root, name).resolve() for name in files
                if not name.startswith(".") and name.lower().endswith(STORY_SUFFIXES)
            ]
        if len(found) == before:
            raise StoryworldError(E.E005, path=path, patterns=", ".join(f"*{s}" for s in STORY_SUFFIXES))
    return natsorted(dict.fromkeys(found), key=str)


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def run_here(tasks: Sequence[Task]) -> Iterator[Result]:
    """Results one by one from this process (--jobs 1): no pool to start, the model loaded once."""
    init_worker()
    for path, sha in tasks:
        yield analyse_file(path, sha)


def _pool_pass(
    tasks: Sequence[Task], jobs: int, window: int, work: Work, initializer: Initializer
) -> Generator[Result, None, tuple[list[Task], list[Task]]]:
    """Yield results from one process pool with at most `window` tasks submitted at a time.

    If a worker dies, returns (the tasks in flight, the tasks not yet submitted); else ([], []).
    """
    # spawn: workers start clean (no inherited database handle or threads) on every platform.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(jobs, context, initializer=initializer, initargs=(True,)) as pool:
        pending = iter(tasks)
        running: dict[Future, Task] = {}
        try:
            while True:
                for task in pending:  # a bounded window keeps memory flat on huge corpora
                    running[pool.submit(work, *task)] = task
                    if len(running) >= window:
                        break
                if not running:
                    return [], []
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    task = running.pop(future)
                    if isinstance(future.exception(), BrokenProcessPool):
                        return [task, *running.values()], list(pending)
                    yield future.result()
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


def run_local(
    tasks: Sequence[Task], jobs: int, work: Work = analyse_file, initializer: Initializer = init_worker
) -> Iterator[Result]:
    """Results as they complete, from `jobs` processes that each run `initializer` (load the model) once.

    A worker that dies (out of memory, a crash in native code) breaks the pool, and which story
    killed it is unknown: the stories then in flight are retried after the rest, one at a time,
    and one that kills its worker again is recorded as failed.
    """
    suspects: list[Task] = []
    remaining = list(tasks)
    while remaining:
        in_flight, remaining = yield from _pool_pass(remaining, jobs, 4 * jobs, work, initializer)
        suspects += in_flight
    while suspects:
        culprits, suspects = yield from _pool_pass(suspects, 1, 1, work, initializer)
        for task in culprits:
            yield failed_result(*task, "the worker process died analysing this story (out of memory?)")


def run_dask(tasks: Sequence[Task], jobs: int, scheduler: str | None) -> Iterator[Result]:
    """Results as they complete from a Dask cluster: the one at `scheduler`, else a loopback LocalCluster."""
    from storyworld.corpus.cluster import as_completed, cluster_client

    with cluster_client(scheduler, jobs) as client:
        futures = {client.submit(analyse_file, *task, pure=False): task for task in tasks}
        for future in as_completed(futures):
            try:
                yield future.result()
            except Exception as err:  # e.g. KilledWorker: the story killed its worker several times
                reason = f"Dask gave up on this story: {type(err).__name__}: {err}"
                yield failed_result(*futures[future], reason)
            future.release()


def index(
    paths: Sequence[Path],
    db: Path,
    *,
    jobs: int | None = None,
    engine: Engine = "local",
    scheduler: str | None = None,
    force: bool = False,
    progress: Callable[[int], Any] | None = None,
) -> Summary:
    """Analyse every story under `paths` into the corpus database `db`; returns what happened.

    `progress(total)` makes a tqdm-like bar (update, set_postfix_str, close) for the stories to analyse.
    """
    began = time.perf_counter()
    jobs = jobs or os.cpu_count() or 1
    files = find_stories(paths)
    conn = store.open_writer(db)
    summary = Summary(found=len(files))
    try:
        stored = store.stored_hashes(conn)
        tasks = []
        for path in files:
            sha = file_sha256(path)
            if not force and stored.get(str(path)) == sha:
                summary.skipped += 1
            else:
                tasks.append((str(path), sha))
        if engine == "dask":
            results = run_dask(tasks, jobs, scheduler)
        else:
            results = run_local(tasks, jobs) if jobs > 1 else run_here(tasks)
        bar = progress(len(tasks)) if progress is not None and tasks else None
        try:
            for result in results:
                story = result["story"]
                store.write_story(conn, story, result["rows"])
                if story["status"] == "failed":
                    summary.failed.append((story["path"], story["error"]))
                else:
                    summary.analysed += 1
                    summary.words += result["words"]
                pid = result["pid"]
                summary.peak_rss[pid] = max(summary.peak_rss.get(pid, 0), result["peak_rss"])
                if bar is not None:
                    elapsed = max(time.perf_counter() - began, 1e-9)
                    bar.set_postfix_str(f"{summary.words / elapsed:,.0f} words/s", refresh=False)
                    bar.update(1)
        finally:
            if bar is not None:
                bar.close()
    finally:
        conn.close()
    summary.seconds = time.perf_counter() - began
    return summary
