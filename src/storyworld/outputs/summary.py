"""The terminal summary `storyworld read` prints: counts, then the cast as a table."""

from __future__ import annotations

from collections import Counter

from rich.console import Console
from rich.table import Table

from storyworld.model import World

MAX_ALIASES = 6


def print_summary(world: World, console: Console, *, cast_rows: int = 40) -> None:
    words = len(world.text.split())
    speech = sum(q.speech for q in world.quotes)
    title = world.metadata.title or world.source.path or "story"
    console.print(f"[bold]{title}[/bold]")
    facts = [
        f"{words:,} words",
        f"{len(world.chapters)} chapter(s)",
        f"{len(world.scenes)} scene(s)",
        f"{len(world.quotes)} quotation(s), {speech} speech",
        f"{len(world.characters)} character(s)",
    ]
    if world.source.encoding:
        facts.append(f"encoding {world.source.encoding}")
    if world.fandom:
        facts.append(f"fandom {world.fandom}")
    console.print(" · ".join(facts))
    if not world.characters:
        return
    spoken = Counter(q.speaker for q in world.quotes if q.speech and q.speaker)
    table = Table(title="Cast", show_lines=False)
    table.add_column("name")
    table.add_column("aliases")
    table.add_column("mentions", justify="right")
    table.add_column("lines", justify="right")
    table.add_column("", style="dim")
    ranked = sorted(world.characters, key=lambda c: (-spoken[c.id], -len(c.mentions), c.name))
    for character in ranked[:cast_rows]:
        aliases = [a for a in character.aliases if a != character.name]
        shown = ", ".join(aliases[:MAX_ALIASES]) + (" …" if len(aliases) > MAX_ALIASES else "")
        flags = " ".join(
            flag
            for flag, on in (("OC", character.original), ("unnamed", not character.named))
            if on
        )
        table.add_row(character.name, shown, str(len(character.mentions)), str(spoken[character.id]), flags)
    console.print(table)
    if len(ranked) > cast_rows:
        console.print(f"… and {len(ranked) - cast_rows} more in the JSON")
