"""The document model: the published World contract and the working Story the stages fill.

`World` and its parts are pydantic models: they validate, serialise to world.json and publish a
JSON Schema (`storyworld schema`). `Story` is the working document that travels through the
pipeline: the same parts plus analysis layers (paragraphs, the spaCy parse, raw mentions) that
are not part of the contract. Offsets everywhere are Python str indices into `text`, end exclusive.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

if TYPE_CHECKING:
    from spacy.tokens import Doc

FORMAT = "storyworld/1"

SourceFormat = Literal["txt", "md", "html", "epub", "folder", "string"]
BreakKind = Literal["marker", "gap", "pov-header", "pov-shift", "chapter", "start"]
MentionKind = Literal["name", "title", "epithet", "pronoun"]
Cue = Literal[
    "explicit", "anaphoric", "implicit", "vocative", "turn-taking", "continuation", "pov", "user"
]
InteractionKind = Literal["dialogue", "action", "co-presence"]
RelationshipKind = Literal["romantic", "family", "friendship", "rivalry", "enmity", "mentor"]


class _Part(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Span(_Part):
    """A stretch of `text`: [start, end)."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)


class Source(_Part):
    path: str | None = None
    format: SourceFormat
    sha256: str
    encoding: str | None = Field(None, description="Detected or declared text encoding.")
    files: list[str] = Field(default_factory=list, description="Member files read, in order.")


class Note(_Part):
    """Text that belongs to the work but not to the story: summaries, author notes."""

    kind: Literal["summary", "notes", "end-notes", "chapter-summary", "chapter-notes", "chapter-end-notes"]
    chapter: str | None = Field(None, description="Chapter id for chapter notes.")
    text: str


class Metadata(_Part):
    title: str | None = None
    authors: list[str] = Field(default_factory=list)
    fandoms: list[str] = Field(default_factory=list)
    rating: str | None = None
    warnings: list[str] = Field(default_factory=list)
    categories: list[str] = Field(default_factory=list)
    relationships: list[str] = Field(default_factory=list)
    characters: list[str] = Field(default_factory=list)
    additional_tags: list[str] = Field(default_factory=list)
    language: str | None = None
    summary: str | None = None
    series: list[str] = Field(default_factory=list)
    stats: dict[str, str] = Field(default_factory=dict)
    notes: list[Note] = Field(default_factory=list)
    tags: dict[str, list[str]] = Field(
        default_factory=dict, description="Every tag group as the source labels it."
    )


class Chapter(_Part):
    id: str
    title: str | None = None
    start: int
    end: int


class SceneBreak(_Part):
    """Where one scene ends and the next begins; `start`/`end` cover the marker (may be empty)."""

    start: int
    end: int
    kind: BreakKind
    text: str = ""
    pov: str | None = Field(None, description="The name a POV header gives, if any.")


class Evidence(_Part):
    start: int
    end: int
    text: str = ""


class SettingCue(_Part):
    kind: Literal["place", "time"]
    start: int
    end: int
    text: str


class Scene(_Part):
    id: str
    start: int
    end: int
    chapter: str | None = None
    pov: str | None = Field(None, description="Character id of the point-of-view character.")
    person: Literal["first", "second", "third"] | None = None
    characters: list[str] = Field(default_factory=list)
    setting: list[SettingCue] = Field(default_factory=list)
    break_: BreakKind = Field("start", alias="break")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)


class Mention(_Part):
    start: int
    end: int
    text: str
    kind: MentionKind


class Character(_Part):
    id: str
    name: str
    aliases: list[str] = Field(default_factory=list)
    canonical: str | None = Field(None, description="The fandom pack's AO3-style name.")
    original: bool = False
    named: bool = True
    gender: Literal["female", "male", "nonbinary", "unknown"] = "unknown"
    description: list[Evidence] = Field(default_factory=list)
    mentions: list[Mention] = Field(default_factory=list)


class Quote(_Part):
    id: str
    start: int
    end: int
    text: str
    speech: bool = True
    group: str | None = Field(None, description="Pieces of one utterance share a group id.")
    speaker: str | None = None
    addressees: list[str] = Field(default_factory=list)
    confidence: float | None = None
    cue: Cue | None = None


class Attribution(_Part):
    """The speakers stage's verdict for one quote."""

    quote: str
    speaker: str | None
    addressees: list[str] = Field(default_factory=list)
    confidence: float
    cue: Cue
    evidence: list[Evidence] = Field(default_factory=list)


