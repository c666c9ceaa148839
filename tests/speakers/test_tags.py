"""Speech tags (speakers/tags.py) on a story written for it: given-cast names, lead-ins, unlisted verbs."""

from __future__ import annotations

import re

import pytest

from storyworld import read
from storyworld.ingest import from_string
from storyworld.model import CastEntry, Character, Mention, Story
from storyworld.pipeline import run
from storyworld.speakers.sieve import dialogue
from storyworld.stages import quotes, segment


def _mentions(text: str, pattern: str, kind: str) -> list[Mention]:
    return [Mention(start=m.start(), end=m.end(), text=m.group(), kind=kind)
            for m in re.finditer(pattern, text)]


@pytest.fixture
def harbour(fixtures) -> Story:
    """Tamsin, Oren and the harbourmaster (Aldous, known only by the given cast's alias); the cast stage
    wrongly gave "the harbourmaster" to Oren."""
    text = (fixtures / "speakers" / "harbour.txt").read_text()
    story = run(from_string(text), [segment.STAGE, quotes.STAGE])
    story.given_cast = [CastEntry(name="Tamsin", gender="female"), CastEntry(name="Oren", gender="male"),
                        CastEntry(name="Aldous", aliases=["the harbourmaster"], gender="male")]
    story.characters = [
        Character(id="tamsin", name="Tamsin", gender="female",
                  mentions=_mentions(text, r"\bTamsin\b", "name")),
        Character(id="oren", name="Oren", gender="male", mentions=[
                  *_mentions(text, r"\bOren\b", "name"), *_mentions(text, "harbourmaster", "epithet")]),
        Character(id="aldous", name="Aldous", gender="male"),
    ]
    return story


def cue_of(story: Story, words: str):
    _, grouped = dialogue(story)
    turn = next(t for c in grouped for t in c if any(words in q.text for q in t.quotes))
    return turn.cue


def test_given_alias_names_the_speaker_over_the_casts_mention(harbour):
    cue = cue_of(harbour, "The ice will not hold")
    assert (cue.speaker, cue.kind) == ("aldous", "explicit")


def test_lead_in_tag_ends_the_paragraph_before(harbour):
    cue = cue_of(harbour, "Wednesday is too soon")
    assert (cue.speaker, cue.kind) == ("oren", "explicit")


def test_inverted_word_order_makes_any_verb_a_tag(harbour):
    """'interposed' is not a listed speech verb; verb-then-name right after the quote still tags it."""
    cue = cue_of(harbour, "Not if we mend them")
    assert (cue.speaker, cue.kind) == ("tamsin", "explicit")



@pytest.fixture
def family(fixtures) -> Story:
    """Mr. Hale, Mrs. Hale and Minna Hale; only Mr. Hale is ever named in the text."""
    text = (fixtures / "speakers" / "family.txt").read_text()
    story = run(from_string(text), [segment.STAGE, quotes.STAGE])
    story.characters = [
        Character(id="hale", name="Mr. Hale", gender="male", mentions=_mentions(text, r"Mr\. Hale", "name")),
        Character(id="wife", name="Mrs. Hale", gender="female"),
        Character(id="minna", name="Minna Hale", gender="female"),
    ]
    return story


@pytest.mark.parametrize(("words", "speaker"), [("The ford was flooded", "wife"), ("Was it very", "minna")])
def test_kin_noun_is_the_possessors_relative(family, words, speaker):
    """'replied his wife': the woman of his surname who is a Mrs.; 'asked his daughter': the other."""
    assert cue_of(family, words).speaker == speaker


def test_later_piece_with_its_own_tag_has_its_own_speaker(family):
    """'"...," said Mr. Hale, and "Not for long!" cried Minna': one paragraph, two speakers."""
    from storyworld.speakers.sieve import decide

    verdicts = {q.text: d.speaker for d in decide(family) for q in family.quotes if q.id == d.quote}
    assert verdicts['"Then we wait for the morning,"'] == "hale"
    assert verdicts['"Not for long!"'] == "minna"


def test_a_given_first_name_alone_names_its_one_owner():
    """'said Tom' with a given "Tom Bertram" and no other Tom; "Sir Thomas" opens with a title."""
    from storyworld.speakers.index import MentionIndex, QuoteMask

    given = [CastEntry(name="Tom Bertram"), CastEntry(name="Sir Thomas"), CastEntry(name="Charles Hayter"),
             CastEntry(name="Charles Musgrove")]
    characters = [Character(id=f"c{i}", name=entry.name) for i, entry in enumerate(given)]
    index = MentionIndex("", characters, QuoteMask([]), given)
    assert index.by_name("Tom", given_only=True) == ("c0", True)
    assert index.by_name("Charles", given_only=True) == (None, True)  # two Charleses: no one
    assert index.by_name("Thomas", given_only=True) == (None, False)


def test_particle_verb_tag_takes_the_name_after_the_particle(harbour):
    """'put in Oren': "put" tags speech only with its particle; the subject comes after both."""
    cue = cue_of(harbour, "Then bring the big lamp")
    assert (cue.speaker, cue.kind) == ("oren", "explicit")


def test_second_person_tags_and_beats_give_lines_to_the_reader(fixtures):
    """ "you mumble", "You groan ... 'No.'" are the Reader's lines; "Up, (y/n)." addresses the Reader."""
    world = read(fixtures / "speakers" / "reader_tags.txt")
    names = {c.id: c.name for c in world.characters}
    lines = {q.text.strip('"“”'): q for q in world.quotes if q.speech}

    def speaker(start: str) -> str | None:
        quote = next(q for text, q in lines.items() if text.startswith(start))
        return names.get(quote.speaker)

    assert speaker("No.") == "Reader"  # a you-subject beat in the paragraph
    assert speaker("Then it can leave") == "Reader"  # "you mumble"
    assert speaker("Good morning to you too") == "Reader"
    assert speaker("Y/N! Get up!") == "Kestrel"  # a vocative Y/N: the Reader is addressed, not speaking
    up = next(q for text, q in lines.items() if text.startswith("Up, (y/n)"))
    assert names[up.speaker] == "Orrin" and "Reader" in {names[a] for a in up.addressees}
