"""The corpus commands end to end: index prints a summary, search --json/--csv, export, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys

from click.testing import CliRunner

from storyworld.cli import cli


def invoke(*args: str):
    """In this process (the spaCy model stays loaded between tests)."""
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_index_summary_then_search_and_export(corpus_dir, tmp_path):
    db = str(tmp_path / "c.sqlite")
    stories = (str(corpus_dir / "harbour"), str(corpus_dir / "broken.epub"))
    result = invoke("index", *stories, "--db", db, "-j", "1")
    assert result.exit_code == 0
    assert "2 analysed" in result.stderr and "1 failed" in result.stderr and "E006" in result.stderr
    assert "stories/s" in result.stderr and "words/s" in result.stderr  # the progress bar

    found = json.loads(invoke("search", "--db", db, "--text", "token", "--json").stdout)
    assert found and all("token" in row["text"].lower() for row in found)
    listing = invoke("search", "--db", db, "--csv").stdout
    assert listing.splitlines()[0].startswith("path,title,status")
    assert len(listing.splitlines()) == 4  # header + 3 stories, the failed one included

    exported = invoke("export", "--db", db, "--csv", str(tmp_path / "out"))
    assert exported.exit_code == 0 and (tmp_path / "out" / "stories.csv").exists()


def test_search_on_a_missing_database_is_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "storyworld", "search", "--db", str(tmp_path / "none.sqlite")],
        capture_output=True, text=True,
    )
    assert result.returncode == 1 and "E001" in result.stderr and "Traceback" not in result.stderr
