"""The explorer: a small Flask app over analysed stories or a corpus database.

One story or a few: their worlds are analysed once at start and each opens as the HTML report.
A corpus (`--db`): see corpus_views.py.
Every value from a story reaches the page through Jinja2's autoescaping.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path

from flask import Flask, abort, render_template

from storyworld.errors import E, StoryworldError
from storyworld.model import World
from storyworld.outputs.report import render_report

LOOPBACK = "127.0.0.1"


def check_host(host: str, allow_public: bool) -> None:
    """Refuse anything but a loopback address unless the user asked for it explicitly."""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if not loopback and not allow_public:
        raise StoryworldError(E.E022, host=host)


def create_app(worlds: list[World] | None = None, db: Path | None = None) -> Flask:
    """An explorer over analysed `worlds`, or (with `db`) over a corpus database."""
    app = Flask(__name__)
    # Flask escapes only *.html templates by default; ours end in .j2.
    app.jinja_env.autoescape = True
    stories = list(worlds or [])

    @app.after_request
    def no_outside_requests(response):
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline' 'unsafe-eval'; "
            "img-src data: blob:; form-action 'self'; base-uri 'none'",
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    if db is not None:
        from storyworld.web.corpus_views import register

        register(app, db)
        return app

    @app.get("/")
    def index():
        return render_template("stories.html.j2", stories=list(enumerate(stories)))

    @app.get("/story/<int:number>")
    def story(number: int):
        if not 0 <= number < len(stories):
            abort(404)
        return render_report(stories[number])

    return app
