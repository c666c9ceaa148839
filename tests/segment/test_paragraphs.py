"""Paragraph layouts: wrapped blank-line blocks, one paragraph a line, and lines with occasional blanks."""

from pathlib import Path

from storyworld.segment.paragraphs import find_paragraphs


def _texts(text: str) -> list[str]:
    return [text[p.start : p.end] for p in find_paragraphs(text)]


def test_wrapped_blocks_join_their_lines(fixtures: Path) -> None:
    text = (fixtures / "segment" / "wrapped.txt").read_text(encoding="utf-8")
    paragraphs = _texts(text)
    assert paragraphs[0] == "CHAPTER I."
    assert paragraphs[1].startswith("The village of Westerby") and paragraphs[1].endswith("only sheep.")
    assert paragraphs[1].count("\n") == 2
    assert len(paragraphs) == 8


def test_one_paragraph_per_line(fixtures: Path) -> None:
    text = (fixtures / "segment" / "markers.txt").read_text(encoding="utf-8")
    assert _texts(text) == text.strip().split("\n")


def test_single_line_paragraphs_with_occasional_blank_lines_stay_one_per_line(fixtures: Path) -> None:
    text = (fixtures / "segment" / "line_fic_with_blanks.txt").read_text(encoding="utf-8")
    paragraphs = _texts(text)
    assert paragraphs == [line for line in text.split("\n") if line.strip()]
    assert len(paragraphs) == 19


def test_spans_exclude_surrounding_whitespace_and_carriage_returns() -> None:
    text = "  First line here.  \r\n\r\n\tSecond one.\t\r\n   \r\nThird.\r\n"
    assert _texts(text) == ["First line here.", "Second one.", "Third."]


def test_trailing_spaces_do_not_split_a_wrapped_paragraph() -> None:
    text = "The lane ran down to the mill, \nwhere the water turned\nall day and all night.\n\nNext.\n"
    assert _texts(text) == [
        "The lane ran down to the mill, \nwhere the water turned\nall day and all night.",
        "Next.",
    ]


def test_a_marker_line_stands_alone_inside_a_wrapped_block() -> None:
    text = "She shut the door on the\nwhole business and slept.\n* * *\nIn the morning the snow\nhad gone.\n"
    assert _texts(text) == [
        "She shut the door on the\nwhole business and slept.",
        "* * *",
        "In the morning the snow\nhad gone.",
    ]


def test_empty_text_has_no_paragraphs() -> None:
    assert find_paragraphs("") == []
    assert find_paragraphs(" \n\n \t\n") == []


def test_a_pov_header_stands_alone_inside_a_wrapped_block() -> None:
    text = "Ines's POV\nThe station clock had stopped at\nten past four, and nobody had noticed.\n"
    assert _texts(text) == [
        "Ines's POV", "The station clock had stopped at\nten past four, and nobody had noticed."
    ]
