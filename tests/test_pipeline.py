"""The stage loop: requirements checked, declared layers enforced."""

from __future__ import annotations

import pytest

from storyworld.errors import StoryworldError
from storyworld.ingest import from_string
from storyworld.pipeline import Stage, check, default_stages, run


def test_default_stage_order_satisfies_every_requirement():
    check(default_stages())


def test_missing_requirement_is_reported_with_providers():
    needs_quotes = Stage("late", requires=("quotes",), assigns=("scenes",), compute=lambda s: {})
    with pytest.raises(StoryworldError, match=r"E013.*'quotes'"):
        check([needs_quotes])


def test_stage_must_return_exactly_its_declared_layers():
    liar = Stage("liar", requires=("text",), assigns=("quotes",), compute=lambda s: {"scenes": []})
    with pytest.raises(StoryworldError, match="E014"):
        run(from_string("text\n"), [liar])


def test_run_attaches_layers_and_times_stages():
    stage = Stage("count", requires=("text",), assigns=("quotes",), compute=lambda s: {"quotes": []})
    timings: dict[str, float] = {}
    story = run(from_string("text\n"), [stage], timings)
    assert story.quotes == [] and "count" in timings

