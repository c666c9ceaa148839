"""The segment stage: its three layers on a fixture story, and its breaks on the shared seeds and novels."""

from pathlib import Path

import pytest

from storyworld.ingest import load
from storyworld.pipeline import run
from storyworld.segment.breaks import find_breaks
from storyworld.segment.paragraphs import find_paragraphs
from storyworld.stages import segment


def test_stage_assigns_paragraphs_doc_and_breaks(fixtures: Path) -> None:
    story = run(load(fixtures / "segment" / "pov_headers.txt"), [segment.STAGE])
    assert story.paragraphs is not None and story.doc is not None and story.breaks is not None
    assert len(story.paragraphs) == len(story.text.strip().split("\n"))
    assert story.doc.text == story.text
    assert [b.pov for b in story.breaks][:2] == ["Sora", "Kenji"]
    header = story.breaks[0]
    # The header is a sentence of its own: the parser does not run it into the narration.
    assert any(s.start_char == header.start and s.text.strip() == header.text for s in story.doc.sents)


def _seed_breaks(shared: Path, prefix: str) -> tuple[str, list]:
    (path,) = (shared / "seeds").glob(f"{prefix}_*.txt")
    story = load(path)
    return story.text, find_breaks(story.text, find_paragraphs(story.text), story.chapters)


@pytest.mark.parametrize(("prefix", "gaps"), [("000", 22), ("001", 7), ("003", 0)])
def test_seed_gap_breaks(shared: Path, prefix: str, gaps: int) -> None:
    text, breaks = _seed_breaks(shared, prefix)
    assert [b.kind for b in breaks] == ["gap"] * gaps
    # Every gap break sits on a run of two or more blank lines.
    assert all(text[b.start : b.end].count("\n") >= 3 for b in breaks)


def test_one_paragraph_per_line_seed_is_not_one_block(shared: Path) -> None:
    (path,) = (shared / "seeds").glob("003_*.txt")
    text = load(path).text
    assert len(find_paragraphs(text)) == len([line for line in text.split("\n") if line.strip()])


@pytest.mark.parametrize("novel", ["PrideAndPrejudice", "Emma", "APassageToIndia", "WinnieThePooh"])
def test_novel_breaks_are_headings_and_markers_not_heading_space(shared: Path, novel: str) -> None:
    story = load(shared / "corpora" / "pdnc" / "data" / novel / "novel_text.txt")
    paragraphs = find_paragraphs(story.text)
    breaks = find_breaks(story.text, paragraphs, story.chapters)
    assert {b.kind for b in breaks} <= {"chapter", "marker"}
    assert sum(b.kind == "chapter" for b in breaks) >= 10
    # Wrapped lines are joined: far fewer paragraphs than lines.
    assert len(paragraphs) < 0.5 * story.text.count("\n")
