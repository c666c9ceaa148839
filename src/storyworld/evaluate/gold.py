"""Gold corpora: PDNC in its own folder layout, the JSONL export of PDNC and LitBank, and stories
annotated by hand (a `NAME.txt` with a `NAME.gold.yaml` beside it; format in docs/evaluation.md).

Every reader returns `GoldDocument`s with character offsets into the document's text, so the
evaluators never care where the gold came from. PDNC's `quoteByteSpans` are in fact character
offsets into `novel_text.txt` (its pieces exclude the marks); LitBank's spans include the marks.
`content_start`/`content_end` trim marks and spaces in both, and are what scoring compares.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from storyworld.errors import E, StoryworldError
from storyworld.ingest.notes import split_notes

QUOTE_MARKS = "\"'“”‘’«»„‚"
TRIMMED = QUOTE_MARKS + "-–—"  # a piece cut off mid-word ends in a dash that is not part of the words


@dataclass
class GoldCharacter:
    id: str
    name: str
    aliases: list[str] = field(default_factory=list)
    gender: str | None = None


@dataclass
class GoldQuote:
    """One contiguous quoted piece; pieces of one quotation interrupted by narration share `group`."""

    start: int
    end: int
    content_start: int
    content_end: int
    group: str
    speaker: str | None = None
    addressees: list[str] = field(default_factory=list)
    type: str | None = None


@dataclass
class GoldDocument:
    id: str
    text: str
    characters: list[GoldCharacter] = field(default_factory=list)
    quotes: list[GoldQuote] = field(default_factory=list)
    narrative_person: int | None = None
    fandoms: list[str] = field(default_factory=list)  # the fandom tags a reader would see (AO3 metadata)


def content_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without surrounding quotation marks and whitespace."""
    while start < end and (text[start].isspace() or text[start] in TRIMMED):
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in TRIMMED):
        end -= 1
    return start, end


def load_gold(path: str | Path) -> list[GoldDocument]:
    """A `.jsonl` export, or PDNC's layout (its root, its data/ folder, or one novel's folder)."""
    path = Path(path)
    if path.is_file() and path.suffix == ".jsonl":
        return load_jsonl(path)
    return load_pdnc(path)


def load_pdnc(path: str | Path) -> list[GoldDocument]:
    """Every novel under PDNC's root, its data/ folder, or a single novel folder."""
    path = Path(path)
    if not path.is_dir():
        raise StoryworldError(E.E018, path=path, reason="no such folder")
    folders = [path] if (path / "novel_text.txt").is_file() else sorted(
        p for p in (path / "data" if (path / "data").is_dir() else path).iterdir()
        if (p / "novel_text.txt").is_file()
    )
    if not folders:
        raise StoryworldError(E.E018, path=path, reason="no <Novel>/novel_text.txt found")
    persons = _narrative_persons(path)
    return [_read_novel(folder, persons.get(folder.name)) for folder in folders]


def _narrative_persons(path: Path) -> dict[str, int]:
    """Folder name -> narrative person, from the PDNC-Novel-Index.csv at or above `path`."""
    index = next((p / "PDNC-Novel-Index.csv" for p in (path, path.parent, path.parent.parent)
                  if (p / "PDNC-Novel-Index.csv").is_file()), None)
    if index is None:
        return {}
    with index.open(encoding="utf-8", newline="") as handle:
        return {
            row["Folder Name"]: int(float(row["Narrative Person"]))
            for row in csv.DictReader(handle)
            if row.get("Narrative Person")
        }


def _read_novel(folder: Path, narrative_person: int | None) -> GoldDocument:
    try:
        text = (folder / "novel_text.txt").read_text(encoding="utf-8")
        characters = _read_characters(folder / "character_info.csv")
        ids = _name_index(characters)
        quotes = []
        with (folder / "quotation_info.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                spans = ast.literal_eval(row["quoteByteSpans"])
                addressees = [_resolve(ids, a) for a in ast.literal_eval(row["addressees"] or "[]")]
                for start, end in spans:
                    quotes.append(
                        GoldQuote(
                            start, end, *content_span(text, start, end),
                            group=row["quoteID"],
                            speaker=_resolve(ids, row["speaker"]),
                            addressees=addressees,
                            type=row["quoteType"].lower() or None,
                        )
                    )
    except (OSError, UnicodeDecodeError, KeyError, ValueError, SyntaxError, TypeError) as err:
        raise StoryworldError(E.E018, path=folder, reason=f"{type(err).__name__}: {err}") from err
    quotes.sort(key=lambda q: q.start)
    return GoldDocument(folder.name, text, characters, quotes, narrative_person)


def _name_index(characters: list[GoldCharacter]) -> dict[str, str]:
    """Name -> character id; quotation_info.csv names speakers by main name or by any alias."""
    ids = {alias: c.id for c in reversed(characters) for alias in c.aliases}
    ids.update((c.name, c.id) for c in characters)
    return ids


def _resolve(ids: dict[str, str], name: str) -> str:
    return ids.get(name.strip(), name)


def _read_characters(path: Path) -> list[GoldCharacter]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            GoldCharacter(
                id=row["Character ID"],
                name=row["Main Name"],
                aliases=sorted(ast.literal_eval(row["Aliases"] or "set()")),
                gender=row.get("Gender") or None,
            )
            for row in csv.DictReader(handle)
        ]


