"""The HTML report: self-contained, escaped, and clickable in a real browser."""

from __future__ import annotations

import pytest

from storyworld.model import Relationship
from storyworld.outputs.report import render_report, write_report
from storyworld.stages.scenes import find_scenes
from tests.browser import browser_page, screenshot
from tests.stages.helpers import attribute, story_with_cast

CAST = {"c1": ("Odile", r"\bOdile\b"), "c2": ("Bram", r"\bBram\b")}


def _world(fixtures):
    text = (fixtures / "report" / "hostile-harbour.txt").read_text(encoding="utf-8")
    story = story_with_cast(text, CAST, {"c1": "she|her", "c2": "him"})
    lines = {
        '"Who wrote that?"': "c1",
        '"Not me,"': "c2",
        "\"I can't even spell harbour.\"": "c2",
        '"It\'s a joke, Odile,"': "c2",
        '"Sailors think they\'re clever."': "c2",
        '"Then the sailors can scrub it off,"': "c1",
    }
    attribute(story, {text: (s, ["c2" if s == "c1" else "c1"]) for text, s in lines.items()})
    story.scenes = find_scenes(story)
    story.relationships = [
        Relationship(characters=["c1", "c2"], kind="friendship", weight=2, evidence=[(0, 20)])
    ]
    story.metadata.title = '<img src=x onerror="window.pwned=true">Harbour'
    return story.to_world()


def test_story_markup_is_escaped_in_the_html(fixtures):
    html = render_report(_world(fixtures))
    assert "<script>document.title" not in html
    assert "&lt;script&gt;document.title" in html
    assert '<img src="x" onerror' not in html and "<img src=x onerror" not in html
    assert 'href="javascript:' not in html
    assert "https://" not in html.split("<script>")[0]  # nothing fetched before the inlined libraries


@pytest.mark.browser
def test_report_in_chromium_runs_nothing_from_the_story_and_highlights_a_characters_lines(fixtures, tmp_path):
    path = tmp_path / "report.html"
    write_report(_world(fixtures), path)
    with browser_page() as page:
        page.goto(path.as_uri())
        page.wait_for_selector("#graph canvas")
        assert page.evaluate("window.pwned === undefined")
        # The hostile title is shown as text; the story's own script would have set it to "pwned".
        assert page.title() == '<img src=x onerror="window.pwned=true">Harbour — storyworld'
        assert not page.dialogs
        page.click('.card[data-char="c2"]')
        highlighted = page.locator(".q.hl")
        assert highlighted.count() == 4
        assert all(el.get_attribute("data-speaker") == "c2" for el in highlighted.all())
        assert page.locator("#evidence li").count() == 4
        assert page.locator("#selected-name").inner_text() == "Bram"
        assert page.locator("#story").inner_text().count("<script>") == 1  # shown as text
        page.locator('a.m[data-char="c1"]').first.click()
        assert page.locator("#selected-name").inner_text() == "Odile"
        assert page.locator("#timeline .main-svg").count() > 0
        page.evaluate("window.scrollTo(0, 0)")
        screenshot(page, "report.png")
        assert page.outside_requests == []
