"""Queueing and reading outbox rows, and running delivery rounds until there is nothing to do."""

from datetime import datetime, timedelta

from sqlmodel import col, select

from bot.delivery import Delivery, DeliveryReport
from handlers.chat import Message
from storage.models import Outbox
from tests.contract.helpers import T0


async def queue(db, *items: tuple[int, str], at: datetime = T0, delay: float = 0) -> None:
    """Queue (chat, text) messages, each under its text as dedupe key."""
    async with db.uow() as uow:
        for chat_id, text in items:
            payload = Message(text).to_payload()
            not_before = at + timedelta(seconds=delay)
            await uow.outbox.enqueue(chat_id, payload, text, at, not_before)
        await uow.commit()


async def rows(db) -> dict[str, Outbox]:
    """Every outbox row, by dedupe key."""
    async with db.uow() as uow:
        found = (await uow.session.exec(select(Outbox).order_by(col(Outbox.id)))).all()
        await uow.commit()  # keep the rows readable after the session closes
    return {row.dedupe_key: row for row in found}


async def drain(delivery: Delivery, rounds: int = 50) -> DeliveryReport:
    """Run rounds until one does nothing; the totals of all of them."""
    total = DeliveryReport()
    for _ in range(rounds):
        report = await delivery.run_once()
        total = DeliveryReport(
            sent=total.sent + report.sent,
            retried=total.retried + report.retried,
            failed=total.failed + report.failed,
            deferred=total.deferred + report.deferred,
            errors=total.errors + report.errors,
            next_due=report.next_due,
            leader=report.leader,
        )
        if not report.busy:
            return total
    raise AssertionError(f"still busy after {rounds} rounds")
