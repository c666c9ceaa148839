"""The explorer: loopback only by default, stories listed and opened, story text escaped."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.serving import make_server

from storyworld.errors import StoryworldError
from storyworld.web.app import check_host, create_app
from tests.browser import browser_page, screenshot
from tests.outputs.test_report import _world


@contextmanager
def serving(app) -> Iterator[str]:
    server = make_server("127.0.0.1", 0, app)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def test_public_address_is_refused_unless_allowed():
    check_host("127.0.0.1", allow_public=False)
    check_host("::1", allow_public=False)
    check_host("localhost", allow_public=False)
    with pytest.raises(StoryworldError, match="E022"):
        check_host("0.0.0.0", allow_public=False)
    check_host("0.0.0.0", allow_public=True)


def test_serve_command_refuses_public_host_with_one_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "storyworld", "serve", "--host", "0.0.0.0", "x.txt"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode != 0 and "E022" in result.stderr and "Traceback" not in result.stderr


def test_index_lists_stories_with_escaped_titles(fixtures):
    client = create_app([_world(fixtures)]).test_client()
    page = client.get("/").get_data(as_text=True)
    assert "&lt;img src=x onerror=" in page and "<img src=x" not in page
    assert client.get("/story/0").status_code == 200
    assert client.get("/story/7").status_code == 404


@pytest.mark.browser
def test_explorer_in_chromium_opens_a_story_and_selects_a_character(fixtures):
    with serving(create_app([_world(fixtures)])) as base, browser_page() as page:
        page.goto(base + "/")
        page.click("a.story-link")
        page.wait_for_selector("#graph canvas")
        page.click('.card[data-char="c1"]')
        assert page.locator(".q.hl").count() == 2
        assert page.evaluate("window.pwned === undefined") and not page.dialogs
        screenshot(page, "explorer.png")
        assert page.outside_requests == []


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A corpus database of the hostile story, indexed once for this module."""
    from tests.conftest import FIXTURES as fixtures

    tmp_path = tmp_path_factory.mktemp("corpus")
    stories = tmp_path / "stories"
    stories.mkdir()
    source = (fixtures / "report" / "hostile-harbour.txt").read_text(encoding="utf-8")
    (stories / "harbour.txt").write_text(source, encoding="utf-8")
    db = tmp_path / "corpus.sqlite"
    result = subprocess.run(
        [sys.executable, "-m", "storyworld", "index", str(stories), "--db", str(db), "--jobs", "1", "-q"],
        capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return db, stories / "harbour.txt"


def test_corpus_explorer_searches_text_and_opens_a_story(corpus):
    db, story = corpus
    client = create_app(db=db).test_client()
    listing = client.get("/").get_data(as_text=True)
    assert "harbour.txt" in listing
    found = client.get("/?text=sailors").get_data(as_text=True)
    assert "sailors" in found.lower() and "<script>document" not in found
    opened = client.get("/open", query_string={"path": str(story)})
    assert opened.status_code == 200 and "&lt;script&gt;document.title" in opened.get_data(as_text=True)
    assert client.get("/open", query_string={"path": "/etc/passwd"}).status_code == 404
    story.rename(story.with_suffix(".moved"))
    try:
        assert client.get("/open", query_string={"path": str(story)}).status_code == 410
    finally:
        story.with_suffix(".moved").rename(story)


@pytest.mark.browser
def test_corpus_explorer_in_chromium(corpus):
    db, _ = corpus
    with serving(create_app(db=db)) as base, browser_page() as page:
        page.goto(base + "/")
        page.fill('input[name="text"]', "harbour")
        page.click('button[type="submit"]')
        page.wait_for_selector("table.results")
        page.click("a.story-link")
        page.wait_for_selector(".card")
        page.locator(".card").first.click()
        assert page.locator("#selected-name").inner_text() != "Select a character"
        assert page.evaluate("window.pwned === undefined")
        screenshot(page, "explorer-corpus.png")
        assert page.outside_requests == []
