"""Single stand-alone lines: which are scene-break markers, which are POV headers."""

import pytest

from storyworld.segment.lines import is_marker, pov_header

MARKERS = [
    "***", "* * *", "~~~", "---", "___", "• • •", "xXx", "oOo", "-0-0-0-", "~*~", "line break",
    "Scene break", "-Line Break-", "[scene break]", "~Time Skip~", "o0o0o", "====", "#", "———", "—",
    "+-+-+-+", "XXX", ". . . . .", "*       *       *       *       *",
]
NOT_MARKERS = [
    "...", '"..."', "?!", "…", "......", "!!!!", ". . .", "xxx", "Ooo!", "Oh.", "He went home.",
    "She broke the line.", "Break the door down!", "A scene broke out.", "0",
]


@pytest.mark.parametrize("line", MARKERS)
def test_marker_lines(line: str) -> None:
    assert is_marker(line)


@pytest.mark.parametrize("line", NOT_MARKERS)
def test_prose_and_beats_are_not_markers(line: str) -> None:
    assert not is_marker(line)


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("Sasuke's POV", "Sasuke"),
        ("Naruto POV", "Naruto"),
        ("POV: Hinata", "Hinata"),
        ("~Gaara's POV~", "Gaara"),
        ("*Sakura's point of view*", "Sakura"),
        ("(Lee's P.O.V.)", "Lee"),
        ("Uchiha Itachi POV", "Uchiha Itachi"),
        ("Kankurō's perspective", "Kankurō"),
        ("James' POV", "James"),
        ("Temari's POV - the next morning", "Temari"),
        ("Normal POV", None),
        ("Third person POV", None),
        ("POV change", None),
    ],
)
def test_pov_headers_give_the_name(line: str, name: str | None) -> None:
    assert pov_header(line) == (True, name)


@pytest.mark.parametrize(
    "line",
    [
        "his POV", "From her perspective it was fine.", '"Whose POV is this?" she asked.', "Chapter 3", "***",
        "Nell's point of view, she said, was",
    ],
)
def test_lines_that_are_not_pov_headers(line: str) -> None:
    assert pov_header(line) == (False, None)
