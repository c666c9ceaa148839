"""The corpus commands, `index`, `search` and `export`: thin click layers over storyworld.corpus."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.table import Table

db_option = click.option(
    "--db", "db", type=click.Path(path_type=Path), default=Path("corpus.sqlite"), show_default=True,
    help="The corpus database (SQLite).",
)

# rate_noinv_fmt: always stories/s (tqdm's default switches to s/story below one per second).
BAR = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_noinv_fmt}{postfix}]"


@click.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@db_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: the number of CPUs).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="local: a process pool on this machine; dask: a Dask cluster.")
@click.option("--scheduler", metavar="ADDRESS",
              help="With --engine dask: an existing scheduler (tcp://host:8786). "
              "Default: start a LocalCluster on 127.0.0.1 with --jobs workers.")
@click.option("--force", is_flag=True, help="Re-analyse every story, even unchanged ones.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary.")
def index(
    paths: tuple[Path, ...], db: Path, jobs: int | None, engine: str, scheduler: str | None,
    force: bool, quiet: bool,
) -> None:
    """Analyse every story file under PATHS into a corpus database; unchanged files are skipped.

    Each file (.txt, .md, .html, .htm, .epub, at any depth) is one story. Re-running finishes an
    interrupted run; a story that cannot be read is recorded as failed and the run goes on.

    Example: storyworld index fics/ --db corpus.sqlite --jobs 4
    """
    from tqdm import tqdm

    from storyworld.corpus.run import index as run_index

    if scheduler is not None and engine != "dask":
        raise click.UsageError("--scheduler needs --engine dask")

    def progress(total: int) -> tqdm:
        return tqdm(total=total, unit=" stories", dynamic_ncols=True, file=sys.stderr, bar_format=BAR)

    summary = run_index(
        list(paths), db, jobs=jobs, engine=engine, scheduler=scheduler, force=force,  # type: ignore[arg-type]
        progress=None if quiet else progress,
    )
    if quiet:
        return
    console = Console(stderr=True, soft_wrap=True)  # a path or the summary line is never broken mid-word
    rate = summary.words / summary.seconds if summary.seconds else 0.0
    console.print(
        f"{summary.found} stories: [bold]{summary.analysed} analysed[/] ({summary.words:,} words, "
        f"{rate:,.0f} words/s), {summary.skipped} skipped as unchanged, "
        f"[{'red' if summary.failed else 'green'}]{len(summary.failed)} failed[/] in {summary.seconds:.1f} s"
    )
    for path, reason in summary.failed:
        console.print(f"  failed: {path}: {reason}", markup=False, highlight=False)
    console.print(f"database: {db}", markup=False, highlight=False)


@click.command()
@db_option
@click.option("--character", metavar="NAME", help="Stories (and characters) with a character of this name.")
@click.option("--relationship", metavar="'A/B'",
              help="A relationship between two characters: 'A/B' or 'A & B'.")
@click.option("--tag", metavar="TAG", help="A tag (the author's or a suggested one) containing TAG.")
@click.option("--speaker", metavar="NAME", help="Lines this character speaks.")
@click.option("--addressee", metavar="NAME", help="Lines spoken to this character.")
@click.option("--text", metavar="QUERY",
              help='Full-text search of dialogue and narration: words, "a phrase", OR, NOT, pre*.')
@click.option("--limit", type=click.IntRange(min=0), default=100, show_default=True,
              help="At most this many rows (0: all).")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print the rows as CSV.")
def search(
    db: Path, character: str | None, relationship: str | None, tag: str | None, speaker: str | None,
    addressee: str | None, text: str | None, limit: int, as_json: bool, as_csv: bool,
) -> None:
    """Search a corpus database: lines, characters, relationships, tags.

    Example: storyworld search --db corpus.sqlite --speaker Tamsin --addressee Edric
    """
    from storyworld.corpus.search import Query, relationship_pair
    from storyworld.corpus.search import search as run_search
    from storyworld.corpus.store import open_reader

    if relationship is not None:
        try:
            relationship_pair(relationship)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--relationship") from None
    query = Query(character=character, relationship=relationship, tag=tag, speaker=speaker,
                  addressee=addressee, text=text, limit=limit or None)
    conn = open_reader(db)
    try:
        rows = run_search(conn, query)
    finally:
        conn.close()
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=1))
    elif as_csv:
        writer = csv.writer(sys.stdout)
        if rows:
            writer.writerow(rows[0])
            writer.writerows(row.values() for row in rows)
    else:
        _print_table(rows)


def _print_table(rows: list[dict]) -> None:
    console = Console()
    if not rows:
        console.print("no matches")
        return
    # On screen, paths relative to the folder they share: the text column gets the width.
    base = os.path.commonpath([os.path.dirname(row["path"]) for row in rows])
    table = Table(expand=True)
    for column in rows[0]:
        table.add_column(column, overflow="fold", ratio=3 if column == "text" else 1)
    for row in rows:
        shown = {**row, "path": os.path.relpath(row["path"], base)}
        table.add_row(*("" if value is None else str(value) for value in shown.values()))
    console.print(table)
    console.print(f"{len(rows)} rows")


@click.command()
@db_option
@click.option("--csv", "csv_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Write one CSV per table.")
@click.option("--parquet", "parquet_dir", type=click.Path(path_type=Path), metavar="DIR",
              help="Write one Parquet file per table (needs pip install 'storyworld[parquet]').")
def export(db: Path, csv_dir: Path | None, parquet_dir: Path | None) -> None:
    """Export every table of a corpus database (stories.csv: one row per story).

    Example: storyworld export --db corpus.sqlite --csv corpus-csv/
    """
    from storyworld.corpus.export import export_csv, export_parquet
    from storyworld.corpus.store import open_reader

    if csv_dir is None and parquet_dir is None:
        raise click.UsageError("give --csv DIR and/or --parquet DIR")
    conn = open_reader(db)
    try:
        written = []
        if csv_dir is not None:
            written += export_csv(conn, csv_dir)
        if parquet_dir is not None:
            written += export_parquet(conn, parquet_dir)
    finally:
        conn.close()
    click.echo(f"{len(written)} files written: {', '.join(str(p) for p in written)}")


COMMANDS = (index, search, export)
