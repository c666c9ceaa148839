"""Plain text and Markdown: `text` is the decoded file less its author's notes and disclaimers
(ingest/notes.py moves them to `metadata.notes`), so offsets index the file when it has none."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from storyworld.errors import E, StoryworldError
from storyworld.ingest import Limits, read_bytes, sha256
from storyworld.ingest.chapters import find_chapters
from storyworld.ingest.notes import split_notes
from storyworld.model import Metadata, Source, Story

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CP1252_UNDEFINED = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})
# Control bytes that never occur in text in any single-byte encoding we accept.
_BINARY_BYTES = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31}


def _bomless_utf16(sample: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when every other byte is zero, as in UTF-16 English without a BOM."""
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, other, encoding in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if zeros.count(0) >= 0.9 * len(zeros) and other.count(0) == 0:
            return encoding
    return None


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as text; returns (text, encoding). BOMs first, then UTF-8, then detection."""
    sample = data[:65536]
    declared = next((encoding for bom, encoding in _BOMS if data.startswith(bom)), None)
    declared = declared or _bomless_utf16(sample[: len(sample) // 2 * 2])
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError as err:
            raise StoryworldError(E.E010, path=path, reason=f"{declared}: {err.reason}") from None
    binary = sum(byte in _BINARY_BYTES for byte in sample)
    if b"\x00" in sample or binary > len(sample) // 100:
        raise StoryworldError(E.E003, path=path, reason="it contains control bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mixed = _utf8_with_strays(data)
    if mixed is not None:
        return mixed, "utf-8+cp1252"
    return _detect(data)


def _stray_bytes(err: UnicodeError) -> tuple[str, int]:
    """Decode error handler: bytes that are not UTF-8 read as cp1252 (latin-1 where cp1252 has none)."""
    if not isinstance(err, UnicodeDecodeError):
        raise err
    stray = err.object[err.start : err.end]
    text = "".join(bytes([b]).decode("cp1252") if b not in _CP1252_UNDEFINED else chr(b) for b in stray)
    return text, err.end


codecs.register_error("storyworld-stray-cp1252", _stray_bytes)


def _utf8_with_strays(data: bytes) -> str | None:
    """UTF-8 text with a few stray single-byte characters (a cp1252 quote pasted into a UTF-8 file).

    Only when valid UTF-8 characters outnumber the strays: a whole cp1252 file has almost none.
    """
    lenient = data.decode("utf-8", errors="replace")
    strays = lenient.count("\ufffd")
    valid = sum(1 for char in lenient if char > "\x7f" and char != "\ufffd")
    if valid == 0 or strays > valid:
        return None
    return data.decode("utf-8", errors="storyworld-stray-cp1252")


def _detect(data: bytes) -> tuple[str, str]:
    """charset-normalizer's pick, preferring cp1252 (what Windows editors write) on a tie.

    Bytes no code page fits still decode as latin-1: a few odd bytes should not lose the story.
    """
    results = from_bytes(data)
    best = results.best()
    if best is None:
        return data.decode("latin-1"), "latin-1"
    text = str(best)
    western = next((match for match in results if match.encoding == "cp1252"), None)
    as_good = western is not None and western.chaos <= best.chaos and western.coherence >= best.coherence
    try:
        if best.encoding != "cp1252" and (as_good or data.decode("cp1252") == text):
            return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        pass
    return text, best.encoding


def read_text_file(path: Path, limits: Limits) -> tuple[str, str, bytes]:
    """(text, encoding, raw bytes) of a text file, refusing empty, binary and undecodable files."""
    data = read_bytes(path, limits)
    text, encoding = decode(data, path)
    if not text.strip():
        raise StoryworldError(E.E002, path=path)
    return text, encoding, data


def read_txt(path: Path, limits: Limits) -> Story:
    text, encoding, data = read_text_file(path, limits)
    text, notes = split_notes(text)
    if not text.strip():
        raise StoryworldError(E.E002, path=path)
    markdown = path.suffix.lower() == ".md"
    fmt = "md" if markdown else "txt"
    return Story(
        text=text,
        source=Source(path=str(path), format=fmt, sha256=sha256(data), encoding=encoding),
        metadata=Metadata(title=path.stem, notes=notes),
        chapters=find_chapters(text, markdown=markdown),
    )
