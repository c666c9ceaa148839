"""Name clustering: the proper names of a story grouped into characters, in small passes.

Each pass takes the table of name keys -> characters and merges entries it is sure of; a key that
could be several characters ("Uchiha" with two Uchiha present, "Bennet" with Mr. and Mrs. Bennet)
is left ambiguous and resolved at each mention by recency (see resolve.py). No pass merges what
the story shows to be two people (`NameTable.compatible`): a gender clash, two gendered titles
("Mr. Lesley", "Mrs. Lesley"; "Miss Bertram", "Lady Bertram"), or two names set side by side
("Mr. Emerson and George").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from storyworld.cast.entities import Entity
from storyworld.cast.features import Features
from storyworld.cast.vocabulary import Canon, Vocabulary
from storyworld.lexicon import words as words_of

# A name goes to the most used of several owners when it is used this many times as often as the next.
DOMINANCE = 4
# A gendered title ("Mrs.") outweighs a few pronouns that follow the name.
TITLE_VOTES = 3
# A gender resting on fewer pronoun votes than this does not keep two names apart.
MIN_VOTES = 2
# Two names joined by "and", or subject and object of one verb, this many times are two people (once
# more when one name is part of the other).
APART_TIMES = 1
# "Mr. John Knightley" written this many times, first after "Mr. Knightley" was written this many
# times, is a second man of the name: the given name tells him from the one the short form means.
SECOND_BEARER_USES = 5
ESTABLISHED_USES = 10
MIN_CLIPPED = 3  # letters of a clipped given name ("Gin" of Ginny); "Al" may begin anything
# A given name used alone this often is a member of the family (see `named_apart_from_kin`).
ESTABLISHED_GIVEN = 3


def name_key(features: Features) -> str:
    """The key a name mention clusters under: "elizabeth bennet", "elizabeth", "miss bennet",
    "mrs john dashwood" (a titled full name keeps its title: "Mrs. John Dashwood" is his wife)."""
    parts = features.parts
    assert parts is not None
    return f"{parts.titles[-1]} {parts.key}" if parts.titles else parts.key


class NameTable:
    """Name keys and the characters each may refer to (one: settled; several: decide by recency).

    `merge` refuses what the story shows to be two people: see `compatible`.
    """

    def __init__(self, title_gender: dict[str, str] | None = None) -> None:
        self.table: dict[str, list[Entity]] = {}
        self.title_gender = title_gender or {}  # person titles -> gender ("mrs" -> female)
        self.apart: set[frozenset[str]] = set()  # key pairs named side by side: two people

    def entities(self) -> list[Entity]:
        seen: dict[int, Entity] = {}
        for candidates in self.table.values():
            for entity in candidates:
                seen.setdefault(id(entity), entity)
        return list(seen.values())

    def settled(self) -> dict[str, Entity]:
        return {k: v[0] for k, v in self.table.items() if len(v) == 1}

    def compatible(self, one: Entity, other: Entity) -> bool:
        """Whether two characters may be one person. Not when their genders clash, when their
        titled names differ in gender ("Mr. Lesley", "Mrs. Lesley") or in title on one name
        ("Miss Bertram", "Lady Bertram", "Mrs. Bertram" are three women; so are "Miss Jane Barry" and
        "Mrs. Barry"), nor when the story
        names two of their keys side by side ("Mr. Emerson and George")."""
        titled = self._gendered_titles(one) | self._gendered_titles(other)
        by_title = {self.title_gender[t] for t, _ in titled}
        if len(by_title) > 1:
            return False
        if by_title:  # a title is sure of the gender: pronoun votes of either side may not outvote it
            if any(e.gender not in (*by_title, "unknown") for e in (one, other)):
                return False
        elif not _same_gender(one, other):
            return False
        if len({name for _, name in titled}) < len(titled):  # one name under two titles
            return False
        # "Miss Josephine Barry" and "Mrs. Barry" are two women, "Mr. Tilney" and "General Tilney" two men
        for first, second in (("married", "unmarried"), ("mister", "military")):
            a, b = words_of("people", "titles", first), words_of("people", "titles", second)
            if (_surnames_under(one, a) & _surnames_under(other, b)
                    or _surnames_under(one, b) & _surnames_under(other, a)):
                return False
        return not any(frozenset((a, b)) in self.apart for a in one.keys for b in other.keys)

    def _gendered_titles(self, entity: Entity) -> set[tuple[str, str]]:
        """("miss", "bertram") for each key of a gendered title and the name words after it."""
        found = set()
        for key in entity.keys:
            title, _, name = key.partition(" ")
            if name and self.title_gender.get(title, "unknown") != "unknown":
                found.add((title, name))
        return found

    def merge(self, keep: Entity, drop: Entity) -> None:
        """Put `drop` into `keep` when they may be one person; never one pack character into another
        (a run like "Sasuke Kakashi" must not swallow Sasuke and Kakashi). A pack character is the one
        that stays: "Professor Flitwick" joins the pack's Filius Flitwick, not the other way round."""
        if drop.canon is not None and keep.canon is None:
            keep, drop = drop, keep
        if keep is drop or (drop.canon is not None and keep.canon is not drop.canon):
            return
        if not self.compatible(keep, drop):
            return
        keep.absorb(drop)
        for key, candidates in self.table.items():
            if any(c is drop for c in candidates):
                merged = [keep if c is drop else c for c in candidates]
                self.table[key] = list({id(c): c for c in merged}.values())

    def candidates(self, key: str) -> list[Entity]:
        return self.table.get(key, [])


