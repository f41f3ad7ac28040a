"""APScheduler wiring for the SLA sweep, escalations, digests and reports.

Empty until the SLA issue; the clock it runs on is `tickets.sla`.
"""
