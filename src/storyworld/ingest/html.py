"""HTML stories: AO3 downloads (work tags, notes, chapters), saved AO3 work pages, and plain HTML.

The AO3 structure reader (`read_structure`) is shared with the EPUB reader: AO3's ebooks carry
the same markup, split over several files. Text comes out as paragraphs separated by a blank line,
<br> as a line break and <hr> as a "* * *" line, so the segment stage sees the scene break.
Summaries and author notes are kept out of the text, in `metadata.notes`.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

from bs4 import BeautifulSoup, NavigableString, PageElement, Tag, XMLParsedAsHTMLWarning
from bs4.element import PreformattedString

from storyworld.errors import E, StoryworldError
from storyworld.ingest import Limits, sha256
from storyworld.ingest.chapters import Part, find_chapters, story_from_parts
from storyworld.ingest.txt import read_text_file
from storyworld.model import Metadata, Note, Source, Story

SCENE_BREAK = "* * *"
BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "div", "dl", "dt",
    "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "html", "li",
    "main", "nav", "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul",
})
SKIP_TAGS = frozenset({"head", "script", "style", "template", "noscript", "title"})
_SPACES = re.compile(r"[ \t\r\n\f\xa0]+")
_SPACES_AROUND_BREAK = re.compile(r" *\n *")
# Any entity declaration: stories never need one, and expanding them is how entity bombs work.
_ENTITY_DECLARATION = re.compile(r"<!ENTITY", re.IGNORECASE)
_CLASS_NUMBER = re.compile(r"\d+$")
_STAT = re.compile(r"([A-Z][A-Za-z ]*?):\s*([^\s:]+)")

# AO3's tag-group labels (singular or plural by count) -> Metadata field.
AO3_FIELDS = {
    "rating": "rating",
    "ratings": "rating",
    "archive warning": "warnings",
    "archive warnings": "warnings",
    "category": "categories",
    "categories": "categories",
    "fandom": "fandoms",
    "fandoms": "fandoms",
    "relationship": "relationships",
    "relationships": "relationships",
    "character": "characters",
    "characters": "characters",
    "additional tags": "additional_tags",
    "language": "language",
    "series": "series",
    "stats": "stats",
}
_LIST_FIELDS = frozenset(f for f, info in Metadata.model_fields.items() if info.annotation == list[str])


def parse(markup: str, path: Path) -> BeautifulSoup:
    """Parse HTML or XHTML, refusing entity declarations (E009)."""
    if _ENTITY_DECLARATION.search(markup):
        raise StoryworldError(E.E009, path=path, reason="it declares XML entities")
    try:
        with warnings.catch_warnings():
            # EPUB chapters are XHTML; the lenient HTML parser reads them (and sloppy ones) fine.
            warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
            return BeautifulSoup(markup, "lxml")
    except (ValueError, RecursionError) as err:
        raise StoryworldError(E.E012, path=path, reason=f"{type(err).__name__}: {err}") from None


def clean(element: Tag) -> str:
    """An element's text on one line."""
    return _SPACES.sub(" ", element.get_text()).strip()


def html_to_text(root: Tag) -> str:
    """Block elements become paragraphs separated by a blank line; <br> a line break; <hr> '* * *'.

    Walks with an explicit stack, so deeply nested markup cannot exhaust Python's recursion limit.
    """
    blocks: list[str] = []
    inline: list[str] = []

    def flush() -> None:
        block = _SPACES_AROUND_BREAK.sub("\n", "".join(inline)).strip()
        inline.clear()
        if block:
            blocks.append(block)

    stack: list[PageElement | None] = list(reversed(root.contents))  # None marks a block's end
    while stack:
        node = stack.pop()
        if node is None:
            flush()
        elif isinstance(node, PreformattedString):  # comments, doctypes, CDATA
            continue
        elif isinstance(node, NavigableString):
            inline.append(_SPACES.sub(" ", str(node)))
        elif not isinstance(node, Tag) or node.name in SKIP_TAGS:
            continue
        elif node.name == "br":
            inline.append("\n")
        elif node.name == "hr":
            flush()
            blocks.append(SCENE_BREAK)
        else:
            if node.name in BLOCK_TAGS:
                flush()
                stack.append(None)
            stack.extend(reversed(node.contents))
    flush()
    return "\n\n".join(blocks)


def css(*names: str) -> re.Pattern[str]:
    """Matches any of these class names, also with the number calibre appends when it rewrites a
    book's CSS (AO3 makes its ebooks with calibre: "userstuff" may arrive as "userstuff1")."""
    return re.compile(rf"^(?:{'|'.join(map(re.escape, names))})\d*$")


def _classes(element: Tag) -> set[str]:
    """The element's classes, without calibre's numbers."""
    value = element.get("class") or []
    return {_CLASS_NUMBER.sub("", name) for name in (value.split() if isinstance(value, str) else value)}


def _label_before(element: Tag) -> str:
    """The label AO3 puts before a blockquote ("Summary", "Chapter Notes"), lower-cased."""
    label = element.find_previous_sibling(["p", "h3", "h4", "b", "strong"])
    return clean(label).rstrip(":").lower() if label is not None else ""


