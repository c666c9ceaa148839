"""Score the cast against annotated novels.

- PDNC: the share of gold characters with at least MIN_QUOTES quotations that exactly one
  predicted character maps to, a predicted character mapping to the gold character its name (or,
  failing that, its next most used name) is a gold name or alias of; and the number of predicted
  named characters that map to no gold character.
- LitBank: B3 of person chains over the gold person mentions; a predicted mention is aligned to a
  gold mention when the spans end at the same offset and overlap (heads end English noun
  phrases); gold mentions with no predicted mention count as singletons.
- Seeds (or any folder of .txt): the cast with aliases, for reading.

    python -m storyworld.evaluate.cast --limit 3
    python -m storyworld.evaluate.cast --pdnc ../shared/corpora/pdnc/pdnc-dev.jsonl --litbank none
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from storyworld.evaluate.gold import jsonl_records
from storyworld.fandoms import normalise_name
from storyworld.ingest import from_string
from storyworld.model import Character, Story
from storyworld.pipeline import run
from storyworld.stages import cast, fandom, mentions, quotes, segment

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
MIN_QUOTES = 5
STAGES = (segment.STAGE, quotes.STAGE, fandom.STAGE, mentions.STAGE, cast.STAGE)


def analyse(text: str) -> Story:
    """The story through the cast stage (nothing after it)."""
    return run(from_string(text), STAGES)


def _forms(character: Character) -> list[str]:
    """The names a predicted character goes by, its own name first, then by frequency (normalised)."""
    called = Counter(m.text for m in character.mentions if m.kind in ("name", "title"))
    forms = [character.name, *(text for text, _ in called.most_common())]
    return [f for f in dict.fromkeys(normalise_name(f) for f in forms) if f]


def _gold_owner(character: Character, owners: dict[str, set[str]]) -> str | None:
    """The gold character a predicted one stands for: the first of its names that exactly one gold
    character answers to ("Cuthbert", shared by a brother and sister, decides nothing)."""
    for form in _forms(character):
        found = owners.get(form, set())
        if len(found) == 1:
            return next(iter(found))
    return None


@dataclass
class CastScore:
    main: int = 0  # gold characters with >= MIN_QUOTES quotations
    one_to_one: int = 0  # of those, mapped to exactly one predicted character
    predicted: int = 0  # predicted named characters
    unmapped: int = 0  # of those, mapped to no gold character

    @property
    def share(self) -> float:
        return self.one_to_one / self.main if self.main else 0.0

    def __add__(self, other: CastScore) -> CastScore:
        return CastScore(
            self.main + other.main,
            self.one_to_one + other.one_to_one,
            self.predicted + other.predicted,
            self.unmapped + other.unmapped,
        )


def score_pdnc(record: dict, characters: list[Character], named_only: bool = True
               ) -> tuple[CastScore, list[str]]:
    """The PDNC score of one novel, and the main gold characters not mapped one-to-one.

    Each predicted named character (with `named_only` off, every predicted character: PDNC lists
    unnamed speakers such as "The Policeman" too) maps to the gold character its name picks out (see
    `_gold_owner`); a main gold character scores when exactly one predicted character maps to it.
    """
    groups = {(q["speaker"], q["group"]) for q in record["quotes"] if q.get("speaker")}
    quoted = Counter(speaker for speaker, _ in groups)
    owners: dict[str, set[str]] = defaultdict(set)
    for gold in record["characters"]:
        for name in (gold["name"], *gold.get("aliases", [])):
            if normalise_name(name):
                owners[normalise_name(name)].add(gold["id"])
    predicted = [c for c in characters if c.named or not named_only]
    mapped: dict[str, list[str]] = defaultdict(list)
    score, missed = CastScore(predicted=len(predicted)), []
    for character in predicted:
        owner = _gold_owner(character, owners)
        if owner is None:
            score.unmapped += 1
        else:
            mapped[owner].append(character.name)
    for gold in record["characters"]:
        if quoted[gold["id"]] < MIN_QUOTES or gold["name"].startswith("_"):  # "_group", "_unknowable"
            continue
        score.main += 1
        if len(mapped[gold["id"]]) == 1:
            score.one_to_one += 1
        else:
            missed.append(f"{gold['name']} -> {mapped[gold['id']]}")
    return score, missed


def b_cubed(gold: dict[tuple[int, int], str], predicted: dict[tuple[int, int], str]) -> tuple[float, float]:
    """B3 precision and recall over the gold mentions; `predicted` is aligned to gold spans already."""
    gold_chains: dict[str, set] = defaultdict(set)
    predicted_chains: dict[str, set] = defaultdict(set)
    for span, chain in gold.items():
        gold_chains[chain].add(span)
        predicted_chains[predicted.get(span, f"single:{span}")].add(span)
    precision = recall = 0.0
    for span, chain in gold.items():
        g = gold_chains[chain]
        p = predicted_chains[predicted.get(span, f"single:{span}")]
        overlap = len(g & p)
        precision += overlap / len(p)
        recall += overlap / len(g)
    n = len(gold) or 1
    return precision / n, recall / n


def score_litbank(record: dict, characters: list[Character]) -> tuple[float, float, int]:
    """B3 precision, recall and the gold mention count of one excerpt (person chains only)."""
    gold = {
        (m["start"], m["end"]): m["entities"][0]
        for m in record["mentions"]
        if m.get("entities") and m.get("ner", "PER") == "PER"
    }
    by_end: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for span in gold:
        by_end[span[1]].append(span)
    aligned: dict[tuple[int, int], str] = {}
    for character in characters:
        for mention in character.mentions:
            for span in by_end.get(mention.end, ()):
                if span[0] < mention.end and mention.start < span[1]:
                    aligned.setdefault(span, character.id)
    precision, recall = b_cubed(gold, aligned)
    return precision, recall, len(gold)


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _cast_lines(characters: list[Character]) -> Iterator[str]:
    for c in characters:
        flags = " ".join(f for f, on in (("original", c.original), ("unnamed", not c.named)) if on)
        yield f"  {c.id} {c.name} [{c.gender}] {flags} {len(c.mentions)} mentions; aliases: {c.aliases}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m storyworld.evaluate.cast", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--pdnc", default=str(SHARED / "corpora/pdnc/pdnc-dev.jsonl"), help="JSONL or 'none'")
    parser.add_argument(
        "--litbank", default=str(SHARED / "corpora/litbank/litbank-dev.jsonl"), help="or 'none'"
    )
    parser.add_argument("--seeds", default=str(SHARED / "seeds"), help="folder of .txt stories, or 'none'")
    parser.add_argument("--limit", type=int, default=None, help="only the first N documents of each corpus")
    parser.add_argument("--verbose", action="store_true", help="list misses and each seed's cast")
    args = parser.parse_args(argv)
    out = sys.stdout
    if args.pdnc != "none":
        total, total_all = CastScore(), CastScore()
        for record in jsonl_records(Path(args.pdnc), args.limit):
            began = time.perf_counter()
            story = analyse(record["text"])
            score, missed = score_pdnc(record, story.characters or [])
            total += score
            total_all += score_pdnc(record, story.characters or [], named_only=False)[0]
            title = record.get("meta", {}).get("title", record["id"])
            print(
                f"pdnc {title[:32]:32} main {score.one_to_one}/{score.main}  unmapped {score.unmapped}/"
                f"{score.predicted}  {time.perf_counter() - began:.1f}s",
                file=out,
            )
            for miss in missed if args.verbose else ():
                print(f"    missed: {miss}", file=out)
        print(
            f"PDNC main characters one-to-one: {total.one_to_one}/{total.main} = {total.share:.3f}; "
            f"predicted named characters mapping to none: {total.unmapped}/{total.predicted}",
            file=out,
        )
        print(
            f"  with unnamed characters too: one-to-one {total_all.one_to_one}/{total_all.main} = "
            f"{total_all.share:.3f}; predicted characters mapping to none: {total_all.unmapped}/"
            f"{total_all.predicted}",
            file=out,
        )
    if args.litbank != "none":
        weighted_p = weighted_r = 0.0
        count = documents = 0
        for record in jsonl_records(Path(args.litbank), args.limit):
            story = analyse(record["text"])
            precision, recall, n = score_litbank(record, story.characters or [])
            weighted_p, weighted_r, count, documents = (
                weighted_p + precision * n,
                weighted_r + recall * n,
                count + n,
                documents + 1,
            )
        p, r = (weighted_p / count, weighted_r / count) if count else (0.0, 0.0)
        print(
            f"LitBank person B3 over {documents} excerpts: P {p:.3f} R {r:.3f} F1 {_f1(p, r):.3f}", file=out
        )
    if args.seeds != "none":
        for path in sorted(Path(args.seeds).glob("*.txt")):
            story = analyse(path.read_text(encoding="utf-8"))
            characters = story.characters or []
            print(f"seed {path.name}: fandom {story.fandom}, {len(characters)} characters", file=out)
            for line in _cast_lines(characters) if args.verbose else ():
                print(line, file=out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
