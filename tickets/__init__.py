"""The ticket domain in pure Python (no I/O): labels, lifecycle, SLA clock, escalation."""
