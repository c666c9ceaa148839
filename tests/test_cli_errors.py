"""Bad input through the command line: one line naming the file and the reason, a non-zero exit,
no traceback, and no world.json left behind (an existing one is left exactly as it was)."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from storyworld.cli import main

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "ingest"
# Billion laughs, three levels deep (each level ten of the one before).
BOMB = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "' + "&lol;" * 10 + '">'
    '<!ENTITY lol3 "' + "&lol2;" * 10 + '">]>'
)


def run(monkeypatch, capsys, *args: str) -> tuple[int, str]:
    """Run the CLI in-process (as `storyworld ARGS`); returns (exit code, stderr)."""
    monkeypatch.setattr(sys, "argv", ["storyworld", *map(str, args)])
    with pytest.raises(SystemExit) as exited:
        main()
    return exited.value.code, capsys.readouterr().err


def epub(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("mimetype", b"application/epub+zip")
        for name, data in members.items():
            book.writestr(name, data)
    return path


def ao3_epub(path: Path, patch: tuple[str, str] | None = None) -> Path:
    """The AO3 fixture book, optionally with one member's text replaced (old, new) in every file."""
    tree = FIXTURES / "ao3-epub"
    members = {}
    for file in sorted(tree.rglob("*")):
        if file.is_file() and file.name != "mimetype":
            data = file.read_text(encoding="utf-8")
            if patch and "split_001" in file.name:
                data = data.replace(*patch, 1)
            members[file.relative_to(tree).as_posix()] = data.encode("utf-8")
    return epub(path, members)


def empty(tmp: Path) -> Path:
    (tmp / "empty.txt").write_bytes(b"")
    return tmp / "empty.txt"


def binary(tmp: Path) -> Path:
    (tmp / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    return tmp / "picture.txt"


def missing(tmp: Path) -> Path:
    return tmp / "nowhere.txt"


def no_stories(tmp: Path) -> Path:
    folder = tmp / "drafts"
    folder.mkdir()
    (folder / "cover.jpg").write_bytes(b"\xff\xd8\xff")
    return folder


def truncated(tmp: Path) -> Path:
    path = ao3_epub(tmp / "cut.epub")
    path.write_bytes(path.read_bytes()[:700])
    return path


def escaping(tmp: Path) -> Path:
    return epub(tmp / "escape.epub", {"../../outside.xhtml": b"<p>boo</p>"})


def bomb_in_epub(tmp: Path) -> Path:
    return ao3_epub(tmp / "lol.epub", patch=("?>", "?>" + BOMB))


def bomb_in_html(tmp: Path) -> Path:
    (tmp / "lol.html").write_text(
        f'<?xml version="1.0"?>{BOMB}<html><body><p>&lol3;</p></body></html>', encoding="utf-8"
    )
    return tmp / "lol.html"


def zeros(tmp: Path) -> Path:
    # 80 MB of zeros deflate to ~80 KB: past the default 64 MB limit once expanded.
    with (
        zipfile.ZipFile(tmp / "zeros.epub", "w", zipfile.ZIP_DEFLATED) as book,
        book.open("OEBPS/zeros.xhtml", "w", force_zip64=True) as member,
    ):
        for _ in range(80):
            member.write(bytes(1 << 20))
    return tmp / "zeros.epub"


CASES = {
    "empty file": (empty, "E002", "empty"),
    "binary file": (binary, "E003", "binary"),
    "missing path": (missing, "E001", "no such file"),
    "folder without stories": (no_stories, "E005", "no stories"),
    "truncated epub": (truncated, "E006", "not a readable EPUB"),
    "member escaping the archive": (escaping, "E007", "outside the archive"),
    "entity bomb in epub": (bomb_in_epub, "E009", "entity"),
    "entity bomb in html": (bomb_in_html, "E009", "entit"),
    "archive expanding past the limit": (zeros, "E008", "expands past"),
}


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_one_line_and_leaves_no_world(case, tmp_path, monkeypatch, capsys):
    make, code, reason = CASES[case]
    path = make(tmp_path)
    status, err = run(monkeypatch, capsys, "read", path)
    assert status != 0
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: [{code}]") and str(path) in lines[0] and reason in lines[0]
    assert "Traceback" not in err
    assert not list(tmp_path.rglob("*.world.json")) and not list(tmp_path.rglob("*.tmp"))


def test_file_over_max_bytes(tmp_path, monkeypatch, capsys):
    path = tmp_path / "long.txt"
    path.write_text("The sea went on. " * 200, encoding="utf-8")
    status, err = run(monkeypatch, capsys, "read", path, "--max-bytes", "1000")
    assert status != 0 and err.startswith("error: [E004]") and "1000" in err and str(path) in err
    assert not (tmp_path / "long.world.json").exists()


def test_failed_run_keeps_the_existing_world_json(tmp_path, monkeypatch, capsys):
    world = tmp_path / "story.world.json"
    world.write_text('{"format": "storyworld/1", "kept": true}', encoding="utf-8")
    before = world.read_bytes()
    for target in (["--json", world], []):  # named explicitly, and as the default next to the input
        story = tmp_path / "story.txt"
        story.write_bytes(b"")
        status, _ = run(monkeypatch, capsys, "read", story, *target)
        assert status != 0 and world.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["story.txt", "story.world.json"]


def test_real_process_prints_no_traceback(tmp_path):
    path = bomb_in_html(tmp_path)
    result = subprocess.run(
        [sys.executable, "-m", "storyworld", "read", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 1 and result.stderr.count("\n") == 1 and "E009" in result.stderr
    assert "Traceback" not in result.stderr and not (tmp_path / "lol.world.json").exists()


def test_a_fandom_no_pack_knows_is_one_line_listing_the_packs(tmp_path, monkeypatch, capsys):
    story = tmp_path / "story.txt"
    story.write_text("Mara closed the door.\n", encoding="utf-8")
    status, err = run(monkeypatch, capsys, "read", story, "--fandom", "Bleach")
    assert status != 0 and err.startswith("error: [E026]") and "'Bleach'" in err and "naruto" in err
    assert err.strip().count("\n") == 0 and not (tmp_path / "story.world.json").exists()
