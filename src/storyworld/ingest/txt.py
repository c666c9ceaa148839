"""Plain text and Markdown: `text` is exactly the decoded file, so offsets index the file."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from storyworld.errors import E, StoryworldError
from storyworld.ingest import Limits, read_bytes, sha256
from storyworld.model import Metadata, Source, Story

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control bytes that never occur in text in any single-byte encoding we accept.
_BINARY_BYTES = set(range(0, 9)) | {11, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 28, 29, 30, 31}


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """Decode bytes as text; returns (text, encoding). BOMs first, then UTF-8, then detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError as err:
                raise StoryworldError(E.E010, path=path, reason=err.reason) from None
    sample = data[:65536]
    binary = sum(byte in _BINARY_BYTES for byte in sample)
    if b"\x00" in sample or binary > len(sample) // 100:
        raise StoryworldError(E.E003, path=path, reason="it contains control bytes")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise StoryworldError(E.E003, path=path, reason="no text encoding fits it")
    encoding = best.encoding
    # cp1252 is a superset of latin-1 for printable text and is what Windows editors write.
    if encoding in ("latin_1", "iso8859_1", "iso8859_15"):
        encoding = "cp1252"
    try:
        return data.decode(encoding), encoding
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def read_txt(path: Path, limits: Limits) -> Story:
    data = read_bytes(path, limits)
    text, encoding = decode(data, path)
    if not text.strip():
        raise StoryworldError(E.E002, path=path)
    fmt = "md" if path.suffix.lower() == ".md" else "txt"
    return Story(
        text=text,
        source=Source(path=str(path), format=fmt, sha256=sha256(data), encoding=encoding),
        metadata=Metadata(title=path.stem),
    )
