"""Corpus mode: many stories analysed in parallel into one SQLite database, then searched or exported.

    storyworld index fics/ --db corpus.sqlite      run.index: local process pool or Dask
    storyworld search --db corpus.sqlite --speaker NAME --addressee NAME
    storyworld export --db corpus.sqlite --csv DIR

store.py owns the schema (docs/corpus.md), rows.py turns a World into rows, worker.py is what a
worker runs, search.py and export.py only ever open the database read-only.
"""
