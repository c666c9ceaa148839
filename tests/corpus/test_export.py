"""Export: one CSV and one Parquet file per table, stories.csv one row per story."""

from __future__ import annotations

import csv

import pyarrow.parquet as pq

from storyworld.corpus.export import EXPORTED_TABLES, export_csv, export_parquet
from storyworld.corpus.store import open_reader


def test_csv_one_file_per_table_with_the_story_columns(hand_db, tmp_path):
    written = export_csv(open_reader(hand_db), tmp_path / "csv")
    assert sorted(p.stem for p in written) == sorted(EXPORTED_TABLES)
    with (tmp_path / "csv" / "stories.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 1
    assert {"path", "sha256", "words", "characters", "quotes", "status"} <= set(rows[0])
    assert (rows[0]["words"], rows[0]["characters"], rows[0]["quotes"]) == ("28", "2", "2")


def test_parquet_is_typed_from_the_schema(hand_db, tmp_path):
    export_parquet(open_reader(hand_db), tmp_path / "pq")
    stories = pq.read_table(tmp_path / "pq" / "stories.parquet")
    assert stories.num_rows == 1 and str(stories.schema.field("words").type) == "int64"
    assert pq.read_table(tmp_path / "pq" / "interactions.parquet").num_rows == 0  # empty tables still written
