"""The rule layer: what the words alone say about urgency, and which rules said it.

Rules only ever raise urgency. Each fired rule is named, so a handler can see why:
`emergency:gas`, `not:gas` (negated), `past:fire` (over or fixed), `worry:trapped` (feared, or
asking what to do), `unless:fire` (words that mean something else), `hard_negative`,
`close_case`, `over` (a false alarm), `repeated`, `tone:urgent`, `tone:calm`.
"""

import re
from dataclasses import dataclass
from functools import cache

from tickets.labels import Category, Urgency
from triage import lexicon

# Rules that say the words look like danger and are not: the model alone must then be sure.
SILENCERS = ("not", "past", "worry", "unless", "hard_negative", "over", "close_case")


@dataclass(frozen=True)
class RuleVerdict:
    """The lowest urgency the rules allow, the category a danger implies, and the rules fired."""

    floor: Urgency | None  # None: the rules do not raise anything
    category: Category | None  # the category of the first emergency found, when it has one
    fired: tuple[str, ...]
    silenced: bool  # an emergency word was there but negated, past or feared


@cache
def compiled(pattern: str) -> re.Pattern[str]:
    """A lexicon pattern, compiled once; `\\b` and `\\w` are ASCII, so "smoke好大" still matches."""
    return re.compile(pattern, re.ASCII)


def _silenced_by(clause: str, found: re.Match[str], over: bool, resolved: bool) -> str | None:
    """Why a signal found in this clause does not count: "not", "past", "worry" or None.

    `over` and `resolved` say whether the whole request takes the alarm back or says it is fixed.
    """
    before = clause[max(0, found.start() - lexicon.NEGATION_REACH) : found.start()]
    negative_itself = compiled(lexicon.NEGATION).match(found.group())  # "没人接", "没出来过"
    if not negative_itself and compiled(lexicon.NEGATION).search(before):
        return "not"
    worry = compiled(lexicon.HYPOTHETICAL).search(clause[: found.end()])
    if worry or compiled(lexicon.NOT_NOW).search(clause):
        return "worry"
    if over:
        return "past"
    if compiled(lexicon.PRESENT).search(clause):
        return None
    if resolved or compiled(lexicon.PAST).search(clause):
        return "past"
    return None


def clauses(text: str) -> list[str]:
    """The request cut where one thought ends and the next begins."""
    return [c for c in compiled(lexicon.CLAUSE_BREAK).split(text) if c and c.strip()]


def emergencies(text: str) -> tuple[list[str], Category | None]:
    """Emergency rules that fire (or silenced: `not:`, `past:`, `worry:`), and their category."""
    fired: list[str] = []
    category: Category | None = None
    plain = compiled(lexicon.HARD_NEGATIVES).sub(" ", text)
    signals = {
        name: signal
        for name, signal in lexicon.EMERGENCY.items()
        if not signal.context or compiled(signal.context).search(plain)
    }  # read once per request, not once per clause: a 4,096-character message stays fast
    unless = {name for name, s in signals.items() if s.unless and compiled(s.unless).search(text)}
    over = compiled(lexicon.OVER).search(text) is not None
    resolved = compiled(lexicon.RESOLVED).search(text) is not None
    for clause in clauses(plain):
        for name, signal in signals.items():
            match = compiled(signal.pattern).search(clause)
            if match is None:
                continue
            if name in unless:
                fired.append(f"unless:{name}")
                continue
            reason = _silenced_by(clause, match, over, resolved)
            fired.append(f"{reason}:{name}" if reason else f"emergency:{name}")
            if reason is None and category is None:
                category = _danger_category(text, name, signal.category)
    return list(dict.fromkeys(fired)), category


def _danger_category(text: str, name: str, category: Category | None) -> Category | None:
    """The category a danger belongs to, by the triage guide's close cases."""
    if name == "water_on_electrics" and compiled(lexicon.NEIGHBOUR_WATER).search(text):
        return Category.REPAIR  # water from a neighbour's flat is repair, whatever its urgency
    if name == "hurt" and compiled(lexicon.EMERGENCY["unreachable"].context or "").search(text):
        return Category.ELDERLY_CARE
    if category not in (Category.SECURITY, Category.UTILITIES):
        return category
    if compiled(lexicon.VEHICLE).search(text):
        return Category.SECURITY  # an e-bike or its battery on fire
    if category is Category.SECURITY and compiled(lexicon.SUPPLY).search(text):
        return Category.UTILITIES  # smoke or fire from gas or electrical equipment
    return category


def judge(text: str) -> RuleVerdict:
    """Apply every rule to normalised text (see normalize.normalize)."""
    fired, category = emergencies(text)
    if compiled(lexicon.HARD_NEGATIVES).search(text):
        fired.append("hard_negative")
    floor = Urgency.EMERGENCY if any(r.startswith("emergency:") for r in fired) else None
    if compiled(lexicon.REPEATED).search(text):
        fired.append("repeated")
        floor = floor or Urgency.DIFFICULT
    if compiled(lexicon.TONE_URGENT).search(text):
        fired.append("tone:urgent")
    if compiled(lexicon.TONE_CALM).search(text):
        fired.append("tone:calm")
    if compiled(lexicon.OVER).search(text):
        fired.append("over")
    if compiled(lexicon.CLOSE_CASES).search(text):
        fired.append("close_case")
    silenced = any(r.split(":")[0] in SILENCERS for r in fired)
    return RuleVerdict(floor, category, tuple(fired), silenced)


def without_tone(text: str) -> str:
    """The text with its tone words removed, so that tone cannot move the model."""
    for pattern in (lexicon.TONE_URGENT, lexicon.TONE_CALM):
        text = compiled(pattern).sub(" ", text)
    return text
