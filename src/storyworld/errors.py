"""The error catalogue. Every message names the file, says what was wrong and what would be right.

Codes are never reused: add new ones at the end. The CLI prints `error: [Ennn] message` on one
line and exits non-zero; library callers catch `StoryworldError`.
"""

from __future__ import annotations

from enum import StrEnum


class E(StrEnum):
    E001 = "{path}: no such file or directory"
    E002 = "{path}: the file is empty; give a story with some text in it"
    E003 = "{path}: looks like a binary file ({reason}); storyworld reads .txt, .md, .html, .epub"
    E004 = "{path}: {size} bytes is over the size limit of {limit} bytes; raise it with --max-bytes"
    E005 = "{path}: no stories found in this folder (looked for {patterns})"
    E006 = "{path}: not a readable EPUB ({reason})"
    E007 = "{path}: archive member '{member}' points outside the archive; refusing to read it"
    E008 = "{path}: the archive expands past {limit} bytes; raise it with --max-bytes if it is genuine"
    E009 = "{path}: XML refused ({reason}); entity declarations are not allowed in stories"
    E010 = "{path}: could not decode the text ({reason})"
    E011 = (
        "{path}: unsupported file type '{suffix}'; storyworld reads .txt, .md, .html, .htm, .epub"
        " or a folder of them"
    )
    E012 = "{path}: not a readable HTML story ({reason})"
    E013 = "stage '{stage}' needs layer '{layer}' but no earlier stage assigns it; add one of {providers}"
    E014 = "stage '{stage}' returned {got}, but declares it assigns {declared}"
    E015 = "{path}: could not write ({reason})"
    E016 = "{path}: not a cast file we can read ({reason}); give PDNC character_info.csv, YAML or JSON"
    E017 = "{path}: not a fandom pack ({reason}); see docs/fandom-packs.md for the format"
    E018 = "{path}: not a gold corpus we can read ({reason}); give PDNC's data/ folder or a JSONL file"
    E019 = "{path}: not a storyworld database ({reason}); create one with `storyworld index`"
    E020 = "chapter '{chapter}' not found; this story has chapters {available}"
    E021 = "the spaCy model '{model}' is not installed; reinstall storyworld (pip install .)"
    E022 = "refusing to bind to public address {host}; pass --allow-public to expose the explorer"
    E023 = "{feature} needs the optional package '{package}'; install it: pip install 'storyworld[{extra}]'"
    E024 = (
        "could not reach the Dask scheduler at {address} ({reason}); check the address, or leave out"
        " --scheduler to start a local cluster"
    )
    E025 = "'{query}' is not a valid text search ({reason}); use words, \"a phrase\", OR, NOT, prefix*"
    E026 = "no fandom pack for '{fandom}'; known packs: {available} (add one: docs/fandom-packs.md)"


class StoryworldError(Exception):
    """A user-facing failure with a catalogue code."""

    def __init__(self, code: E, **fields: object) -> None:
        self.code = code
        self.fields = fields
        super().__init__(f"[{code.name}] {code.value.format(**fields)}")

    def __reduce__(self) -> tuple:
        # Rebuilt from code and fields, so the error crosses process boundaries (worker pools).
        return (_rebuild, (self.code.name, self.fields))


def _rebuild(code: str, fields: dict[str, object]) -> StoryworldError:
    return StoryworldError(E[code], **fields)
