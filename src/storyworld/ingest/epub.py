"""EPUB: container.xml -> OPF -> spine order; AO3 books, FanFicFare books, and any other EPUB.

An EPUB is an archive from someone else, so it is read defensively: every member path must stay
inside the archive (E007), the expanded size is capped both from the zip directory and by counting
while reading (E008), and XML is parsed with defusedxml so entity declarations are refused (E009).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import Element, ParseError

from bs4 import BeautifulSoup
from bs4.element import PreformattedString
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from storyworld.errors import E, StoryworldError
from storyworld.ingest import Limits, read_bytes, sha256
from storyworld.ingest.chapters import Part, story_from_parts
from storyworld.ingest.html import (
    apply_groups,
    clean,
    has_text,
    html_to_text,
    is_ao3,
    parse,
    read_structure,
)
from storyworld.ingest.txt import decode
from storyworld.model import Metadata, Note, Source, Story

CHUNK = 1 << 16
CONTAINER = "META-INF/container.xml"
AO3_PUBLISHER = "Archive of Our Own"
AO3_RATINGS = ("General Audiences", "Teen And Up Audiences", "Mature", "Explicit", "Not Rated")
AO3_WARNINGS = (
    "Graphic Depictions Of Violence", "Major Character Death", "Rape/Non-Con", "Underage Sex",
    "Underage", "No Archive Warnings Apply", "Creator Chose Not To Use Archive Warnings",
)
AO3_CATEGORIES = ("F/F", "F/M", "Gen", "M/M", "Multi", "Other")
# FanFicFare's pages that are not the story.
FFF_PAGES = re.compile(r"(^|/)(title_page|toc_page|log_page)\.x?html?$", re.IGNORECASE)
# FanFicFare's title-page labels -> Metadata field. For AO3 it lists fandoms under "Category";
# "Genre" (AO3 categories and additional tags) is split apart in `_fanficfare_metadata`.
FFF_FIELDS = {
    "category": "fandoms",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "characters": "characters",
    "relationships": "relationships",
    "pairings": "relationships",
    "ships": "relationships",
    "warnings": "warnings",
    "rating": "rating",
    "language": "language",
    "series": "series",
    "summary": "summary",
    "author": "authors",
    "title": "title",
}
FFF_NOTES = "fff_chapter_notes"
FFF_STATS = ("Status", "Published", "Updated", "Packaged", "Chapters", "Words")


@dataclass
class Document:
    """A spine item: its member name, its markup, and that markup parsed."""

    name: str
    markup: str
    soup: BeautifulSoup


class _Archive:
    """Zip members read with the path and size checks; every failure becomes a coded error."""

    def __init__(self, data: bytes, path: Path, limits: Limits) -> None:
        self.path, self.limit, self.read_so_far = path, limits.max_bytes, 0
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as err:
            reason = f"truncated, or not a zip archive: {err}"
            raise StoryworldError(E.E006, path=path, reason=reason) from None
        infos = self.zip.infolist()
        for info in infos:
            if _escapes(info.filename):
                raise StoryworldError(E.E007, path=path, member=info.filename)
        if sum(info.file_size for info in infos) > self.limit:
            raise StoryworldError(E.E008, path=path, limit=self.limit)

    def read(self, name: str) -> bytes:
        """A member's bytes, counting toward the expanded-size limit as they are inflated."""
        chunks = []
        try:
            with self.zip.open(name) as member:
                while chunk := member.read(CHUNK):
                    self.read_so_far += len(chunk)
                    if self.read_so_far > self.limit:
                        raise StoryworldError(E.E008, path=self.path, limit=self.limit)
                    chunks.append(chunk)
        except KeyError:
            raise StoryworldError(E.E006, path=self.path, reason=f"'{name}' is missing") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as err:
            # RuntimeError: an encrypted member; NotImplementedError: an unknown compression method.
            raise StoryworldError(E.E006, path=self.path, reason=f"'{name}': {err}") from None
        return b"".join(chunks)

    def xml(self, name: str) -> Element:
        return parse_xml(self.read(name), self.path, name)

    def names(self) -> set[str]:
        return set(self.zip.namelist())


def _escapes(name: str) -> bool:
    """True for a member path that is absolute or climbs out of the archive."""
    name = name.replace("\\", "/")
    if name.startswith("/") or re.match(r"^[A-Za-z]:", name):
        return True
    return ".." in name.split("/")


