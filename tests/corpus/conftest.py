"""Corpus test helpers: a writable copy of the fixture stories, a database built from a hand-made World."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from storyworld.corpus import store
from storyworld.corpus.rows import blank_line_paragraphs, story_id, story_row, world_rows
from storyworld.corpus.store import STORY_TABLES
from storyworld.model import (
    Chapter,
    Character,
    Mention,
    Quote,
    Relationship,
    Source,
    Tags,
    TagSuggestion,
    World,
)

CORPUS_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "corpus"
GOOD_STORIES = 5  # every fixture story except broken.epub

# Columns that differ between two runs over the same files by design (when, how long).
RUN_COLUMNS = {"pk", "analysed_at", "seconds"}


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """A writable copy of tests/fixtures/corpus (5 good stories, 1 broken epub, nested folder)."""
    target = tmp_path / "stories"
    shutil.copytree(CORPUS_FIXTURES, target)
    return target


def table_rows(db: Path) -> dict[str, list[tuple]]:
    """Every stored row of every table, without run-dependent columns, in a canonical order."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    rows = {}
    for table in ("stories", *STORY_TABLES):
        columns = [r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] not in RUN_COLUMNS]
        names = ", ".join(f'"{c}"' for c in columns)
        rows[table] = sorted(conn.execute(f"SELECT {names} FROM {table}").fetchall(), key=repr)
    conn.close()
    return rows


TEXT = (
    'The ferry was late. "Mind the rope," Wren told Ossian.\n\n'
    '"I always mind the rope," Ossian said to her.\n\n'
    "The gulls circled the mast while the tide turned.\n"
)


def hand_world() -> World:
    """A World written by hand: two characters, two quotes with speakers and addressees."""
    first = TEXT.index('"Mind')
    second = TEXT.index('"I always')
    return World(
        source=Source(path="ferry.txt", format="txt", sha256="0" * 64),
        text=TEXT,
        chapters=[Chapter(id="ch1", title="The Ferry", start=0, end=len(TEXT))],
        characters=[
            Character(id="c1", name="Wren Aldous", aliases=["Wren"], gender="female",
                      mentions=[Mention(start=TEXT.index("Wren"), end=TEXT.index("Wren") + 4, text="Wren",
                                        kind="name")]),
            Character(id="c2", name="Ossian", aliases=["Ossian"], gender="male"),
        ],
        quotes=[
            Quote(id="q1", start=first, end=first + 16, text=TEXT[first:first + 16], speaker="c1",
                  addressees=["c2"], confidence=0.9, cue="explicit"),
            Quote(id="q2", start=second, end=second + 25, text=TEXT[second:second + 25], speaker="c2",
                  addressees=["c1"], confidence=0.9, cue="explicit"),
        ],
        relationships=[Relationship(characters=["c1", "c2"], kind="friendship", weight=0.5)],
        tags=Tags(relationships=[TagSuggestion(tag="Wren Aldous & Ossian")],
                  additional=[TagSuggestion(tag="Ferries")]),
    )


def write_hand_world(conn: sqlite3.Connection, path: str = "/corpus/ferry.txt") -> None:
    world = hand_world()
    sid = story_id(path)
    story = {
        "id": sid, "path": path, "sha256": "0" * 64, "status": "ok", "error": None,
        "analysed_at": "2026-01-01T00:00:00+00:00", "seconds": 0.1, "storyworld_version": "test",
        **story_row(world),
    }
    store.write_story(conn, story, world_rows(world, blank_line_paragraphs(TEXT), sid))


@pytest.fixture
def hand_db(tmp_path: Path) -> Path:
    """A corpus database holding the hand-made World only."""
    db = tmp_path / "hand.sqlite"
    conn = store.open_writer(db)
    write_hand_world(conn)
    conn.close()
    return db
