"""Rules and model together: the triage of one request, with the reasons for it.

Urgency is the higher of the rules' floor and the model's level; the model alone may only
call an emergency when it is sure (and surer still when the rules found the danger negated,
over or only feared); an uncertain emergency stays at least `medium`. A danger's category
(gas is utilities, a person trapped in a lift is elevator) wins unless the model is sure of
another. Route follows the category; a community's routing overrides apply when the ticket
is filed (tickets.routing.team_for). Low confidence is reported with the likely categories,
so the bot can ask the resident one question.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace

from tickets.labels import Category, Route, Urgency
from triage import model as trained
from triage.model import Model
from triage.normalize import has_words, normalize, readable_share
from triage.rules import RuleVerdict, judge

EMERGENCY_THRESHOLD = 0.35  # the model alone calls an emergency at this probability or above
SILENCED_EMERGENCY_THRESHOLD = 0.9  # ... when the rules saw the danger negated, over or feared
DANGER_CATEGORY_UNLESS = 0.95  # a danger's own category wins unless the model is this sure
LOW_CONFIDENCE = 0.5  # below this, ask the resident one question
UNREADABLE = 0.5  # below this share of Chinese or Latin letters, the model is guessing
# A request with no words (photos only) most often shows something broken in a common part.
NO_WORDS = (Urgency.MEDIUM, Category.REPAIR)
CANDIDATES = 3  # at most this many categories to offer in that question


@dataclass(frozen=True)
class Triage:
    """What the classifier thinks of a request, and which rules made it think so."""

    urgency: Urgency
    category: Category
    route: Route  # category.default_route; team_for applies the community's overrides
    confidence: float  # 0..1, the lower of urgency's and category's
    rules: tuple[str, ...]  # the rules that fired and the model's votes, for transparency
    candidates: tuple[Category, ...] = ()  # the likeliest categories, most likely first

    @property
    def unsure(self) -> bool:
        """True when the bot should ask the resident what the request is about."""
        return self.confidence < LOW_CONFIDENCE


def _ranked(probabilities: dict[str, float]) -> list[tuple[str, float]]:
    return sorted(probabilities.items(), key=lambda item: (-item[1], item[0]))


def _model_urgency(votes: dict[str, float], verdict: RuleVerdict) -> tuple[Urgency, list[str]]:
    """The model's level: emergency when it is likely enough, else its best other level.

    An emergency the model leans to but is not sure of stays at least `medium`.
    """
    threshold = SILENCED_EMERGENCY_THRESHOLD if verdict.silenced else EMERGENCY_THRESHOLD
    if votes[Urgency.EMERGENCY] >= threshold:
        return Urgency.EMERGENCY, []
    ranked = _ranked(votes)
    best = next(Urgency(u) for u, _ in ranked if u != Urgency.EMERGENCY)
    if ranked[0][0] != Urgency.EMERGENCY:
        return best, []
    return max(best, Urgency.MEDIUM, key=lambda u: u.rank), ["model:unsure_emergency"]


def _urgency(votes: dict[str, float], verdict: RuleVerdict) -> tuple[Urgency, float, list[str]]:
    """Final urgency, how sure we are of it, and the fusion rules that decided it."""
    level, notes = _model_urgency(votes, verdict)
    confidence = votes[level]
    if verdict.floor and verdict.floor.rank > level.rank:
        level, confidence = verdict.floor, max(votes[verdict.floor], 0.9)
        notes.append(f"raised:{level}")
    elif verdict.floor is level:
        confidence = max(confidence, 0.9)
    if level is Urgency.GENERAL and "tone:urgent" in verdict.fired:
        level, confidence = Urgency.MEDIUM, votes[Urgency.MEDIUM]
        notes.append("raised:medium")
    return level, confidence, notes


def _category(votes: dict[str, float], verdict: RuleVerdict) -> tuple[Category, float, list[str]]:
    """Final category and how sure we are of it."""
    (best, p), *_ = _ranked(votes)
    danger = verdict.category
    if danger and danger != best and p < DANGER_CATEGORY_UNLESS:
        return danger, max(votes[danger], 0.9), [f"danger_category:{danger}"]
    return Category(best), p, []


def decide(normalized: str, verdict: RuleVerdict, votes: dict[str, dict[str, float]]) -> Triage:
    """Fuse the rules' verdict with the model's probabilities for one normalised request."""
    urgency, urgency_sure, urgency_notes = _urgency(votes["urgency"], verdict)
    category, category_sure, category_notes = _category(votes["category"], verdict)
    confidence = min(urgency_sure, category_sure)
    if not has_words(normalized):
        (urgency, category), confidence = NO_WORDS, 0.0
        urgency_notes.insert(0, "no_words")
    elif readable_share(normalized) < UNREADABLE:
        confidence = min(confidence, LOW_CONFIDENCE / 2)
        urgency_notes.insert(0, "unknown_script")
    ranked = [Category(c) for c, _ in _ranked(votes["category"])]
    candidates = [category, *(c for c in ranked if c is not category)][:CANDIDATES]
    rules = [
        *verdict.fired,
        *urgency_notes,
        *category_notes,
        f"model:urgency={_ranked(votes['urgency'])[0][0]}",
        f"model:category={ranked[0]}",
    ]
    return Triage(
        urgency, category, category.default_route, round(confidence, 2), tuple(rules),
        tuple(candidates),
    )  # fmt: skip


def as_told(result: Triage, category: Category) -> Triage:
    """The triage with the category the resident chose when the bot asked; urgency stays."""
    if category is result.category and not result.unsure:
        return result
    return replace(
        result,
        category=category,
        route=category.default_route,
        confidence=1.0,
        rules=(*result.rules, f"resident:category={category}"),
    )


def classify(text: object, model: Model | None = None) -> Triage:
    """Urgency, category and route of a request, in any language; never raises on odd input."""
    normalized = normalize(text)
    model = model or trained.shipped()
    return decide(normalized, judge(normalized), model.probabilities(normalized))


def classify_all(texts: Iterable[str | None], model: Model | None = None) -> list[Triage]:
    """Many requests at once (the CLI and evaluation)."""
    model = model or trained.shipped()
    return [classify(text, model) for text in texts]
