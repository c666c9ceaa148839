"""The words the cast reads for a fandom: canon aliases, village names, the canon's person nouns."""

from __future__ import annotations

from storyworld.cast.vocabulary import vocabulary


def _canon(fandom: str, name: str):
    return next(c for c in vocabulary(fandom).canon if c.name == name)


def test_a_village_gives_its_one_word_names_to_origin_epithets():
    origin = _canon("naruto", "Uchiha Sasuke").origin
    assert {"leaf", "konoha"} <= origin  # "the former leaf nin"
    assert "hot" not in _canon("naruto", "Gaara").origin and "land" not in origin


def test_canon_aliases_are_looked_up_by_their_words():
    owners = vocabulary("naruto").canon_by_key
    assert [c.name for c in owners["the demon fox"]] == ["Kurama"]
    assert [c.name for c in owners["copy nin"]] == ["Hatake Kakashi"]
    assert [c.name for c in vocabulary("mha").canon_by_key["symbol of peace"]] == ["Yagi Toshinori"]


def test_the_canons_person_nouns_may_refer_back():
    assert {"nin", "shinobi"} <= vocabulary("naruto").anaphoric
    assert "nin" not in vocabulary(None).anaphoric and "wizard" in vocabulary("harrypotter").anaphoric


def test_ages_order_the_long_dead_and_the_next_generation():
    madara, sasuke = _canon("naruto", "Uchiha Madara"), _canon("naruto", "Uchiha Sasuke")
    boruto = _canon("naruto", "Uzumaki Boruto")
    assert madara.age > sasuke.age > boruto.age
