"""Word lists shipped as data files in storyworld/data/, read once per process."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def lexicon(name: str) -> dict[str, Any]:
    """The parsed storyworld/data/<name>.toml."""
    return tomllib.loads((files("storyworld") / "data" / f"{name}.toml").read_text(encoding="utf-8"))


@cache
def words(name: str, section: str, key: str) -> frozenset[str]:
    """One list of a lexicon as a set of lower-case entries."""
    return frozenset(w.lower() for w in lexicon(name)[section][key])
