"""The fandom pack loader: shipped packs, lookups by any spelling, user packs, bad packs."""

from __future__ import annotations

from pathlib import Path

import pytest

from storyworld import fandoms
from storyworld.errors import StoryworldError
from storyworld.fandoms import generic, load_packs, normalise_name

USER_PACK = """
[pack]
id = "tinyverse"
name = "Tinyverse"
fandoms = ["Tinyverse (Web Series)"]
detect = ["glimmerstone"]

[[character]]
name = "Orla Venn"
given = "Orla"
family = "Venn"
aliases = ["the Lamplighter"]
gender = "female"

[non_characters]
places = ["Glimmerstone Hollow"]
"""


@pytest.fixture
def user_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(fandoms.PACKS_ENV, str(tmp_path))
    return tmp_path


def naruto() -> fandoms.Pack:
    return load_packs()["naruto"]


def test_shipped_packs_load_with_their_characters():
    pack = naruto()
    assert pack.pack.name_order == "family-first"
    assert len(pack.characters) >= 60
    assert "Naruto (Anime & Manga)" in pack.pack.fandoms


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        ("Kankurō", "Kankurou"),
        ("Kankuro", "Kankurou"),
        ("KANKUROU", "Kankurou"),
        ("Hyūga Hinata", "Hyuuga Hinata"),
        ("Hinata Hyuga", "Hyuuga Hinata"),
        ("Kyūbi", "Kurama"),
        ("Kyubi", "Kurama"),
        ("the demon fox", "Kurama"),
        ("Naruto Uzumaki", "Uzumaki Naruto"),
        ("Ōnoki", "Oonoki"),
        ("Onoki", "Oonoki"),
        ("Jiraiya", "Jiraiya"),
        ("Naruto's", "Uzumaki Naruto"),
    ],
)
def test_find_by_any_spelling(spelling: str, canonical: str):
    found = naruto().find(spelling)
    assert found is not None and found.name == canonical


def test_a_given_first_pack():
    pack = load_packs()["harrypotter"]
    assert len(pack.characters) >= 60
    assert pack.find("Potter Harry").name == "Harry Potter"
    assert pack.find("You-Know-Who").name == "Tom Riddle"
    assert pack.find("Albus") is None  # Dumbledore and Albus Severus Potter, listed in [pack] shared
    assert pack.find("Tonks").name == "Nymphadora Tonks"  # her own alias beats her mother's family name
    assert pack.is_non_character("Expelliarmus") and pack.is_non_character("Diagon Alley")


@pytest.mark.parametrize(
    ("written", "canonical"),
    [
        ("Kakashi-senpai", "Hatake Kakashi"),
        ("Lady Hinata", "Hyuuga Hinata"),
        ("Itachi-nii-san", "Uchiha Itachi"),
        ("Sasuke-teme", "Uchiha Sasuke"),
        ("Lord Third Hokage", "Sarutobi Hiruzen"),
    ],
)
def test_find_looks_past_titles_and_honorifics(written: str, canonical: str):
    assert naruto().find(written).name == canonical


def test_bare_name_keeps_one_word_at_least():
    assert generic().bare_name("Lord Hokage-sama") == "hokage"
    assert generic().bare_name("Mr. Darcy") == "darcy"
    assert generic().bare_name("Sir") == "sir"


def test_a_shared_family_name_matches_several_and_finds_none():
    pack = naruto()
    assert pack.find("Uchiha") is None
    assert {"Uchiha Sasuke", "Uchiha Itachi"} <= {c.name for c in pack.matches("Uchiha")}
    assert pack.find("Batman") is None


SHIPPED = sorted(p.stem for p in fandoms.SHIPPED.glob("*.toml") if p.name != fandoms.GENERIC_FILE)


def shipped(pack_id: str) -> fandoms.Pack:
    pack = load_packs()[pack_id]
    assert pack.id == pack_id  # the file is named after its id
    return pack


@pytest.mark.parametrize("pack_id", SHIPPED)
def test_every_name_belongs_to_one_character_unless_shared(pack_id: str):
    pack = shipped(pack_id)
    allowed = {normalise_name(n) for n in pack.pack.shared}
    allowed |= {normalise_name(c.family) for c in pack.characters if c.family}
    for character in pack.characters:
        for name in character.names(pack.pack.name_order):
            owners = pack.matches(name)
            assert character in owners
            assert len(owners) == 1 or normalise_name(name) in allowed, (name, [c.name for c in owners])


@pytest.mark.parametrize("pack_id", SHIPPED)
def test_relationships_point_at_pack_characters(pack_id: str):
    pack = shipped(pack_id)
    for character in pack.characters:
        for relation in character.relationships:
            assert pack.find(relation.other) is not None, (character.name, relation.other)


def test_non_characters_are_not_characters():
    pack = naruto()
    for name in ("Chidori", "Rasengan", "Sharingan", "Byakugan", "Konoha", "Konohagakure", "Suna",
                 "Sunagakure", "Akatsuki", "ANBU", "Hokage Mountain"):
        assert pack.is_non_character(name), name
        assert pack.find(name) is None, name
    assert not pack.is_non_character("Gaara")


def test_title_holders_in_order_and_by_era():
    pack = naruto()
    assert {c.name for c in pack.holders("Hokage")} == {
        "Senju Hashirama", "Senju Tobirama", "Sarutobi Hiruzen", "Namikaze Minato", "Tsunade",
        "Hatake Kakashi", "Uzumaki Naruto",
    }
    assert [c.name for c in pack.holders("hokage", era="Fourth")] == ["Namikaze Minato"]
    assert [c.name for c in pack.holders("Kazekage", era="Fifth")] == ["Gaara"]
    assert pack.holders("Emperor") == ()


