"""Speakers: for every speech quote its speaker, addressees, confidence and cue.

The decisions come from the sieve in speakers/sieve.py; each one's confidence is the accuracy its
kind of decision had on PDNC (speakers/confidence.py, data/speaker_confidence.json).
"""

from __future__ import annotations

from storyworld.model import Attribution, Evidence, Story
from storyworld.pipeline import Stage
from storyworld.speakers.confidence import confidence
from storyworld.speakers.sieve import decide

_CUES = {
    "explicit": "explicit",
    "anaphoric": "anaphoric",
    "implicit": "implicit",
    "vocative-next": "vocative",
    "turn-taking": "turn-taking",
    "fallback": "implicit",
    "continuation": "continuation",
    "none": "implicit",
}


def attribute(story: Story) -> dict:
    attributions = []
    for d in decide(story):
        evidence = [Evidence(start=s, end=e, text=story.text[s:e]) for s, e in d.evidence]
        attributions.append(
            Attribution(
                quote=d.quote,
                speaker=d.speaker,
                addressees=d.addressees,
                confidence=confidence(d),
                cue=_CUES[d.how],
                evidence=evidence,
            )
        )
    return {"attributions": attributions}


STAGE = Stage(
    "speakers",
    requires=("quotes", "characters", "doc", "paragraphs", "breaks"),
    assigns=("attributions",),
    compute=attribute,
)
