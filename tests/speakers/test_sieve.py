"""The sieve (speakers/sieve.py) alone, without the ranker, on stories written for it."""

from __future__ import annotations

import re

import pytest

from storyworld.ingest import from_string
from storyworld.model import Character, Mention, Story
from storyworld.pipeline import run
from storyworld.speakers.sieve import Decision, decide
from storyworld.stages import quotes, segment


def _mentions(text: str, pattern: str, kind: str) -> list[Mention]:
    return [Mention(start=m.start(), end=m.end(), text=m.group(), kind=kind)
            for m in re.finditer(pattern, text)]


def _named_cast(story: Story, *people: tuple[str, str]) -> None:
    """Give the story these (name, gender) characters, each mentioned wherever its name is written."""
    story.characters = [
        Character(id=name.lower(), name=name, gender=gender,
                  mentions=_mentions(story.text, rf"\b{name}\b", "name"))
        for name, gender in people
    ]


def _story(fixtures, name: str) -> Story:
    return run(from_string((fixtures / "speakers" / name).read_text()), [segment.STAGE, quotes.STAGE])


def verdict(story: Story, words: str) -> Decision:
    quote = next(q for q in story.quotes if words in q.text)
    return next(d for d in decide(story) if d.quote == quote.id)


@pytest.fixture
def warden(fixtures) -> Story:
    """Ysolde, whom the cast knows by the title "the warden", Tobin and Dunstan."""
    story = _story(fixtures, "warden.txt")
    text = story.text
    story.characters = [
        Character(id="ysolde", name="Ysolde", gender="female", mentions=[
            *_mentions(text, r"\bYsolde\b", "name"), *_mentions(text, r"\b[Tt]he warden\b", "title")]),
        Character(id="tobin", name="Tobin", gender="male", mentions=[
            *_mentions(text, r"\bTobin\b", "name"), *_mentions(text, r"\bthe stranger\b", "epithet")]),
        Character(id="dunstan", name="Dunstan", gender="male",
                  mentions=_mentions(text, r"\bDunstan\b", "name")),
    ]
    return story


def test_a_title_the_cast_knows_is_a_vocative(warden):
    """'"Ah... Warden."' addresses whoever the cast calls "the warden": she is not the speaker."""
    found = verdict(warden, "Ah... Warden")
    assert found.speaker != "ysolde"
    assert "ysolde" in found.addressees


def test_a_tag_verb_after_another_verb_tags_the_line(warden):
    """'he managed to whisper': the tag's subject is the main verb's; "…Ysolde…" is a vocative."""
    found = verdict(warden, "…Ysolde…")
    assert (found.speaker, found.how) == ("tobin", "anaphoric")
    assert found.addressees == ["ysolde"]


def test_a_description_that_is_one_characters_main_name_names_it(fixtures):
    """'the woman purred': "the woman" is one character's main name and another's alias."""
    story = _story(fixtures, "well.txt")
    text = story.text
    story.characters = [
        Character(id="woman", name="the woman", gender="female",
                  mentions=_mentions(text, r"\b[Tt]he woman\b", "epithet")),
        Character(id="anka", name="Anka", aliases=["the woman"], gender="female",
                  mentions=_mentions(text, r"\bAnka\b", "name")),
    ]
    found = verdict(story, "You took your time")
    assert (found.speaker, found.how) == ("woman", "explicit")


def test_a_beat_after_the_line_by_the_last_speaker_is_the_listeners(fixtures):
    """'"The road was flooded..." Wren only shook her head at that.': Wren spoke the line before, so the
    beat is her reaction, not a cue: the line is Ansel's."""
    story = _story(fixtures, "reaction.txt")
    _named_cast(story, ("Wren", "female"), ("Ansel", "male"))
    found = verdict(story, "The road was flooded")
    assert found.speaker == "ansel"
    assert found.how != "implicit"


def test_whom_a_tag_tells_answers_next(fixtures):
    """'"Pull harder, then," Mira told Jory.': the untagged line after it is Jory's, not Bran's (two back)."""
    story = _story(fixtures, "rope.txt")
    _named_cast(story, ("Mira", "female"), ("Jory", "male"), ("Bran", "male"))
    found = verdict(story, "as hard as I can")
    assert (found.speaker, found.how) == ("jory", "vocative-next")


def test_untagged_lines_before_the_first_tag_alternate_back_from_it(fixtures):
    """Four untagged lines, then "said Tamsin": the lines alternate back from her, whoever the narration
    named last (Oren, whom salience alone would make the first speaker)."""
    story = _story(fixtures, "jetty.txt")
    _named_cast(story, ("Tamsin", "female"), ("Oren", "male"))
    lines = ["You said noon", "I said after noon", "not the same thing", "the same tide"]
    assert [verdict(story, words).speaker for words in lines] == ["tamsin", "oren", "tamsin", "oren"]


def test_a_name_after_a_greeting_is_addressed_without_a_comma(warden):
    """ "Thanks Ysolde." calls Ysolde; "Yeah Tobin can take the second" talks about Tobin ("yeah" does
    not end in "ah")."""
    assert "ysolde" in verdict(warden, "Thanks Ysolde").addressees
    assert "tobin" not in verdict(warden, "Yeah Tobin").addressees


def test_an_adverb_parsed_as_the_subject_does_not_hide_the_name_after_the_verb(fixtures):
    """ '"No," said Boo carelessly.': the parse makes "carelessly" the subject; the tag is still Boo's."""
    story = _story(fixtures, "boo.txt")
    _named_cast(story, ("Boo", "male"), ("Hazel", "female"))
    found = verdict(story, "No,")
    assert (found.speaker, found.how) == ("boo", "explicit")


def test_whose_the_subject_is_makes_an_action_beat(fixtures):
    """ "Marit's hands stilled on the rope. 'And I won't go...'": the line is Marit's though she spoke the one
    before and her hands are the clause's subject."""
    story = _story(fixtures, "possessor_beat.txt")
    _named_cast(story, ("Corwin", "male"), ("Marit", "female"))
    assert verdict(story, "I won't go").speaker == "marit"
    assert verdict(story, "Then we stay").speaker == "corwin"


def test_a_speech_verb_inside_another_clause_tags_no_line(fixtures):
    """ '"Enough." Ysolde's cloak stirred around her shoulders like it was thinking about doing something.':
    "thinking" belongs to the clause about the cloak and tags nothing; the beat makes the line Ysolde's."""
    story = _story(fixtures, "embedded_verb.txt")
    _named_cast(story, ("Ysolde", "female"), ("Tobin", "male"), ("Dunstan", "male"))
    assert verdict(story, "Enough").speaker == "ysolde"


def test_a_character_first_heard_of_when_called_is_there_to_answer(fixtures):
    """The story first names Tamsin when Wren calls her: the next line is hers, not the point-of-view
    character's (Oren, the only one the narration has shown); "Corin. Helped." of a Corin seen in an
    earlier scene is another matter (test_narration)."""
    story = _story(fixtures, "opening_call.txt")
    _named_cast(story, ("Oren", "male"), ("Wren", "male"), ("Tamsin", "female"))
    assert verdict(story, "two coins, Wren").speaker == "tamsin"
    assert verdict(story, "We have the coins").speaker == "tamsin"