def _married_surnames(keys: Iterable[str]) -> set[str]:
    """Names written after a married woman's title ("weston" of "mrs weston"): surnames, not first names."""
    married = words_of("people", "titles", "married")
    return {key.split()[1] for key in keys if len(key.split()) == 2 and key.split()[0] in married}


def _surnames_under(entity: Entity, titles: Iterable[str]) -> set[str]:
    """The last name words of the entity's keys written after one of `titles`."""
    return {key.split()[-1] for key in entity.keys if " " in key and key.split()[0] in titles}


def _dominant(owners: Iterable[Entity]) -> Entity | None:
    """The one owner, or the one used DOMINANCE times as often as any other, else None."""
    ranked = sorted(owners, key=lambda e: e.uses, reverse=True)
    if len(ranked) == 1 or (len(ranked) > 1 and ranked[0].uses >= DOMINANCE * ranked[1].uses):
        return ranked[0]
    return None


def _voted_gender(entity: Entity) -> str:
    """The entity's gender, left open when it rests on one pronoun vote (one stray "she")."""
    gender = entity.gender
    sure = entity.given is not None or entity.canon is not None or entity.gender_votes[gender] >= MIN_VOTES
    return gender if sure else "unknown"


def _join_or_share(names: NameTable, key: str, entity: Entity, owners: list[Entity]) -> None:
    """`entity` joins the dominant of `owners`; with several and none dominant, `key` may mean any of
    them (decided by recency at each mention)."""
    owner = _dominant(owners)
    if owner is not None:
        names.merge(owner, entity)
    elif len(owners) > 1:
        names.table[key] = owners


def _same_gender(one: Entity, other: Entity) -> bool:
    """No clash: "Hamidullah" (he) does not join "Hamidullah Begum" (she). A clash of pronoun votes
    only counts when the two together are mixed: a few stray "he"s after "Mary Datchet" do not keep
    her from "Mary" (a hundred "she"s)."""
    genders = (_voted_gender(one), _voted_gender(other))
    if "unknown" in genders or genders[0] == genders[1]:
        return True
    if any(e.given is not None or e.canon is not None for e in (one, other)):
        return False
    together = Entity(gender_votes=one.gender_votes + other.gender_votes)
    return together.gender != "unknown"


def _titled(key: str, vocab: Vocabulary) -> bool:
    """ "lady catherine", "mr bennet": a title and one name."""
    words = key.split()
    return len(words) == 2 and words[0] in vocab.person_titles


def _single(key: str) -> bool:
    return " " not in key


def exact(features: Iterable[Features], votes: dict[str, Counter[str]], vocab: Vocabulary) -> NameTable:
    """Pass 1: one character per distinct key. "Tom Sawyer" (x3), "Tom" (x9) -> two characters.

    Each starts with its gender votes (`votes` by key, from the pronouns that follow it), so the
    later passes do not put "Mr. Barry" into "Diana Barry".
    """
    names = NameTable(vocab.person_titles)
    for f in features:
        key = name_key(f)
        if key not in names.table:
            names.table[key] = [Entity(keys={key}, gender_votes=Counter(votes.get(key, {})))]
        entity = names.table[key][0]
        entity.uses += 1
        if f.gender in ("male", "female"):
            entity.gender_votes[f.gender] += TITLE_VOTES
    return names