def jsonl_records(path: Path, limit: int | None = None) -> Iterator[dict]:
    """The raw records of a corpus JSONL file, one a line (at most `limit`), for scorers that read
    fields GoldDocument leaves out (LitBank's mention chains)."""
    try:
        with path.open(encoding="utf-8") as lines:
            for number, line in enumerate(lines):
                if limit is not None and number >= limit:
                    return
                yield json.loads(line)
    except (OSError, json.JSONDecodeError) as error:
        raise StoryworldError(E.E018, path=path, reason=str(error)) from error


def load_jsonl(path: str | Path) -> list[GoldDocument]:
    """One document a line, in the format of ../shared/corpora/README.md."""
    path = Path(path)
    documents = []
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    documents.append(_document_from_record(json.loads(line)))
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as err:
        raise StoryworldError(E.E018, path=path, reason=f"{type(err).__name__}: {err}") from err
    if not documents:
        raise StoryworldError(E.E018, path=path, reason="no documents in the file")
    return documents


def _document_from_record(record: dict) -> GoldDocument:
    characters = [
        GoldCharacter(c["id"], c["name"], list(c.get("aliases") or []), c.get("gender"))
        for c in record.get("characters") or []
    ]
    quotes = [
        GoldQuote(
            q["start"], q["end"], q["content_start"], q["content_end"],
            group=q.get("group") or q["id"],
            speaker=q.get("speaker"),
            addressees=list(q.get("addressees") or []),
            type=q.get("type"),
        )
        for q in record.get("quotes") or []
    ]
    quotes.sort(key=lambda q: q.start)
    person = (record.get("meta") or {}).get("narrative_person")
    return GoldDocument(record["id"], record["text"], characters, quotes, int(person) if person else None)


# A quoted piece of a hand-annotated story: straight or curly double quotes, within one paragraph.
_PIECE = re.compile(r'"[^"\n]*"|\u201c[^\u201d\n]*\u201d')
NOT_SPEECH = "-"  # a `lines` entry for a quoted piece nobody says (a title, a scare quote)


def load_stories(path: str | Path) -> list[GoldDocument]:
    """Every `NAME.gold.yaml` in the folder (or the one given) with the `NAME.txt` it annotates."""
    path = Path(path)
    files = [path] if path.is_file() else sorted(path.glob("*.gold.yaml")) if path.is_dir() else []
    if not files:
        raise StoryworldError(E.E018, path=path, reason="no NAME.gold.yaml files")
    return [_read_story(f) for f in files]


def _read_story(path: Path) -> GoldDocument:
    story = path.with_name(path.name.removesuffix(".gold.yaml") + ".txt")
    try:
        # The pieces are counted in the text the pipeline reads: without the author's notes it sets aside.
        text, _ = split_notes(story.read_text(encoding="utf-8"))
        gold = yaml.safe_load(path.read_text(encoding="utf-8"))
        characters = [
            GoldCharacter(f"g{n}", c["name"], list(c.get("aliases") or []), c.get("gender"))
            for n, c in enumerate(gold["characters"], start=1)
        ]
        ids = _name_index(characters)
        pieces = list(_PIECE.finditer(text))
        lines = [str(line) for line in gold["lines"]]
        if len(lines) != len(pieces):
            raise ValueError(f"{len(lines)} lines for {len(pieces)} quoted pieces in {story.name}")
        quotes = []
        for number, (piece, line) in enumerate(zip(pieces, lines, strict=True), start=1):
            speaker, _, addressed = (part.strip() for part in line.partition(">"))
            if speaker == NOT_SPEECH:
                continue
            unknown = [n for n in (speaker, *addressed.split(",")) if n.strip() and n.strip() not in ids]
            if unknown:
                raise ValueError(f"line {number} names {unknown[0]!r}, who is not among the characters")
            quotes.append(GoldQuote(
                piece.start(), piece.end(), *content_span(text, piece.start(), piece.end()),
                group=f"q{number}", speaker=ids[speaker],
                addressees=[ids[n.strip()] for n in addressed.split(",") if n.strip()],
            ))
        fandoms = [gold["fandom"]] if gold.get("fandom") else []
    except (OSError, UnicodeDecodeError, yaml.YAMLError, KeyError, TypeError, ValueError) as err:
        raise StoryworldError(E.E018, path=path, reason=f"{type(err).__name__}: {err}") from err
    return GoldDocument(story.stem, text, characters, quotes, fandoms=fandoms)
