"""`storyworld export`: every table of a corpus database as CSV files or Parquet files, one per table."""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

from storyworld.corpus.store import STORY_TABLES
from storyworld.errors import E, StoryworldError

# The full-text tables are indexes over quotes and narration, so they are not exported.
EXPORTED_TABLES = ("meta", "stories", *STORY_TABLES)


def _prepare(directory: Path) -> None:
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise StoryworldError(E.E015, path=directory, reason=err.strerror or err) from None


def export_csv(conn: sqlite3.Connection, directory: Path) -> list[Path]:
    """Write TABLE.csv (header row, UTF-8) for every table; returns the files written."""
    _prepare(directory)
    written = []
    for table in EXPORTED_TABLES:
        cursor = conn.execute(f"SELECT * FROM {table}")
        target = directory / f"{table}.csv"
        with target.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([d[0] for d in cursor.description])
            writer.writerows(cursor)
        written.append(target)
    return written


def _arrow_type(declared: str):  # -> pyarrow.DataType
    import pyarrow as pa

    return {"INTEGER": pa.int64(), "REAL": pa.float64()}.get(declared.upper(), pa.string())


def export_parquet(conn: sqlite3.Connection, directory: Path) -> list[Path]:
    """Write TABLE.parquet for every table, typed from the SQLite schema; returns the files written."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise StoryworldError(
            E.E023, feature="export --parquet", package="pyarrow", extra="parquet"
        ) from None
    _prepare(directory)
    written = []
    for table in EXPORTED_TABLES:
        columns = [(row[1], row[2]) for row in conn.execute(f"PRAGMA table_info({table})")]
        schema = pa.schema([(name, _arrow_type(declared)) for name, declared in columns])
        names = ", ".join(f'"{name}"' for name, _ in columns)
        cursor = conn.execute(f"SELECT {names} FROM {table}")
        rows = [dict(zip(schema.names, row, strict=True)) for row in cursor]
        target = directory / f"{table}.parquet"
        pq.write_table(pa.Table.from_pylist(rows, schema=schema), target)
        written.append(target)
    return written
