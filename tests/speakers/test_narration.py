"""What the narration beside a line says about its speaker (speakers/narration.py), through the sieve, on
fan fiction written for it: who is seen or heard, whose voice it was, who is silenced, "X spoke." before a
line."""

from __future__ import annotations

import re

import pytest

from storyworld.ingest import from_string
from storyworld.model import Character, Mention, Story
from storyworld.pipeline import run
from storyworld.speakers.ranker import Ranker
from storyworld.speakers.sieve import Decision, decide, dialogue
from storyworld.stages import quotes, segment


def _story(fixtures, name: str, cast: dict[str, tuple[str, str]]) -> Story:
    """`cast` maps a name to (regex of its naming mentions, gender); pronouns are left to the sieve."""
    story = run(from_string((fixtures / "speakers" / name).read_text()), [segment.STAGE, quotes.STAGE])
    story.characters = [
        Character(id=who.lower(), name=who, gender=gender, mentions=[
            Mention(start=m.start(), end=m.end(), text=m.group(), kind="name")
            for m in re.finditer(pattern, story.text)])
        for who, (pattern, gender) in cast.items()
    ]
    return story


def _verdict(story: Story, words: str) -> Decision:
    quote = next(q for q in story.quotes if words in q.text)
    return next(d for d in decide(story) if d.quote == quote.id)


def test_the_one_turned_to_and_seen_spoke_the_line_before(fixtures):
    """'"Still awake?" / Corvin turned to see Hesper leaning in the doorway': Hesper's line, not Corvin's
    (whom the narration before it names, alone)."""
    story = _story(fixtures, "fanfic_doorway.txt", {"Corvin": (r"\bCorvin\b", "male"),
                                                    "Hesper": (r"\bHesper\b", "female")})
    assert _verdict(story, "Still awake").speaker == "hesper"
    assert _verdict(story, "Someone has to plan").speaker == "corvin"


def test_who_recognises_the_voice_is_the_listener_and_the_next_line_names_the_speaker(fixtures):
    """'"You will freeze up here." / Lio did not need to turn to recognize the owner of the voice' /
    '"Go back inside, Petra."': the first line is Petra's, the second Lio's."""
    story = _story(fixtures, "fanfic_rooftop.txt", {"Lio": (r"\bLio\b", "male"),
                                                    "Petra": (r"\bPetra\b", "female")})
    assert _verdict(story, "freeze up here").speaker == "petra"
    assert _verdict(story, "Go back inside").speaker == "lio"


def test_a_paragraph_ending_x_spoke_tags_the_untagged_line_after_it(fixtures):
    """'Then Ruben spoke, low and even.' / '"Take the horses and go."': Ruben's line, though Ilse is the
    one the narration follows."""
    story = _story(fixtures, "fanfic_spoke.txt", {"Ilse": (r"\bIlse\b", "female"),
                                                  "Ruben": (r"\bRuben\b", "male")})
    found = _verdict(story, "Take the horses")
    assert (found.speaker, found.how) == ("ruben", "explicit")
    assert _verdict(story, "What?").speaker == "ilse"


def test_who_paused_is_not_whom_the_clause_joined_to_it_names(fixtures):
    """'He paused, and Tam looked up': "He" is not Tam, even where the cast's chain says so."""
    story = _story(fixtures, "fanfic_pause_two.txt", {"Hale": (r"\bHale\b", "male"),
                                                      "Tam": (r"\bTam\b", "male")})
    pause = story.text.index("He paused")
    tam = next(c for c in story.characters if c.id == "tam")
    tam.mentions.append(Mention(start=pause, end=pause + 2, text="He", kind="pronoun"))
    assert _verdict(story, "cost us a day").speaker == "hale"


