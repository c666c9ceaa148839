"""Gold readers: PDNC's folder layout and the JSONL export give the same documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from storyworld.errors import StoryworldError
from storyworld.evaluate.gold import load_gold, load_jsonl, load_pdnc, load_stories
from storyworld.ingest import from_string

TEXT = 'Hal waved. "Come in," he said, "the tea is hot." Ona sat.\n'


def write_novel(root: Path) -> Path:
    novel = root / "data" / "Teatime"
    novel.mkdir(parents=True)
    (novel / "novel_text.txt").write_text(TEXT, encoding="utf-8")
    (novel / "character_info.csv").write_text(
        'Character ID,Main Name,Aliases,Gender,Category\n0,Hal Berg,"{\'Hal\', \'Hal Berg\'}",M,major\n'
        '1,Ona,"{\'Ona\'}",F,minor\n',
        encoding="utf-8",
    )
    come, tea = TEXT.index("Come in,"), TEXT.index("the tea")
    (novel / "quotation_info.csv").write_text(
        "quoteID,quoteText,subQuotationList,quoteByteSpans,speaker,addressees,quoteType\n"
        f'Q0,x,"[\'Come in,\', \'the tea is hot.\']","[[{come}, {come + 8}], [{tea}, {tea + 15}]]",'
        "Hal,\"['Ona']\",Explicit\n",
        encoding="utf-8",
    )
    (root / "PDNC-Novel-Index.csv").write_text(
        "Novel Code,Narrative Person,Folder Name\nTEAT,3.0,Teatime\n", encoding="utf-8"
    )
    return root


def test_pdnc_layout(tmp_path):
    (document,) = load_pdnc(write_novel(tmp_path))
    assert document.id == "Teatime" and document.narrative_person == 3
    characters = [(c.id, c.name, c.gender) for c in document.characters]
    assert characters == [("0", "Hal Berg", "M"), ("1", "Ona", "F")]
    pieces = [TEXT[q.content_start : q.content_end] for q in document.quotes]
    assert pieces == ["Come in,", "the tea is hot."]
    assert {q.group for q in document.quotes} == {"Q0"}
    assert document.quotes[0].speaker == "0"  # speaker named by alias, resolved to the id
    assert document.quotes[0].addressees == ["1"] and document.quotes[0].type == "explicit"


def test_data_folder_and_novel_folder_read_the_same(tmp_path):
    root = write_novel(tmp_path)
    assert load_gold(root / "data") == load_gold(root / "data" / "Teatime") == load_gold(root)


def test_jsonl(tmp_path):
    record = {
        "id": "x/1",
        "meta": {"narrative_person": 1},
        "text": TEXT,
        "characters": [{"id": "a", "name": "Hal", "aliases": ["Hal"]}],
        "quotes": [
            {"id": "Q1", "group": "Q1", "start": 10, "end": 20, "content_start": 11, "content_end": 19,
             "speaker": "a", "addressees": None, "type": None},
        ],
    }
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    (document,) = load_gold(path)
    assert document.narrative_person == 1 and document.characters[0].gender is None
    quote = document.quotes[0]
    assert (quote.content_start, quote.content_end, quote.speaker, quote.addressees) == (11, 19, "a", [])


@pytest.mark.parametrize("content", ["not json\n", '{"id": "no text"}\n', ""])
def test_bad_jsonl_is_e018(tmp_path, content):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(StoryworldError, match=r"\[E018\]"):
        load_jsonl(path)


def test_bad_pdnc_folder_is_e018(tmp_path):
    with pytest.raises(StoryworldError, match=r"\[E018\]"):
        load_pdnc(tmp_path / "missing")
    with pytest.raises(StoryworldError, match=r"\[E018\]"):
        load_pdnc(tmp_path)  # exists, but holds no novel
    root = write_novel(tmp_path / "broken")
    (root / "data" / "Teatime" / "quotation_info.csv").write_text("quoteID\nQ0\n", encoding="utf-8")
    with pytest.raises(StoryworldError, match=r"\[E018\]"):
        load_pdnc(root)


@pytest.mark.shared
def test_pdnc_layout_matches_the_jsonl_export(shared):
    pdnc = shared / "corpora" / "pdnc"
    layout = load_pdnc(pdnc / "data" / "DaisyMiller")[0]
    export = next(d for d in load_jsonl(pdnc / "pdnc-dev.jsonl") if d.id.endswith("/DaisyMiller"))
    assert layout.text == export.text and layout.narrative_person == export.narrative_person
    assert [(q.content_start, q.content_end, q.group, q.speaker) for q in layout.quotes] == [
        (q.content_start, q.content_end, q.group, q.speaker) for q in export.quotes
    ]


ANNOTATED = Path(__file__).resolve().parents[2] / "examples" / "annotated"


def test_an_annotated_story_gives_one_gold_piece_per_quoted_piece(tmp_path):
    (tmp_path / "tea.txt").write_text(TEXT + 'Ona said "tea" twice.\n', encoding="utf-8")
    (tmp_path / "tea.gold.yaml").write_text(
        "fandom: Original Work\ncharacters:\n  - {name: Hal Berg, aliases: [Hal]}\n  - {name: Ona}\n"
        "lines:\n  - Hal > Ona\n  - Hal Berg\n  - '-'\n",
        encoding="utf-8",
    )
    [document] = load_stories(tmp_path)
    hal, ona = document.characters
    assert document.id == "tea" and document.fandoms == ["Original Work"]
    pieces = [(document.text[q.content_start : q.content_end], q.speaker, q.addressees)
              for q in document.quotes]
    assert pieces == [("Come in,", hal.id, [ona.id]), ("the tea is hot.", hal.id, [])]  # "tea": no speech


@pytest.mark.parametrize("lines", ["  - Hal\n", "  - Hal\n  - Nobody\n"])  # too few; not a character
def test_an_annotation_that_does_not_fit_its_story_is_refused(tmp_path, lines: str):
    (tmp_path / "tea.txt").write_text(TEXT, encoding="utf-8")
    gold = f"characters:\n  - {{name: Hal}}\nlines:\n{lines}"
    (tmp_path / "tea.gold.yaml").write_text(gold, encoding="utf-8")
    with pytest.raises(StoryworldError, match="E018"):
        load_stories(tmp_path)


def test_an_annotated_story_is_read_as_the_pipeline_reads_it(tmp_path):
    """An author's note before the story is set aside by ingest: the gold offsets must index the same text
    the pipeline analyses, or no piece lines up with its quotation."""
    (tmp_path / "tea.txt").write_text("A/N: first fic, be nice!!\n\n" + TEXT, encoding="utf-8")
    (tmp_path / "tea.gold.yaml").write_text(
        "characters:\n  - {name: Hal}\n  - {name: Ona}\nlines:\n  - Hal > Ona\n  - Hal\n", encoding="utf-8")
    [document] = load_stories(tmp_path)
    assert document.text == from_string(document.text).text == TEXT
    assert document.text[document.quotes[0].content_start : document.quotes[0].content_end] == "Come in,"


def test_every_shipped_annotated_story_fits_its_text():
    documents = load_stories(ANNOTATED)
    assert len(documents) >= 6 and all(len(d.quotes) >= 15 for d in documents)
