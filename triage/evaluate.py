"""How good the triage is on a labelled file: the figures the triage issue sets targets for."""

import math
from collections.abc import Sequence
from dataclasses import dataclass

from tickets.labels import Category, Route, Urgency
from triage.dataset import Example
from triage.fusion import Triage

Z95 = 1.959964  # the normal quantile of a two-sided 95% interval


def wilson(successes: int, total: int, z: float = Z95) -> tuple[float, float]:
    """Wilson score interval for a proportion: honest even when it is near 0 or 1."""
    if total == 0:
        return 0.0, 1.0
    p = successes / total
    centre = p + z * z / (2 * total)
    spread = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total))
    denominator = 1 + z * z / total
    return max(0.0, (centre - spread) / denominator), min(1.0, (centre + spread) / denominator)


@dataclass(frozen=True)
class Scores:
    """Accuracy, macro-F1, per-class precision and recall and the confusion matrix of one label."""

    classes: tuple[str, ...]
    confusion: tuple[tuple[int, ...], ...]  # rows: truth, columns: prediction

    @property
    def total(self) -> int:
        return sum(map(sum, self.confusion))

    @property
    def accuracy(self) -> float:
        right = sum(self.confusion[i][i] for i in range(len(self.classes)))
        return right / self.total if self.total else 0.0

    def precision(self, i: int) -> float:
        predicted = sum(row[i] for row in self.confusion)
        return self.confusion[i][i] / predicted if predicted else 0.0

    def recall(self, i: int) -> float:
        actual = sum(self.confusion[i])
        return self.confusion[i][i] / actual if actual else 0.0

    def f1(self, i: int) -> float:
        p, r = self.precision(i), self.recall(i)
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def macro_f1(self) -> float:
        present = [i for i in range(len(self.classes)) if sum(self.confusion[i])]
        return sum(self.f1(i) for i in present) / len(present) if present else 0.0


def scores(classes: Sequence[str], truth: Sequence[str], predicted: Sequence[str]) -> Scores:
    """Count a confusion matrix over the given classes."""
    index = {c: i for i, c in enumerate(classes)}
    matrix = [[0] * len(classes) for _ in classes]
    for t, p in zip(truth, predicted, strict=True):
        matrix[index[t]][index[p]] += 1
    return Scores(tuple(classes), tuple(map(tuple, matrix)))


@dataclass(frozen=True)
class Report:
    """Every figure for one labelled file."""

    urgency: Scores
    category: Scores
    route: Scores
    emergencies: int
    emergencies_found: int
    emergencies_below_medium: int

    @property
    def emergency_recall(self) -> float:
        return self.emergencies_found / self.emergencies if self.emergencies else 1.0

    @property
    def emergency_recall_interval(self) -> tuple[float, float]:
        return wilson(self.emergencies_found, self.emergencies)

    @property
    def emergency_precision(self) -> float:
        return self.urgency.precision(self.urgency.classes.index(Urgency.EMERGENCY))


def report(examples: Sequence[Example], results: Sequence[Triage]) -> Report:
    """Compare the triage of each example with its label."""
    pairs = zip(examples, results, strict=True)
    emergencies = [r for e, r in pairs if e.urgency is Urgency.EMERGENCY]
    return Report(
        urgency=scores(
            [u.value for u in Urgency],
            [e.urgency for e in examples],
            [r.urgency for r in results],
        ),
        category=scores(
            [c.value for c in Category],
            [e.category for e in examples],
            [r.category for r in results],
        ),
        route=scores(
            [r.value for r in Route],
            [e.route for e in examples],
            [r.route for r in results],
        ),
        emergencies=len(emergencies),
        emergencies_found=sum(r.urgency is Urgency.EMERGENCY for r in emergencies),
        emergencies_below_medium=sum(r.urgency is Urgency.GENERAL for r in emergencies),
    )


def _matrix(s: Scores, short: dict[str, str]) -> list[str]:
    names = [short.get(c, c) for c in s.classes]
    width = max(6, *map(len, names)) + 1
    lines = ["truth \\ predicted".ljust(20) + "".join(n.rjust(width) for n in names)]
    for name, row in zip(names, s.confusion, strict=True):
        lines.append(name.ljust(20) + "".join(str(n).rjust(width) for n in row))
    return lines


def _per_class(s: Scores) -> list[str]:
    lines = [f"{'class':20}{'precision':>10}{'recall':>8}{'f1':>7}{'support':>9}"]
    for i, name in enumerate(s.classes):
        support = sum(s.confusion[i])
        lines.append(f"{name:20}{s.precision(i):10.3f}{s.recall(i):8.3f}{s.f1(i):7.3f}{support:9d}")
    return lines


# Column names of the category matrix, short enough for a terminal and each one distinct.
SHORT = {
    "repair": "repair", "elevator": "lift", "sanitation": "sanit", "security": "secur",
    "parking": "park", "greening": "green", "utilities": "util", "property_service": "p_serv",
    "neighbor": "neighb", "elderly_care": "elder", "public_services": "gov",
    "public_order": "order", "property_oversight": "p_over", "community_life": "life",
}  # fmt: skip


def render(r: Report) -> str:
    """The report as text for people: summary first, then per-class figures and matrices."""
    low, high = r.emergency_recall_interval
    lines = [
        f"examples: {r.urgency.total}",
        f"urgency accuracy {r.urgency.accuracy:.3f}   macro-F1 {r.urgency.macro_f1:.3f}",
        f"category accuracy {r.category.accuracy:.3f}   macro-F1 {r.category.macro_f1:.3f}",
        f"route accuracy {r.route.accuracy:.3f}   macro-F1 {r.route.macro_f1:.3f}",
        f"emergency recall {r.emergency_recall:.3f} ({r.emergencies_found}/{r.emergencies}), "
        f"Wilson 95% [{low:.3f}, {high:.3f}]; below medium: {r.emergencies_below_medium}",
        f"emergency precision {r.emergency_precision:.3f}",
    ]
    for name, s in (("urgency", r.urgency), ("category", r.category), ("route", r.route)):
        lines += ["", f"## {name}", *_per_class(s), "", *_matrix(s, SHORT)]
    return "\n".join(lines)


def figures(r: Report) -> dict[str, float]:
    """The headline figures as one flat mapping (for JSON and tests)."""
    low, high = r.emergency_recall_interval
    return {
        "examples": r.urgency.total,
        "urgency_accuracy": round(r.urgency.accuracy, 4),
        "urgency_macro_f1": round(r.urgency.macro_f1, 4),
        "category_accuracy": round(r.category.accuracy, 4),
        "route_accuracy": round(r.route.accuracy, 4),
        "emergency_recall": round(r.emergency_recall, 4),
        "emergency_recall_low": round(low, 4),
        "emergency_recall_high": round(high, 4),
        "emergency_precision": round(r.emergency_precision, 4),
        "emergencies_below_medium": r.emergencies_below_medium,
    }
