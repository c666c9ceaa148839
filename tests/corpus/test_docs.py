"""docs/corpus.md documents every corpus command option and every table and column of the schema."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from storyworld.corpus import store
from storyworld.corpus.cli import COMMANDS

DOC = (Path(__file__).resolve().parents[2] / "docs" / "corpus.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.name)
def test_every_option_is_documented(command):
    options = [opt for param in command.params for opt in param.opts if opt.startswith("--")]
    assert [opt for opt in options if opt not in DOC] == []


def test_every_table_and_column_is_documented(tmp_path):
    conn = store.open_writer(tmp_path / "c.sqlite")
    tables = [name for (name,) in conn.execute(
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT GLOB '*_fts_*'"  # FTS5 internals
    )]
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `(\w+)` \|.*$", DOC, re.MULTILINE)}
    missing = [table for table in tables if table not in rows]
    for table in tables:
        if table.endswith("_fts"):
            continue
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "story_id"]
        missing += [f"{table}.{c}" for c in columns if f"`{c}`" not in rows.get(table, "")]
    assert missing == []
    assert "Every story table has `story_id`" in DOC
    assert f"## Schema, version {store.SCHEMA_VERSION}" in DOC
