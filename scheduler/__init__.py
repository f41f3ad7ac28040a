"""APScheduler wiring: the SLA sweep and the other periodic jobs (see jobs.py)."""
