"""The corpus database: versioned schema, one writer replacing a story atomically, read-only readers."""

from __future__ import annotations

import sqlite3

import pytest

from storyworld.corpus import store
from storyworld.errors import StoryworldError
from tests.corpus.conftest import write_hand_world


def test_new_database_is_versioned_and_in_wal_mode(tmp_path):
    conn = store.open_writer(tmp_path / "c.sqlite")
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0] == "1"
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reader_cannot_write(hand_db):
    conn = store.open_reader(hand_db)
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        conn.execute("DELETE FROM stories")


def test_foreign_sqlite_file_is_refused_with_e019(tmp_path):
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE notes (x)").connection.commit()
    for opener in (store.open_reader, store.open_writer):
        with pytest.raises(StoryworldError, match="E019"):
            opener(other)


def test_a_text_file_is_not_a_database(tmp_path):
    bogus = tmp_path / "corpus.sqlite"
    bogus.write_text("not a database at all, just words " * 50)
    with pytest.raises(StoryworldError, match="E019"):
        store.open_writer(bogus)


def test_a_database_in_a_missing_folder_is_e015(tmp_path):
    with pytest.raises(StoryworldError, match="E015"):
        store.open_writer(tmp_path / "absent" / "c.sqlite")


def test_newer_schema_version_is_refused(hand_db):
    conn = sqlite3.connect(hand_db)
    conn.execute("PRAGMA user_version = 99")
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    with pytest.raises(StoryworldError, match="schema version 99"):
        store.open_reader(hand_db)


def test_rewriting_a_story_replaces_its_rows(hand_db):
    conn = store.open_writer(hand_db)
    write_hand_world(conn)  # the same path again
    counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
              for t in ("stories", "quotes", "aliases", "quote_addressees", "tags")}
    assert counts == {"stories": 1, "quotes": 2, "aliases": 2, "quote_addressees": 2, "tags": 2}
    hits = conn.execute("SELECT count(*) FROM dialogue_fts WHERE dialogue_fts MATCH 'rope'").fetchone()[0]
    assert hits == 2  # the full-text index followed the delete and the insert
    conn.execute("INSERT INTO dialogue_fts (dialogue_fts) VALUES ('integrity-check')")


def test_a_failed_write_leaves_the_old_story(hand_db):
    conn = store.open_writer(hand_db)
    cursor = conn.execute("SELECT * FROM stories")
    story = dict(zip([d[0] for d in cursor.description], cursor.fetchone(), strict=True))
    bad_rows = {"quotes": [{"story_id": story["id"], "id": "q9", "start": 0, "end": 1, "text": "x",
                            "speech": 1, "no_such_column": 1}]}
    with pytest.raises(sqlite3.OperationalError):
        store.write_story(conn, story, bad_rows)
    assert conn.execute("SELECT count(*) FROM quotes").fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM stories").fetchone()[0] == 1


def test_narration_leaves_out_the_quotes(hand_db):
    conn = store.open_reader(hand_db)
    texts = [row[0] for row in conn.execute("SELECT text FROM narration ORDER BY ord")]
    assert texts[0] == "The ferry was late. Wren told Ossian."
    assert all('"' not in text for text in texts)
