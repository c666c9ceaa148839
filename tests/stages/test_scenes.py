"""Scenes: POV from the narration, unmarked POV shifts, first person, setting cues."""

from __future__ import annotations

from storyworld.stages.scenes import find_scenes
from tests.stages.helpers import story_with_cast

CAST = {"c1": ("Mara", r"\bMara\b"), "c2": ("Tobin", r"\bTobin\b")}
PRONOUNS = {"c1": "She|she|Her|her", "c2": "He|he|His|his"}


def test_unmarked_pov_shift_splits_the_scene(fixtures):
    text = (fixtures / "scenes" / "lighthouse-two-minds.txt").read_text(encoding="utf-8")
    story = story_with_cast(text, CAST, PRONOUNS)
    scenes = find_scenes(story)
    assert [s.pov for s in scenes] == ["c1", "c2"]
    assert scenes[1].break_ == "pov-shift"
    assert text[scenes[1].start :].startswith("Tobin took the stairs")
    assert {"c1", "c2"} <= set(scenes[1].characters)


def test_one_pov_stays_one_scene(fixtures):
    text = (fixtures / "scenes" / "lighthouse-two-minds.txt").read_text(encoding="utf-8")
    first_half = text[: text.index("Tobin took the stairs")]
    scenes = find_scenes(story_with_cast(first_half, CAST, PRONOUNS))
    assert len(scenes) == 1 and scenes[0].pov == "c1" and scenes[0].person == "third"


def test_first_person_narrator_is_the_pov():
    text = (
        "I had not slept in two days when Wren found me on the pier.\n"
        "I told myself the tide would turn. I did not believe it.\n"
        '"You look terrible," Wren said.\n'
        "I laughed, because she was right, and because I had nothing else to give her.\n"
    )
    narrator = r"(?<!\")\bI\b|\bme\b|\bmyself\b"
    story = story_with_cast(text, {"c1": ("Ash", narrator), "c2": ("Wren", r"\bWren\b")})
    for mention in story.characters[0].mentions:
        mention.kind = "pronoun"
    (scene,) = find_scenes(story)
    assert scene.person == "first" and scene.pov == "c1"


def test_setting_cues_name_place_and_time(fixtures):
    text = "That night Mara waited on the balcony.\nShe watched the harbour lights go out one by one.\n"
    (scene,) = find_scenes(story_with_cast(text, CAST, PRONOUNS))
    cues = {(c.kind, c.text) for c in scene.setting}
    assert ("time", "That night") in cues or ("time", "night") in cues
    assert any(kind == "place" and "balcony" in found for kind, found in cues)


def test_headings_and_pov_headers_head_their_scene_and_name_its_pov():
    text = (
        "Chapter 1\n\nSora's POV\n\nSora waited by the well. She counted the buckets twice.\n\n"
        "* * *\n\nKenji's POV\n\nKenji ran across the square. He thought the bell was ringing for him.\n"
    )
    from storyworld.ingest import from_string
    from storyworld.pipeline import run
    from storyworld.stages import quotes, segment

    story = run(from_string(text), [segment.STAGE, quotes.STAGE])
    cast = story_with_cast(text, {"c1": ("Sora", r"\bSora\b"), "c2": ("Kenji", r"\bKenji\b")})
    story.characters, story.attributions = cast.characters, []
    scenes = find_scenes(story)
    assert [s.pov for s in scenes] == ["c1", "c2"]
    assert scenes[0].start == 0 and scenes[0].break_ == "start"
    assert text[scenes[1].start : scenes[1].end].lstrip().startswith(("* * *", "Kenji"))


def test_a_named_place_after_a_preposition_is_a_setting_cue_but_a_character_is_not():
    text = "Mara walked into Veldport at dawn.\nShe waved at Tobin and went on to Harrowgate.\n"
    (scene,) = find_scenes(story_with_cast(text, CAST, PRONOUNS))
    places = [c.text for c in scene.setting if c.kind == "place"]
    assert "Veldport" in places and "Harrowgate" in places and "Tobin" not in places


def test_a_title_above_the_first_heading_heads_the_first_scene_instead_of_being_one():
    text = (
        "The Well Keeper\n\nChapter 1\n\nSora waited by the well. She counted the buckets twice.\n\n"
        "Sora drew water until the moon came up.\n"
    )
    from storyworld.ingest import from_string
    from storyworld.pipeline import run
    from storyworld.stages import quotes, segment

    story = run(from_string(text), [segment.STAGE, quotes.STAGE])
    cast = story_with_cast(text, {"c1": ("Sora", r"\bSora\b")})
    story.characters, story.attributions = cast.characters, []
    (scene,) = find_scenes(story)
    assert scene.start == 0 and scene.end == len(text) and scene.pov == "c1"
