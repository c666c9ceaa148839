"""Docs stay true: every error code and every command is documented, every command has an example."""

from __future__ import annotations

import re

from storyworld.cli import cli
from storyworld.errors import E
from tests.conftest import ROOT


def test_every_error_code_is_in_docs_errors():
    documented = set(re.findall(r"^\| (E\d{3}) \|", (ROOT / "docs" / "errors.md").read_text(), re.M))
    assert documented == {code.name for code in E}


def test_every_command_is_in_the_readme_and_has_an_example():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, command in cli.commands.items():
        assert f"storyworld {name}" in readme, f"README does not show `storyworld {name}`"
        assert "Example:" in (command.help or ""), f"`storyworld {name} --help` has no example"


def test_readme_quick_start_is_two_commands_and_ci_runs_the_second():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"## Quick start\s+```sh\n(.*?)```", readme, re.S).group(1).strip().splitlines()
    assert len(block) == 2 and "storyworld read examples/" in block[0]
    example = block[0].split("storyworld read ", 1)[1].strip()
    assert (ROOT / example).is_file()
    assert block[1] in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_architecture_stage_table_matches_the_pipeline():
    from storyworld.pipeline import default_stages

    table = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| (\w+) \| ([^|]+) \|", table, re.M)
    documented = [
        (name, [r.strip() for r in requires.split("(")[0].split(",")]) for _, name, requires in rows
    ]
    assert documented == [(s.name, list(s.requires)) for s in default_stages()]
