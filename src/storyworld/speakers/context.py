"""What every cue of the speakers stage reads: the parse, the mention index and the quote mask."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

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
    breaks: list[int] = field(default_factory=list)  # where scenes and chapters start, in order

    @classmethod
    def build(cls, text: str, doc: Doc, index: MentionIndex, mask: QuoteMask) -> Context:
        return cls(text, doc, index, mask, [t.idx for t in doc])

    def scene_start(self, offset: int) -> int:
        """Where the scene holding `offset` starts: no salience or scene reaches back across a break. (A scene
        whose narration has named nobody yet goes on from the last: "Cold black eyes turned to the girl".)"""
        i = bisect_right(self.breaks, offset) - 1
        if i < 0 or not self.index.names_in_narration(self.breaks[i], offset):
            return 0
        return self.breaks[i]

    def token_at(self, offset: int) -> Token | None:
        """The token that contains (or is the last to start before) `offset`."""
        i = bisect_right(self.token_starts, offset) - 1
        return self.doc[i] if i >= 0 else None

    def tokens(self, start: int, end: int) -> list[Token]:
        """Tokens that start within [start, end)."""
        lo = bisect_right(self.token_starts, start - 1)
        hi = bisect_right(self.token_starts, end - 1)
        return list(self.doc[lo:hi])
