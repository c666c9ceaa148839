"""Speakers: for every speech quote its speaker, addressees, confidence and cue.

The sieve in speakers/sieve.py decides each turn; the learned ranker (speakers/ranker.py,
data/speaker_ranker.json) then chooses among candidates with the sieve's choice as one of its features,
and its probability is the confidence. Without the ranker's data the sieve's choice stands, with the
accuracy its kind of decision had on PDNC as confidence (speakers/confidence.py).
"""

from __future__ import annotations

from storyworld.model import Attribution, Evidence, Story
from storyworld.pipeline import Stage
from storyworld.speakers.confidence import confidence
from storyworld.speakers.ranker import Ranker
from storyworld.speakers.sieve import decide

_CUES = {
    "explicit": "explicit",
    "anaphoric": "anaphoric",
    "implicit": "implicit",
    "vocative-next": "vocative",
    "turn-taking": "turn-taking",
    "fallback": "implicit",
    "ranked": "implicit",
    "continuation": "continuation",
    "none": "implicit",
}


def attribute(story: Story) -> dict:
    attributions = []
    for d in decide(story, Ranker.load()):
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
