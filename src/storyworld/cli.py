"""The command line: a thin layer over the library. Errors become one line and a non-zero exit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console

import storyworld
from storyworld.castfile import load_cast
from storyworld.corpus.cli import COMMANDS as CORPUS_COMMANDS
from storyworld.errors import StoryworldError
from storyworld.evaluate.cli import evaluate
from storyworld.ingest import DEFAULT_MAX_BYTES, Limits
from storyworld.model import world_schema

console = Console()
err_console = Console(stderr=True)


def default_json_path(source: Path) -> Path:
    base = source.parent / source.name if source.is_dir() else source.with_suffix("")
    return base.with_name(base.name + ".world.json")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(storyworld.__version__, prog_name="storyworld")
@click.option("--debug", is_flag=True, help="Show full tracebacks instead of one-line errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Read fiction and build the story world it describes.

    Example: storyworld read examples/the-long-watch.txt
    """
    ctx.obj = {"debug": debug}


@cli.command()
@click.argument("story", type=click.Path(path_type=Path))
@click.option("--json", "json_out", metavar="FILE", help="Where to write world.json ('-' for stdout). "
              "Default: next to the input as NAME.world.json.")
@click.option("--no-json", is_flag=True, help="Only print the summary.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_BYTES, show_default=True,
              help="Refuse input files (and expanded archives) larger than this.")
@click.option("--until", "until_chapter", metavar="CHAPTER",
              help="Only the story up to the end of this chapter (id, number or title): no later reveals.")
@click.option("--cast", "cast_file", type=click.Path(path_type=Path), metavar="FILE",
              help="The characters to attribute speech to: PDNC character_info.csv, YAML or JSON.")
@click.option("--fandom", metavar="NAME",
              help="The story's fandom (a pack id such as naruto, or an AO3 fandom name), "
              "instead of its tags or what the text suggests.")
@click.option("--html", "html_out", type=click.Path(path_type=Path), metavar="FILE",
              help="Also write a self-contained HTML report (works offline).")
@click.option("--quiet", "-q", is_flag=True, help="Print no summary.")
def read(
    story: Path, json_out: str | None, no_json: bool, max_bytes: int, until_chapter: str | None,
    cast_file: Path | None, fandom: str | None, html_out: Path | None, quiet: bool,
) -> None:
    """Analyse one story (.txt, .md, AO3 .html, .epub, or a folder of chapters).

    Example: storyworld read my-fic.epub --json my-fic.world.json --until 3
    """
    cast = load_cast(cast_file) if cast_file is not None else None
    world = storyworld.read(story, limits=Limits(max_bytes=max_bytes), cast=cast, until_chapter=until_chapter,
                            fandom=fandom)
    if json_out == "-":
        sys.stdout.write(world.to_json())
        sys.stdout.write("\n")
        return
    target = None if no_json else Path(json_out) if json_out else default_json_path(story)
    if target is not None:
        world.to_json(target)
    if html_out is not None:
        from storyworld.outputs.report import write_report

        write_report(world, html_out)
    if not quiet:
        from storyworld.outputs.summary import print_summary

        print_summary(world, console)
        if target is not None:
            console.print(f"world written to {target}")
        if html_out is not None:
            console.print(f"report written to {html_out}")


@cli.command()
@click.argument("stories", nargs=-1, type=click.Path(path_type=Path))
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8765, show_default=True, type=click.IntRange(0, 65535))
@click.option("--allow-public", is_flag=True, help="Allow a non-loopback --host (the explorer has no login).")
@click.option("--db", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              help="Explore a corpus database made by `storyworld index` instead of stories.")
def serve(stories: tuple[Path, ...], host: str, port: int, allow_public: bool, db: Path | None) -> None:
    """Start the local web explorer over one or more stories, or over a corpus database.

    Example: storyworld serve examples/the-long-watch.txt --port 8765
    Example: storyworld serve --db corpus.sqlite
    """
    from storyworld.web.app import check_host, create_app

    check_host(host, allow_public)
    if bool(stories) == (db is not None):
        raise click.UsageError("give stories or --db, not both and not neither")
    app = create_app(db=db) if db is not None else create_app([storyworld.read(path) for path in stories])
    console.print(f"storyworld explorer on http://{host}:{port}/ (Ctrl-C to stop)")
    app.run(host=host, port=port, debug=False, use_reloader=False)


@cli.command()
def schema() -> None:
    """Print the JSON Schema of world.json.

    Example: storyworld schema > storyworld-1.schema.json
    """
    click.echo(json.dumps(world_schema(), indent=2))


for _command in CORPUS_COMMANDS:  # index, search, export (storyworld/corpus/cli.py)
    cli.add_command(_command)


cli.add_command(evaluate)  # storyworld/evaluate/cli.py


def main() -> None:
    debug = "--debug" in sys.argv[1:]
    try:
        cli.main(standalone_mode=False)
    except click.exceptions.Abort:
        err_console.print("aborted")
        sys.exit(130)
    except click.ClickException as err:
        if debug:
            raise
        err.show()
        sys.exit(err.exit_code)
    except StoryworldError as err:
        if debug:
            raise
        click.echo(f"error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as err:  # a bug: still one line, with the way to see more
        if debug:
            raise
        message = f"internal error {type(err).__name__}: {err} (run with --debug for details)"
        click.echo(f"error: {message}", err=True)
        sys.exit(3)
