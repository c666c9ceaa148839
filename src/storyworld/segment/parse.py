"""The spaCy parse of a whole story as one Doc, built from chunks of whole paragraphs.

Parsing a novel as one Doc is slow and memory-hungry, so the text is cut at paragraph starts into
chunks of about CHUNK_CHARS, parsed in a batch, and joined with `Doc.from_docs`. The chunks tile the
text exactly, so `doc.text == text` and every `token.idx` indexes the story text. Each paragraph's
first token is marked as a sentence start before the parser runs (the parser keeps preset starts),
so no sentence runs across a paragraph boundary.
"""

from __future__ import annotations

from bisect import bisect_left

from spacy.tokens import Doc

from storyworld import nlp
from storyworld.model import Paragraph

# Measured on Pride and Prejudice (bench/bench_segment.py): 2-10k-char chunks cost the same CPU and
# ~30% less than one nlp(text); 20-50k chunks cost more CPU, and peak memory grows with chunk x batch.
CHUNK_CHARS = 5_000
BATCH_SIZE = 8


def _chunk_starts(text: str, paragraphs: list[Paragraph]) -> list[int]:
    """Offsets where chunks begin: 0, then the first paragraph start past each CHUNK_CHARS stretch."""
    starts = [0]
    for paragraph in paragraphs:
        if paragraph.start - starts[-1] >= CHUNK_CHARS:
            starts.append(paragraph.start)
    return starts


def _mark_paragraph_starts(doc: Doc, offset: int, paragraph_starts: list[int]) -> Doc:
    first = bisect_left(paragraph_starts, offset)
    end = offset + len(doc.text)
    for start in paragraph_starts[first:]:
        if start >= end:
            break
        token = doc.char_span(start - offset, start - offset + 1, alignment_mode="expand")
        if token is not None and token[0].i > 0:
            token[0].is_sent_start = True
    return doc


def parse(text: str, paragraphs: list[Paragraph]) -> Doc:
    """One Doc over `text` whose offsets are offsets in `text`, sentences kept inside paragraphs."""
    language = nlp.load()
    starts = _chunk_starts(text, paragraphs)
    bounds = list(zip(starts, [*starts[1:], len(text)], strict=True))
    paragraph_starts = [p.start for p in paragraphs]
    docs = (
        _mark_paragraph_starts(language.make_doc(text[start:end]), start, paragraph_starts)
        for start, end in bounds
    )
    for _, component in language.pipeline:
        docs = component.pipe(docs, batch_size=BATCH_SIZE)
    parsed = list(docs)
    if len(parsed) == 1:
        return parsed[0]
    return Doc.from_docs(parsed, ensure_whitespace=False)
