"""`index`: every file one story, bad files recorded as failed, unchanged skipped, changed replaced,
the same tables from the local pool and a Dask LocalCluster, and a SIGKILLed run that resumes cleanly."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from storyworld.corpus.run import find_stories, index, run_local
from storyworld.corpus.worker import failed_result
from storyworld.errors import StoryworldError
from tests.corpus.conftest import GOOD_STORIES, table_rows


def stories(db: Path) -> list[tuple]:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    rows = conn.execute("SELECT path, status, error, sha256, quotes FROM stories ORDER BY path").fetchall()
    conn.close()
    return rows


def test_each_file_at_any_depth_is_one_story(corpus_dir):
    found = find_stories([corpus_dir])
    assert [p.name for p in found] == [
        "broken.epub", "chapter-one.txt", "chapter-two.txt", "lighthouse.txt", "orchard.md", "snowed-in.html",
    ]


def test_a_missing_path_is_e001(tmp_path):
    with pytest.raises(StoryworldError, match="E001"):
        find_stories([tmp_path / "absent"])


def test_bad_files_are_recorded_failed_and_the_rest_stored(corpus_dir, tmp_path):
    (corpus_dir / "noise.txt").write_bytes(bytes(range(256)) * 8)  # binary content in a .txt
    db = tmp_path / "c.sqlite"
    summary = index([corpus_dir], db, jobs=1)
    assert summary.analysed == GOOD_STORIES and len(summary.failed) == 2
    by_name = {Path(path).name: (status, error) for path, status, error, _, _ in stories(db)}
    assert by_name["broken.epub"][0] == "failed" and "E006" in by_name["broken.epub"][1]
    assert by_name["noise.txt"][0] == "failed" and "E003" in by_name["noise.txt"][1]
    assert sum(status == "ok" for status, _ in by_name.values()) == GOOD_STORIES


def test_unchanged_skipped_and_changed_replaced(corpus_dir, tmp_path):
    db = tmp_path / "c.sqlite"
    index([corpus_dir], db, jobs=1)
    before = {row[0]: row for row in stories(db)}
    again = index([corpus_dir], db, jobs=1)
    assert (again.analysed, again.skipped, again.failed) == (0, GOOD_STORIES + 1, [])

    changed = corpus_dir / "lighthouse.txt"
    ending = '\n"Goodnight, lamp," said Ilsa to the dark.\n'
    changed.write_text(changed.read_text(encoding="utf-8") + ending, encoding="utf-8")
    third = index([corpus_dir], db, jobs=1)
    assert (third.analysed, third.skipped) == (1, GOOD_STORIES)
    after = {row[0]: row for row in stories(db)}
    assert len(after) == len(before)
    assert after[str(changed)][3] != before[str(changed)][3]  # the new sha256
    conn = sqlite3.connect(db)
    quotes = conn.execute(
        "SELECT count(*) FROM quotes q JOIN stories s ON s.id = q.story_id WHERE s.path = ?", (str(changed),)
    ).fetchone()[0]
    assert quotes == after[str(changed)][4] == before[str(changed)][4] + 1
    lamp = conn.execute("SELECT count(*) FROM dialogue_fts WHERE dialogue_fts MATCH 'lamp'").fetchone()[0]
    assert lamp == 1  # the full-text index holds the new text only


def test_local_pool_and_dask_local_cluster_store_identical_tables(corpus_dir, tmp_path):
    local, dask = tmp_path / "local.sqlite", tmp_path / "dask.sqlite"
    index([corpus_dir], local, jobs=1)  # in this process; the pool itself runs in the SIGKILL test
    index([corpus_dir], dask, jobs=1, engine="dask")
    local_rows, dask_rows = table_rows(local), table_rows(dask)
    assert local_rows["quotes"] and local_rows["narration"]
    for table, rows in local_rows.items():
        assert dask_rows[table] == rows, table


def test_sigkill_mid_run_then_rerun_stores_each_story_once(corpus_dir, tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    originals = [p for p in find_stories([corpus_dir]) if p.suffix != ".epub"]
    for n in range(20):  # 20 distinct small stories: each fixture plus a line of its own
        source = originals[n % len(originals)]
        text = source.read_text(encoding="utf-8")
        (many / f"{n:02d}-{source.stem}{source.suffix}").write_text(
            text + f"\n\nThat was the end of telling number {n}.\n", encoding="utf-8"
        )
    db = tmp_path / "c.sqlite"
    run = subprocess.Popen(
        [sys.executable, "-m", "storyworld", "index", str(many), "--db", str(db), "--jobs", "2", "--quiet"],
        start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    stored_at_kill, workers = 0, []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and run.poll() is None and stored_at_kill == 0:
            time.sleep(0.05)
            with contextlib.suppress(sqlite3.Error):  # not created yet, or no schema yet
                stored_at_kill = len(stories(db))
        workers = psutil.Process(run.pid).children(recursive=True)
        run.kill()  # SIGKILL the indexer alone, mid-run
        run.wait()
        _, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive, "pool workers must exit when the indexer is killed"
    finally:
        if run.poll() is None or any(w.is_running() for w in workers):
            os.killpg(run.pid, signal.SIGKILL)
    assert 0 < stored_at_kill < 20, "the kill should land mid-run"

    summary = index([many], db, jobs=1)
    assert summary.failed == []
    rows = stories(db)
    assert len(rows) == len({path for path, *_ in rows}) == 20
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.execute("INSERT INTO dialogue_fts (dialogue_fts) VALUES ('integrity-check')")
    conn.execute("INSERT INTO narration_fts (narration_fts) VALUES ('integrity-check')")
    stored_quotes = dict(conn.execute("SELECT story_id, count(*) FROM quotes GROUP BY story_id"))
    for story, quotes in conn.execute("SELECT id, quotes FROM stories"):
        assert stored_quotes.get(story, 0) == quotes  # nothing half-written


def no_model(watch_parent: bool) -> None:
    """The test's worker needs no spaCy model."""


def analyse_or_die(path: str, sha256: str) -> dict:
    """Stands in for worker.analyse_file: a story named *die* kills its worker process outright."""
    if "die" in Path(path).name:
        os._exit(9)
    return failed_result(path, sha256, "not analysed in this test")


def test_a_story_that_kills_its_worker_is_failed_and_the_others_go_on():
    tasks = [(f"/corpus/{name}.txt", "0" * 64) for name in ("a", "b", "die", "c", "d", "e", "f", "g")]
    results = list(run_local(tasks, 2, analyse_or_die, initializer=no_model))
    errors = {Path(r["story"]["path"]).stem: r["story"]["error"] for r in results}
    assert sorted(errors) == ["a", "b", "c", "d", "die", "e", "f", "g"]  # each exactly once
    assert "worker process died" in errors["die"]
    assert all(error == "not analysed in this test" for name, error in errors.items() if name != "die")
