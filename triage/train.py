"""`python -m bot triage train`: fit the model on triage/data/train/ and write model/triage.npz.

Reproducible: the files are read in a fixed order, the solver is deterministic, and the
regularisation is chosen by cross-validation on the training data only (the held-out file
is never read here). Needs the `train` extra (scikit-learn); the bot itself does not.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from triage import dataset
from triage.dataset import Example
from triage.features import NGRAMS, model_text, ngrams
from triage.model import MODEL_FILE, Head, Model, save
from triage.model import read as read_model
from triage.normalize import normalize

C_GRID = (3.0, 10.0, 30.0, 100.0)  # inverse regularisation strengths tried by cross-validation
FOLDS = 5
MIN_DF = 2  # an n-gram seen in one request only is noise, not vocabulary
SEED = 20261122
NEAR_BEST = 0.002  # the simplest model this close to the best score wins: less overconfident


def analyzer(text: str) -> list[str]:
    """What the vectorizer sees of a raw request: the same n-grams the bot reads at run time."""
    return ngrams(model_text(normalize(text)))


@dataclass(frozen=True)
class Fitted:
    """A trained model and how it was chosen."""

    model: Model
    strengths: dict[str, float]  # head -> chosen C


def _labels(examples: Sequence[Example], head: str) -> list[str]:
    return [str(getattr(e, head)) for e in examples]


def _classifier(strength: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=strength, class_weight="balanced", max_iter=5000, tol=1e-6)


def _choose_strength(matrix, labels: list[str], log: Callable[[str], None]) -> float:
    """The smallest C whose cross-validated macro-F1 on the training data is near the best."""
    from sklearn.model_selection import StratifiedKFold, cross_val_score

    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    scores = {
        c: cross_val_score(_classifier(c), matrix, labels, cv=folds, scoring="f1_macro").mean()
        for c in C_GRID
    }
    log("  " + "  ".join(f"C={c:g}: {s:.3f}" for c, s in scores.items()))
    best = max(scores.values())
    return min(c for c, score in scores.items() if score >= best - NEAR_BEST)


def fit(
    examples: Sequence[Example],
    strengths: dict[str, float] | None = None,
    log: Callable[[str], None] = lambda _: None,
    meta: dict | None = None,
) -> Fitted:
    """Fit vocabulary and heads; C per head from `strengths` or chosen by cross-validation."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = [e.text for e in examples]
    vectorizer = TfidfVectorizer(
        analyzer=analyzer, sublinear_tf=True, min_df=MIN_DF, dtype=np.float32
    )
    matrix = vectorizer.fit_transform(texts)
    vocabulary = list(vectorizer.get_feature_names_out())
    chosen: dict[str, float] = {}
    heads: dict[str, Head] = {}
    for head in ("urgency", "category"):
        labels = _labels(examples, head)
        log(f"{head}: {len(set(labels))} classes, {len(labels)} examples")
        chosen[head] = (strengths or {}).get(head) or _choose_strength(matrix, labels, log)
        classifier = _classifier(chosen[head]).fit(matrix, labels)
        heads[head] = Head(
            tuple(str(c) for c in classifier.classes_),
            np.ascontiguousarray(classifier.coef_.T, dtype=np.float32),
            classifier.intercept_.astype(np.float32),
        )
    model = Model(
        {g: i for i, g in enumerate(vocabulary)},
        vectorizer.idf_.astype(np.float32),
        heads,
        {**(meta or {}), "strengths": chosen, "examples": len(examples)},
    )
    return Fitted(model, chosen)


def train(
    files: Sequence[Path] | None = None,
    out: Path = MODEL_FILE,
    strengths: dict[str, float] | None = None,
    log: Callable[[str], None] = print,
) -> Model:
    """Train on the training files and write the model file; returns the model as written."""
    files = list(files or dataset.training_files())
    examples = dataset.read_all(files)
    meta = {
        "data_sha256": dataset.fingerprint(files),
        "data_files": [f.name for f in files],
        "ngrams": list(NGRAMS),
        "min_df": MIN_DF,
    }
    log(f"training on {len(examples)} examples from {len(files)} files")
    fitted = fit(examples, strengths, log, meta)
    vocabulary = sorted(fitted.model.vocabulary, key=fitted.model.vocabulary.__getitem__)
    save(out, vocabulary, fitted.model.idf, fitted.model.heads, fitted.model.meta)
    log(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB, {len(vocabulary)} n-grams)")
    return read_model(out)


def cross_validate(
    examples: Sequence[Example], strengths: dict[str, float] | None = None
) -> tuple[list[Example], list]:
    """Each example triaged (rules and model) by a model that never saw it: for tuning rules."""
    from sklearn.model_selection import StratifiedKFold

    from triage.fusion import classify

    if strengths is None:
        strengths = read_model(MODEL_FILE).meta["strengths"] if MODEL_FILE.exists() else {}
    strengths = {"urgency": 10.0, "category": 10.0, **strengths}
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
    ordered, results = [], []
    for kept, held in folds.split(examples, _labels(examples, "category")):
        model = fit([examples[i] for i in kept], strengths).model
        for i in held:
            ordered.append(examples[i])
            results.append(classify(examples[i].text, model))
    return ordered, results
