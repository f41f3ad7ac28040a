"""Fixtures for the delivery tests: a fake clock, a fake chat, and deliveries closed after use."""

from collections.abc import AsyncIterator, Callable

import pytest

from bot.delivery import Delivery, RateLimiter, RateLimits
from tests.delivery.fakes import FakeChat, FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def chat(clock: FakeClock) -> FakeChat:
    return FakeChat(clock)


@pytest.fixture
async def delivery(db, clock, chat) -> AsyncIterator[Callable[..., Delivery]]:
    """Make deliveries on the test database (no rate limits unless given); all closed after."""
    made: list[Delivery] = []

    def make(**options) -> Delivery:
        limits = options.pop("limits", RateLimits.off())
        limiter = RateLimiter(limits, clock.monotonic, clock.sleep)
        options = {"idle_poll": 0.01, **options}
        uow_factory = options.pop("uow_factory", db.uow)
        made.append(Delivery(uow_factory, options.pop("chat", chat), limiter, clock.now, **options))
        return made[-1]

    yield make
    for each in made:
        await each.close()
