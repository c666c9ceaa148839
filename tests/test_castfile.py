"""castfile.load_cast: PDNC character_info.csv, YAML and JSON casts; bad files are E016."""

from __future__ import annotations

import pytest

from storyworld.castfile import load_cast
from storyworld.errors import StoryworldError

PDNC_CSV = """Character ID,Main Name,Aliases,Gender,Category
0,Captain Wren,"{'Wren', 'the captain', 'Captain Wren'}",F,major
1,Tobias Hale,"{'Tobias', 'Toby'}",M,minor
2,The Ferryman,"{'The Ferryman'}",X,minor
"""


def test_pdnc_csv(tmp_path):
    path = tmp_path / "character_info.csv"
    path.write_text(PDNC_CSV)
    cast = load_cast(path)
    assert [c.name for c in cast] == ["Captain Wren", "Tobias Hale", "The Ferryman"]
    assert cast[0].aliases == ["Wren", "the captain"]
    assert [c.gender for c in cast] == ["female", "male", "unknown"]


def test_yaml_list_and_mapping(tmp_path):
    listed = tmp_path / "cast.yaml"
    listed.write_text("- name: Mira Stone\n  aliases: [Mira]\n  gender: female\n- name: Old Jory\n")
    assert [(c.name, c.aliases, c.gender) for c in load_cast(listed)] == [
        ("Mira Stone", ["Mira"], "female"), ("Old Jory", [], "unknown")]
    mapping = tmp_path / "cast.yml"
    mapping.write_text("Mira Stone: [Mira, the smith]\nOld Jory: Jory\n")
    assert [c.aliases for c in load_cast(mapping)] == [["Mira", "the smith"], ["Jory"]]


def test_json(tmp_path):
    path = tmp_path / "cast.json"
    path.write_text('[{"name": "Ansel", "aliases": ["the boy"], "gender": "M"}]')
    assert load_cast(path)[0].model_dump() == {"name": "Ansel", "aliases": ["the boy"], "gender": "male"}


@pytest.mark.parametrize(
    ("name", "content"),
    [("cast.json", "{not json"), ("cast.yaml", "just a sentence"), ("cast.csv", "a,b\n1,2\n"),
     ("cast.yaml", "[]"), ("cast.json", '[{"aliases": ["x"]}]')],
)
def test_bad_file_is_e016(tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(StoryworldError, match=r"\[E016\]"):
        load_cast(path)


def test_missing_file_is_e001(tmp_path):
    with pytest.raises(StoryworldError, match=r"\[E001\]"):
        load_cast(tmp_path / "nope.yaml")
