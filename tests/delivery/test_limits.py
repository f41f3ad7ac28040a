"""The rate limiter keeps every sliding window, waits just long enough, and forgets the past."""

import asyncio

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.delivery.limits import RateLimiter, RateLimits
from tests.delivery.fakes import FakeClock

SPAN = 1 / 0.95  # one second, stretched by the default headroom
GROUP_SPAN = 60 / 0.95
GAP = SPAN / 30  # the bot-wide pace: thirty per stretched second, evenly spaced


def limiter(limits: RateLimits | None = None) -> tuple[RateLimiter, FakeClock]:
    clock = FakeClock()
    return RateLimiter(limits or RateLimits(), clock.monotonic, clock.sleep), clock


async def test_one_message_per_chat_per_window_and_other_chats_wait_only_for_the_pace():
    rate, clock = limiter()
    await rate.acquire(5)
    assert rate.wait_time(5) == pytest.approx(SPAN)
    assert rate.wait_time(6) == pytest.approx(GAP)
    clock.advance(0.5)
    assert rate.wait_time(5) == pytest.approx(SPAN - 0.5)
    await rate.acquire(5)
    assert clock.t == pytest.approx(SPAN)
    assert sum(clock.slept) == pytest.approx(SPAN - 0.5)


async def test_the_bot_sends_thirty_per_window_evenly_spaced_over_all_chats():
    rate, clock = limiter()
    for chat in range(30):
        await rate.acquire(chat)
    assert clock.t == pytest.approx(29 * GAP)  # no burst: a late burst could overrun a window
    assert rate.wait_time(99) == pytest.approx(GAP)
    await rate.acquire(99)
    assert clock.t == pytest.approx(SPAN)


async def test_a_group_gets_twenty_per_stretched_minute():
    rate, clock = limiter()
    for _ in range(20):
        await rate.acquire(-100)
    assert clock.t == pytest.approx(19 * SPAN)
    assert rate.wait_time(-100) == pytest.approx(GROUP_SPAN - 19 * SPAN)
    assert rate.wait_time(100) == pytest.approx(GAP)  # a private chat: only the bot's pace


async def test_a_send_in_several_parts_counts_each_part():
    rate, _ = limiter(RateLimits(global_per_second=5, chat_per_second=5))
    await rate.acquire(1, parts=4)
    assert rate.wait_time(2, parts=1) == pytest.approx(4 * SPAN / 5)  # four paces taken
    assert rate.wait_time(1, parts=2) == pytest.approx(SPAN)  # the chat's own window is full


async def test_a_request_larger_than_a_window_waits_for_the_window_to_empty():
    rate, clock = limiter()
    await rate.acquire(7)
    await rate.acquire(7, parts=3)  # an album to a private chat: 3 parts, 1 per window
    assert clock.t == pytest.approx(SPAN)
    assert rate.wait_time(7) == pytest.approx(SPAN)  # all three must leave the window


async def test_hold_stops_one_chat_and_hold_all_stops_every_chat():
    rate, clock = limiter()
    rate.hold(7, 30)
    assert rate.wait_time(7) == 30
    assert rate.wait_time(8) == 0
    await rate.acquire(7)
    assert clock.t == pytest.approx(30)
    rate.hold_all(5)
    assert rate.wait_time(8) == pytest.approx(5)
    await rate.acquire(8)
    assert clock.t == pytest.approx(35)
    assert rate.wait_time(9) == pytest.approx(GAP)


async def test_a_shorter_hold_does_not_shorten_a_longer_one():
    rate, _ = limiter()
    rate.hold(7, 30)
    rate.hold(7, 2)
    assert rate.wait_time(7) == 30


async def test_off_never_waits_but_still_honours_a_hold():
    rate, clock = limiter(RateLimits.off())
    for _ in range(500):
        await rate.acquire(-100, parts=10)
    assert clock.slept == []
    rate.hold(-100, 3)
    await rate.acquire(-100)
    assert clock.t == pytest.approx(3)