def parse_xml(data: bytes, path: Path, name: str) -> Element:
    try:
        return fromstring(data)
    except DefusedXmlException as err:
        raise StoryworldError(E.E009, path=path, reason=f"'{name}': {type(err).__name__}") from None
    except ParseError as err:
        raise StoryworldError(E.E006, path=path, reason=f"'{name}' is not well-formed XML: {err}") from None


def _resolve(base: str, href: str, path: Path) -> str:
    """A manifest href relative to the OPF's folder, as a member name; refuses escaping paths (E007)."""
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(base), unquote(href.split("#")[0])))
    if _escapes(joined) or joined.startswith("../"):
        raise StoryworldError(E.E007, path=path, member=href)
    return joined


def _opf_name(archive: _Archive) -> str:
    if CONTAINER not in archive.names():
        raise StoryworldError(E.E006, path=archive.path, reason=f"{CONTAINER} is missing")
    rootfile = archive.xml(CONTAINER).find(".//{*}rootfile")
    if rootfile is None or not rootfile.get("full-path"):
        raise StoryworldError(E.E006, path=archive.path, reason="container.xml names no OPF package")
    return _resolve("", rootfile.get("full-path", ""), archive.path)


def _spine(opf: Element, opf_name: str, path: Path) -> list[str]:
    """Member names of the spine's (X)HTML documents, in reading order, without the nav document."""
    manifest = {
        item.get("id"): item
        for item in opf.iterfind(".//{*}item")
        if "html" in (item.get("media-type") or "") and "nav" not in (item.get("properties") or "").split()
    }
    names = []
    for itemref in opf.iterfind(".//{*}itemref"):
        item = manifest.get(itemref.get("idref"))
        if item is not None and item.get("href"):
            names.append(_resolve(opf_name, item.get("href", ""), path))
    return names


def _dc(opf: Element, name: str) -> list[str]:
    values = (" ".join(element.itertext()).strip() for element in opf.iterfind(f".//{{*}}{name}"))
    return [value for value in values if value]


def _opf_metadata(opf: Element) -> Metadata:
    """Title, authors, language, summary and subjects as the OPF declares them."""
    titles, descriptions, languages = _dc(opf, "title"), _dc(opf, "description"), _dc(opf, "language")
    summary = BeautifulSoup(descriptions[0], "lxml") if descriptions else None
    metadata = Metadata(
        title=titles[0] if titles else None,
        authors=_dc(opf, "creator"),
        language=languages[0] if languages else None,
        summary=html_to_text(summary) if summary is not None else None,
    )
    subjects = _dc(opf, "subject")
    if subjects:
        metadata.tags["Subjects"] = subjects
    return metadata


def _fill_missing(metadata: Metadata, fallback: Metadata) -> Metadata:
    """Fields the book's own pages left empty, taken from the OPF."""
    missing = {name: getattr(fallback, name) for name in ("title", "authors", "language", "summary")
               if not getattr(metadata, name) and getattr(fallback, name)}
    tags = {**fallback.tags, **metadata.tags}
    return metadata.model_copy(update={**missing, "tags": tags})


def _subject_vocabulary(metadata: Metadata) -> None:
    """AO3 books tag every tag as an untyped dc:subject: recover rating, warnings and categories."""
    subjects = metadata.tags.get("Subjects", [])
    if not metadata.rating:
        metadata.rating = next((s for s in subjects if s in AO3_RATINGS), None)
    metadata.warnings = metadata.warnings or [s for s in subjects if s in AO3_WARNINGS]
    metadata.categories = metadata.categories or [s for s in subjects if s in AO3_CATEGORIES]


def _combined(documents: list[Document], path: Path) -> BeautifulSoup:
    """All documents' bodies in one new tree, so the AO3 structure reader sees the book as one page."""
    book = BeautifulSoup("<html><body></body></html>", "lxml")
    for document in documents:
        soup = parse(document.markup, path)  # a fresh parse: the documents stay intact
        body = soup.body or soup
        for child in list(body.children):
            book.body.append(child.extract())
    return book


