"""The corpus database: schema, the one writer, read-only readers.

One SQLite file (WAL mode). The schema is versioned twice: `PRAGMA user_version` and the `meta`
table's `schema_version` row; docs/corpus.md documents every table. Only the indexing process
writes, one story per transaction: a story's old rows are deleted and its new rows inserted in
the same transaction, so a run killed at any point leaves each story either fully old, fully
new, or absent — never half-written.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from storyworld.errors import E, StoryworldError

SCHEMA_VERSION = 1

# Tables whose rows belong to one story, in the order rows are inserted.
STORY_TABLES = (
    "texts", "chapters", "characters", "aliases", "mentions", "quotes", "quote_addressees",
    "scenes", "narration", "interactions", "relationships", "tags",
)

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE stories (
    id TEXT PRIMARY KEY, path TEXT NOT NULL UNIQUE, sha256 TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed')), error TEXT,
    format TEXT, title TEXT, authors TEXT, fandoms TEXT, fandom TEXT, rating TEXT, language TEXT,
    words INTEGER, characters INTEGER, quotes INTEGER, chapters INTEGER, scenes INTEGER,
    metadata TEXT, tag_agreement TEXT,
    analysed_at TEXT NOT NULL, seconds REAL, storyworld_version TEXT NOT NULL
);
CREATE TABLE texts (story_id TEXT PRIMARY KEY, text TEXT NOT NULL);
CREATE TABLE chapters (
    story_id TEXT NOT NULL, id TEXT NOT NULL, ord INTEGER NOT NULL, title TEXT,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, PRIMARY KEY (story_id, id)
);
CREATE TABLE characters (
    story_id TEXT NOT NULL, id TEXT NOT NULL, name TEXT NOT NULL, canonical TEXT,
    original INTEGER NOT NULL, named INTEGER NOT NULL, gender TEXT NOT NULL, mentions INTEGER NOT NULL,
    description TEXT NOT NULL, PRIMARY KEY (story_id, id)
);
CREATE TABLE aliases (
    story_id TEXT NOT NULL, character_id TEXT NOT NULL, alias TEXT NOT NULL,
    PRIMARY KEY (story_id, character_id, alias)
);
CREATE TABLE mentions (
    story_id TEXT NOT NULL, character_id TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, kind TEXT NOT NULL
);
CREATE TABLE quotes (
    pk INTEGER PRIMARY KEY, story_id TEXT NOT NULL, id TEXT NOT NULL, chapter TEXT,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, speech INTEGER NOT NULL,
    "group" TEXT, speaker TEXT, confidence REAL, cue TEXT, UNIQUE (story_id, id)
);
CREATE TABLE quote_addressees (
    story_id TEXT NOT NULL, quote_id TEXT NOT NULL, character_id TEXT NOT NULL,
    PRIMARY KEY (story_id, quote_id, character_id)
);
CREATE TABLE scenes (
    story_id TEXT NOT NULL, id TEXT NOT NULL, chapter TEXT, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    pov TEXT, person TEXT, "break" TEXT NOT NULL, characters TEXT NOT NULL, setting TEXT NOT NULL,
    PRIMARY KEY (story_id, id)
);
CREATE TABLE narration (
    pk INTEGER PRIMARY KEY, story_id TEXT NOT NULL, ord INTEGER NOT NULL, chapter TEXT,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, text TEXT NOT NULL, UNIQUE (story_id, ord)
);
CREATE TABLE interactions (
    story_id TEXT NOT NULL, ord INTEGER NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    kind TEXT NOT NULL, count INTEGER NOT NULL, evidence TEXT NOT NULL, PRIMARY KEY (story_id, ord)
);
CREATE TABLE relationships (
    story_id TEXT NOT NULL, ord INTEGER NOT NULL, characters TEXT NOT NULL, kind TEXT NOT NULL,
    weight REAL NOT NULL, evidence TEXT NOT NULL, PRIMARY KEY (story_id, ord)
);
CREATE TABLE tags (
    story_id TEXT NOT NULL, source TEXT NOT NULL CHECK (source IN ('author', 'suggested')),
    "group" TEXT NOT NULL, tag TEXT NOT NULL, evidence TEXT NOT NULL
);
CREATE INDEX stories_sha256 ON stories (sha256);
CREATE INDEX aliases_alias ON aliases (alias COLLATE NOCASE);
CREATE INDEX characters_name ON characters (name COLLATE NOCASE);
CREATE INDEX mentions_story ON mentions (story_id, character_id);
CREATE INDEX quotes_speaker ON quotes (story_id, speaker);
CREATE INDEX quote_addressees_character ON quote_addressees (story_id, character_id);
CREATE INDEX tags_story ON tags (story_id);
CREATE INDEX tags_tag ON tags (tag COLLATE NOCASE);
-- Full text: external-content FTS5 tables kept in step by triggers (no second copy of the text).
CREATE VIRTUAL TABLE dialogue_fts USING fts5(text, content='quotes', content_rowid='pk');
CREATE VIRTUAL TABLE narration_fts USING fts5(text, content='narration', content_rowid='pk');
CREATE TRIGGER quotes_fts_insert AFTER INSERT ON quotes BEGIN
    INSERT INTO dialogue_fts (rowid, text) VALUES (new.pk, new.text);
END;
CREATE TRIGGER quotes_fts_delete AFTER DELETE ON quotes BEGIN
    INSERT INTO dialogue_fts (dialogue_fts, rowid, text) VALUES ('delete', old.pk, old.text);
END;
CREATE TRIGGER narration_fts_insert AFTER INSERT ON narration BEGIN
    INSERT INTO narration_fts (rowid, text) VALUES (new.pk, new.text);
END;
CREATE TRIGGER narration_fts_delete AFTER DELETE ON narration BEGIN
    INSERT INTO narration_fts (narration_fts, rowid, text) VALUES ('delete', old.pk, old.text);
END;
"""

