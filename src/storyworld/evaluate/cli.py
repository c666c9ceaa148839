"""`storyworld evaluate`: quotation finding and speaker attribution scored on gold corpora."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table

from storyworld.errors import E, StoryworldError


@click.command()
@click.option("--pdnc", "pdnc", type=click.Path(path_type=Path), metavar="DIR",
              help="PDNC in its own layout: DIR/data/<Novel>/ (or DIR/data, or one novel's folder).")
@click.option("--litbank", "litbank", type=click.Path(path_type=Path), metavar="FILE_OR_DIR",
              help="A JSONL export (or a folder of them), one document a line.")
@click.option("--stories", "stories", type=click.Path(path_type=Path), metavar="DIR",
              help="Stories annotated by hand: NAME.txt with NAME.gold.yaml beside it (docs/evaluation.md).")
@click.option("--novel", "novels", multiple=True, metavar="NAME", help="Only this document (repeatable).")
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N documents.")
@click.option("--mode", "modes", type=click.Choice(["end-to-end", "gold-cast"]), multiple=True,
              help="Cast used: our own (end-to-end) or the gold one (gold-cast). Default: both.")
@click.option("--json", "json_out", type=click.Path(path_type=Path), metavar="FILE",
              help="Also write every number as JSON.")
def evaluate(
    pdnc: Path | None, litbank: Path | None, stories: Path | None, novels: tuple[str, ...],
    limit: int | None, modes: tuple[str, ...], json_out: Path | None,
) -> None:
    """Score quotes, speakers and addressees against gold annotation; the gold is never read while predicting.

    Example: storyworld evaluate --pdnc ../shared/corpora/pdnc --novel Emma --json emma-scores.json
    """
    from storyworld.evaluate.gold import load_jsonl, load_pdnc, load_stories
    from storyworld.evaluate.speakers import MODES, evaluate_document, summary

    if sum(source is not None for source in (pdnc, litbank, stories)) != 1:
        raise click.UsageError("give exactly one of --pdnc DIR, --litbank FILE_OR_DIR or --stories DIR")
    if pdnc is not None:
        documents = load_pdnc(pdnc)
    elif stories is not None:
        documents = load_stories(stories)
    else:
        files = sorted(litbank.glob("*.jsonl")) if litbank.is_dir() else [litbank]
        if not files:
            raise StoryworldError(E.E018, path=litbank, reason="no .jsonl files in the folder")
        documents = [d for f in files for d in load_jsonl(f)]
    if novels:
        documents = [d for d in documents if d.id in novels]
        if not documents:
            raise click.UsageError(f"no document named {', '.join(novels)}")
    documents = documents[:limit] if limit else documents
    console = Console()
    scores = []
    for document in documents:
        with console.status(f"{document.id}: {len(document.text.split()):,} words"):
            scores.append(evaluate_document(document, modes or MODES))
        console.print(f"{document.id}: scored in {scores[-1].seconds:.0f} s", highlight=False)
    result = summary(scores)
    print_summary(result, console)
    if json_out is not None:
        from storyworld.outputs.json import write_atomic

        write_atomic(json_out, json.dumps(result, indent=1))
        console.print(f"scores written to {json_out}")


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def print_summary(result: dict[str, Any], console: Console) -> None:
    """Per document and overall: quotes P/R, speaker accuracy by quote type, addressees; calibration."""
    modes = list(result["overall"]["modes"])
    rows = [*result["documents"], {"id": "OVERALL", **result["overall"]}]
    quotes = Table(title="Quotations (speech) against gold pieces")
    for column in ("document", "words", "words/s", "precision %", "recall %"):
        quotes.add_column(column, justify="left" if column == "document" else "right")
    for row in rows:
        quotes.add_row(row["id"], f"{row['words']:,}", f"{row['words'] / max(row['seconds'], 1e-9):,.0f}",
                       _pct(row["quotes"]["precision"]), _pct(row["quotes"]["recall"]),
                       style="bold" if row["id"] == "OVERALL" else None)
    console.print(quotes)
    for mode in modes:
        table = Table(title=f"Speakers, {mode} (accuracy % over gold pieces matched by our quotes)")
        for column in ("document", "matched", "all", "explicit", "anaphoric", "implicit", "addressee"):
            table.add_column(column, justify="left" if column == "document" else "right")
        for row in rows:
            score = row["modes"][mode]
            speaker = score["speaker"]
            accuracies = [speaker[k]["accuracy"] for k in ("all", "explicit", "anaphoric", "implicit")]
            addressee = _pct(score["addressee"]["accuracy"])
            table.add_row(row["id"], str(score["matched"]), *map(_pct, accuracies), addressee,
                          style="bold" if row["id"] == "OVERALL" else None)
        console.print(table)
    for mode in modes:
        score = result["overall"]["modes"][mode]
        calibration = Table(title=f"Calibration, {mode}: confidence bin -> accuracy")
        for column in ("confidence", "accuracy %", "quotes"):
            calibration.add_column(column, justify="right")
        for row in score["calibration"]:
            low, high = row["bin"]
            calibration.add_row(f"{low:.1f}-{high:.1f}", _pct(row["accuracy"]), str(row["n"]))
        console.print(calibration)
        verdict = "ok" if score["confident_ok"] else "NOT MET"
        confident = _pct(score["confident_accuracy"])
        console.print(f"{mode}: accuracy at confidence >= 0.9 is {confident}% ({verdict})")
