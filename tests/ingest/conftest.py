"""Ingest test helpers: EPUBs are zipped at test time from the fixture trees beside the stories."""

from __future__ import annotations

import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

INGEST = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"


def zip_tree(tree: Path, target: Path) -> Path:
    """An EPUB from a folder: `mimetype` first and stored, as the format asks, the rest deflated."""
    with zipfile.ZipFile(target, "w") as book:
        book.write(tree / "mimetype", "mimetype", compress_type=zipfile.ZIP_STORED)
        for file in sorted(tree.rglob("*")):
            if file.is_file() and file.name != "mimetype":
                book.write(file, file.relative_to(tree).as_posix(), compress_type=zipfile.ZIP_DEFLATED)
    return target


@pytest.fixture
def ingest_fixtures() -> Path:
    return INGEST


@pytest.fixture
def epub_tree(tmp_path: Path) -> Callable[[str], Path]:
    """epub_tree("ao3-epub") is an editable copy of that fixture tree in tmp_path."""
    return lambda name: Path(shutil.copytree(INGEST / name, tmp_path / "trees" / name))


@pytest.fixture
def make_epub(tmp_path: Path) -> Callable[[str | Path], Path]:
    """make_epub("ao3-epub") zips tests/fixtures/ingest/ao3-epub/ (or a tree path) into tmp_path."""

    def make(tree: str | Path) -> Path:
        tree = INGEST / tree if isinstance(tree, str) else tree
        return zip_tree(tree, tmp_path / f"{tree.name}.epub")

    return make
