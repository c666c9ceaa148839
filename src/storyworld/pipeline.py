"""One loop over small stages. A stage computes layers from the ones it requires; the loop attaches them.

Each module in `storyworld.stages` exposes `STAGE = Stage(...)`. `compute(story)` must not touch
`story`: it returns `{layer: value}` for exactly the layers it declares in `assigns`, and
`run` sets them. `check` reports a stage whose input no earlier stage (or ingest) provides.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from storyworld.errors import E, StoryworldError
from storyworld.model import Story

# Layers that ingest fills before any stage runs.
INGESTED = ("text", "source", "metadata", "chapters")


@dataclass(frozen=True)
class Stage:
    name: str
    requires: tuple[str, ...]
    assigns: tuple[str, ...]
    compute: Callable[[Story], dict[str, Any]]


def check(stages: Sequence[Stage]) -> None:
    """Raise E013 when a stage requires a layer that nothing before it assigns."""
    available = set(INGESTED)
    for stage in stages:
        for layer in stage.requires:
            if layer not in available:
                providers = [s.name for s in stages if layer in s.assigns] or ["(none)"]
                raise StoryworldError(E.E013, stage=stage.name, layer=layer, providers=providers)
        available.update(stage.assigns)


def run(story: Story, stages: Iterable[Stage], timings: dict[str, float] | None = None) -> Story:
    """Run `stages` in order over `story`, attaching each stage's layers; optionally time them."""
    stages = list(stages)
    check(stages)
    for stage in stages:
        began = time.perf_counter()
        layers = stage.compute(story)
        if set(layers) != set(stage.assigns):
            raise StoryworldError(
                E.E014, stage=stage.name, got=sorted(layers), declared=list(stage.assigns)
            )
        for layer, value in layers.items():
            setattr(story, layer, value)
        if timings is not None:
            timings[stage.name] = timings.get(stage.name, 0.0) + time.perf_counter() - began
    return story


def default_stages() -> list[Stage]:
    """Every stage, in pipeline order."""
    from storyworld.stages import STAGES

    return list(STAGES)