def apart(features: Iterable[Features]) -> set[frozenset[str]]:
    """Key pairs the story shows to be two people at least APART_TIMES times: joined by "and" or
    a comma ("Mr. Emerson and George"), or subject and object of one verb ("Sir Thomas sent Tom").
    Sentence co-occurrence would not do: a long sentence may name one person twice."""
    by_sentence: dict[int, list[Features]] = {}
    for f in features:
        by_sentence.setdefault(f.sentence, []).append(f)
    counts: Counter[frozenset[str]] = Counter()
    for group in by_sentence.values():
        for i, one in enumerate(group):
            for other in group[i + 1 :]:
                a, b = name_key(one), name_key(other)
                if a != b and (_coordinated(one, other) or _agent_and_patient(one, other)):
                    counts[frozenset((a, b))] += 1
    return {pair for pair, n in counts.items() if n >= APART_TIMES + _one_name_in_other(pair)}


def second_bearers(features: Iterable[Features], vocab: Vocabulary) -> set[frozenset[str]]:
    """Titled full names that name a second bearer of a titled surname the story had long used:
    "Mr. John Knightley" (30 times) after "Mr. Knightley" (35 times before it) is his brother, while
    "Mr. Henry Tilney" (twice) after "Mr. Tilney" is the same man formally named."""
    uses: Counter[str] = Counter()
    established: dict[str, int] = {}  # titled full name -> uses of its short form before it first came
    for f in features:
        key = name_key(f)
        words = key.split()
        if len(words) > 2 and words[0] in vocab.person_titles and key not in established:
            established[key] = uses[f"{words[0]} {words[-1]}"]
        uses[key] += 1
    return {
        frozenset((key, f"{key.split()[0]} {key.split()[-1]}"))
        for key, before in established.items()
        if before >= ESTABLISHED_USES and uses[key] >= SECOND_BEARER_USES
    }


def named_apart_from_kin(
    features: Iterable[Features], vocab: Vocabulary, votes: dict[str, Counter[str]],
) -> set[frozenset[str]]:
    """Titled full names whose given name tells one of a family from another: with Elizabeth, Jane and
    Lydia Bennet all in the story, "Miss Elizabeth Bennet" is not "Miss Bennet" (the eldest), nor is
    "Mr. Robert Ferrars" the "Mr. Ferrars" his brother Edward is. A given name counts when it is used
    alone ESTABLISHED_GIVEN times, is not of the other gender by the pronouns after it (Matthew and
    Marilla Cuthbert are brother and sister), is no surname of a married title (the "Weston" of "Frank
    Weston Churchill" is Mrs. Weston's), and is written once with the surname, untitled or under a
    title of the same gender. Not for a title that takes the husband's name ("Mrs. John Dashwood")."""
    husband_name = words_of("people", "titles", "husband_name")
    uses: Counter[str] = Counter(name_key(f) for f in features)
    givens: dict[tuple[str, str], set[str]] = {}  # (gender or "", surname) -> given names written with it
    titled_full: list[tuple[str, str, str]] = []  # (title, given, surname)
    for key in uses:
        words = key.split()
        titled = words[0] in vocab.person_titles
        if titled and len(words) == 3 and words[0] not in husband_name:
            titled_full.append((words[0], words[1], words[2]))
        if len(words) == 2 + titled and not (titled and words[0] in husband_name):
            gender = vocab.title_gender(words[0]) if titled else ""
            givens.setdefault((gender, words[-1]), set()).add(words[-2])
    surnames = _married_surnames(uses)
    pairs = set()
    for title, given, surname in titled_full:
        gender = vocab.title_gender(title)
        family = givens.get((gender, surname), set()) | givens.get(("", surname), set())
        known = {g for g in family if uses[g] >= ESTABLISHED_GIVEN and g not in surnames
                 and _voted_gender(Entity(gender_votes=Counter(votes.get(g, {})))) in (gender, "unknown")}
        if given in known and len(known) > 1 and uses[f"{title} {surname}"]:
            pairs.add(frozenset((f"{title} {given} {surname}", f"{title} {surname}")))
    return pairs


