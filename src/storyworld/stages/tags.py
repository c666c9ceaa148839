"""Tags: AO3-style suggestions (characters, relationships, additional/AU, warnings, rating, category),
each with the evidence behind it, and their agreement with the author's own tags when present.

Names follow the fandom pack's canonical form; relationship tags put names in alphabetical order as
AO3's canonical tags do ("Haruno Sakura/Uchiha Sasuke"). Thresholds are per story and stated here.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from spacy.tokens import Doc, Token

from storyworld.cast.features import READER
from storyworld.lexicon import lexicon
from storyworld.model import Character, Relationship, Story, Tags, TagSuggestion
from storyworld.pipeline import Stage
from storyworld.spans import MentionIndex, quote_test, token_characters

# A character is tagged when the story gives it this many mentions or any line of dialogue.
MIN_MENTIONS = 3
# A relationship is tagged once it has this much evidence.
MIN_ROMANTIC_WEIGHT = 2.0
MIN_PLATONIC_WEIGHT = 3.0
PLATONIC = ("friendship", "family", "mentor", "rivalry")
MAIN_CHARACTERS = 5
MODAL = frozenset({"would", "could", "might", "will", "may", "should", "must", "can", "shall"})
NO_WARNINGS = "No Archive Warnings Apply"
OC_TAGS = {"female": "Original Female Character(s)", "male": "Original Male Character(s)"}


@cache
def _phrases(*path: str) -> re.Pattern[str]:
    entry = lexicon("tags")
    for key in path:
        entry = entry[key]
    alternation = "|".join(map(re.escape, sorted(entry, key=len, reverse=True)))
    return re.compile(rf"\b(?:{alternation})\b", re.IGNORECASE)


def _first(matches: list[re.Match[str]], limit: int = 5) -> list[tuple[int, int]]:
    return [m.span() for m in matches[:limit]]


def _display(character: Character) -> str:
    return character.canonical or character.name


def _reader_last(name: str) -> tuple[bool, str]:
    """AO3 writes the Reader last whatever the partner's name: "Todoroki Shouto/Reader"."""
    return name == READER, name


def _spoken(story: Story) -> Counter[str]:
    return Counter(a.speaker for a in story.attributions or [] if a.speaker)


def _character_tags(story: Story, spoken: Counter[str]) -> list[TagSuggestion]:
    tags: dict[str, list[tuple[int, int]]] = {}
    for character in story.characters or []:
        if not character.named or (len(character.mentions) < MIN_MENTIONS and not spoken[character.id]):
            continue
        first = [(m.start, m.end) for m in character.mentions[:1]]
        if character.original:
            for tag in ("Original Character(s)", OC_TAGS.get(character.gender)):
                if tag:
                    tags.setdefault(tag, []).extend(first)
        else:
            tags.setdefault(_display(character), []).extend(first)
    return [TagSuggestion(tag=tag, evidence=spans[:5]) for tag, spans in tags.items()]


def _relationship_tags(story: Story) -> tuple[list[TagSuggestion], list[Relationship]]:
    """("A/B" and "A & B" suggestions, the romantic relationships behind the slashes)."""
    by_id = {c.id: c for c in story.characters or []}
    romantic_pairs = {
        tuple(r.characters)
        for r in story.relationships or []
        if r.kind == "romantic" and r.weight >= MIN_ROMANTIC_WEIGHT
    }
    tags: dict[str, list[tuple[int, int]]] = {}
    romances = []
    for relationship in story.relationships or []:
        pair = tuple(relationship.characters)
        people = [by_id.get(c) for c in pair]
        if None in people or not all(p.named for p in people):
            continue
        names = sorted((_display(p) for p in people), key=_reader_last)
        if relationship.kind == "romantic" and pair in romantic_pairs:
            tags.setdefault("/".join(names), []).extend(relationship.evidence)
            romances.append(relationship)
        elif (
            relationship.kind in PLATONIC
            and relationship.weight >= MIN_PLATONIC_WEIGHT
            and pair not in romantic_pairs
        ):
            tags.setdefault(" & ".join(names), []).extend(relationship.evidence)
    return [TagSuggestion(tag=t, evidence=e[:5]) for t, e in tags.items()], romances


def _pack_setting(story: Story) -> str | None:
    """The canon's own era ("modern" or not), from the fandom pack when one applies."""
    if story.fandom is None:
        return None
    from storyworld.fandoms import load_packs

    pack = load_packs().get(story.fandom)
    return (pack.pack.setting or None) if pack else None


def _additional_tags(story: Story) -> list[TagSuggestion]:
    setting = _pack_setting(story)
    if setting is None or setting == "modern":
        return []
    found = []
    for name, entry in lexicon("tags")["au"].items():
        matches = list(_phrases("au", name, "phrases").finditer(story.text))
        if len({m.group().lower() for m in matches}) >= entry["min_distinct"]:
            found.append(TagSuggestion(tag=entry["tag"], evidence=_first(matches)))
    return found


def _asserted(verb: Token) -> bool:
    """False for a death that is denied, only possible, or only intended ("wasn't trying to kill
    him", "would die", "wanted to kill"): a negation or modal on the verb or any verb it hangs on,
    or an infinitival complement (xcomp), which reports an intention, not an event."""
    token = verb
    while True:
        if token.dep_ == "xcomp" or any(c.dep_ == "neg" or c.lower_ in MODAL for c in token.children):
            return False
        if token.head is token or token.dep_ not in ("conj", "advcl", "ccomp", "acomp", "xcomp"):
            return True
        token = token.head


