"""storyworld evaluate on a tiny hand-made corpus in PDNC's layout, and the score's building blocks."""

from __future__ import annotations

import json

from click.testing import CliRunner

from storyworld.cli import cli
from storyworld.evaluate.gold import GoldCharacter, load_stories
from storyworld.evaluate.speakers import BINS, analyse, character_map, summary
from storyworld.model import Character

# (speaker, addressee, quote type, paragraph); the quote is the text between the first pair of marks.
LINES = [
    ("Tamsin", "Oren", "Explicit", '"Three short again," said Tamsin.'),
    ("Oren", "Tamsin", "Explicit", '"Then count them twice," said Oren.'),
    ("Tamsin", "Oren", "Implicit", '"I counted them four times."'),
    ("Oren", "Tamsin", "Implicit", '"Count them a fifth."'),
    ("Tamsin", "Oren", "Anaphoric", 'She slammed the ledger shut. "You count them."'),
    ("Oren", "Tamsin", "Explicit", '"Gladly," Oren said.'),
]


def write_novel(root):
    folder = root / "data" / "TheFerryOffice"
    folder.mkdir(parents=True)
    paragraphs = ["Rain hammered the roof of the ferry office while Tamsin counted the coins."]
    paragraphs += [line for *_, line in LINES]
    paragraphs.append("Outside, the ferry bell rang twice and the river kept rising.")
    text = "\n\n".join(paragraphs) + "\n"
    (folder / "novel_text.txt").write_text(text)
    rows = ['"quoteID","quoteText","subQuotationList","quoteByteSpans","speaker","addressees","quoteType",'
            '"referringExpression","mentionTextsList","mentionSpansList","mentionEntitiesList"']
    position = 0
    for n, (speaker, addressee, kind, line) in enumerate(LINES):
        start = text.index(line, position) + line.index('"') + 1
        end = text.index('"', start)
        position = end
        quoted = text[start:end]
        rows.append(f'"Q{n}","{quoted}","[\'{quoted}\']","[[{start}, {end}]]","{speaker}",'
                    f'"[\'{addressee}\']","{kind}","","[]","[]","[]"')
    (folder / "quotation_info.csv").write_text("\n".join(rows) + "\n")
    (folder / "character_info.csv").write_text(
        "Character ID,Main Name,Aliases,Gender,Category\n"
        "0,Tamsin,\"{'Tamsin'}\",F,major\n1,Oren,\"{'Oren'}\",M,major\n"
    )


def test_evaluate_pdnc_layout(tmp_path):
    write_novel(tmp_path / "pdnc")
    out = tmp_path / "scores.json"
    result = CliRunner().invoke(cli, ["evaluate", "--pdnc", str(tmp_path / "pdnc"), "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "TheFerryOffice" in result.output and "Calibration" in result.output
    scores = json.loads(out.read_text())
    document = scores["documents"][0]
    assert document["quotes"]["recall"] == 1.0
    for mode in ("end-to-end", "gold-cast"):
        score = document["modes"][mode]
        assert score["matched"] == len(LINES)
        assert score["speaker"]["explicit"]["n"] == 3
        assert score["speaker"]["all"]["accuracy"] >= 5 / 6
        assert score["addressee"]["n"] == len(LINES)
    assert scores["overall"]["modes"]["gold-cast"]["speaker"]["all"]["n"] == len(LINES)


def test_evaluate_stories_annotated_by_hand_with_their_fandom_tag(tmp_path):
    paragraphs = ["Rain hammered the roof of the ferry office while Tamsin counted the coins."]
    (tmp_path / "ferry.txt").write_text("\n\n".join(paragraphs + [line for *_, line in LINES]) + "\n")
    lines = "".join(f"  - {speaker} > {addressee}\n" for speaker, addressee, *_ in LINES)
    (tmp_path / "ferry.gold.yaml").write_text(
        f"fandom: Naruto\ncharacters:\n  - {{name: Tamsin}}\n  - {{name: Oren}}\nlines:\n{lines}"
    )
    out = tmp_path / "scores.json"
    result = CliRunner().invoke(cli, ["evaluate", "--stories", str(tmp_path), "--json", str(out)])
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text())["documents"][0]
    assert document["id"] == "ferry" and document["modes"]["end-to-end"]["matched"] == len(LINES)
    assert document["modes"]["gold-cast"]["speaker"]["all"]["accuracy"] >= 5 / 6
    [gold] = load_stories(tmp_path)
    assert analyse(gold.text, gold.characters, ["end-to-end"], gold.fandoms)["end-to-end"].fandom == "naruto"


def test_evaluate_needs_one_corpus(tmp_path):
    result = CliRunner().invoke(cli, ["evaluate"])
    assert result.exit_code != 0 and "exactly one of" in result.output


def test_calibration_table_shape():
    table = summary([])["overall"]
    assert table["modes"] == {}
    from storyworld.evaluate.speakers import ModeScore

    empty = ModeScore()
    assert len(empty.calibration) == len(BINS) - 1


def test_character_map_by_names():
    gold = [GoldCharacter("0", "Captain Wren", ["Wren", "the captain"]), GoldCharacter("1", "Ansel", [])]
    ours = [Character(id="c1", name="Wren", aliases=["the captain"]), Character(id="c2", name="Ansel"),
            Character(id="c3", name="Stranger")]
    assert character_map(ours, gold, by_main_name=False) == {"c1": "0", "c2": "1"}


def test_character_map_ties_go_to_our_main_name():
    """One name shared with each of two gold characters: ours is the one whose main name we carry."""
    gold = [GoldCharacter("0", "Minna Hale", ["Hale", "Minna"]),
            GoldCharacter("1", "Mr. Hale", ["The Vicar"])]
    ours = [Character(id="c1", name="Mr Hale", aliases=["Hale"]), Character(id="c2", name="Vicar")]
    assert character_map(ours, gold, by_main_name=False) == {"c1": "1", "c2": "1"}
