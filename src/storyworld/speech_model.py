"""A small logistic regression that tells speech from other quoted text (titles, letters, cited words).

The weights are learned by scripts/train_speech_classifier.py from the annotated corpora and shipped
as src/storyworld/data/speech_classifier.json; applying them is a dot product, so the quotes stage
stays cheap (it runs before any parse).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True)
class SpeechModel:
    features: tuple[str, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float = 0.5

    def probability(self, values: dict[str, float]) -> float:
        """How likely the quotation with these feature values is speech."""
        score = self.bias + sum(w * values[name] for name, w in zip(self.features, self.weights, strict=True))
        return 1 / (1 + math.exp(-max(-30.0, min(30.0, score))))

    def is_speech(self, values: dict[str, float]) -> bool:
        return self.probability(values) >= self.threshold

    def to_json(self) -> dict:
        return {
            "features": list(self.features),
            "weights": [round(w, 5) for w in self.weights],
            "bias": round(self.bias, 5),
            "threshold": self.threshold,
        }


@cache
def speech_model() -> SpeechModel:
    """The shipped model (storyworld/data/speech_classifier.json)."""
    raw = json.loads((files("storyworld") / "data" / "speech_classifier.json").read_text(encoding="utf-8"))
    return SpeechModel(tuple(raw["features"]), tuple(raw["weights"]), raw["bias"], raw.get("threshold", 0.5))
