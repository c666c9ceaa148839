"""Plain text: text equals the decoded file; encodings detected and recorded; odd bytes never crash."""

from __future__ import annotations

import codecs

import pytest

from storyworld.errors import StoryworldError
from storyworld.ingest import Limits, load

STORY = "Ségolène poured the café crème.\r\n\r\n“Merci,” said Anaïs — and meant it.\r\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (STORY.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + STORY.encode("utf-8"), "utf-8-sig"),
        (STORY.encode("utf-16"), "utf-16"),
        (STORY.encode("utf-16-be"), "utf-16-be"),
        (STORY.encode("cp1252"), "cp1252"),
    ],
)
def test_encodings_decode_to_the_same_text(tmp_path, data, encoding):
    path = tmp_path / "story.txt"
    path.write_bytes(data)
    story = load(path)
    assert story.text == STORY
    assert story.source.encoding == encoding
    assert story.source.format == "txt"


def test_latin1_prose_is_read(tmp_path):
    path = tmp_path / "story.txt"
    text = "Der Bäcker öffnete früh. Über den Dächern lag Schnee, und die Straße war still.\n" * 3
    path.write_bytes(text.encode("latin-1"))
    story = load(path)
    assert story.text == text and story.source.encoding in ("cp1252", "latin-1")


def test_utf8_with_a_stray_cp1252_quote_keeps_its_utf8(tmp_path):
    path = tmp_path / "pasted.txt"
    path.write_bytes("Zoë ordered the café crème.\n".encode() + b"Then \x93hello\x94, she said.\n")
    story = load(path)
    assert story.text == "Zoë ordered the café crème.\nThen “hello”, she said.\n"
    assert story.source.encoding == "utf-8+cp1252"


def test_odd_bytes_never_crash(tmp_path):
    path = tmp_path / "story.txt"
    path.write_bytes(b"She said \x93hello\x94 and \x81\x8d left.\n" + bytes(range(128, 256)))
    story = load(path)
    assert story.text.startswith("She said")


def test_chapters_and_markdown(ingest_fixtures):
    story = load(ingest_fixtures / "chaptered.md")
    assert story.source.format == "md"
    assert [c.title for c in story.chapters] == ["Chapter One", "Chapter Two: Fog"]
    assert story.chapters[-1].end == len(story.text)


def test_binary_file_is_refused(tmp_path):
    path = tmp_path / "picture.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    with pytest.raises(StoryworldError, match="E003"):
        load(path)


def test_over_the_limit_is_refused(tmp_path):
    path = tmp_path / "long.txt"
    path.write_text("word " * 100, encoding="utf-8")
    with pytest.raises(StoryworldError, match="E004"):
        load(path, Limits(max_bytes=100))
