"""The trained model, read with numpy alone: TF-IDF over character n-grams, linear heads.

The file (model/triage.npz) is written by `python -m bot triage train` (see train.py) and
ships with the package; nothing is downloaded at run time and no pickle is loaded.
"""

import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from triage.features import counts

MODEL_FILE = Path(__file__).parent / "model" / "triage.npz"
HEADS = ("urgency", "category")


@dataclass(frozen=True)
class Head:
    """One linear classifier: a weight row per n-gram and a bias per class."""

    classes: tuple[str, ...]
    weights: np.ndarray  # n_features x n_classes, float32
    bias: np.ndarray  # n_classes


@dataclass(frozen=True)
class Model:
    """Vocabulary, inverse document frequencies, the heads, and what the model was trained on."""

    vocabulary: dict[str, int]
    idf: np.ndarray
    heads: dict[str, Head]
    meta: dict

    def vector(self, normalized: str) -> tuple[np.ndarray, np.ndarray]:
        """Sparse TF-IDF of a request (sublinear tf, l2 norm) as (indexes, values)."""
        known = self.vocabulary
        found = [(known[g], n) for g, n in counts(normalized).items() if g in known]
        if not found:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        indexes = np.fromiter((i for i, _ in found), dtype=np.int64, count=len(found))
        tf = np.fromiter((1.0 + math.log(n) for _, n in found), dtype=np.float32, count=len(found))
        values = tf * self.idf[indexes]
        return indexes, values / np.linalg.norm(values)

    def probabilities(self, normalized: str) -> dict[str, dict[str, float]]:
        """For each head, the probability of every class (softmax of the linear scores)."""
        indexes, values = self.vector(normalized)
        result = {}
        for name, head in self.heads.items():
            scores = values @ head.weights[indexes] + head.bias
            exp = np.exp(scores - scores.max())
            probs = exp / exp.sum()
            result[name] = dict(zip(head.classes, probs.tolist(), strict=True))
        return result


def read(path: Path) -> Model:
    """A model file as written by `save`."""
    with np.load(path, allow_pickle=False) as data:
        meta = json.loads(str(data["meta"]))
        heads = {
            name: Head(
                tuple(str(c) for c in data[f"{name}.classes"]),
                data[f"{name}.weights"],
                data[f"{name}.bias"],
            )
            for name in meta["heads"]
        }
        vocabulary = {str(g): i for i, g in enumerate(data["vocabulary"])}
        return Model(vocabulary, data["idf"], heads, meta)


def save(path: Path, vocabulary: list[str], idf: np.ndarray, heads: dict[str, Head], meta: dict):
    """Write a model file: arrays only (no pickle), compressed."""
    arrays = {"vocabulary": np.array(vocabulary), "idf": idf.astype(np.float32)}
    for name, head in heads.items():
        arrays[f"{name}.classes"] = np.array(head.classes)
        arrays[f"{name}.weights"] = head.weights.astype(np.float32)
        arrays[f"{name}.bias"] = head.bias.astype(np.float32)
    arrays["meta"] = np.array(json.dumps({**meta, "heads": list(heads)}, sort_keys=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)


@cache
def shipped() -> Model:
    """The model that ships with the package, read once."""
    return read(MODEL_FILE)