def _title_page_groups(soup: BeautifulSoup) -> dict[str, list[str]]:
    """FanFicFare's `<b>Label:</b> value` lines as labelled groups (values split on commas)."""
    groups: dict[str, list[str]] = {}
    for label in soup.find_all("b"):
        name = clean(label)
        if not name.endswith(":"):
            continue
        pieces = []
        for sibling in label.next_siblings:
            if getattr(sibling, "name", None) == "b" and clean(sibling).endswith(":"):
                break
            pieces.append(sibling.get_text(" ") if hasattr(sibling, "get_text") else str(sibling))
        value = re.sub(r"\s+", " ", "".join(pieces)).strip()
        split = name[:-1].lower() not in ("summary", "title")
        groups[name[:-1].strip()] = [v.strip() for v in value.split(",") if v.strip()] if split else [value]
    return groups


def _fanficfare_metadata(title_page: BeautifulSoup | None) -> Metadata:
    metadata = Metadata()
    if title_page is None:
        return metadata
    groups = _title_page_groups(title_page)
    apply_groups(metadata, groups, FFF_FIELDS)
    genres = groups.get("Genre", [])
    metadata.categories.extend(g for g in genres if g in AO3_CATEGORIES)
    metadata.additional_tags.extend(g for g in genres if g not in AO3_CATEGORIES)
    metadata.stats.update({key: ", ".join(groups[key]) for key in FFF_STATS if groups.get(key)})
    return metadata


def _fanficfare_part(document: Document) -> Part:
    """A FanFicFare chapter: title from its meta or h3, notes out of the text (before or after it)."""
    soup = document.soup
    meta = soup.find("meta", attrs={"name": "chaptertitle"})
    heading = soup.find(class_="fff_chapter_title")
    title = str(meta.get("content", "")).strip() if meta is not None else ""
    if heading is not None:
        title = title or clean(heading)
        heading.decompose()
    body = soup.body or soup
    order = {id(node): i for i, node in enumerate(body.descendants)}
    first_text = next(
        (
            order[id(s)]
            for s in body.find_all(string=True)
            if s.strip() and not isinstance(s, PreformattedString) and s.find_parent(class_=FFF_NOTES) is None
        ),
        len(order),
    )
    notes = []
    for block in body.find_all(class_=FFF_NOTES):
        label = block.find(["b", "strong"])
        if label is not None and clean(label).endswith(":"):  # "Notes:", "End Notes:"
            label.decompose()
        kind = "chapter-notes" if order[id(block)] < first_text else "chapter-end-notes"
        notes.append(Note(kind=kind, text=html_to_text(block)))
        block.decompose()
    return Part(title=title or None, text=html_to_text(body), notes=notes)


def _generic_part(document: Document) -> Part:
    heading = document.soup.find(["h1", "h2", "h3"])
    title = clean(heading) if heading is not None else None
    return Part(title=title, text=html_to_text(document.soup.body or document.soup))


def read_epub(path: Path, limits: Limits) -> Story:
    data = read_bytes(path, limits)
    archive = _Archive(data, path, limits)
    opf_name = _opf_name(archive)
    opf = archive.xml(opf_name)
    names = _spine(opf, opf_name, path)
    if not names:
        raise StoryworldError(E.E006, path=path, reason="its spine lists no (X)HTML documents")
    documents, encodings = [], []
    for name in names:
        markup, encoding = decode(archive.read(name), path)
        documents.append(Document(name, markup, parse(markup, path)))
        encodings.append(encoding)
    fanficfare = any(FFF_PAGES.search(d.name) or d.soup.find(class_="fff_chapter_title") for d in documents)
    ao3 = not fanficfare and (
        AO3_PUBLISHER in _dc(opf, "publisher") or any(is_ao3(d.soup) for d in documents)
    )
    if fanficfare:
        title_page = next((d.soup for d in documents if "title_page" in d.name), None)
        metadata = _fanficfare_metadata(title_page)
        parts = [_fanficfare_part(d) for d in documents if not FFF_PAGES.search(d.name)]
    else:
        metadata, parts = read_structure(_combined(documents, path), book=True) if ao3 else (Metadata(), [])
        if not has_text(parts):  # not AO3 after all, or markup AO3 never made: each document a chapter
            parts = [_generic_part(d) for d in documents]
    metadata = _fill_missing(metadata, _opf_metadata(opf))
    if ao3:
        _subject_vocabulary(metadata)
    encoding = ", ".join(dict.fromkeys(encodings)) or None
    source = Source(path=str(path), format="epub", sha256=sha256(data), encoding=encoding, files=names)
    return story_from_parts(parts, source, metadata)