async def test_ready_waits_for_the_chat_without_taking_a_slot():
    rate, clock = limiter()
    await rate.acquire(5)
    await rate.ready(5)
    assert clock.t == pytest.approx(SPAN)
    await rate.ready(5)  # nothing was taken: still ready
    assert clock.t == pytest.approx(SPAN)


async def test_wait_time_changes_nothing():
    rate, _ = limiter()
    assert rate.wait_time(42, parts=3) == 0
    assert rate.tracked_chats == 0


async def test_memory_is_bounded_idle_chats_are_forgotten():
    rate, clock = limiter()
    for chat in range(-500, 500):
        await rate.acquire(chat)
    assert rate.tracked_chats == 1000
    clock.advance(2 * GROUP_SPAN)
    await rate.acquire(1)
    assert rate.tracked_chats == 1
    window = rate._chats[1].windows[0]
    assert len(window.events) == 1
    assert rate._pace is not None and rate._pace.free_at == pytest.approx(clock.t + GAP)


def test_limits_are_validated():
    with pytest.raises(ValueError):
        RateLimits(chat_per_second=0)
    with pytest.raises(ValueError):
        RateLimits(headroom=1.5)


def heaviest_window(events: list[tuple[float, int]], span: float) -> int:
    """The most parts inside any window [t, t + span) that starts at an event."""
    return max(
        (sum(p for u, p in events if t <= u < t + span) for t, _ in events),
        default=0,
    )


SMALL = RateLimits(global_per_second=4, chat_per_second=2, group_per_minute=3)
CHATS = [1, 2, 3, -10, -20]
requests = st.lists(
    st.tuples(st.sampled_from(CHATS), st.integers(1, 2), st.floats(0, 3)),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(requests)
def test_concurrent_acquires_never_overrun_a_window_and_keep_arrival_order(batch):
    rate, clock = limiter(SMALL)
    granted: list[tuple[int, int, float, int]] = []  # (chat, arrival, when, parts)
    arrivals = iter(range(len(batch)))

    async def one(chat: int, parts: int, delay: float) -> None:
        await clock.sleep(delay)
        arrival = next(arrivals)
        await rate.acquire(chat, parts)
        granted.append((chat, arrival, clock.t, parts))

    async def main() -> None:
        await asyncio.gather(*(one(*request) for request in batch))

    asyncio.run(main())
    assert len(granted) == len(batch)
    everything = [(when, parts) for _, _, when, parts in granted]
    assert heaviest_window(everything, 1.0) <= 4
    for chat in CHATS:
        mine = [g for g in granted if g[0] == chat]
        assert heaviest_window([(w, p) for _, _, w, p in mine], 1.0) <= 2
        if chat < 0:
            assert heaviest_window([(w, p) for _, _, w, p in mine], 60.0) <= 3
        arrivals_in_grant_order = [arrival for _, arrival, _, _ in mine]
        assert arrivals_in_grant_order == sorted(arrivals_in_grant_order)


async def test_a_prepaid_send_is_not_counted_again_once():
    rate, clock = limiter()
    await rate.acquire(5)
    with rate.prepaid(5):
        await rate.acquire(5)  # the transport pacing the same send: free
        assert clock.slept == []
        assert rate._pace is not None and rate._pace.free_at == pytest.approx(GAP)
        await rate.acquire(6)  # another chat is not prepaid: it waits for the pace
        await rate.acquire(5)  # a second send is paced again
    assert clock.t == pytest.approx(SPAN)


async def test_a_prepaid_send_is_free_once_even_when_a_child_task_shares_it():
    rate, clock = limiter()
    await rate.acquire(5)
    with rate.prepaid(5):
        await asyncio.create_task(asyncio.sleep(0))  # tasks made inside copy the context...
        other = asyncio.create_task(rate.acquire(5))
        await rate.acquire(5)  # ...but the token is used once, by whoever comes first
        await other
    assert clock.t == pytest.approx(SPAN)
