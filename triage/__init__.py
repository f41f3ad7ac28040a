"""Urgency, category and route of a resident's request: rules and a trained model, offline.

`classify(text) -> Triage` is all the bot needs; the labels are defined in `tickets.labels`
and the labelling standard is the triage guide (docs/triage.md tells how it is built).
"""

from triage.fusion import LOW_CONFIDENCE, Triage, as_told, classify, classify_all

__all__ = ["LOW_CONFIDENCE", "Triage", "as_told", "classify", "classify_all"]
