"""What runs in a worker process: analyse one story file, return plain rows (never touches the database)."""

from __future__ import annotations

import os
import resource
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import storyworld
from storyworld.corpus.rows import blank_line_paragraphs, story_id, story_row, world_rows
from storyworld.errors import StoryworldError
from storyworld.ingest import load


def _exit_with_parent(parent: int) -> None:
    """A pool worker whose indexing process was killed (even with SIGKILL) must not linger."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(1)


def init_worker(watch_parent: bool = False) -> None:
    """Load the spaCy model and the stages once per worker, not once per story."""
    from storyworld import nlp, stages  # noqa: F401  (importing builds the stage list)

    if watch_parent:
        threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    nlp.load()


def _peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux reports KiB


def _result(story: dict[str, Any], rows: dict[str, list[dict[str, Any]]], began: float) -> dict[str, Any]:
    story.update(
        analysed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        seconds=round(time.perf_counter() - began, 3),
        storyworld_version=storyworld.__version__,
    )
    return {
        "story": story, "rows": rows, "words": story.get("words") or 0, "pid": os.getpid(),
        "peak_rss": _peak_rss_bytes(),
    }


def failed_result(path: str, sha256: str, error: str, began: float | None = None) -> dict[str, Any]:
    """The result for a story that could not be analysed: a `stories` row with status 'failed'."""
    story = {"id": story_id(path), "path": path, "sha256": sha256, "status": "failed", "error": error}
    return _result(story, {}, time.perf_counter() if began is None else began)


def analyse_file(path: str, sha256: str) -> dict[str, Any]:
    """Analyse the story at `path`; a story that fails is a row with status 'failed', not an exception.

    Returns {"story": stories row, "rows": {table: [row, ...]}, "words": int, "pid", "peak_rss"}.
    """
    began = time.perf_counter()
    try:
        analysed = storyworld.analyse(load(Path(path)))
        world = analysed.to_world()
        paragraphs = [(p.start, p.end) for p in analysed.paragraphs or []]
        paragraphs = paragraphs or blank_line_paragraphs(world.text)
        sid = story_id(path)
        story = {"id": sid, "path": path, "sha256": sha256, "status": "ok", "error": None, **story_row(world)}
        return _result(story, world_rows(world, paragraphs, sid), began)
    except StoryworldError as err:
        return failed_result(path, sha256, str(err), began)
    except Exception as err:  # a bug in a stage must not stop the corpus: record it with the story
        return failed_result(path, sha256, f"internal error {type(err).__name__}: {err}", began)
