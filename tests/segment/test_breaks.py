"""Scene breaks in small written fixtures: each marker style, POV headers, headings and gap breaks."""

from pathlib import Path

from storyworld.ingest import from_string, load
from storyworld.model import Chapter, SceneBreak
from storyworld.segment.breaks import find_breaks
from storyworld.segment.paragraphs import find_paragraphs


def _breaks(path: Path) -> tuple[str, list[SceneBreak]]:
    story = load(path)
    return story.text, find_breaks(story.text, find_paragraphs(story.text), story.chapters)


def _breaks_in(text: str) -> list[SceneBreak]:
    story = from_string(text)
    return find_breaks(text, find_paragraphs(text), story.chapters)


def test_every_marker_style_is_a_break(fixtures: Path) -> None:
    text, breaks = _breaks(fixtures / "segment" / "markers.txt")
    assert [b.kind for b in breaks] == ["marker"] * 15
    assert [b.text for b in breaks] == [
        "***", "* * *", "~~~", "---", "___", "• • •", "xXx", "oOo", "-0-0-0-", "~*~",
        "line break", "Scene break", "o0o0o", "====", "#",
    ]
    assert all(text[b.start : b.end] == b.text for b in breaks)


def test_dashes_inside_a_sentence_are_not_markers_but_dash_lines_are(fixtures: Path) -> None:
    _, breaks = _breaks(fixtures / "segment" / "dashes.txt")
    assert [(b.kind, b.text) for b in breaks] == [("marker", "———"), ("marker", "—")]


def test_longer_gaps_are_breaks_in_a_blank_line_fic(fixtures: Path) -> None:
    text, breaks = _breaks(fixtures / "segment" / "gaps_fic.txt")
    assert [b.kind for b in breaks] == ["gap", "gap"]
    assert text[breaks[0].end :].startswith("At the lighthouse")
    assert text[breaks[1].end :].startswith("By evening")
    assert all(not text[b.start : b.end].strip() for b in breaks)


def test_regular_spacing_has_no_gap_breaks(fixtures: Path) -> None:
    _, breaks = _breaks(fixtures / "segment" / "regular_spacing.txt")
    assert breaks == []


def test_rare_blank_lines_are_breaks_when_paragraphs_are_lines(fixtures: Path) -> None:
    text, breaks = _breaks(fixtures / "segment" / "line_fic_with_blanks.txt")
    assert [b.kind for b in breaks] == ["gap", "gap"]
    assert text[breaks[0].end :].startswith("The next morning")
    assert text[breaks[1].end :].startswith("Years later")


def test_frequent_long_gaps_are_just_the_rhythm() -> None:
    # Half the joins are double gaps: that is the author's spacing, not a break pattern.
    text = "".join(f"Line number {n} of the tale.\n" + ("\n\n" if n % 2 else "\n") for n in range(12))
    assert _breaks_in(text) == []


def test_pov_headers_give_the_name(fixtures: Path) -> None:
    _, breaks = _breaks(fixtures / "segment" / "pov_headers.txt")
    assert [(b.kind, b.pov) for b in breaks] == [
        ("pov-header", "Sora"), ("pov-header", "Kenji"), ("pov-header", "Ayame"),
        ("pov-header", "Daichi"), ("pov-header", "Mei"), ("pov-header", None),
    ]
    assert breaks[3].text == "~Daichi's POV~"


def test_chapter_headings(fixtures: Path) -> None:
    _, breaks = _breaks(fixtures / "segment" / "chapters.txt")
    assert [(b.kind, b.text) for b in breaks] == [
        ("chapter", "Prologue"), ("chapter", "Chapter 1"), ("chapter", "CHAPTER II."),
        ("chapter", "Chapter Three: The Storm"),
    ]


def test_space_around_headings_is_not_a_gap_break(fixtures: Path) -> None:
    _, breaks = _breaks(fixtures / "segment" / "wrapped.txt")
    assert [(b.kind, b.text) for b in breaks] == [("chapter", "CHAPTER I."), ("chapter", "CHAPTER II.")]


def test_a_chapter_whose_title_is_not_in_the_text_breaks_at_its_start() -> None:
    text = "The first part ends here.\n\nThe second part begins."
    chapters = [
        Chapter(id="ch1", title="One", start=0, end=25), Chapter(id="ch2", title="Two", start=27, end=50)
    ]
    breaks = find_breaks(text, find_paragraphs(text), chapters)
    assert breaks == [SceneBreak(start=27, end=27, kind="chapter", text="Two")]


def test_markers_at_the_edges_still_count() -> None:
    text = "* * *\nThe ferry left at dawn.\nNobody waved.\n* * *\n"
    breaks = _breaks_in(text)
    assert [(b.start, b.end) for b in breaks] == [(0, 5), (text.rindex("*") - 4, text.rindex("*") + 1)]


def test_no_text_no_breaks() -> None:
    assert _breaks_in("") == []


def test_space_around_a_marker_is_not_a_second_break() -> None:
    text = "".join(f"The crew rowed stroke {n}.\n\n" for n in range(6)) + "\n\n* * *\n\n\n\n"
    text += "".join(f"The island grew by a hand {n}.\n\n" for n in range(6))
    assert [b.kind for b in _breaks_in(text)] == ["marker"]


def test_a_chapter_title_only_matches_a_heading_line() -> None:
    text = "Rain, again, on the roof of the shed.\n\nThe goats did not mind it."
    chapters = [Chapter(id="ch1", title="Rain", start=0, end=len(text))]
    assert find_breaks(text, find_paragraphs(text), chapters) == []
    titled = "Rain\n\nThe goats did not mind it."
    chapters = [Chapter(id="ch1", title="Rain", start=0, end=len(titled))]
    assert [b.text for b in find_breaks(titled, find_paragraphs(titled), chapters)] == ["Rain"]


def test_a_chapter_line_that_continues_a_sentence_is_not_a_heading() -> None:
    text = (
        "The ferry was late again.\nMarta checked the timetable, which said, in\n"
        "Chapter 4. Delays may occur, in smaller print\nthan anything else on it.\n"
    )
    assert _breaks_in(text) == []
    standalone = text.replace(", in\n", ".\n")
    assert [b.text for b in _breaks_in(standalone)] == ["Chapter 4. Delays may occur, in smaller print"]


def test_gaps_before_a_late_first_heading_still_count() -> None:
    scene = "".join(f"The kite climbed to its height number {n}.\n\n" for n in range(8))
    text = scene + "\n\n" + scene + "Chapter 2\n\n" + scene
    assert [b.kind for b in _breaks_in(text)] == ["gap", "chapter"]
