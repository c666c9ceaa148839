"""Report size and render time: writing the HTML, and loading it in headless Chromium.

    python bench/bench_report.py FILE... [--json OUT]

The story is analysed first (not timed here: see bench_read.py); then `render_report` is timed,
the file size taken, and Chromium's time from navigation to a drawn graph and timeline measured.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table

import storyworld
from storyworld.outputs.report import render_report

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def browser_seconds(path: Path) -> float | None:
    chromium = shutil.which("chromium")
    if chromium is None:
        return None
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        page = browser.new_page()
        began = time.perf_counter()
        page.goto(path.as_uri(), timeout=300_000)
        page.wait_for_selector("#timeline .main-svg", timeout=300_000)
        page.wait_for_function("document.querySelector('#graph canvas') !== null", timeout=300_000)
        seconds = time.perf_counter() - began
        browser.close()
    return seconds


def measure(path: Path) -> dict:
    world = storyworld.read(path)
    began = time.perf_counter()
    html = render_report(world)
    render = time.perf_counter() - began
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "report.html"
        out.write_text(html, encoding="utf-8")
        load = browser_seconds(out)
    return {
        "input": path.name,
        "words": len(world.text.split()),
        "quotes": len(world.quotes),
        "characters": len(world.characters),
        "bytes": len(html.encode("utf-8")),
        "render_seconds": round(render, 2),
        "browser_seconds": round(load, 2) if load is not None else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    rows = [measure(path) for path in args.files]
    table = Table(title="HTML report")
    for column in rows[0]:
        table.add_column(column)
    for row in rows:
        table.add_row(*(str(v) for v in row.values()))
    Console().print(table)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
