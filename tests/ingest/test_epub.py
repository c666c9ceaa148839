"""EPUB: AO3 and FanFicFare books zipped from fixture trees; archive safety checks."""

from __future__ import annotations

import zipfile

import pytest

from storyworld.errors import StoryworldError
from storyworld.ingest import Limits, load
from storyworld.ingest.epub import _Archive


def test_ao3_epub_reads_structure_and_metadata(make_epub):
    story = load(make_epub("ao3-epub"))
    assert [c.title for c in story.chapters] == ["Chapter 1: First Frost", "Chapter 2: Thaw"]
    assert story.text.startswith("Ilse Varga counted the apple trees")
    assert story.text.endswith("as if it had been made of glass.")
    meta = story.metadata
    assert meta.title == "The Glass Orchard" and meta.authors == ["thimbleweed"]
    assert meta.rating == "Mature" and meta.fandoms == ["Lanternfall (Video Game)"]
    assert meta.stats["Completed"] == "2022-10-14"
    assert "Slow Burn" in meta.tags["Subjects"]
    kinds = {(n.kind, n.chapter) for n in meta.notes}
    assert kinds == {("chapter-notes", "ch1"), ("chapter-end-notes", "ch2")}
    assert "Thank you for reading" not in story.text and "Posted originally" not in story.text
    assert story.source.files[0] == "OEBPS/Text/orchard_split_000.xhtml"


def test_ao3_epub_without_preface_falls_back_to_subjects(epub_tree, make_epub):
    tree = epub_tree("ao3-epub")
    (tree / "OEBPS/Text/orchard_split_000.xhtml").write_text(
        '<html xmlns="http://www.w3.org/1999/xhtml"><body><p>Preface lost.</p></body></html>'
    )
    story = load(make_epub(tree))
    meta = story.metadata
    assert meta.title == "The Glass Orchard" and meta.authors == ["thimbleweed"]
    assert meta.rating == "Mature" and meta.warnings == ["Graphic Depictions Of Violence"]
    assert meta.categories == ["F/F"]
    assert meta.summary == "Two gardeners, one orchard, and a frost nobody forecast."
    notes = [(n.kind, n.chapter) for n in meta.notes]
    assert notes == [("chapter-notes", "ch1"), ("chapter-end-notes", "ch2")]


def test_fanficfare_epub_maps_labels_back(make_epub):
    story = load(make_epub("fanficfare-epub"))
    meta = story.metadata
    assert meta.title == "Ferry at Midnight" and meta.authors == ["quillonpaper"]
    assert meta.fandoms == ["Harbor Lights (Web Series)", "Original Work"]  # FanFicFare's "Category"
    assert meta.categories == ["Gen"]  # AO3 categories hide in "Genre"
    assert meta.additional_tags == ["Found Family", "Hurt/Comfort"]
    assert meta.relationships == ["Nell Ferrars & Augustin Pike"]
    assert meta.rating == "Teen And Up Audiences" and meta.warnings == ["No Archive Warnings Apply"]
    assert meta.stats["Status"] == "Completed" and meta.stats["Words"] == "150"
    assert meta.summary == "The last ferry never runs late. Tonight it does."
    assert [c.title for c in story.chapters] == ["Departure", "Arrival"]
    notes = {(n.kind, n.chapter): n.text for n in meta.notes}
    assert notes == {
        ("chapter-notes", "ch1"): "I have never been on a ferry at midnight.",
        ("chapter-end-notes", "ch2"): "That's all, folks.",
    }
    for outside in ("Table of Contents", "Packaged", "Departure", "ferry at midnight", "folks"):
        assert outside not in story.text
    assert story.text.startswith("Nell Ferrars bought the last ticket")


MIMETYPE = b"application/epub+zip"


def write_zip(path, members: dict[str, bytes]):
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in members.items():
            book.writestr(name, data)
    return path


def test_truncated_epub_is_e006(make_epub):
    path = make_epub("ao3-epub")
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(StoryworldError, match="E006"):
        load(path)


def test_member_escaping_the_archive_is_e007(tmp_path):
    path = write_zip(tmp_path / "escape.epub", {"mimetype": MIMETYPE, "../../evil.xhtml": b"x"})
    with pytest.raises(StoryworldError, match="E007"):
        load(path)


def test_manifest_href_escaping_the_archive_is_e007(tmp_path, ingest_fixtures):
    container = (ingest_fixtures / "ao3-epub/META-INF/container.xml").read_bytes()
    opf = (
        b'<package xmlns="http://www.idpf.org/2007/opf"><manifest>'
        b'<item id="a" href="../../etc/passwd" media-type="application/xhtml+xml"/></manifest>'
        b'<spine><itemref idref="a"/></spine></package>'
    )
    path = write_zip(tmp_path / "href.epub", {"META-INF/container.xml": container, "OEBPS/content.opf": opf})
    with pytest.raises(StoryworldError, match="E007"):
        load(path)


def test_expansion_past_the_limit_is_e008(tmp_path):
    path = write_zip(tmp_path / "zeros.epub", {"mimetype": MIMETYPE, "big.xhtml": bytes(10**6)})
    assert path.stat().st_size < 10_000
    with pytest.raises(StoryworldError, match="E008"):
        load(path, Limits(max_bytes=100_000))


