"""Urgency and category classification (rules plus a trained model), pure Python.

Empty until the triage issue; the labels it produces are defined in `tickets.labels`.
"""
