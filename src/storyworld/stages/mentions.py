"""Mentions: names, titles, epithets and pronouns that may refer to characters.

Read from the parse and the capitalisation of the text, not from NER alone (it misses invented
names and calls techniques people):
- names: runs of capitalised words ("Elizabeth Bennet", "Mr. Darcy", "Naruto-kun"); a run at the
  start of a sentence or quotation counts only when the word is also seen capitalised mid-sentence
  (or the parser is sure it is a person at sentence starts of the narration, in more than one
  paragraph), so "Fear gripped him", "Armor was loud. Armor reacted." and "'Bother!' said Pooh"
  are no names; a capitalised word after a determiner ("his
  Sharingan", "the Leaf") is a thing unless it is a pack alias ("the Boy Who Lived", "the Symbol of
  Peace", joined over "of"); pack non-characters are dropped; and each name is kept only when the
  story treats it more like a person than a place (see `_personhood`).
- titles: "the kazekage", "the Colonel", "Hokage-sama" (a title the pack lists);
- epithets: a determiner and a head noun that names one person or animal ("the redhead", "the
  raven-haired man", "the older Uchiha", "the sand nin", "a guard"), never a plural ("the Sound
  shinobi were");
- pronouns: he/she/they forms; I/me/my in the narration of a first-person story.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter, defaultdict

from spacy.tokens import Doc, Span, Token

from storyworld.cast.features import READER_PLACEHOLDER, Positions, introduces_self
from storyworld.cast.names import fold, split_name
from storyworld.cast.vocabulary import Vocabulary, vocabulary
from storyworld.fandoms import normalise_name
from storyworld.lexicon import words as words_of
from storyworld.model import Mention, Story
from storyworld.pipeline import Stage
from storyworld.stages.scenes import narration_person

OPENERS = frozenset("\"“‘'(—–-…*")
CLOSERS = frozenset("”’")
PERSON_LABELS = frozenset({"PERSON"})
TIME_LABELS = frozenset({"DATE", "TIME"})
THING_LABELS = frozenset(
    {"GPE", "LOC", "FAC", "ORG", "NORP", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE", "DATE", "TIME"}
)
# A word seen only at sentence starts is a name when tagged a proper noun or person this often
# (and rarely in lower case): "Orin turned" twice is a name, "Electricity crackled" once is not.
MIN_INITIAL_PROPER = 2
MIN_INITIAL_PARAGRAPHS = 2
# A name with no evidence for or against being a person is kept when used this often.
MIN_PLAIN_USES = 3
# A word the lists call no name ("Sunday") is a name when it is the subject of a speech verb this often.
MIN_SPEAKING_USES = 2
# A first-person story: this share of the narration's personal pronouns is I/me/my.
FIRST_PERSON_SHARE = 0.33
# Or this share, when the narration also tags lines "I said" this often (a narrator among a crowd of "he"s;
# Austen's and Milne's narrators say "I" now and then, at 0.5% and 5% of the pronouns).
TAGGED_FIRST_PERSON_SHARE = 0.1
MIN_FIRST_PERSON_TAGS = 2
# A section of a second-person story is the Reader's when its narration says you/your this often.
MIN_SECOND_PERSON = 5
FUNCTION_POS = frozenset({"DET", "PRON", "ADP", "CCONJ", "SCONJ", "AUX", "PART", "ADV", "INTJ"})
HYPHENS = frozenset("-‐")
MODIFIER_POS = frozenset({"ADJ", "NOUN", "PROPN", "ADV", "VERB", "NUM"})
MAX_MODIFIERS = 4
INTRODUCTION = 1.5  # the evidence a name being given is: as strong as acting
INTRODUCTIONS = (["name", "is"], ["name", "was"], ["this", "is"], ["this", "was"])
CONNECTORS = frozenset({"of", "no"})  # inside a pack alias: "Symbol of Peace", "Kyuubi no Youko"


def _folded(token: Token) -> str:
    """`fold` of a token, without the call for the plain lower-case words that most tokens are."""
    lower = token.lower_
    return lower if lower.isascii() and lower.isalpha() else fold(token.text)


def _is_title(token: Token, vocab: Vocabulary) -> bool:
    """ "Sir" of "Sir Walter" (though "Sir!" alone is no name)."""
    return fold(token.text) in vocab.person_titles


def _capitalised(token: Token) -> bool:
    return token.text[:1].isupper() and any(ch.isalpha() for ch in token.text)


def _clause_openers(tokens: list[Token]) -> list[bool]:
    """For each token: is it the first word of a sentence, line or quotation (where any word is
    capitalised)? After a closing quotation that ended on a comma ("...," Eliza said) the sentence
    goes on.
    """
    opens = [True] * len(tokens)
    for i in range(1, len(tokens)):
        before = tokens[i - 1]
        text = before.text
        if text in CLOSERS or (text == '"' and before.tag_ == "''"):
            opens[i] = i < 2 or tokens[i - 2].text not in (",", "—", "–", "-")
        else:
            opens[i] = before.is_space or text in OPENERS or text[-1:] in ".!?…" or before.tag_ == "``"
    return opens


class _Scan:
    """One pass over the tokens: how each capitalised word is used across the whole story."""

    def __init__(self, tokens: list[Token], positions: Positions) -> None:
        self.opens = _clause_openers(tokens)
        self.mid_capitals: Counter[str] = Counter()  # capitalised inside a sentence
        self.initial_proper: Counter[str] = Counter()  # tagged a proper noun at a sentence start
        self.capitals: Counter[str] = Counter()
        self.lower: Counter[str] = Counter()
        self.initial_paragraphs: dict[str, set[int]] = defaultdict(set)  # paragraphs it opens sentences in
        paragraph = 0
        for token in tokens:
            text = token.text
            if "\n" in token.whitespace_ or (token.is_space and "\n" in text):
                paragraph += 1
            if not text[:1].isalpha():
                continue
            if text[0].islower():
                self.lower[token.lower_] += 1
                continue
            self.capitals[token.lower_] += 1
            if not self.opens[token.i]:
                self.mid_capitals[text] += 1
            elif token.pos_ == "PROPN" or token.ent_type_ in PERSON_LABELS:
                if positions.quote(token.idx) is not None:
                    continue  # "Hallo!", "Bother!" open many lines of dialogue, tagged PROPN
                self.initial_proper[text] += 1
                self.initial_paragraphs[text].add(paragraph)

    def _name_tagged_adverb(self, token: Token) -> bool:
        """ "Cecily", "Emily", "Molly": a name the tagger took for an adverb by its -ly. A word the story
        capitalises inside sentences and never writes in lower case is no adverb."""
        return token.pos_ == "ADV" and self.mid_capitals[token.text] > 0 and not self.lower[token.lower_]

    def is_common(self, token: Token) -> bool:
        """A capitalised word this story mostly writes in lower case ("Says", "Her"): not a name word."""
        return token.text[:1].isupper() and self.lower[token.lower_] >= self.capitals[token.lower_]

    def is_name_word(self, token: Token, vocab: Vocabulary) -> bool:
        """A capitalised word is a name word unless it only ever opens sentences ("Fear gripped")."""
        if token.pos_ in FUNCTION_POS and not self._name_tagged_adverb(token):
            return False
        if token.lower_ in vocab.thing_determiners:
            return False
        if not self.opens[token.i]:
            return True
        if (
            self.lower[token.lower_] * 2 >= self.capitals[token.lower_]
        ):  # "Then", "Fear", "Metal": common here
            return False
        word = fold(token.text)
        if word in vocab.person_titles or word in vocab.canon_words or word in vocab.given_names:
            return True
        if self.mid_capitals[token.text]:
            return True
        # "Armor was loud. Armor reacted.": a word repeated at the starts of the sentences of one
        # paragraph is a topic, not a name; a name seen only at sentence starts recurs across paragraphs.
        return (
            self.initial_proper[token.text] >= MIN_INITIAL_PROPER
            and len(self.initial_paragraphs[token.text]) >= MIN_INITIAL_PARAGRAPHS
        )


def _runs(doc: Doc, tokens: list[Token], vocab: Vocabulary) -> list[Span]:
    """Maximal runs of capitalised words, joined across "-kun" style hyphens and "Mr." titles."""
    runs = []
    i, n = 0, len(tokens)
    while i < n:
        if not (
            _capitalised(tokens[i]) and (tokens[i].is_alpha or fold(tokens[i].text) in vocab.person_titles)
        ):
            i += 1
            continue
        j = i + 1
        while j < n:
            token = tokens[j]
            joined = not tokens[j - 1].whitespace_
            previous = tokens[j - 1]
            broken = "\n" in previous.whitespace_ and fold(previous.text) not in vocab.person_titles
            if broken or token.text == "I" or token.ent_type_ in TIME_LABELS:
                break  # a line break, "Mr. Fielding I", "Sunday Anne": the name ended
            if _capitalised(token) and token.is_alpha and (previous.is_alpha or previous.text.endswith(".")):
                j += 1
            elif (
                token.text in "-‐"
                and joined
                and not token.whitespace_
                and j + 1 < n
                and tokens[j + 1].is_alpha
            ):
                following = tokens[j + 1]
                if _capitalised(following) or fold(following.text) in vocab.honorifics:
                    j += 2
                else:
                    break
            else:
                break
        runs.append(doc[i:j])
        i = j
    return runs


def _trimmed(run: Span, scan: _Scan, vocab: Vocabulary, non_characters: frozenset[str]) -> Span:
    """The name inside a run: without leading words that are no name words here ("Then", "Starry",
    "Chidori"), and cut before a common word (a title-case heading: "Anne Says Her Prayers")."""
    while len(run) and (
        not scan.is_name_word(run[0], vocab)
        or (scan.is_common(run[0]) and not _is_title(run[0], vocab))  # "Starry Night"
        or (fold(run[0].text) in non_characters and not (len(run) > 1 and _is_title(run[0], vocab)))
    ):
        run = run[1:]
    titles = vocab.person_titles
    common = next(
        (
            t.i
            for t in run[1:]
            # the word after "Mrs." is a surname however common it is elsewhere ("Mrs. Long", "Mr. White")
            if (scan.is_common(t) and fold(t.text) not in titles and fold(t.nbor(-1).text) not in titles)
            # a title after a name starts the next name ("Miss Woodhouse Miss Taylor" on a parse's run)
            or (fold(t.text) in titles and fold(t.nbor(-1).text) not in titles)
        ),
        None,
    )
    return run.doc[run.start : common] if common is not None else run


def _is_thing(run: Span, vocab: Vocabulary) -> bool:
    """ "the Leaf", "his Sharingan": a capitalised word after a determiner is a thing, not a person ("so
    long that Ivo thought": a "that" opening a clause is no determiner)."""
    if run.start == 0:
        return False
    before = run.doc[run.start - 1]
    return before.lower_ in vocab.thing_determiners and before.dep_ != "mark"


def _canon_epithet(run: Span, canon_keys: set[str]) -> Span:
    """ "Symbol" + "of Peace": a run continued over "of" / "no" when the whole is a pack alias."""
    doc, end = run.doc, run.end
    if end + 1 >= len(doc) or doc[end].lower_ not in CONNECTORS or not _capitalised(doc[end + 1]):
        return run
    end += 2
    while end < len(doc) and _capitalised(doc[end]) and doc[end].is_alpha:
        end += 1
    longer = doc[run.start : end]
    return longer if normalise_name(longer.text) in canon_keys else run


def _vocative(run: Span) -> bool:
    """Set off by a comma as the one spoken to: "Wait, Naruto!", "Naruto, wait." A word that is a
    whole exclamation ("Hush!", "Bother!") may be a call or an interjection: no evidence either way."""
    doc = run.doc
    before = doc[run.start - 1].text if run.start else ""
    after = doc[run.end].text if run.end < len(doc) else ""
    if before == ",":
        return after[:1] in (",", "!", "?", ".", "…", '"', "”")
    return (before == "" or before[-1:] in OPENERS) and after == ","


def _personhood(run: Span, vocab: Vocabulary, positions: Positions) -> float:
    """Evidence that this occurrence names a person (> 0) rather than a place or thing (< 0)."""
    score = 0.0
    labels = {t.ent_type_ for t in run if t.ent_type_}
    if labels & PERSON_LABELS:
        score += 1
    elif labels & THING_LABELS:
        score -= 1
    root = run.root
    quoted = positions.quote(run.start_char) is not None
    if positions.quote(root.head.idx) != positions.quote(run.start_char):
        return score  # '"Hush!" said Pooh': the parser hangs the quote's word on the tag's verb
    subject = root if root.dep_ != "conj" else root.head  # "Ardan and Mirel ran"
    if subject.dep_ in ("nsubj", "nsubjpass") and subject.head.pos_ in ("VERB", "AUX"):
        score += 1.5  # acting is the strongest sign of a person
    if quoted and _vocative(run):
        score += 1
    if run.start and run.doc[run.start - 1].lower_ in vocab.place_prepositions and not _looked_at(run, vocab):
        score -= 1.5
    if root.head.lemma_ in vocab.speech_verbs:
        score += 1
    if root.dep_ == "dobj" and root.head.lemma_ in vocab.person_objects and root.tag_ != "NNPS":
        score += 1  # "save Hotaru", "thanked Wren" (not "met Germans")
    score += _introduction(run, vocab)
    return score


def _looked_at(run: Span, vocab: Vocabulary) -> bool:
    """ "looked at Cecily", "smiled at Wren": "at" after a verb of looking or calling is no place."""
    preposition = run.doc[run.start - 1]
    return preposition.lower_ == "at" and preposition.head.lemma_ in vocab.at_person


def _introduction(run: Span, vocab: Vocabulary) -> float:
    """A name being given: to a person (> 0) when the run follows "name is/was", "named", "called", "meet"
    or "this is" ("Harry, this is Nell", "a girl named Sora") or is what "I'm" says I am ("Hi. I'm
    Emi."); to a thing (< 0) when a noun for no person or animal is "called" or "named" it ("My quirk's
    called Lodestone", "a village called Thornby")."""
    words = [t.lower_ for t in run.doc[max(run.start - 2, 0) : run.start]]
    if words[-1:] in (["named"], ["called"]):
        return -INTRODUCTION if _names_a_thing(run.doc[run.start - 1], vocab) else INTRODUCTION
    person = words[-1:] == ["meet"] or words in INTRODUCTIONS or introduces_self(run.root)
    return INTRODUCTION if person else 0.0


def _names_a_thing(verb: Token, vocab: Vocabulary) -> bool:
    """ "a village called", "my quirk's called": the noun the verb names is no person or animal word."""
    named = verb.head if verb.dep_ == "acl" else next(
        (c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    return named is not None and named.pos_ == "NOUN" and named.lemma_.lower() not in vocab.noun_gender


def _speaking_words(tokens: list[Token], vocab: Vocabulary, positions: Positions) -> Counter[str]:
    """How often the narration makes each proper noun a speech verb's subject: "said Sunday" twice, and a
    word the lists call no name is a person in this story; "said the Marquis" once, and "the Marquis" is
    a title, not a thing."""
    return Counter(_folded(t) for t in tokens
                   if t.pos_ == "PROPN" and t.head.lemma_ in vocab.speech_verbs and _speaks(t)
                   and positions.quote(t.idx) is None)


def _speaks(token: Token) -> bool:
    """The token is its verb's subject, or the parser took it for a time ("said Wednesday") where the verb
    has no subject of its own."""
    verb = token.head
    return token.dep_ == "nsubj" or (
        token.dep_ == "npadvmod" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children))


def _names(
    doc: Doc, tokens: list[Token], vocab: Vocabulary, positions: Positions, taken: set[int]
) -> list[Mention]:
    scan = _Scan(tokens, positions)
    found: list[tuple[Span, str, str]] = []  # run, key, kind
    evidence: dict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()
    mixed_case: set[str] = set()  # keys seen written normally, so "MATTHEW!" counts but "CHAPTER II" not
    narrated: set[str] = set()  # keys seen outside the quotations
    titled: set[str] = set()  # one-word keys written after a title: "Quested" of "Miss Quested"
    canon_keys = {k for c in vocab.canon for k in c.keys}
    speaking = _speaking_words(tokens, vocab, positions)
    non_characters = vocab.non_characters - {w for w, uses in speaking.items() if uses >= MIN_SPEAKING_USES}
    runs = _runs(doc, tokens, vocab)
    for run in runs:
        whole = normalise_name(run.text)
        if whole in non_characters:  # "Ground Beta opened" is a place before "Ground" is trimmed
            continue
        if whole not in canon_keys:  # a pack alias is taken whole: "The Boy Who Lived"
            run = _trimmed(run, scan, vocab, non_characters)
        if not len(run) or any(t.i in taken for t in run):
            continue
        run = _canon_epithet(run, canon_keys)
        parts = split_name(run.text, vocab.person_titles, vocab.honorifics)
        if _is_thing(run, vocab) and parts.key not in canon_keys:  # but "the Boy Who Lived" is Harry
            if parts.words and not parts.titles and not speaking[parts.key]:
                evidence[parts.key] -= 1  # "The Marigold is a narrowboat": the story writes it as a thing
            continue
        words = set(parts.words) | set(parts.titles)
        if not parts.words or parts.key in non_characters:
            continue
        if words <= vocab.role_titles | set(vocab.person_titles) | vocab.honorifics:
            if words <= vocab.role_titles | vocab.honorifics:  # "Hokage-sama", "Colonel"; never a bare "Mrs."
                found.append((run, parts.key, "title"))
            continue
        if len(run) > 1 and parts.key not in canon_keys and all(fold(t.text) in canon_keys for t in run):
            runs.extend(run[i : i + 1] for i in range(len(run)))  # "told Sasuke Kakashi was": two names
            continue
        found.append((run, parts.key, "name"))
        counts[parts.key] += 1
        if not run.text.isupper():
            mixed_case.add(parts.key)
        # a title or an honorific is a person's: "Mr. Ormsby Hale", "Aizawa-sensei"
        evidence[parts.key] += _personhood(run, vocab, positions) + bool(parts.titles or parts.honorifics)
        if positions.quote(run.start_char) is None:
            narrated.add(parts.key)
        if parts.titles and len(parts.words) == 1:
            titled.add(parts.key)

    def person(key: str) -> bool:
        """A name the pack knows, or one the story treats as a person: positive evidence, or no
        evidence against it over several uses, one of them in the narration ("Hush!" and "Bother!"
        open lines of dialogue nine times and are never narrated)."""
        if key in canon_keys:
            return True
        return key in mixed_case and (
            evidence[key] > 0 or (evidence[key] == 0 and counts[key] >= MIN_PLAIN_USES and key in narrated)
        )

    def joins_known_names(key: str) -> bool:
        """ "Adela Quested", written once, where "Adela" and "Miss Quested" are people: the name that
        links the two."""
        words = key.split()
        return len(words) == 2 and words[1] in titled and person(words[0]) and person(words[1])

    return [
        Mention(start=run.start_char, end=run.end_char, text=run.text, kind=kind)  # type: ignore[arg-type]
        for run, key, kind in found
        if kind == "title" or person(key) or joins_known_names(key)
    ]


def _plural(head: Token, vocab: Vocabulary) -> bool:
    """ "the guards", "the Sound shinobi were": a group, not one character."""
    if head.tag_ in ("NNS", "NNPS"):
        return True
    following = head.doc[head.i + 1] if head.i + 1 < len(head.doc) else None
    return following is not None and following.lower_ in vocab.plural_verbs


def _kind(head: Token, vocab: Vocabulary) -> str | None:
    word = _folded(head)
    if word == "year" and head.i >= 2 and head.doc[head.i - 1].text in HYPHENS:
        # "the first-year": a pupil of that year (the tokenizer splits the compound at the hyphen)
        school_year = head.doc[head.i - 2].lower_ in words_of("people", "nouns", "school_years")
        return "epithet" if school_year else None
    if word in vocab.role_titles or fold(head.lemma_) in vocab.role_titles:
        return "title"
    if word in vocab.noun_gender or word in vocab.epithet_colour:
        return "epithet"
    if head.pos_ == "PROPN" and word in vocab.canon_clans:
        return "epithet"
    return None


def _description(head: Token, vocab: Vocabulary) -> tuple[Span, str] | None:
    """("the older Uchiha", "epithet") when `head` ends a description of one person.

    Read from the words, not the parse (the small model misparses "A certain blonde woke"): a
    determiner or possessive pronoun, up to four modifiers, and a head noun the vocabulary knows.
    """
    kind = _kind(head, vocab)
    doc = head.doc
    if kind is None or _plural(head, vocab):
        return None
    following = doc[head.i + 1] if head.i + 1 < len(doc) else None
    if following is not None and (
        fold(following.text) in vocab.noun_gender
        or (following.text in HYPHENS and not head.whitespace_)
        or (following.pos_ in ("NOUN", "PROPN") and head.dep_ == "compound")
    ):
        return None  # "the blonde boy", "the dog-demon", "the guard house": the head comes later
    start, modifiers = None, []
    for j in range(head.i - 1, max(head.i - 1 - MAX_MODIFIERS, -1), -1):
        token = doc[j]
        if token.lower_ in vocab.determiners or token.tag_ == "PRP$":
            start = j
            break
        if token.pos_ not in MODIFIER_POS and token.text not in HYPHENS:
            break
        modifiers.append(token)
    if start is None or (head.pos_ == "PROPN" and kind == "epithet" and doc[start].tag_ == "PRP$"):
        return None
    if fold(head.text) in vocab.vague and not modifiers:
        return None
    return doc[start : head.i + 1], kind


def _descriptions(tokens: list[Token], vocab: Vocabulary) -> list[Mention]:
    mentions = []
    for token in tokens:
        if token.pos_ in ("NOUN", "PROPN", "ADJ"):
            found = _description(token, vocab)
            if found:
                span, kind = found
                mentions.append(Mention(start=span.start_char, end=span.end_char, text=span.text, kind=kind))  # type: ignore[arg-type]
    return mentions


def _partitive_span(token: Token, vocab: Vocabulary) -> Span | None:
    """ "One of them grinned", "another one asked", "Another stumbled", "the other one took": a member
    of a group acting, who becomes a character of their own (unnamed) when they speak or act again."""
    doc, word = token.doc, token.lower_
    if token.dep_ not in ("nsubj", "nsubjpass"):
        return None
    following = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if word == vocab.partitive_one and following is not None and following.lower_ == "of":
        group = [c for c in following.children if c.dep_ == "pobj"]
        if group and (
            _folded(group[0]) in vocab.partitive_groups
            or (group[0].tag_ in ("NNS", "NNPS") and fold(group[0].lemma_) in vocab.noun_gender)
        ):
            return doc[token.i : group[0].i + 1]
        return None
    if word in vocab.partitive_others and not (token.i and doc[token.i - 1].lower_ == "the"):
        if following is not None and following.lower_ == vocab.partitive_one:
            return None  # "another one" is read from "one" below
        return doc[token.i : token.i + 1]
    if word == vocab.partitive_one and token.i and doc[token.i - 1].lower_ in vocab.partitive_others:
        start = token.i - 2 if token.i > 1 and doc[token.i - 2].lower_ == "the" else token.i - 1
        return doc[start : token.i + 1]
    return None


def _partitives(tokens: list[Token], vocab: Vocabulary) -> list[Mention]:
    found = []
    for token in tokens:
        if token.lower_ == vocab.partitive_one or token.lower_ in vocab.partitive_others:
            span = _partitive_span(token, vocab)
            if span is not None:
                found.append(
                    Mention(start=span.start_char, end=span.end_char, text=span.text, kind="epithet")
                )
    return found


def _first_person_story(tokens: list[Token], vocab: Vocabulary, positions: Positions) -> bool:
    """Told by an "I": a third of the narration's pronouns are first person, or a tenth and the narration
    tags lines "I said" (a narrator among a crowd of boys: "he" outnumbers "I")."""
    counts: Counter[bool] = Counter()
    tags = 0
    for token in tokens:
        word = token.lower_
        if (word in vocab.first_person or word in vocab.pronoun_gender) and positions.quote(
            token.idx
        ) is None:
            if word in vocab.first_person:
                counts[True] += 1
                tags += word == "i" and token.dep_ == "nsubj" and token.head.lemma_ in vocab.speech_verbs
            elif word in vocab.pronoun_gender:
                counts[False] += 1
    total = sum(counts.values())
    share = counts[True] / total if total else 0.0
    tagged = share >= TAGGED_FIRST_PERSON_SHARE and tags >= MIN_FIRST_PERSON_TAGS
    return share >= FIRST_PERSON_SHARE or tagged


def _pronouns(tokens: list[Token], vocab: Vocabulary, positions: Positions) -> list[Mention]:
    first_person = _first_person_story(tokens, vocab, positions)
    mentions = []
    for token in tokens:
        word = token.lower_
        if word not in vocab.pronoun_gender and word not in vocab.first_person:
            continue
        if token.pos_ not in ("PRON", "DET") and token.tag_ != "PRP$":
            continue
        quoted = positions.quote(token.idx) is not None
        if word in vocab.pronoun_gender or (first_person and word in vocab.first_person and not quoted):
            mentions.append(
                Mention(start=token.idx, end=token.idx + len(token), text=token.text, kind="pronoun")
            )
    return mentions


def _reader(story: Story, tokens: list[Token], vocab: Vocabulary, positions: Positions) -> list[Mention]:
    """The Reader of reader-insert fan fiction: every Y/N-style placeholder (in lines too: "Y/N! Are you
    awake?"), and you/your/yourself in the narration of a story told in the second person, in each of its
    sections (between scene breaks and chapter starts) that is too, as "I" is the narrator in the first
    person. A "you" of a letter, a poem or a narrator's aside to a listener in a novel told in the first or
    third person is nobody."""
    text = story.text
    mentions = [
        Mention(start=m.start(), end=m.end(), text=m.group(), kind="name")
        for m in READER_PLACEHOLDER.finditer(text)
    ]

    def inside(at: int) -> bool:
        return positions.quote(at) is not None

    if narration_person(text, 0, len(text), inside) != "second":
        return mentions
    starts = sorted({0, *(b.end for b in story.breaks or []), *(c.start for c in story.chapters[1:])})
    ends = [*starts[1:], len(text)]
    second = [i for i, (start, end) in enumerate(zip(starts, ends, strict=True))
              if narration_person(text, start, end, inside) == "second"]
    found: dict[int, list[Mention]] = defaultdict(list)  # section -> its narration's you, your, yourself
    for token in tokens:
        if token.lower_ in vocab.second_person and not inside(token.idx):
            section = bisect_right(starts, token.idx) - 1
            found[section].append(Mention(start=token.idx, end=token.idx + len(token), text=token.text,
                                          kind="pronoun"))
    for section in second:
        if len(found[section]) >= MIN_SECOND_PERSON:
            mentions.extend(found[section])
    return mentions


def _outermost(mentions: list[Mention]) -> list[Mention]:
    """Drop a description inside a longer one ("the younger" in "the younger Uchiha")."""
    kept: list[Mention] = []
    for mention in sorted(mentions, key=lambda m: (m.start, -m.end)):
        if kept and mention.start < kept[-1].end:
            continue
        kept.append(mention)
    return kept


def find_mentions(story: Story) -> list[Mention]:
    """Every mention that may refer to a character, in text order."""
    assert story.doc is not None
    doc = story.doc
    vocab = vocabulary(story.fandom)
    positions = Positions(story.paragraphs or [], story.quotes or [])
    tokens = list(doc)  # one Token object per token, reused by every pass below
    descriptions = _outermost(_partitives(tokens, vocab) + _descriptions(tokens, vocab))
    reader = _reader(story, tokens, vocab, positions)
    described = descriptions + [m for m in reader if m.kind == "name"]  # no name runs over "Y/N"
    taken = {t.i for m in described for t in doc.char_span(m.start, m.end, alignment_mode="expand") or ()}
    names = _names(doc, tokens, vocab, positions, taken)
    mentions = [*descriptions, *names, *_pronouns(tokens, vocab, positions), *reader]
    return sorted(mentions, key=lambda m: (m.start, m.end))


def _compute(story: Story) -> dict:
    return {"mentions": find_mentions(story)}


STAGE = Stage(
    "mentions", requires=("doc", "quotes", "fandom", "breaks"), assigns=("mentions",), compute=_compute
)