class Interaction(_Part):
    source: str
    target: str
    kind: InteractionKind
    count: int
    evidence: list[tuple[int, int]] = Field(default_factory=list)


class Relationship(_Part):
    characters: list[str]
    kind: RelationshipKind
    weight: float = 0.0
    evidence: list[tuple[int, int]] = Field(default_factory=list)


class TagSuggestion(_Part):
    tag: str
    evidence: list[tuple[int, int]] = Field(default_factory=list)


class Tags(_Part):
    characters: list[TagSuggestion] = Field(default_factory=list)
    relationships: list[TagSuggestion] = Field(default_factory=list)
    additional: list[TagSuggestion] = Field(default_factory=list)
    warnings: list[TagSuggestion] = Field(default_factory=list)
    rating: TagSuggestion | None = None
    category: list[TagSuggestion] = Field(default_factory=list)
    agreement: dict[str, Any] = Field(
        default_factory=dict, description="Per tag group, ours against the author's."
    )


class World(_Part):
    """Everything the prose establishes, each fact with the span that supports it."""

    format: Literal["storyworld/1"] = FORMAT
    source: Source
    metadata: Metadata = Field(default_factory=Metadata)
    fandom: str | None = Field(None, description="The fandom pack used, if any.")
    text: str
    chapters: list[Chapter] = Field(default_factory=list)
    scenes: list[Scene] = Field(default_factory=list)
    characters: list[Character] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    interactions: list[Interaction] = Field(default_factory=list)
    relationships: list[Relationship] = Field(default_factory=list)
    tags: Tags = Field(default_factory=Tags)

    def to_json(self, path: str | Path | None = None, *, indent: int | None = 1) -> str:
        """Serialise; with `path`, also write it atomically (see outputs.json)."""
        data = self.model_dump_json(by_alias=True, indent=indent)
        if path is not None:
            from storyworld.outputs.json import write_atomic

            write_atomic(Path(path), data)
        return data

    @classmethod
    def from_json(cls, data: str | bytes) -> World:
        return cls.model_validate_json(data)

    def character(self, character_id: str | None) -> Character | None:
        return next((c for c in self.characters if c.id == character_id), None)


def world_schema() -> dict[str, Any]:
    """The JSON Schema every world.json validates against."""
    schema = World.model_json_schema(by_alias=True)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://storyworld.invalid/schema/storyworld-1.json"
    return schema


class CastEntry(_Part):
    """A character the user names in advance (`--cast FILE`): attribution chooses among these."""

    name: str
    aliases: list[str] = Field(default_factory=list)
    gender: Literal["female", "male", "nonbinary", "unknown"] = "unknown"


@dataclass
class Paragraph:
    start: int
    end: int


@dataclass
class Story:
    """The working document: ingest fills the first block, each stage adds one or more layers."""

    text: str
    source: Source
    metadata: Metadata = field(default_factory=Metadata)
    chapters: list[Chapter] = field(default_factory=list)
    fandom: str | None = None
    given_cast: list[CastEntry] | None = None  # set by the caller, never by a stage
    # Analysis layers, each assigned by one stage (see stages/*.py `STAGE.assigns`).
    paragraphs: list[Paragraph] | None = None
    doc: Doc | None = None
    breaks: list[SceneBreak] | None = None
    quotes: list[Quote] | None = None
    mentions: list[Mention] | None = None
    characters: list[Character] | None = None
    attributions: list[Attribution] | None = None
    scenes: list[Scene] | None = None
    interactions: list[Interaction] | None = None
    relationships: list[Relationship] | None = None
    tags: Tags | None = None
    extras: dict[str, Any] = field(default_factory=dict)

    def to_world(self) -> World:
        """The published view: attributions folded into their quotes."""
        verdicts = {a.quote: a for a in self.attributions or []}
        quotes = []
        for quote in self.quotes or []:
            verdict = verdicts.get(quote.id)
            if verdict is not None:
                quote = quote.model_copy(
                    update={
                        "speaker": verdict.speaker,
                        "addressees": verdict.addressees,
                        "confidence": verdict.confidence,
                        "cue": verdict.cue,
                    }
                )
            quotes.append(quote)
        return World(
            source=self.source,
            metadata=self.metadata,
            fandom=self.fandom,
            text=self.text,
            chapters=self.chapters,
            scenes=self.scenes or [],
            characters=self.characters or [],
            quotes=quotes,
            interactions=self.interactions or [],
            relationships=self.relationships or [],
            tags=self.tags or Tags(),
        )
