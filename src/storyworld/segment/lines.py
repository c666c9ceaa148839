"""What a single stand-alone line says about structure: a scene-break marker, a POV header, or neither.

Authors mark scene breaks with lines of symbols ("* * *", "~~~", "-0-0-0-", "———"), decorative
x/o patterns ("xXx", "oOo", "o0o0o"), or words ("Line break", "~Time skip~"); they mark a
point-of-view switch with headers ("Sasuke's POV", "POV: Hinata", "*Sakura's point of view*").
"""

from __future__ import annotations

import itertools
import re

MAX_HEADER_CHARS = 60
QUOTES = frozenset("\"'“”‘’«»„")
# Letterless lines that are an utterance or a beat, not a marker: '...', '?!', '……', '. . .'.
_BEAT = re.compile(r"[.!?…,]+|[.!?…,](?:\s*[.!?…,]){0,2}")
_DECORATION = re.compile(r"^[\W_]+|[\W_]+$")
_PATTERN_CHARS = frozenset("xo0")
_BREAK_WORDS = re.compile(
    r"(?:(?:scene|line|page|section|time)[ -]?(?:break|skip|change|jump|switch|shift)"
    r"|break|time ?skip|flash ?back(?: (?:start|starts|begins?|end|ends|over))?|end(?: of)? flash ?back)",
    re.IGNORECASE,
)
_POV = r"(?:pov|p\.\s?o\.\s?v\.?|point of view|perspective)"
_NAME = r"[^\W\d_][\w.'’-]*(?:\s+[^\W\d_][\w.'’-]*){0,3}"
_POV_AFTER_NAME = re.compile(rf"(?P<name>{_NAME})\s*{_POV}(?:\s*[-–—:(].*)?", re.IGNORECASE)
_POV_BEFORE_NAME = re.compile(rf"{_POV}\s*[:\-–—]?\s*(?P<name>{_NAME})", re.IGNORECASE)
_POSSESSIVE = re.compile(r"['’]s?$")
# "Normal POV", "Third person POV": a header that names no character.
_NO_CHARACTER = frozenset(
    {"normal", "regular", "general", "third person", "3rd person", "omniscient", "author", "narrator",
     "nobody", "no one", "neutral", "everyone", "outside", "unknown", "mystery", "change", "switch",
     "shift"}
)
_NOT_NAMES = frozenset({"his", "her", "my", "their", "your", "our", "its", "the", "a", "from", "in", "whose"})


def _is_pattern(line: str) -> bool:
    """Decorative x/o/0 rows: 'xXx', 'oOo', 'o0o0o', '-0-0-0-', '~x~x~', 'XXX'."""
    letters = [c for c in line if c.isalnum()]
    if not letters or any(c.lower() not in _PATTERN_CHARS for c in letters):
        return False
    symbols = [c for c in line if not c.isalnum() and not c.isspace()]
    if any(c not in ".!?…," for c in symbols):
        return True
    changes = sum(a != b for a, b in itertools.pairwise(letters))
    uniform_caps = len(letters) >= 3 and "".join(letters) in ("X" * len(letters), "0" * len(letters))
    return changes >= 2 or uniform_caps


def is_marker(line: str) -> bool:
    """True when a stand-alone line is a scene-break marker."""
    line = line.strip()
    if not line or any(c in QUOTES for c in line):
        return False
    if not any(c.isalnum() for c in line):
        return not _BEAT.fullmatch(line)
    if _is_pattern(line):
        return True
    return len(line) <= MAX_HEADER_CHARS and bool(_BREAK_WORDS.fullmatch(_DECORATION.sub("", line)))


def pov_header(line: str) -> tuple[bool, str | None]:
    """(is a POV header, the character it names or None for 'Normal POV' and the like)."""
    line = line.strip()
    if not line or len(line) > MAX_HEADER_CHARS or any(c in '"“”' for c in line):
        return False, None
    core = _DECORATION.sub("", line)
    match = _POV_AFTER_NAME.fullmatch(core) or _POV_BEFORE_NAME.fullmatch(core)
    if not match:
        return False, None
    name = _POSSESSIVE.sub("", match.group("name").strip()).strip()
    if not name or name.split()[0].lower() in _NOT_NAMES:
        return False, None
    return True, None if name.lower() in _NO_CHARACTER else name


def stands_alone(line: str) -> bool:
    """A marker or POV header: a line that is never part of a wrapped paragraph."""
    return is_marker(line) or pov_header(line)[0]