def _deaths(doc: Doc, story: Story, inside_quote) -> list[tuple[int, int]]:
    """Sentences in the narration where one of the main characters dies or is killed."""
    counts = Counter({c.id: len(c.mentions) for c in story.characters or [] if c.named})
    main = {cid for cid, _ in counts.most_common(MAIN_CHARACTERS)}
    owners = token_characters(doc, MentionIndex([c for c in story.characters or [] if c.id in main]))
    death = lexicon("tags")["death"]
    evidence = []
    for token in doc:
        if token.pos_ not in ("VERB", "AUX", "ADJ") or inside_quote(token.idx):
            continue
        children = list(token.children)
        if not _asserted(token):
            continue
        lemma = token.lemma_.lower()
        if lemma in death["dies"] or token.lower_ == "dead":
            victims = [c for c in children if c.dep_ in ("nsubj", "nsubjpass")]
            if token.lower_ == "dead" and token.head.lemma_ == "be":
                victims = [c for c in token.head.children if c.dep_ == "nsubj"]
        elif lemma in death["killed"]:
            victims = [c for c in children if c.dep_ in ("dobj", "nsubjpass")]
        else:
            continue
        if any(v.i in owners for v in victims):
            evidence.append((token.sent.start_char, token.sent.end_char))
    return evidence


def _warnings(story: Story, inside_quote) -> list[TagSuggestion]:
    assert story.doc is not None
    violence = lexicon("tags")["violence"]
    words = max(1, len(story.text.split()))
    gore = list(_phrases("violence", "graphic").finditer(story.text))
    found = []
    if len(gore) >= violence["min_count"] and len(gore) * 1000 / words >= violence["per_thousand_words"]:
        found.append(TagSuggestion(tag="Graphic Depictions Of Violence", evidence=_first(gore)))
    deaths = _deaths(story.doc, story, inside_quote)
    if deaths:
        found.append(TagSuggestion(tag="Major Character Death", evidence=deaths[:5]))
    return found or [TagSuggestion(tag=NO_WARNINGS)]


def _rating(story: Story, warnings: list[TagSuggestion]) -> TagSuggestion:
    sexual = lexicon("tags")["sexual"]
    explicit = list(_phrases("sexual", "explicit").finditer(story.text))
    swearing = list(_phrases("swearing", "words").finditer(story.text))
    violent = any(w.tag != NO_WARNINGS for w in warnings)
    if len(explicit) >= sexual["explicit_min"]:
        return TagSuggestion(tag="Explicit", evidence=_first(explicit))
    if violent or len(explicit) >= sexual["mature_min"]:
        evidence = next((w.evidence for w in warnings if w.evidence), _first(explicit))
        return TagSuggestion(tag="Mature", evidence=evidence)
    if swearing:
        return TagSuggestion(tag="Teen And Up Audiences", evidence=_first(swearing))
    return TagSuggestion(tag="General Audiences")


def _category(story: Story, romances: list[Relationship]) -> list[TagSuggestion]:
    by_id = {c.id: c for c in story.characters or []}
    kinds: dict[str, list[tuple[int, int]]] = {}
    for relationship in romances:
        genders = sorted(by_id[c].gender for c in relationship.characters)
        kind = {("female", "female"): "F/F", ("female", "male"): "F/M", ("male", "male"): "M/M"}.get(
            tuple(genders), "Other"
        )
        kinds.setdefault(kind, []).extend(relationship.evidence[:2])
    if not kinds:
        return [TagSuggestion(tag="Gen")]
    found = [TagSuggestion(tag=k, evidence=e[:5]) for k, e in kinds.items()]
    if len(found) > 1:
        found.append(TagSuggestion(tag="Multi"))
    return found


def _agreement(ours: Tags, story: Story) -> dict:
    """Per tag group: the author's tags, ours, what both have, and their Jaccard overlap."""
    meta = story.metadata
    groups = {
        "characters": (meta.characters, ours.characters),
        "relationships": (meta.relationships, ours.relationships),
        "additional": (meta.additional_tags, ours.additional),
        "warnings": (meta.warnings, ours.warnings),
        "category": (meta.categories, ours.category),
        "rating": ([meta.rating] if meta.rating else [], [ours.rating] if ours.rating else []),
    }
    agreement = {}
    for group, (theirs, suggested) in groups.items():
        if not theirs:
            continue
        mine = {s.tag.casefold() for s in suggested}
        author = {t.casefold() for t in theirs}
        both = mine & author
        agreement[group] = {
            "author": theirs,
            "ours": [s.tag for s in suggested],
            "both": sorted(t for t in theirs if t.casefold() in both),
            "jaccard": round(len(both) / len(mine | author), 3) if mine | author else 1.0,
        }
    return agreement


def suggest_tags(story: Story) -> Tags:
    inside_quote = quote_test([(q.start, q.end) for q in story.quotes or []])
    relationships, romances = _relationship_tags(story)
    warnings = _warnings(story, inside_quote)
    tags = Tags(
        characters=_character_tags(story, _spoken(story)),
        relationships=relationships,
        additional=_additional_tags(story),
        warnings=warnings,
        rating=_rating(story, warnings),
        category=_category(story, romances),
    )
    tags.agreement = _agreement(tags, story)
    return tags


def tags(story: Story) -> dict:
    return {"tags": suggest_tags(story)}


STAGE = Stage(
    "tags",
    requires=("text", "metadata", "fandom", "doc", "quotes", "characters", "attributions", "relationships"),
    assigns=("tags",),
    compute=tags,
)
