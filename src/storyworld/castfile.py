"""Cast files (`--cast FILE`): the characters a user names in advance.

Three shapes are read:
- PDNC `character_info.csv`: columns `Main Name`, `Aliases` (a Python set/list literal), `Gender` (F/M/X/U);
- YAML or JSON list: `[{name, aliases, gender}]`;
- YAML or JSON mapping: `{name: [aliases]}`.
"""

from __future__ import annotations

import ast
import csv
import io
import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from storyworld.errors import E, StoryworldError
from storyworld.model import CastEntry

_GENDERS = {"f": "female", "female": "female", "m": "male", "male": "male", "x": "unknown",
            "nonbinary": "nonbinary", "non-binary": "nonbinary", "nb": "nonbinary"}


def load_cast(path: str | Path) -> list[CastEntry]:
    """The cast a file lists; E001 when it is missing, E016 when it is not a cast file."""
    path = Path(path)
    if not path.is_file():
        raise StoryworldError(E.E001, path=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as err:
        raise StoryworldError(E.E016, path=path, reason=str(err)) from err
    try:
        if path.suffix.lower() == ".csv":
            entries = _from_pdnc_csv(text)
        else:
            entries = _from_data(json.loads(text) if path.suffix.lower() == ".json" else yaml.safe_load(text))
    except (ValueError, SyntaxError, TypeError, KeyError, yaml.YAMLError, ValidationError) as err:
        reason = str(err).splitlines()[0] if str(err) else type(err).__name__
        raise StoryworldError(E.E016, path=path, reason=reason) from err
    if not entries:
        raise StoryworldError(E.E016, path=path, reason="it lists no characters")
    return entries


def gender_of(value: Any) -> str:
    """A gender as the model spells it, from F/M/X or words; anything else is unknown."""
    return _GENDERS.get(str(value or "").strip().lower(), "unknown")


def _entry(name: Any, aliases: Any, gender: Any = None) -> CastEntry:
    if not isinstance(name, str) or not name.strip():
        raise ValueError(f"a character without a name: {name!r}")
    if isinstance(aliases, str):
        aliases = [aliases]
    aliases = [a.strip() for a in aliases or [] if isinstance(a, str) and a.strip()]
    # Sorted: PDNC writes aliases as a Python set, whose order is arbitrary.
    unique = sorted({a for a in aliases if a != name.strip()})
    return CastEntry(name=name.strip(), aliases=unique, gender=gender_of(gender))


def _from_pdnc_csv(text: str) -> list[CastEntry]:
    rows = list(csv.DictReader(io.StringIO(text)))
    if rows and "Main Name" not in rows[0]:
        raise ValueError("no 'Main Name' column (PDNC character_info.csv has Main Name, Aliases, Gender)")
    entries = []
    for row in rows:
        raw = (row.get("Aliases") or "").strip()
        aliases = ast.literal_eval(raw) if raw else []
        if not isinstance(aliases, list | set | tuple):
            raise ValueError(f"aliases of {row['Main Name']!r} are not a list: {raw[:40]!r}")
        entries.append(_entry(row["Main Name"], list(aliases), row.get("Gender")))
    return entries


def _from_data(data: Any) -> list[CastEntry]:
    if isinstance(data, dict):
        return [_entry(name, aliases) for name, aliases in data.items()]
    if isinstance(data, list):
        entries = []
        for item in data:
            if isinstance(item, str):
                entries.append(_entry(item, []))
            elif isinstance(item, dict):
                entries.append(_entry(item.get("name"), item.get("aliases"), item.get("gender")))
            else:
                raise ValueError(f"a cast entry must be a name or a mapping, not {item!r}")
        return entries
    raise ValueError("expected a list of characters or a mapping of name to aliases")