def _one_name_in_other(pair: frozenset[str]) -> bool:
    """ "mr darcy" and "darcy": one stray parse that sets them side by side does not make two people."""
    a, b = (set(key.split()) for key in pair)
    return a <= b or b <= a


def _coordinated(one: Features, other: Features) -> bool:
    return (other.head.dep_ == "conj" and other.head.head.i == one.head.i) or (
        one.head.dep_ == "conj" and one.head.head.i == other.head.i
    )


def _agent_and_patient(one: Features, other: Features) -> bool:
    """Subject and object of one verb; "Lucy found herself" is not two names, so both are names."""
    return (
        one.verb.i == other.verb.i
        and {one.subject, other.subject} == {True, False}
        and (one.object or other.object)
    )


def titled_full_names(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 2: a titled full name joins the same name untitled. "Mr. George Emerson" -> GEORGE
    EMERSON. With no untitled form, the untitled key becomes one of its own, so "Mr. Syme" can join
    "Mr. Gabriel Syme". Not after a title that takes the husband's name: "Mrs. John Dashwood" is
    John Dashwood's wife."""
    husband_name = words_of("people", "titles", "husband_name")
    for key, entity in list(names.settled().items()):
        words = key.split()
        if len(words) < 3 or words[0] not in vocab.person_titles or words[0] in husband_name:
            continue
        untitled = " ".join(words[1:])
        owners = names.candidates(untitled)
        if not owners:
            names.table[untitled] = [entity]
            entity.keys.add(untitled)
        elif len(owners) == 1:
            names.merge(owners[0], entity)


def first_names(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 3: a lone first name joins the only full name it begins. "Tom" -> "Tom Sawyer"; with
    "Jane Fairfax" (86 uses) and "Jane Austen" (1), "Jane" -> JANE FAIRFAX (see `_dominant`). Not a
    name the story writes after "Colonel" or "Dr.": "Fitzwilliam" is Colonel Fitzwilliam, not
    Fitzwilliam Darcy."""
    settled = names.settled()
    full = [(k.split()[0], e) for k, e in settled.items() if _full(k, vocab)]
    family_title = words_of("people", "titles", "family_name")
    surnames = {k.split()[1] for k in settled if _titled(k, vocab) and k.split()[0] in family_title}
    for key, entity in list(settled.items()):
        # (a first name already one with a full name stays there: "William" of "Sir William Lucas")
        if not _single(key) or key in surnames or any(_full(k, vocab) for k in entity.keys):
            continue
        owner = _dominant(
            {
                id(e): e
                for first, e in full
                if first == key and e is not entity and names.compatible(e, entity)
            }.values()
        )
        if owner is not None:
            names.merge(owner, entity)


def _full(key: str, vocab: Vocabulary) -> bool:
    """ "tom sawyer": two or more name words and no title."""
    words = key.split()
    return len(words) > 1 and words[0] not in vocab.person_titles


def _given_name_gender(settled: dict[str, Entity], given: str, bearer: Entity) -> str:
    """The sure gender of another character the story calls by `given` alone: "Katharine Rodney", written
    once, is no man's name when Katharine is a woman ("Mr. Rodney" is William Rodney)."""
    owner = settled.get(given)
    return _voted_gender(owner) if owner is not None and owner is not bearer else "unknown"


def titled_surnames(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 4: "Captain Wentworth" joins the full name the story also writes with that title and
    name ("Captain Frederick Wentworth"); else "Mr. Sawyer" joins the only full name ending in
    Sawyer that may be the same person; failing that, "Miss Lucy" joins the only full name
    beginning with Lucy.

    "Mr. Sawyer" + "Tom Sawyer" (male) -> TOM SAWYER; "Aunt Polly" + "Polly Harper" -> POLLY HARPER;
    "Sir John" + "Sir John Middleton" -> one, though John Dashwood is there too; "Miss Bennet" with
    Jane and Elizabeth Bennet stays a character of its own (BookNLP does the same: the title does
    not say which sister).
    """
    settled = names.settled()
    full = [(k.split(), e) for k, e in settled.items() if _full(k, vocab)]
    titled_full = [(k.split(), e) for k, e in settled.items() if len(k.split()) > 2 and not _full(k, vocab)]
    married = words_of("people", "titles", "married")
    titled = [k for k in settled if len(k.split()) == 2 and k.split()[0] in vocab.person_titles]
    family_names = _married_surnames(titled)
    for key in sorted(titled, key=lambda k: k.split()[0] in married):  # "Miss Morland" first
        entity, words = settled[key], key.split()
        same_title = {
            id(e): e
            for w, e in titled_full
            if w[0] == words[0] and words[1] in w[1:] and e is not entity and names.compatible(e, entity)
        }
        if len(same_title) == 1:
            names.merge(next(iter(same_title.values())), entity)
            continue
        title_gender = vocab.title_gender(words[0])
        fits = [(w, e) for w, e in full if e is not entity and names.compatible(e, entity)
                and _given_name_gender(settled, w[0], e) in ("unknown", title_gender)]
        # "Miss Lucy", not "Colonel Lucy"; nor "Mr. Weston" when Mrs. Weston shows Weston is a surname
        first_name_title = title_gender != "unknown" and words[1] not in family_names
        for position in (-1, 0) if first_name_title else (-1,):
            owners = list({id(e): e for w, e in fits if w[position] == words[1]}.values())
            if owners:  # a family shares a surname: only a first name may go to a dominant owner
                owner = _dominant(owners) if position == 0 else (owners[0] if len(owners) == 1 else None)
                if owner is not None:
                    names.merge(owner, entity)
                break


def same_surname_titles(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 5: titled surnames with no gender clash are one person. "Dr. Aziz" + "Mr. Aziz" -> one;
    "Mr. Bennet" + "Mrs. Bennet" stay two (and a "Dr. Bennet" beside them stays apart), as do
    "Major Callendar" (he, by the pronouns that follow) and "Mrs. Callendar"; and in a family of
    several full names ("Henry Tilney", "Frederick Tilney") "Mr. Tilney" and "Captain Tilney" may
    be brothers.
    """
    by_surname: dict[str, list[tuple[str, Entity]]] = {}
    family: Counter[str] = Counter()  # surname -> full names ending in it
    for key, entity in names.settled().items():
        words = key.split()
        if len(words) == 2 and words[0] in vocab.person_titles:
            by_surname.setdefault(words[1], []).append((entity.gender, entity))
        elif _full(key, vocab):
            family[words[-1]] += 1
    for surname, group in by_surname.items():
        genders = {g for g, _ in group} - {"unknown"}
        if len(group) > 1 and len(genders) <= 1 and family[surname] < 2:
            keep = group[0][1]
            for _, entity in group[1:]:
                names.merge(keep, entity)


def titled_bare(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 6: a bare name joins the only titled form of it. "Marilla" + "Aunt Marilla" -> one;
    "Bennet" with "Mr. Bennet" and "Mrs. Bennet" is either, by recency at each mention.
    """
    settled = names.settled()
    titled: dict[str, list[Entity]] = {}
    for key, entity in settled.items():
        words = key.split()
        if len(words) == 2 and words[0] in vocab.person_titles:
            titled.setdefault(words[1], []).append(entity)
    for key, entity in list(settled.items()):
        fitting = (e for e in titled.get(key, []) if e is not entity and names.compatible(e, entity))
        _join_or_share(names, key, entity, list({id(e): e for e in fitting}.values()))


def nicknames(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 7: a nickname joins the character whose given name it shortens.

    "Eliza Bennet" -> ELIZABETH BENNET (the same name with the given name written out); "Lizzy"
    and "Miss Lizzy" -> the only (or dominant) full name beginning with Elizabeth ("Miss Elizabeth").
    Never a character the story calls by a title of rank and the formal name: "Kitty" is not "Lady
    Catherine", "Tom Bertram" is not "Sir Thomas Bertram".
    """
    rank = words_of("people", "titles", "rank")
    settled = names.settled()
    for key, entity in list(settled.items()):
        words = key.split()
        given = 1 if _titled(key, vocab) else 0
        formal = vocab.nicknames.get(words[given]) if len(words) > given else None
        lone = len(words) == given + 1
        if lone and not formal and not given:
            _clipped(names, key, entity)
            continue
        if not formal or (lone and any(_full(k, vocab) for k in entity.keys)):
            continue  # ("Josie" of "Josie Pye" is not "Miss Josephine Barry")
        variants = {" ".join([*words[:given], f, *words[given + 1 :]]) for f in formal}
        owners = {id(e): e for k, e in settled.items() if e is not entity and k in variants}
        if not owners and lone:
            owners = {
                id(e): e
                for k, e in settled.items()
                if e is not entity and not _titled(k, vocab) and k.split()[0] in formal
            }
        owners = {
            i: e
            for i, e in owners.items()
            if names.compatible(e, entity)
            and not any(_titled(k, vocab) and k.split()[0] in rank and k.split()[1] in formal for k in e.keys)
        }
        owner = _dominant(owners.values())
        if owner is not None:
            names.merge(owner, entity)


def _clipped(names: NameTable, key: str, entity: Entity) -> None:
    """A lone name no list knows joins the one character whose given name it begins: "Gin" is Ginny,
    "Naru" Naruto (never a name of fewer than MIN_CLIPPED letters; with two such characters, nobody)."""
    if len(key) < MIN_CLIPPED or len(entity.keys) > 1:
        return
    owners = {id(e): e for k, e in names.settled().items()
              if e is not entity and k.split()[0].startswith(key) and len(k.split()[0]) > len(key)}
    if len(owners) == 1:
        names.merge(next(iter(owners.values())), entity)


def surnames(names: NameTable) -> None:
    """Pass 8: a lone surname joins the only full name it ends; with several it stays ambiguous.

    "Sawyer" + "Tom Sawyer" -> TOM SAWYER; "Uchiha" + "Sasuke Uchiha" + "Itachi Uchiha" -> either,
    by recency at each mention.
    """
    settled = names.settled()
    for key, entity in list(settled.items()):
        if not _single(key) or len(entity.keys) > 1:
            continue
        owners = {
            id(e): e
            for k, e in settled.items()
            if e is not entity and k.split()[-1] == key and names.compatible(e, entity)
        }
        _join_or_share(names, key, entity, list(owners.values()))


def canon(names: NameTable, vocab: Vocabulary) -> None:
    """Pass 9 (run first too): names the pack knows join their canon character; two keys of one canon merge.

    "Kankuro" and "Kankurō" already share a key; "Naruto" and "Uzumaki Naruto" (both keys of the
    pack's "Uzumaki Naruto") -> one character with canonical "Uzumaki Naruto". A key that is a word
    of several canon names ("Uchiha") stays ambiguous among those present.
    """
    if not vocab.canon:
        return
    by_canon: dict[str, Entity] = {}
    for key, entity in list(names.settled().items()):
        match = _canon_for(key, vocab.canon)
        if match is None:
            continue
        owner = by_canon.get(match.name)
        if owner is None:
            entity.canon = entity.canon or match
            by_canon[match.name] = entity
        else:
            names.merge(owner, entity)
    for key, candidates in list(names.table.items()):
        if len(candidates) != 1 or candidates[0].canon is not None or not _single(key):
            continue
        present = [e for e in by_canon.values() if key in e.words]
        if len(present) > 1:
            names.table[key] = present
        elif len(present) == 1:
            names.merge(present[0], candidates[0])


def _canon_for(key: str, characters: tuple[Canon, ...]) -> Canon | None:
    """The one canon character with this exact name key, if exactly one has it; else the one canon
    character of the family or clan the key names ("Aizawa" alone; never "Uchiha")."""
    matches = [c for c in characters if key in c.keys] or [c for c in characters if c.clan == key]
    return matches[0] if len(matches) == 1 else None


def cluster_names(features: list[Features], vocab: Vocabulary, votes: dict[str, Counter[str]]) -> NameTable:
    """Every pass in order over the story's name mentions; `votes` are gender votes by name key."""
    names = exact(features, votes, vocab)
    names.apart = apart(features) | second_bearers(features, vocab)
    names.apart |= named_apart_from_kin(features, vocab, votes)
    canon(names, vocab)
    titled_full_names(names, vocab)
    first_names(names, vocab)
    titled_surnames(names, vocab)
    first_names(names, vocab)  # again: "Miss Schlegel" made "Margaret Schlegel" the dominant Margaret
    same_surname_titles(names, vocab)
    titled_bare(names, vocab)
    nicknames(names, vocab)
    surnames(names)
    canon(names, vocab)
    return names
