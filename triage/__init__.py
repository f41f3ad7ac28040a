"""Urgency and category classification, pure Python; a keyword placeholder until the real one.

The labels it produces are defined in `tickets.labels`.
"""

from triage.placeholder import Triage, classify

__all__ = ["Triage", "classify"]