def test_whoever_calls_someone_by_name_does_not_greet_them_by_title(fixtures):
    """'"Ah... Captain."' after Mara's tagged '"Corin, the gate is open"': not Corin (addressed), and not Mara
    (named nearest, but she calls him Corin): the stranger waiting there."""
    story = run(from_string((fixtures / "speakers" / "fanfic_tower.txt").read_text()),
                [segment.STAGE, quotes.STAGE])

    def mentions(pattern: str, kind: str) -> list[Mention]:
        return [Mention(start=m.start(), end=m.end(), text=m.group(), kind=kind)
                for m in re.finditer(pattern, story.text)]

    story.characters = [
        Character(id="corin", name="Corin", gender="male",
                  mentions=[*mentions(r"\bCorin\b", "name"), *mentions(r"\bThe captain\b", "title")]),
        Character(id="mara", name="Mara", gender="female", mentions=mentions(r"\bMara\b", "name")),
        Character(id="stranger", name="the stranger", gender="male",
                  mentions=mentions(r"\ba tall stranger\b", "epithet")),
    ]
    found = _verdict(story, "Ah... Captain")
    assert found.speaker == "stranger"
    assert "corin" in found.addressees


def test_saying_nothing_is_no_tag_for_the_next_line(fixtures):
    """'Ruben said nothing.' ends the paragraph before '"Well?"': speech reported, not a tag."""
    story = _story(fixtures, "fanfic_quiet.txt", {"Ilse": (r"\bIlse\b", "female"),
                                                  "Ruben": (r"\bRuben\b", "male")})
    assert _verdict(story, "Well?").how != "explicit"


def test_a_tag_pronoun_the_cast_gave_to_the_one_addressed_means_whom_the_narration_is_about(fixtures):
    """'"...Bran..." he managed to whisper.' after a long stretch of "he" about Jory: the cast's chain gave
    the "he" to Bran, whom the line addresses; the speaker is Jory, named before that stretch (not the
    miller, named more often, but only in Bran's line)."""
    story = _story(fixtures, "fanfic_mill.txt", {"Bran": (r"\bBran\b", "male"), "Jory": (r"\bJory\b", "male"),
                                                 "the miller": (r"\b[Tt]he miller\b", "male")})
    tag = story.text.index("he managed")
    bran = next(c for c in story.characters if c.id == "bran")
    bran.mentions.append(Mention(start=tag, end=tag + 2, text="he", kind="pronoun"))
    found = _verdict(story, "...Bran...")
    assert (found.speaker, found.how) == ("jory", "anaphoric")


