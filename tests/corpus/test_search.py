"""Search over a database holding a hand-made World: speaker/addressee lines, text, characters, tags."""

from __future__ import annotations

import pytest

from storyworld.corpus.search import Query, relationship_pair, search
from storyworld.corpus.store import open_reader
from storyworld.errors import StoryworldError


def run(db, **query) -> list[dict]:
    conn = open_reader(db)
    try:
        return search(conn, Query(**query))
    finally:
        conn.close()


def test_lines_a_speaker_says_to_an_addressee(hand_db):
    rows = run(hand_db, speaker="wren", addressee="Ossian")
    assert [row["text"] for row in rows] == ['"Mind the rope,"']
    assert rows[0]["speaker"] == "Wren Aldous" and rows[0]["addressees"] == "Ossian"
    assert run(hand_db, speaker="Ossian", addressee="Ossian") == []


def test_a_surname_or_first_name_alone_finds_the_character(hand_db):
    assert [r["character"] for r in run(hand_db, character="Aldous")] == ["Wren Aldous"]
    assert run(hand_db, character="Ald") == []  # whole words only


def test_text_finds_dialogue_and_narration(hand_db):
    kinds = {row["kind"]: row["text"] for row in run(hand_db, text="rope OR gulls")}
    assert kinds["narration"].startswith("The gulls circled")
    assert "rope" in kinds["dialogue"]
    assert all(row["kind"] == "dialogue" for row in run(hand_db, text="rope", speaker="Ossian"))


def test_relationship_either_spelling(hand_db):
    for pair in ("Wren/Ossian", "Ossian & Wren Aldous"):
        rows = run(hand_db, relationship=pair)
        assert [(r["kind"], r["characters"]) for r in rows] == [("friendship", "Wren Aldous / Ossian")]
    assert run(hand_db, relationship="Wren/Nobody") == []
    with pytest.raises(ValueError):
        relationship_pair("Wren")


def test_tag_matches_part_of_a_tag(hand_db):
    assert [r["tag"] for r in run(hand_db, tag="ferr")] == ["Ferries"]


def test_a_broken_text_query_is_e025(hand_db):
    with pytest.raises(StoryworldError, match="E025"):
        run(hand_db, text='"unclosed')
