"""Quotes: marks learned per document, nesting, pieces and groups, dash dialogue, speech or not."""

from __future__ import annotations

from storyworld.ingest import from_string
from storyworld.model import Quote
from storyworld.stages.quotes import dialogue_mark, find_quotes, quotes, spoken_parts
from storyworld.stages.segment import find_paragraphs


def found(fixtures, name: str) -> tuple[str, list[Quote]]:
    text = (fixtures / "quotes" / name).read_text(encoding="utf-8")
    story = from_string(text)
    story.paragraphs = find_paragraphs(text)
    return text, find_quotes(story)


def test_straight_and_curly_double_quotes(fixtures):
    text, found_quotes = found(fixtures, "straight_and_curly.txt")
    assert [q.text for q in found_quotes] == [
        '"You could take it off the stove,"',
        "“I could,”",
        "“but then I would have to get up.”",
    ]
    assert [q.id for q in found_quotes] == ["q1", "q2", "q3"]
    assert all(text[q.start : q.end] == q.text and q.speech for q in found_quotes)


def test_single_quote_dialogue_skips_apostrophes(fixtures):
    text, found_quotes = found(fixtures, "british_single.txt")
    assert dialogue_mark(text, find_paragraphs(text)) == "single"
    assert [q.text for q in found_quotes] == [
        "'Don't lean on that wall,'",
        "'It won't hold you.'",
        "'You'd tell 'em all the same, wouldn't you?'",
        "‘Only the ones I like,’",
        "‘The Hendersons’ dog will howl at that,’",
    ]
    assert [q.group for q in found_quotes] == ["g1", "g1", "g2", "g3", "g4"]


def test_nested_quote_stays_inside_the_outer_one(fixtures):
    _, found_quotes = found(fixtures, "nested.txt")
    assert [q.text for q in found_quotes] == [
        "\"She wrote 'come home before the frost' and nothing else,\"",
        "\"Then she meant 'come home' and we should go,\"",
    ]


def test_double_quotes_nested_in_single_quote_dialogue(fixtures):
    _, found_quotes = found(fixtures, "nested_single.txt")
    assert [q.text for q in found_quotes] == [
        "'He told me \"never again\" and walked out,'",
        "'And you believed him?'",
        "'I did, the first time.'",
    ]


def test_spoken_parts_leave_out_embedded_speech_and_stage_directions():
    text = "\"Mother always said 'never trust a man with clean boots' and (smiling) she was right.\""
    quote = Quote(id="q1", start=0, end=len(text), text=text)
    assert [text[s:e] for s, e in spoken_parts(text, quote)] == [
        '"Mother always said ',
        "and ",
        "she was right.\"",
    ]


def test_speech_over_several_paragraphs_is_one_group(fixtures):
    _, found_quotes = found(fixtures, "multi_paragraph.txt")
    assert [q.text[:12] for q in found_quotes] == ['"When I was ', '"One year th', '"Nobody ate ']
    assert found_quotes[0].text.endswith("to market.")  # left open: ends with its paragraph
    assert {q.group for q in found_quotes} == {"g1"}
    assert all(q.speech for q in found_quotes)


def test_quote_split_by_narration_shares_a_group(fixtures):
    _, found_quotes = found(fixtures, "split_by_narration.txt")
    assert [(q.text, q.group) for q in found_quotes] == [
        ('"Fenna,"', "g1"),
        ('"you left the door open again."', "g1"),
        ('"It was stuck."', "g2"),
    ]


def test_dash_dialogue(fixtures):
    text, found_quotes = found(fixtures, "em_dash.txt")
    assert dialogue_mark(text, find_paragraphs(text)) == "dash"
    assert [(q.text, q.group) for q in found_quotes] == [
        ("—Where have you been all day?", "g1"),
        ("Mother was worried.", "g1"),
        ("—At the docks.", "g2"),
        ("—Doing what?", "g3"),
        ("—Counting boats", "g4"),
    ]


def test_unclosed_quote_ends_at_its_paragraph(fixtures):
    text, found_quotes = found(fixtures, "unclosed.txt")
    assert [q.text for q in found_quotes] == [
        '"Get the nets in before the wind turns,"',
        "\"and don't wait for me",
    ]
    assert text[found_quotes[1].end] == "\n"
    assert found_quotes[0].group == found_quotes[1].group


def test_scare_quotes_titles_and_cited_words_are_not_speech(fixtures):
    _, found_quotes = found(fixtures, "scare_quotes.txt")
    assert [(q.text, q.speech) for q in found_quotes] == [
        ('"a bit."', False),
        ('"resting"', False),
        ('"tomorrow"', False),
        ('"The Winter Garden"', False),
        ('"Come and eat,"', True),
        ('"It\'s getting late."', True),
        ('"fine"', True),  # right after a speech verb
    ]
    groups = [q.group for q in found_quotes]
    assert len(set(groups)) == 6 and groups[4] == groups[5]


def test_stage_returns_its_layer(fixtures):
    text = (fixtures / "quotes" / "nested.txt").read_text(encoding="utf-8")
    story = from_string(text)
    story.paragraphs = find_paragraphs(text)
    assert list(quotes(story)) == ["quotes"]
    assert find_quotes(story) == quotes(story)["quotes"]


def test_dash_dialogue_with_unmarked_speech_tags(fixtures):
    _, found_quotes = found(fixtures, "dash_unmarked_tag.txt")
    assert [(q.text, q.group) for q in found_quotes] == [
        ("—Hurry up!", "g1"),
        ("We'll miss it.", "g1"),
        ("—I am hurrying,", "g2"),
        ("—Not fast enough.", "g3"),
    ]


def test_a_letter_quoted_paragraph_by_paragraph_is_not_speech(fixtures):
    _, found_quotes = found(fixtures, "letter.txt")
    assert [q.speech for q in found_quotes] == [False, False, False, False, True, True]


def test_an_aside_in_parentheses_stays_in_the_speech():
    text = '"You suggest (nothing shocks me) that I was dreaming, and (rather gravely) that I lied."'
    quote = Quote(id="q1", start=0, end=len(text), text=text)
    assert [text[s:e] for s, e in spoken_parts(text, quote)] == [
        '"You suggest (nothing shocks me) that I was dreaming, and ',
        'that I lied."',
    ]


def test_single_quote_closers_after_a_letter_are_weighed(fixtures):
    _, found_quotes = found(fixtures, "single_weak_closers.txt")
    assert [q.text for q in found_quotes] == [
        "'Come here'",  # closes before the next quotation opens
        "'now.'",
        "'Tell 'em the Jacksons' goat is loose,'",  # a plural possessive does not close it
        "'and be quick.'",
        "'It's the O'Briens' turn,'",
    ]


def test_a_missing_closing_mark_ends_where_the_next_quotation_opens(fixtures):
    _, found_quotes = found(fixtures, "missing_closer.txt")
    assert [q.text for q in found_quotes] == [
        '"Where is everyone, Mira asked.',
        '"The soup is getting cold."',
        '"Upstairs,"',
    ]


def test_a_letter_heading_above_the_salutation_is_not_speech(fixtures):
    _, found_quotes = found(fixtures, "letter_heading.txt")
    assert [q.speech for q in found_quotes] == [False] * 6 + [True, True]
