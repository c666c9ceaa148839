"""`read --until`: the world as a reader knows it at the end of a chapter, with no later reveal."""

from __future__ import annotations

import pytest

import storyworld
from storyworld.errors import StoryworldError


@pytest.fixture(scope="module")
def worlds():
    from tests.conftest import FIXTURES

    path = FIXTURES / "until" / "the-masked-courier.txt"
    return storyworld.read(path, until_chapter="2"), storyworld.read(path), path.read_text(encoding="utf-8")


def _names(world) -> set[str]:
    return {alias for c in world.characters for alias in (c.name, *c.aliases)}


def test_nothing_revealed_later_leaks_into_an_earlier_chapter(worlds):
    early, full, text = worlds
    assert early.text == text[: early.chapters[-1].end] and len(early.chapters) == 2
    assert all(q.end <= len(early.text) for q in early.quotes)
    assert not any("Senna" in name for name in _names(early))
    assert any("Senna" in name for name in _names(full))
    assert not any(r.kind == "romantic" for r in early.relationships)
    assert "Brannagh" in " ".join(_names(early))


def test_until_accepts_id_number_or_title_and_refuses_an_unknown_chapter():
    from tests.conftest import FIXTURES

    path = FIXTURES / "until" / "the-masked-courier.txt"
    by_title = storyworld.read(path, until_chapter="The Courier", stages=[])
    by_id = storyworld.read(path, until_chapter="ch1", stages=[])
    assert by_title.text == by_id.text and len(by_id.chapters) == 1
    with pytest.raises(StoryworldError, match="E020"):
        storyworld.read(path, until_chapter="9", stages=[])
