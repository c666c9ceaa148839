"""The World contract: schema, round trip, attributions folded into quotes."""

from __future__ import annotations

import jsonschema
import pytest

from storyworld.ingest import from_string
from storyworld.model import Attribution, Quote, World, world_schema


def _story():
    story = from_string('"Hello," said Mara.\n')
    story.quotes = [Quote(id="q1", start=0, end=9, text='"Hello,"')]
    story.attributions = [Attribution(quote="q1", speaker="c1", confidence=0.8, cue="explicit")]
    return story


def test_world_validates_against_published_schema():
    data = _story().to_world().model_dump(mode="json", by_alias=True)
    jsonschema.validate(data, world_schema())
    assert data["format"] == "storyworld/1"


@pytest.mark.parametrize("change", [{"format": "storyworld/0"}, {"surprise": 1}])
def test_schema_rejects_unknown_format_and_fields(change):
    data = _story().to_world().model_dump(mode="json", by_alias=True)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(dict(data, **change), world_schema())


def test_attribution_is_folded_into_its_quote():
    quote = _story().to_world().quotes[0]
    assert (quote.speaker, quote.cue, quote.confidence) == ("c1", "explicit", 0.8)


def test_json_round_trip_keeps_scene_break_alias():
    world = _story().to_world()
    again = World.from_json(world.to_json())
    assert again == world