def tag_groups(dl: Tag) -> dict[str, list[str]]:
    """Every dt/dd pair of an AO3 `dl.tags`, labelled as the page labels it."""
    groups: dict[str, list[str]] = {}
    for dt in dl.find_all("dt", recursive=False):
        dd = dt.find_next_sibling("dd")
        if dd is None:
            continue
        label = clean(dt).rstrip(":").strip()
        if label.lower() == "stats":
            values = [f"{key.strip()}: {value}" for key, value in _STAT.findall(clean(dd))]
        else:
            values = [clean(a) for a in dd.find_all("a")] or [
                value.strip() for value in clean(dd).split(",") if value.strip()
            ]
        groups[label] = values
    return groups


def apply_groups(metadata: Metadata, groups: dict[str, list[str]], fields: dict[str, str]) -> None:
    """Fill `metadata` from labelled tag groups: every group into `tags`, known labels into fields."""
    for label, values in groups.items():
        metadata.tags[label] = values
        name = fields.get(label.lower())
        if name is None or not values:
            continue
        if name in _LIST_FIELDS:
            getattr(metadata, name).extend(v for v in values if v not in getattr(metadata, name))
        elif name == "stats":
            metadata.stats.update(dict(_STAT.findall(" ".join(values))))
        elif getattr(metadata, name) is None:
            setattr(metadata, name, ", ".join(values))


def _tag_list(soup: BeautifulSoup) -> Tag | None:
    """The work's tag list: `dl.tags` in downloads and ebooks, `dl.work.meta` on a saved work page."""
    preface = soup.find(id="preface")
    return (
        soup.find("dl", class_=css("tags"))
        or soup.find("dl", class_=css("work"))
        or (preface.find("dl") if preface is not None else None)  # classes dropped by a converter
    )


def _preface(soup: BeautifulSoup) -> Tag | None:
    """The work's preface: #preface (downloads), the first div.preface (a saved work page), or the
    block around the tag list (a split ebook)."""
    dl = _tag_list(soup)
    return (
        soup.find(id="preface")
        or soup.find("div", class_=css("preface"))
        or (dl.find_parent("div") if dl is not None else None)
    )


def _work_metadata(soup: BeautifulSoup, preface: Tag | None) -> Metadata:
    metadata = Metadata()
    dl = _tag_list(soup)
    if dl is not None:
        apply_groups(metadata, tag_groups(dl), AO3_FIELDS)
    # The work's title: h1 in downloads, h2.title on a saved work page (its preface also has an
    # h2 "Preface" heading for the ebook table of contents).
    place = preface or soup
    title = place.find("h1") or place.find("h2", class_=css("title")) or soup.find("h1") or soup.find("title")
    metadata.title = clean(title) if title is not None else None
    if preface is None:
        return metadata
    byline = preface.find(class_=css("byline"))
    if byline is not None:
        links = byline.find_all("a", rel="author") or byline.find_all("a")
        names = [clean(a) for a in links] or re.sub(r"^by\s+", "", clean(byline)).split(", ")
        metadata.authors = [name for name in names if name]
    for quote in preface.find_all("blockquote"):
        text = html_to_text(quote)
        if _label_before(quote) == "summary":
            metadata.summary = text
        elif text:
            metadata.notes.append(Note(kind="notes", text=text))
    afterword = soup.find(id="afterword") or soup.find("div", class_=css("afterword"))
    if afterword is not None:
        metadata.notes.extend(
            Note(kind="end-notes", text=html_to_text(quote))
            for quote in afterword.find_all("blockquote")
        )
    return metadata


_CHAPTER_NOTE_KINDS = {"chapter summary": "chapter-summary", "chapter end notes": "chapter-end-notes"}
# AO3's own labels around notes; they are never story text.
_AO3_LABELS = frozenset(
    {"summary", "notes", "end notes", "chapter summary", "chapter notes", "chapter end notes"}
)


def _current(parts: list[Part]) -> Part:
    """The chapter being read (a first, untitled one when the text starts before any heading)."""
    if not parts:
        parts.append(Part(title=None, text=""))
    return parts[-1]


def _add_text(parts: list[Part], text: str) -> None:
    part = _current(parts)
    if text:
        part.text = f"{part.text}\n\n{text}" if part.text else text


def _chapter_note(quote: Tag) -> Note:
    """A chapter's summary or notes, from the label before it or the end-notes block it sits in."""
    if str(quote.parent.get("id", "")).startswith("endnotes"):
        kind = "chapter-end-notes"
    else:
        kind = _CHAPTER_NOTE_KINDS.get(_label_before(quote), "chapter-notes")
    return Note(kind=kind, text=html_to_text(quote))


def _wraps_chapters(div: Tag) -> bool:
    """True for AO3's #chapters wrapper (also class userstuff), or a piece of it in a split ebook."""
    return (
        div.get("id") == "chapters"
        or div.find("div", class_=css("userstuff")) is not None
        or div.find("h2", class_=css("heading", "toc-heading")) is not None
    )