Rows = Mapping[str, Sequence[Mapping[str, Any]]]


def _not_ours(path: Path, reason: str) -> StoryworldError:
    return StoryworldError(E.E019, path=path, reason=reason)


def _check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Raise E019 unless `conn` holds a corpus database of exactly our schema version."""
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    except sqlite3.DatabaseError as err:
        raise _not_ours(path, str(err)) from None
    if row is None or int(row[0]) != version:
        raise _not_ours(path, "its meta table has no matching schema_version")
    if version != SCHEMA_VERSION:
        raise _not_ours(
            path, f"schema version {version}, this storyworld reads version {SCHEMA_VERSION}; "
            "index into a new file"
        )


def open_writer(path: Path) -> sqlite3.Connection:
    """The one writing connection: creates the schema in a new (or empty) file, else checks it."""
    try:
        conn = sqlite3.connect(path, isolation_level=None)  # we issue BEGIN/COMMIT ourselves
        conn.execute("PRAGMA journal_mode = WAL")
        # NORMAL in WAL mode: a killed process loses nothing committed; only an OS crash may
        # lose the last commits, and the file is still consistent.
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA busy_timeout = 10000")
        empty = conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] == 0
    except sqlite3.OperationalError as err:  # cannot open or create the file at all
        raise StoryworldError(E.E015, path=path, reason=err) from None
    except sqlite3.DatabaseError as err:  # opened, but it is not SQLite
        raise _not_ours(path, str(err)) from None
    if empty:
        from storyworld import __version__

        # One script, one transaction: a killed first run leaves an empty file, never half a schema.
        conn.executescript(
            f"BEGIN IMMEDIATE; {SCHEMA}"
            f"INSERT INTO meta VALUES ('schema_version', '{SCHEMA_VERSION}');"
            f"INSERT INTO meta VALUES ('created_by', 'storyworld {__version__}');"
            f"PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
        )
    _check_schema(conn, path)
    return conn


def open_reader(path: Path) -> sqlite3.Connection:
    """A read-only connection (URI mode=ro): search and export can never change the corpus."""
    if not path.is_file():
        raise StoryworldError(E.E001, path=path)
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.DatabaseError as err:
        raise _not_ours(path, str(err)) from None
    _check_schema(conn, path)
    conn.row_factory = sqlite3.Row
    return conn


def stored_hashes(conn: sqlite3.Connection) -> dict[str, str]:
    """path -> sha256 of every story stored, analysed or failed."""
    return dict(conn.execute("SELECT path, sha256 FROM stories"))


def _insert(conn: sqlite3.Connection, table: str, rows: Sequence[Mapping[str, Any]]) -> None:
    if not rows:
        return
    columns = list(rows[0])
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(f":{c}" for c in columns)
    conn.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)


def write_story(conn: sqlite3.Connection, story: Mapping[str, Any], rows: Rows) -> None:
    """Replace everything stored for `story["path"]` by `story` and `rows`, in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        old = conn.execute("SELECT id FROM stories WHERE path = ?", (story["path"],)).fetchone()
        if old is not None:
            for table in STORY_TABLES:
                conn.execute(f"DELETE FROM {table} WHERE story_id = ?", old)
            conn.execute("DELETE FROM stories WHERE id = ?", old)
        _insert(conn, "stories", [story])
        for table in STORY_TABLES:
            _insert(conn, table, rows.get(table, ()))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