def test_lying_zip_directory_is_caught_while_reading(make_epub):
    """A member whose header claims a small size is still counted as it inflates."""
    path = make_epub("ao3-epub")
    archive = _Archive(path.read_bytes(), path, Limits(max_bytes=10**6))
    archive.limit = 500  # as if the directory had under-reported every size
    with pytest.raises(StoryworldError, match="E008"):
        archive.read("OEBPS/Text/orchard_split_000.xhtml")


@pytest.mark.parametrize("member", ["OEBPS/content.opf", "OEBPS/Text/orchard_split_001.xhtml"])
def test_entity_bomb_in_epub_is_e009(epub_tree, make_epub, member):
    tree = epub_tree("ao3-epub")
    original = (tree / member).read_text(encoding="utf-8")
    lol = '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    (tree / member).write_text(original.replace("?>", "?>" + lol, 1), encoding="utf-8")
    with pytest.raises(StoryworldError, match="E009"):
        load(make_epub(tree))


def test_encrypted_member_is_e006(make_epub):
    path = make_epub("ao3-epub")
    data = bytearray(path.read_bytes())
    central = data.find(b"PK\x01\x02")  # first central-directory entry: set its "encrypted" flag bit
    while central != -1:
        data[central + 8] |= 1
        central = data.find(b"PK\x01\x02", central + 4)
    path.write_bytes(bytes(data))
    with pytest.raises(StoryworldError, match="E006"):
        load(path)


def test_spine_without_documents_is_e006(tmp_path, ingest_fixtures):
    container = (ingest_fixtures / "ao3-epub/META-INF/container.xml").read_bytes()
    opf = b'<package xmlns="http://www.idpf.org/2007/opf"><manifest/><spine/></package>'
    members = {"META-INF/container.xml": container, "OEBPS/content.opf": opf}
    with pytest.raises(StoryworldError, match=r"E006.*spine"):
        load(write_zip(tmp_path / "hollow.epub", members))


def test_plain_epub_reads_each_document_as_a_chapter(epub_tree, make_epub):
    """No AO3 or FanFicFare markup (here even a stray h2.heading): each spine document is a chapter."""
    tree = epub_tree("ao3-epub")
    opf = tree / "OEBPS/content.opf"
    opf.write_text(opf.read_text(encoding="utf-8").replace("Archive of Our Own", "Small Press"))
    for number, name in enumerate(["orchard_split_000", "orchard_split_001"]):
        (tree / f"OEBPS/Text/{name}.xhtml").write_text(
            '<html xmlns="http://www.w3.org/1999/xhtml"><body>'
            f'<h2 class="heading">Part {number + 1}</h2><p>Plain words {number + 1}.</p></body></html>'
        )
    for name in ["orchard_split_002", "orchard_split_003"]:
        (tree / f"OEBPS/Text/{name}.xhtml").write_text('<html xmlns="http://www.w3.org/1999/xhtml"><body/></html>')
    story = load(make_epub(tree))
    assert [c.title for c in story.chapters] == ["Part 1", "Part 2"]
    assert story.text == "Part 1\n\nPlain words 1.\n\nPart 2\n\nPlain words 2."
    assert story.metadata.title == "The Glass Orchard" and story.metadata.rating is None


def test_ao3_epub_with_calibre_rewritten_classes(epub_tree, make_epub):
    """calibre (which makes AO3's ebooks) renames classes to the first one plus a number."""
    tree = epub_tree("ao3-epub")
    renames = {'"meta group"': '"meta1"', '"userstuff"': '"userstuff2"', '"heading"': '"heading1"',
               '"tags"': '"tags3"', '"byline"': '"byline1"'}
    for page in (tree / "OEBPS/Text").iterdir():
        text = page.read_text(encoding="utf-8")
        for old, new in renames.items():
            text = text.replace(f"class={old}", f"class={new}")
        page.write_text(text, encoding="utf-8")
    story = load(make_epub(tree))
    assert [c.title for c in story.chapters] == ["Chapter 1: First Frost", "Chapter 2: Thaw"]
    assert story.text.startswith("Ilse Varga counted") and "grandmother" not in story.text
    assert story.metadata.tags["Category"] == ["F/F"] and story.metadata.authors == ["thimbleweed"]
    assert len(story.metadata.notes) == 2


def test_ao3_epub_split_mid_work_keeps_every_chapter(epub_tree, make_epub):
    """A later piece of the #chapters wrapper without its id still yields its chapter."""
    tree = epub_tree("ao3-epub")
    page = tree / "OEBPS/Text/orchard_split_002.xhtml"
    page.write_text(page.read_text(encoding="utf-8").replace(' id="chapters"', ""), encoding="utf-8")
    story = load(make_epub(tree))
    assert [c.title for c in story.chapters] == ["Chapter 1: First Frost", "Chapter 2: Thaw"]
    second = story.text[story.chapters[1].start : story.chapters[1].end]
    assert second.startswith("The frost broke") and "Thank you for reading" not in second


def test_fanficfare_notes_after_a_comment_are_still_opening_notes(epub_tree, make_epub):
    tree = epub_tree("fanficfare-epub")
    page = tree / "OEBPS/file0001.xhtml"
    page.write_text(page.read_text(encoding="utf-8").replace("<body>", "<body><!-- generated -->"))
    notes = [(n.kind, n.chapter) for n in load(make_epub(tree)).metadata.notes]
    assert ("chapter-notes", "ch1") in notes
