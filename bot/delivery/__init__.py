"""Delivery of the outbox to Telegram: pacing under the rate limits, the loop, one sender."""

from bot.delivery.leader import AdvisoryLock, Leadership, SoleSender, leader_for
from bot.delivery.limits import RateLimiter, RateLimits
from bot.delivery.loop import Delivery, DeliveryReport
from bot.delivery.verdicts import GiveUp, Retry, exponential_backoff, judge

__all__ = [
    "AdvisoryLock",
    "Delivery",
    "DeliveryReport",
    "GiveUp",
    "Leadership",
    "RateLimiter",
    "RateLimits",
    "Retry",
    "SoleSender",
    "exponential_backoff",
    "judge",
    "leader_for",
]