def test_normalise_name_unifies_diacritics_and_long_vowels():
    assert normalise_name("Kankurō") == normalise_name("Kankurou") == normalise_name("Kankuro") == "kankuro"
    assert normalise_name("Hyūga") == normalise_name("Hyuuga") == normalise_name("Hyuga")
    assert normalise_name("Uchiha-san’s") == "uchiha san"


def test_generic_pack():
    pack = generic()
    assert len(pack.nicknames) >= 80
    assert "Elizabeth" in pack.full_names("Lizzy")
    assert "William" in pack.full_names("bill")
    assert pack.titles["Mrs."] == "female"
    assert pack.honorifics["nee-chan"] == "female"
    assert pack.kinship["nephew"] == "male"
    assert pack.roles["guard"] == "unknown"
    assert pack.pronouns["she"].gender == "female"
    assert pack.pronouns["they"].number == "plural"
    assert pack.is_non_name("Baka") and pack.is_non_name("monday")
    assert not pack.is_non_name("Elizabeth")


def test_user_pack_from_the_env_folder(user_packs: Path):
    (user_packs / "tinyverse.toml").write_text(USER_PACK, encoding="utf-8-sig")  # with a BOM
    packs = load_packs()
    assert {"naruto", "tinyverse"} <= set(packs)
    tiny = packs["tinyverse"]
    assert tiny.find("Venn Orla") is not None  # given-first pack: both orders are known
    assert tiny.find("the lamplighter").name == "Orla Venn"
    assert tiny.is_non_character("Glimmerstone Hollow")


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("[pack\nid = 'x'", "Expected"),
        ("[pack]\nid = 'x'\nname = 'X'\n", "pack.fandoms"),
        ("[pack]\nid = 'x'\nname = 'X'\nfandoms = []\n[[character]]\nnom = 'Y'\n", "character.0"),
        ("[pack]\nid = 'x'\nname = 'X'\nfandoms = []\n[[character]]\nname = 'Y'\ngender = 'big'\n", "gender"),
        ("[pack]\nid = 'x'\nname = 'X'\nfandoms = []\n[[character]]\nname = 'Ann'\naliases = ['Bo']\n"
         "[[character]]\nname = 'Bo'\n", "'bo' belongs to Ann and Bo"),
        ("[pak]\nid = 'x'\n", "pak"),
    ],
)
def test_a_malformed_pack_is_E017_naming_the_file(user_packs: Path, content: str, reason: str):
    (user_packs / "broken.toml").write_text(content, encoding="utf-8")
    with pytest.raises(StoryworldError) as raised:
        load_packs()
    assert raised.value.code.name == "E017"
    assert "broken.toml" in str(raised.value)
    assert reason in str(raised.value)


@pytest.mark.parametrize("pack_id", SHIPPED)
def test_every_village_has_its_short_names(pack_id: str):
    pack = shipped(pack_id)
    for character in pack.characters:
        if character.village:
            assert character.village in pack.villages, (character.name, character.village)


def test_origin_names_give_a_village_its_short_names():
    pack = naruto()
    assert {"Suna", "Sand"} <= set(pack.origin_names(pack.find("Gaara")))
    assert pack.origin_names(pack.find("Kurama")) == ()



@pytest.mark.parametrize("pack_id", SHIPPED)
def test_no_name_is_both_a_character_and_a_non_character(pack_id: str):
    pack = shipped(pack_id)
    clashes = [n for c in pack.characters for n in c.names(pack.pack.name_order) if pack.is_non_character(n)]
    assert clashes == []


def test_one_letter_names_are_found_only_as_written():
    pack = naruto()
    assert pack.find("A") is None  # "A" opens sentences; the Fourth Raikage is "A (Naruto)"
    assert pack.find("A (Naruto)").name == pack.find("Ay").name == "A (Naruto)"
    assert all(len(normalise_name(n)) > 1 for c in pack.characters for n in c.names())


def test_every_pack_field_is_documented():
    import dataclasses

    docs = (Path(__file__).resolve().parents[2] / "docs" / "fandom-packs.md").read_text(encoding="utf-8")
    for kind in (fandoms.PackInfo, fandoms.PackCharacter, fandoms.NonCharacters, fandoms.GenericPack):
        for field in dataclasses.fields(kind):
            written = "with" if field.name == "other" else field.name
            assert written in docs, f"{kind.__name__}.{field.name} is not in docs/fandom-packs.md"


def test_a_user_pack_replaces_the_shipped_pack_of_the_same_id(user_packs: Path):
    mine = USER_PACK.replace('id = "tinyverse"', 'id = "naruto"')
    (user_packs / "my-naruto.toml").write_text(mine, encoding="utf-8")
    assert load_packs()["naruto"].find("Orla Venn") is not None
    assert load_packs()["naruto"].find("Gaara") is None


def test_person_nouns_and_ages_of_the_shipped_packs():
    packs = load_packs()
    assert "nin" in packs["naruto"].pack.person_nouns
    naruto = packs["naruto"]
    ages = {name: naruto.find(name).age for name in ("Madara", "Itachi", "Sasuke", "Boruto")}
    assert ages["Madara"] > ages["Itachi"] > ages["Sasuke"] > ages["Boruto"]
    hp = packs["harrypotter"]
    assert hp.find("Petunia Dursley").age > hp.find("Lily Evans Potter").age


@pytest.mark.parametrize("pack_id", SHIPPED)
def test_every_period_names_eras_that_someone_held(pack_id: str):
    pack = shipped(pack_id)
    for period in pack.period:
        for title, era in period.items():
            assert pack.holders(title, era=era), (title, era)
    if pack_id == "naruto":
        assert {"Hokage": "Seventh", "Kazekage": "Fifth"}.items() <= pack.period[-1].items()
