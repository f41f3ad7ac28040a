"""The sliding-window arithmetic of the flood limits, with an injected clock."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.sandbox.limits import Limits, RateLimiter, retry_after, wait_time
from tests.sandbox.helpers import Clock


def test_an_empty_window_lets_anything_through():
    assert wait_time([], now=5.0, window=1.0, limit=1, count=1) == 0.0
    assert wait_time([], now=5.0, window=1.0, limit=1, count=5) == 0.0  # an album of 5


def test_a_full_window_waits_for_the_oldest_stamp_to_expire():
    assert wait_time([4.5], now=5.0, window=1.0, limit=1, count=1) == pytest.approx(0.5)
    assert wait_time([4.2, 4.6], now=5.0, window=1.0, limit=2, count=1) == pytest.approx(0.2)
    assert wait_time([4.2, 4.6], now=5.0, window=1.0, limit=2, count=2) == pytest.approx(0.6)


def test_expired_stamps_do_not_count():
    assert wait_time([3.0, 4.0], now=5.0, window=1.0, limit=1, count=1) == 0.0


def test_a_batch_larger_than_the_limit_waits_for_an_empty_window():
    assert wait_time([4.5], now=5.0, window=1.0, limit=1, count=3) == 0.5


def test_retry_after_is_whole_seconds_rounded_up_and_at_least_one():
    assert retry_after(0.01) == 1
    assert retry_after(1.0) == 1
    assert retry_after(1.2) == 2
    assert retry_after(59.5) == 60


@given(
    st.lists(st.floats(0, 10, allow_nan=False), max_size=30),
    st.floats(0, 10, allow_nan=False),
    st.integers(1, 5),
    st.integers(1, 5),
)
def test_after_the_wait_the_batch_fits(stamps, now, limit, count):
    wait = wait_time(stamps, now, 1.0, limit, count)
    assert wait >= 0
    later = now + wait + 1e-9
    live = [stamp for stamp in stamps if stamp > later - 1.0 and stamp <= now]
    assert (
        not live or len(live) + count <= limit or wait_time(stamps, later, 1.0, limit, count) == 0
    )


def test_the_limiter_refuses_without_counting_and_allows_after_the_window():
    clock = Clock()
    limiter = RateLimiter(Limits(global_per_second=None, chat_per_second=1), clock)
    assert limiter.acquire(1) == 0
    assert limiter.acquire(1) == 1
    clock.now += 0.4
    assert limiter.acquire(1) == 1  # 0.6 s left, rounded up
    assert limiter.acquire(2) == 0  # another chat has its own window
    clock.now += 0.6
    assert limiter.acquire(1) == 0


def test_the_global_window_spans_all_chats():
    clock = Clock()
    limiter = RateLimiter(Limits(global_per_second=3, chat_per_second=None), clock)
    assert [limiter.acquire(chat) for chat in (1, 2, 3, 4)] == [0, 0, 0, 1]
    clock.now += 1.0
    assert limiter.acquire(4) == 0


def test_groups_have_a_per_minute_window():
    clock = Clock()
    limits = Limits(global_per_second=None, chat_per_second=None, group_per_minute=2)
    limiter = RateLimiter(limits, clock)
    assert limiter.acquire(-5) == 0
    clock.now += 10
    assert limiter.acquire(-5) == 0
    assert limiter.acquire(-5) == 50
    assert limiter.acquire(7) == 0  # private chats have no per-minute limit
    clock.now += 50
    assert limiter.acquire(-5) == 0


def test_an_album_counts_every_item():
    clock = Clock()
    limiter = RateLimiter(Limits(global_per_second=5, chat_per_second=None), clock)
    assert limiter.acquire(1, count=4) == 0
    assert limiter.acquire(2, count=2) == 1
    assert limiter.acquire(2, count=1) == 0


def test_off_switches_every_limit_off():
    limiter = RateLimiter(Limits.off(), Clock())
    assert all(limiter.acquire(-1) == 0 for _ in range(1000))
    assert not Limits.off().enabled
    assert Limits().enabled
    assert Limits() == Limits(global_per_second=30, chat_per_second=1, group_per_minute=20)
