"""The periodic jobs on APScheduler 3.x: the SLA sweep about every 30 s, expired drafts and
unrated tickets every minute. The job store is in memory and each job runs once at a time in
a process (`max_instances=1`, missed runs coalesced); several processes share the work through
row locks (`FOR UPDATE SKIP LOCKED`), never through a shared job store."""

import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from functools import partial

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from handlers.context import Context
from handlers.report import intake
from handlers.staff import sweep, verdict

log = logging.getLogger(__name__)
MINUTE = 60.0
Job = Callable[[], Awaitable[object]]


def jobs(context: Context, sweep_every: float) -> dict[str, tuple[Job, float]]:
    """Each job by name: what it runs, and every how many seconds. Partials of coroutine
    functions, which APScheduler's asyncio executor awaits on the running loop (a lambda
    returning a coroutine would never be awaited)."""
    return {
        "sla-sweep": (partial(sweep.sweep, context), sweep_every),
        "stale-drafts": (partial(intake.drop_stale_drafts, context), MINUTE),
        "unrated-tickets": (partial(verdict.close_unrated, context), MINUTE),
    }


def start(context: Context, sweep_every: float) -> AsyncIOScheduler:
    """Start the jobs on the running event loop; the sweep runs at once, then every interval."""
    scheduler = AsyncIOScheduler(timezone=UTC)
    for name, (job, every) in jobs(context, sweep_every).items():
        first = {"next_run_time": datetime.now(UTC)} if name == "sla-sweep" else {}
        scheduler.add_job(
            job,
            "interval",
            seconds=every,
            id=name,
            name=name,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            **first,
        )
    scheduler.start()
    every = ", ".join(f"{job.name} every {job.trigger.interval}" for job in scheduler.get_jobs())
    log.info("scheduler started: %s", every)
    return scheduler
