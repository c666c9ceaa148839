"""What every cue of the speakers stage reads: the parse, the mention index and the quote mask."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from spacy.tokens import Doc, Token

from storyworld.speakers.index import MentionIndex, QuoteMask


@dataclass
class Context:
    text: str
    doc: Doc
    index: MentionIndex
    mask: QuoteMask
    token_starts: list[int]
    narrator: str | None = None  # the character "I" is in the narration, once known

    @classmethod
    def build(cls, text: str, doc: Doc, index: MentionIndex, mask: QuoteMask) -> Context:
        return cls(text, doc, index, mask, [t.idx for t in doc])

    def token_at(self, offset: int) -> Token | None:
        """The token that contains (or is the last to start before) `offset`."""
        i = bisect_right(self.token_starts, offset) - 1
        return self.doc[i] if i >= 0 else None

    def tokens(self, start: int, end: int) -> list[Token]:
        """Tokens that start within [start, end)."""
        lo = bisect_right(self.token_starts, start - 1)
        hi = bisect_right(self.token_starts, end - 1)
        return list(self.doc[lo:hi])
