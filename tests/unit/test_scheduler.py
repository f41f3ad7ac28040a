"""The scheduler's jobs are coroutine functions it awaits, not functions returning coroutines
(which APScheduler would run in a thread and never await: nothing would ever be swept)."""

import asyncio
import inspect
from functools import partial

from scheduler import jobs


def test_every_job_is_a_coroutine_function_apscheduler_awaits():
    for name, (job, every) in jobs.jobs(context=None, sweep_every=30).items():  # type: ignore[arg-type]
        assert isinstance(job, partial), name
        assert inspect.iscoroutinefunction(job.func), name
        assert every > 0


def test_the_scheduler_really_runs_a_job_on_the_loop(monkeypatch):
    ran: list[str] = []

    async def sweep(context) -> None:
        ran.append(context)

    async def main() -> None:
        scheduler = jobs.start("the context", sweep_every=0.05)  # type: ignore[arg-type]
        await asyncio.sleep(0.3)
        scheduler.shutdown(wait=False)

    monkeypatch.setattr(jobs.sweep, "sweep", sweep)
    asyncio.run(main())
    assert ran and set(ran) == {"the context"}
