"""The error catalogue: codes render their fields and survive pickling."""

from __future__ import annotations

import pickle

from storyworld.errors import E, StoryworldError


def test_errors_cross_process_boundaries_intact():
    error = pickle.loads(pickle.dumps(StoryworldError(E.E004, path="big.txt", size=9, limit=1)))
    assert error.code is E.E004 and str(error).startswith("[E004] big.txt")
    assert error.fields == {"path": "big.txt", "size": 9, "limit": 1}
