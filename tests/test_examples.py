"""The shipped examples go through `storyworld read` to a valid world.json whose spans index its text."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from storyworld.model import FORMAT, world_schema

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
STORIES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".txt", ".html"))
# examples/README.md cites the story as "LINE `words on that line`" ("..." marks a cut).
LINE_REFERENCE = re.compile(r"\b(\d{1,4}):? `([^`]+)`")


@pytest.fixture(scope="module")
def worlds(tmp_path_factory) -> dict[str, dict]:
    """world.json (as a dict) of every example, from one CLI run each, shared by the tests."""
    out_dir = tmp_path_factory.mktemp("worlds")
    result: dict[str, dict] = {}
    for story in STORIES:
        out = out_dir / f"{story.name}.json"
        run = subprocess.run(
            [sys.executable, "-m", "storyworld", "read", str(story), "--json", str(out), "--quiet"],
            capture_output=True,
            text=True,
        )
        assert run.returncode == 0, f"{story.name}: {run.stderr}"
        result[story.name] = json.loads(out.read_text(encoding="utf-8"))
    return result


def test_there_are_examples_of_both_kinds():
    assert {p.suffix for p in STORIES} == {".txt", ".html"}


@pytest.mark.parametrize("name", [p.name for p in STORIES])
def test_world_validates_against_the_schema(worlds, name):
    jsonschema.validate(worlds[name], world_schema())
    assert worlds[name]["format"] == FORMAT


@pytest.mark.parametrize("story", [p for p in STORIES if p.suffix == ".txt"], ids=lambda p: p.name)
def test_txt_world_text_is_the_decoded_file(worlds, story):
    assert worlds[story.name]["text"] == story.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", [p.name for p in STORIES])
def test_quote_spans_index_the_text(worlds, name):
    text = worlds[name]["text"]
    assert worlds[name]["quotes"], "every example has dialogue"
    for quote in worlds[name]["quotes"]:
        assert text[quote["start"]:quote["end"]] == quote["text"], quote["id"]


@pytest.mark.parametrize("name", [p.name for p in STORIES])
def test_mention_spans_index_the_text(worlds, name):
    text = worlds[name]["text"]
    for character in worlds[name]["characters"]:
        for mention in character["mentions"]:
            assert text[mention["start"]:mention["end"]] == mention["text"], character["id"]


def test_html_example_keeps_its_chapters_and_ao3_tags(worlds):
    world = worlds["a-lesson-in-shogi.html"]
    assert [c["title"] for c in world["chapters"]] == ["Chapter 1: The Challenge", "Chapter 2: The Wind"]
    assert world["metadata"]["relationships"] == [
        "Nara Shikamaru/Temari",
        "Nara Shikamaru & Original Character(s)",
    ]
    # Author notes stay out of the story text.
    assert "Comments and kudos" not in world["text"]


def test_readme_line_references_match_the_story():
    """The README's hand-check guide stays true when the story is edited."""
    lines = (EXAMPLES / "the-long-watch.txt").read_text(encoding="utf-8").split("\n")
    references = LINE_REFERENCE.findall((EXAMPLES / "README.md").read_text(encoding="utf-8"))
    assert len(references) >= 10
    for number, excerpt in references:
        pieces = [p.strip() for p in re.sub(r"\s+", " ", excerpt).split("...") if p.strip()]
        line = lines[int(number) - 1]
        assert all(piece in line for piece in pieces), f"line {number} no longer reads {excerpt!r}"
