"""The explorer over a corpus database: search, then open a story's world.

The database keeps rows, not whole worlds, so a story opens by analysing its file again (cached
for the session); a story whose file has gone says so.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from flask import Flask, abort, render_template, request

import storyworld
from storyworld.corpus.search import Query, search
from storyworld.corpus.store import open_reader
from storyworld.errors import StoryworldError
from storyworld.outputs.report import render_report

FIELDS = ("character", "relationship", "tag", "speaker", "addressee", "text")
PAGE = 200


def register(app: Flask, db: Path) -> None:
    """Add `/` (search) and `/open` (a story's world) for the corpus in `db`."""
    open_reader(db).close()  # fail at start, with E019, on something that is not our database

    @lru_cache(maxsize=8)
    def world_of(path: str) -> str:
        return render_report(storyworld.read(path))

    @app.get("/")
    def corpus_search():
        query = {f: request.args.get(f, "").strip() for f in FIELDS}
        rows, error = None, None
        conn = open_reader(db)
        try:  # with no field filled in, the search lists the stories
            rows = search(conn, Query(**{k: v or None for k, v in query.items()}, limit=PAGE))
        except StoryworldError as err:
            error = str(err)
        finally:
            conn.close()
        return render_template("corpus.html.j2", db=db, query=query, fields=FIELDS, rows=rows, error=error)

    @app.get("/open")
    def open_story():
        path = request.args.get("path", "")
        conn = open_reader(db)
        try:
            known = conn.execute("SELECT 1 FROM stories WHERE path = ?", (path,)).fetchone()
        finally:
            conn.close()
        if not known:
            abort(404)
        if not Path(path).exists():
            return render_template("missing.html.j2", path=path), 410
        return world_of(path)
