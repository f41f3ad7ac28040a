"""What a failed send leads to: wait as asked, back off, or give up with the reason."""

from datetime import timedelta

from bot.delivery import GiveUp, Retry, exponential_backoff, judge
from handlers.chat import ChatGone, Rejected, RetryLater, Unreachable

DAY = timedelta(hours=24)


def test_backoff_doubles_from_two_seconds_up_to_ten_minutes():
    assert [exponential_backoff(n) for n in range(1, 6)] == [2, 4, 8, 16, 32]
    assert exponential_backoff(10) == 600
    assert exponential_backoff(10_000) == 600


def test_a_429_waits_as_long_as_telegram_asks_whatever_the_age():
    verdict = judge(RetryLater(17), attempts=50, age=2 * DAY, max_age=DAY)
    assert verdict == Retry(17, "RetryLater: Too Many Requests (retry after 17s)")


def test_permanent_errors_are_given_up_at_once():
    assert judge(ChatGone("Forbidden: bot was blocked by the user"), 1, timedelta(0), DAY) == (
        GiveUp("ChatGone: Forbidden: bot was blocked by the user")
    )
    assert isinstance(
        judge(Rejected("Bad Request: text is too long"), 1, timedelta(0), DAY), GiveUp
    )


def test_transient_errors_back_off_until_the_message_is_too_old():
    assert judge(Unreachable("502"), 3, timedelta(hours=1), DAY) == Retry(8, "Unreachable: 502")
    assert judge(ValueError("bug\nmore"), 1, timedelta(0), DAY, lambda n: 5) == Retry(
        5, "ValueError: bug"
    )
    verdict = judge(Unreachable("502"), 30, DAY, DAY)
    assert verdict == GiveUp("gave up 24.0 h after queueing, after 30 attempts: Unreachable: 502")
