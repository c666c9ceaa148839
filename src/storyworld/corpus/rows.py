"""A World as plain table rows (dicts), the form workers send back to the one writer.

Lists and nested parts (evidence spans, scene settings, metadata) become JSON text columns;
everything a search needs is a column of its own. docs/corpus.md documents each table.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Sequence
from typing import Any

from storyworld.model import Chapter, Quote, World

_WORD = re.compile(r"\w+(?:['’]\w+)*")
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n")

Row = dict[str, Any]


def story_id(path: str) -> str:
    """A stable id for the story at `path`: the same on every machine and every run."""
    return hashlib.sha256(path.encode("utf-8")).hexdigest()[:16]


def count_words(text: str) -> int:
    return len(_WORD.findall(text))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class _ChapterOf:
    """Which chapter an offset falls in (chapters are sorted and do not overlap)."""

    def __init__(self, chapters: Sequence[Chapter]) -> None:
        self._chapters = sorted(chapters, key=lambda c: c.start)
        self._starts = [c.start for c in self._chapters]

    def __call__(self, offset: int) -> str | None:
        index = bisect.bisect_right(self._starts, offset) - 1
        if index < 0 or offset >= self._chapters[index].end:
            return None
        return self._chapters[index].id


def blank_line_paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph spans split at blank lines: the fallback when no stage found paragraphs."""
    spans, start = [], 0
    for gap in _BLANK_LINES.finditer(text):
        spans.append((start, gap.start()))
        start = gap.end()
    spans.append((start, len(text)))
    return [(s, e) for s, e in spans if text[s:e].strip()]


def _narration(text: str, paragraphs: Sequence[tuple[int, int]], quotes: Sequence[Quote]) -> list[Row]:
    """Each paragraph's text with its quotations cut out: what the narrator says, not the characters."""
    spans = sorted((q.start, q.end) for q in quotes)
    starts = [s for s, _ in spans]
    rows = []
    for start, end in paragraphs:
        pieces, cursor = [], start
        for q_start, q_end in spans[bisect.bisect_left(starts, start):]:
            if q_start >= end:
                break
            pieces.append(text[cursor:max(cursor, q_start)])
            cursor = max(cursor, q_end)
        pieces.append(text[cursor:end])
        narration = _SPACES.sub(" ", " ".join(pieces)).strip()
        if narration:
            rows.append({"start": start, "end": end, "text": narration})
    return rows


def _tag_rows(world: World) -> list[Row]:
    """The author's tags (from metadata) and the tags the pipeline suggests, one row each."""
    meta, tags = world.metadata, world.tags
    author = {
        "fandoms": meta.fandoms, "relationships": meta.relationships, "characters": meta.characters,
        "additional": meta.additional_tags, "warnings": meta.warnings, "category": meta.categories,
        "rating": [meta.rating] if meta.rating else [],
    }
    rows = [
        {"source": "author", "group": group, "tag": tag, "evidence": "[]"}
        for group, values in author.items() for tag in values
    ]
    suggested = {
        "relationships": tags.relationships, "characters": tags.characters, "additional": tags.additional,
        "warnings": tags.warnings, "category": tags.category, "rating": [tags.rating] if tags.rating else [],
    }
    rows += [
        {"source": "suggested", "group": group, "tag": s.tag, "evidence": _json(s.evidence)}
        for group, values in suggested.items() for s in values
    ]
    return rows


def world_rows(world: World, paragraphs: Sequence[tuple[int, int]], story: str) -> dict[str, list[Row]]:
    """Every story table's rows for one analysed story whose id is `story`."""
    chapter_of = _ChapterOf(world.chapters)
    characters = world.characters
    tables: dict[str, list[Row]] = {
        "texts": [{"text": world.text}],
        "chapters": [
            {"id": c.id, "ord": i, "title": c.title, "start": c.start, "end": c.end}
            for i, c in enumerate(world.chapters)
        ],
        "characters": [
            {"id": c.id, "name": c.name, "canonical": c.canonical, "original": int(c.original),
             "named": int(c.named), "gender": c.gender, "mentions": len(c.mentions),
             "description": _json([d.model_dump() for d in c.description])}
            for c in characters
        ],
        "aliases": [
            {"character_id": c.id, "alias": alias} for c in characters for alias in dict.fromkeys(c.aliases)
        ],
        "mentions": [
            {"character_id": c.id, "start": m.start, "end": m.end, "text": m.text, "kind": m.kind}
            for c in characters for m in c.mentions
        ],
        "quotes": [
            {"id": q.id, "chapter": chapter_of(q.start), "start": q.start, "end": q.end, "text": q.text,
             "speech": int(q.speech), "group": q.group, "speaker": q.speaker,
             "confidence": q.confidence, "cue": q.cue}
            for q in world.quotes
        ],
        "quote_addressees": [
            {"quote_id": q.id, "character_id": a} for q in world.quotes for a in dict.fromkeys(q.addressees)
        ],
        "scenes": [
            {"id": s.id, "chapter": s.chapter, "start": s.start, "end": s.end, "pov": s.pov,
             "person": s.person, "break": s.break_, "characters": _json(s.characters),
             "setting": _json([cue.model_dump() for cue in s.setting])}
            for s in world.scenes
        ],
        "narration": [
            {"ord": i, "chapter": chapter_of(row["start"]), **row}
            for i, row in enumerate(_narration(world.text, paragraphs, world.quotes))
        ],
        "interactions": [
            {"ord": i, "source": x.source, "target": x.target, "kind": x.kind, "count": x.count,
             "evidence": _json(x.evidence)}
            for i, x in enumerate(world.interactions)
        ],
        "relationships": [
            {"ord": i, "characters": _json(r.characters), "kind": r.kind, "weight": r.weight,
             "evidence": _json(r.evidence)}
            for i, r in enumerate(world.relationships)
        ],
        "tags": _tag_rows(world),
    }
    return {table: [{"story_id": story, **row} for row in rows] for table, rows in tables.items()}


def story_row(world: World) -> Row:
    """The analysed story's columns of `stories` (the writer adds path, status and timestamps)."""
    meta = world.metadata
    return {
        "format": world.source.format, "title": meta.title, "authors": _json(meta.authors),
        "fandoms": _json(meta.fandoms), "fandom": world.fandom, "rating": meta.rating,
        "language": meta.language, "words": count_words(world.text), "characters": len(world.characters),
        "quotes": len(world.quotes), "chapters": len(world.chapters), "scenes": len(world.scenes),
        "metadata": meta.model_dump_json(), "tag_agreement": _json(world.tags.agreement),
    }