# Lines one narration cue decides: (fixture, cast: name -> (pattern, gender), words of the line, speaker id).
SINGLE_LINES = [
    # 'Dorne froze as the voice echoed in his head.' rules Dorne out; the wolf speaks next ("The wolf
    # growled.") and is the only other one there.
    pytest.param(
        "fanfic_cage.txt", {"Dorne": (r"\bDorne\b", "male"), "the wolf": (r"\b[Tt]he wolf\b", "male")},
        "regret taking me", "the wolf", id="a_voice_echoing_in_someones_head_is_whoever_speaks_next",
    ),
    # 'He was silenced with a single look.' (Tobias, named last) / '"You will wait here..."': Maren's.
    pytest.param(
        "fanfic_glare.txt", {"Maren": (r"\bMaren\b", "female"), "Tobias": (r"\bTobias\b", "male")},
        "wait here", "maren", id="someone_silenced_just_before_a_line_does_not_speak_it",
    ),
    # '"Tarin." Sela cut in. He was about to snap at her, only to find her on the sill.' / '"The harbour.
    # Now."': Tarin never spoke, so the line is Sela's going on (not his, as the one just addressed).
    pytest.param(
        "fanfic_window.txt", {"Tarin": (r"\bTarin\b", "male"), "Sela": (r"\bSela\b", "female")},
        "The harbour", "sela", id="whom_a_line_addresses_does_not_answer_when_only_about_to",
    ),
    # '"Leave it. We sail at dawn." / Anselm's voice was flat and tired, and Wren did not look up':
    # Anselm, though Wren is the subject named last before the line.
    pytest.param(
        "fanfic_words.txt", {"Anselm": (r"\bAnselm\b", "male"), "Wren": (r"\bWren\b", "female")},
        "sail at dawn", "anselm", id="whose_voice_the_next_sentence_describes_spoke",
    ),
    # '"So you mean to cross the pass tonight...?" / Sora did not answer him': Kell's line, though Sora is
    # the one named last before it.
    pytest.param(
        "fanfic_answer.txt", {"Kell": (r"\bKell\b", "male"), "Sora": (r"\bSora\b", "female")},
        "cross the pass", "kell", id="who_does_not_answer_a_line_did_not_speak_it",
    ),
    # '"We're closed," Odalys said.' / '"Please. I'm Fenwick. The harbourmaster sent me."': the one who
    # names himself in an untagged line speaks it (not Brannock, whom salience would give it).
    pytest.param(
        "fanfic_stranger.txt", {"Odalys": (r"\bOdalys\b", "female"), "Brannock": (r"\bBrannock\b", "male"),
                                "Fenwick": (r"\bFenwick\b", "male")},
        "harbourmaster sent me", "fenwick", id="who_introduces_themselves_in_a_line_speaks_it",
    ),
    # 'Rook glanced at Ysolde. She shook her head without a word.' / '"Sorry, Pell."': Rook's, not hers.
    pytest.param(
        "fanfic_wordless.txt", {"Pell": (r"\bPell\b", "male"), "Rook": (r"\bRook\b", "male"),
                                "Ysolde": (r"\bYsolde\b", "female")},
        "Sorry, Pell", "rook", id="who_acts_without_a_word_just_before_a_line_does_not_speak_it",
    ),
    # 'He paused, and Nessa looked up from the fire.' between two of Hale's lines: the second is his too.
    pytest.param(
        "fanfic_pause.txt", {"Hale": (r"\bHale\b", "male"), "Nessa": (r"\bNessa\b", "female")},
        "cost us a day", "hale", id="who_paused_between_two_lines_goes_on",
    ),
    # '"Tamsin," Hale said ... and he found his lips moving again.' / '"I should have come back..."': Hale
    # goes on, though his last line addressed Tamsin.
    pytest.param(
        "fanfic_lips.txt", {"Hale": (r"\bHale\b", "male"), "Tamsin": (r"\bTamsin\b", "female")},
        "come back for you", "hale", id="whose_lips_move_before_a_line_speaks_it",
    ),
]


@pytest.mark.parametrize(("fixture", "cast", "line", "speaker"), SINGLE_LINES)
def test_what_the_narration_beside_a_line_says_decides_its_speaker(fixtures, fixture, cast, line, speaker):
    assert _verdict(_story(fixtures, fixture, cast), line).speaker == speaker


def test_who_acts_without_a_word_is_silent_before_the_line(fixtures):
    """ "She shook her head without a word." right before a line: she is no candidate the ranker may pick."""
    cast = {"Pell": (r"\bPell\b", "male"), "Rook": (r"\bRook\b", "male"), "Ysolde": (r"\bYsolde\b", "female")}
    story = _story(fixtures, "fanfic_wordless.txt", cast)
    _, grouped = dialogue(story)
    turn = next(t for c in grouped for t in c if "Sorry, Pell" in t.quotes[0].text)
    assert turn.silent == ["ysolde"]
    quote = next(q for q in story.quotes if "Sorry, Pell" in q.text)
    assert next(d for d in decide(story, Ranker.load()) if d.quote == quote.id).speaker != "ysolde"


def test_a_scene_break_ends_salience_and_the_absent_do_not_answer(fixtures):
    """After the break, the untagged line after "Tamsin was waiting" is hers, not Corin's (the last scene's
    most mentioned); "Corin. Helped." names Corin, who is not there to answer "I know."."""
    cast = {"Corin": (r"\bCorin\b", "male"), "Ash": (r"\bAsh\b", "male"), "Tamsin": (r"\bTamsin\b", "female")}
    story = _story(fixtures, "scene_change.txt", cast)
    assert _verdict(story, "You look awful").speaker == "tamsin"
    assert _verdict(story, "I know").speaker == "ash"