def _chapter_parts(container: Tag, preface: Tag | None) -> list[Part]:
    """Walk AO3's chapter markup: a heading starts a part, userstuff divs are its text, the rest notes."""
    parts: list[Part] = []
    stack = list(reversed(container.contents))
    while stack:
        child = stack.pop()
        if not isinstance(child, Tag) or child is preface or child.get("id") == "afterword":
            continue
        classes = _classes(child)
        if "afterword" in classes:
            continue
        if child.name in ("h2", "h3") and {"heading", "toc-heading", "title"} & classes:
            parts.append(Part(title=clean(child) or None, text=""))
        elif child.name == "blockquote" and "userstuff" in classes:
            _current(parts).notes.append(_chapter_note(child))
        elif child.name == "div" and "userstuff" in classes and not _wraps_chapters(child):
            _add_text(parts, html_to_text(child))
        elif child.name == "div" and "module" in classes:  # a saved work page's summary or notes box
            kind = "chapter-notes"
            if {"end", "summary"} & classes:
                kind = "chapter-end-notes" if "end" in classes else "chapter-summary"
            _current(parts).notes.extend(
                Note(kind=kind, text=html_to_text(quote)) for quote in child.find_all("blockquote")
            )
        elif child.name == "div":
            stack.extend(reversed(child.contents))
    return parts


def _holds_text(element: Tag) -> bool:
    return any(
        isinstance(child, NavigableString) and not isinstance(child, PreformattedString) and child.strip()
        for child in element.children
    )


def _unclassed_parts(container: Tag, preface: Tag | None) -> list[Part]:
    """AO3 markup whose classes a converter dropped, read by its shape: an h2 starts a chapter, a
    blockquote after one of AO3's labels is a note, the labels and AO3's links are skipped, the rest
    is text."""
    parts: list[Part] = []
    stack = list(reversed(container.contents))
    while stack:
        node = stack.pop()
        if not isinstance(node, Tag) or node is preface or node.get("id") == "afterword":
            continue
        label = clean(node).rstrip(":").lower()
        if node.name == "h2":
            parts.append(Part(title=clean(node) or None, text=""))
        elif node.name == "blockquote" and _label_before(node) in _AO3_LABELS:
            _current(parts).notes.append(_chapter_note(node))
        elif label in _AO3_LABELS or label.startswith("see the end of the"):
            continue
        elif node.name == "div" and not _holds_text(node):
            stack.extend(reversed(node.contents))
        else:
            _add_text(parts, SCENE_BREAK if node.name == "hr" else html_to_text(node))
    return parts


def is_ao3(soup: BeautifulSoup) -> bool:
    """AO3 markup: a preface, a tag list or a userstuff block (the class AO3 gives authors' HTML)."""
    return (
        soup.find(id="preface") is not None
        or _tag_list(soup) is not None
        or soup.find("div", class_=css("userstuff")) is not None
    )


def has_text(parts: list[Part]) -> bool:
    return any(part.text.strip() for part in parts)


def read_structure(soup: BeautifulSoup, *, book: bool = False) -> tuple[Metadata, list[Part]]:
    """AO3 work metadata and chapter parts.

    `book`: the markup of an ebook's files joined. A converter splits a work into files anywhere
    and may keep the #chapters id on the first piece only, so then the whole body is walked.
    """
    for landmark in soup.find_all(class_=css("landmark")):  # screen-reader labels ("Chapter Text")
        landmark.decompose()
    preface = _preface(soup)
    metadata = _work_metadata(soup, preface)
    parts: list[Part] = []
    roots = [] if book else soup.find_all(id="chapters")
    for root in roots or [soup.body or soup]:
        parts.extend(_chapter_parts(root, preface))
    if not has_text(parts):
        # No userstuff text at all: a converter dropped AO3's classes; read the markup by its shape.
        parts = [part for root in roots or [soup.body or soup] for part in _unclassed_parts(root, preface)]
    return metadata, parts


def _story_container(soup: BeautifulSoup) -> Tag:
    """Where a plain page keeps its story: FanFiction.Net's #storytext, else the whole body (a saved
    FanFiction.Net page is mostly menus, profile and review boxes around it)."""
    return soup.find(id="storytext") or soup.body or soup


def read_html(path: Path, limits: Limits) -> Story:
    markup, encoding, data = read_text_file(path, limits)
    soup = parse(markup, path)
    source = Source(path=str(path), format="html", sha256=sha256(data), encoding=encoding)
    if is_ao3(soup):
        metadata, parts = read_structure(soup)
        if has_text(parts):
            return story_from_parts(parts, source, metadata)
    # Plain HTML (or AO3-looking markup that held no chapter text): the story's text.
    title = soup.find("title") or soup.find("h1")
    metadata = Metadata(title=clean(title) if title is not None else path.stem)
    text = html_to_text(_story_container(soup))
    if not text.strip():
        raise StoryworldError(E.E002, path=path)
    return Story(text=text, source=source, metadata=metadata, chapters=find_chapters(text))
