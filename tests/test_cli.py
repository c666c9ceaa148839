"""The command line on a tiny story: summary, JSON destinations, schema, errors as one line."""

from __future__ import annotations

import json
import subprocess
import sys

STORY = 'The rain had not stopped for a week.\n\n"Close the door," said Mara.\n\nTobin closed it.\n'


def storyworld(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "storyworld", *args], capture_output=True, text=True, cwd=cwd
    )


def test_read_writes_world_next_to_input_and_prints_summary(tmp_path):
    story = tmp_path / "rain.txt"
    story.write_text(STORY, encoding="utf-8")
    result = storyworld("read", str(story))
    assert result.returncode == 0, result.stderr
    world = json.loads((tmp_path / "rain.world.json").read_text(encoding="utf-8"))
    assert world["format"] == "storyworld/1" and world["text"] == STORY
    assert "quotation" in result.stdout


def test_read_json_to_stdout_is_pure_json(tmp_path):
    story = tmp_path / "rain.txt"
    story.write_text(STORY, encoding="utf-8")
    result = storyworld("read", str(story), "--json", "-")
    assert json.loads(result.stdout)["text"] == STORY
    assert not (tmp_path / "rain.world.json").exists()


def test_schema_command_prints_json_schema():
    schema = json.loads(storyworld("schema").stdout)
    assert schema["properties"]["format"]["const"] == "storyworld/1"


def test_missing_file_is_one_line_error_without_traceback(tmp_path):
    result = storyworld("read", str(tmp_path / "absent.txt"))
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "E001" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(tmp_path):
    result = storyworld("--debug", "read", str(tmp_path / "absent.txt"))
    assert result.returncode != 0 and "Traceback" in result.stderr


def test_fandom_option_names_the_pack_the_text_alone_would_not_choose(tmp_path):
    story = tmp_path / "rain.txt"
    story.write_text(STORY, encoding="utf-8")
    assert json.loads(storyworld("read", str(story), "--json", "-").stdout)["fandom"] is None
    for name in ("mha", "My Hero Academia"):
        world = json.loads(storyworld("read", str(story), "--fandom", name, "--json", "-").stdout)
        assert world["fandom"] == "mha"
