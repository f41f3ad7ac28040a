"""Shared fixtures for the pure-domain unit tests (no database, no network, no bot)."""

from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from tickets.policy import SlaPolicy

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONFIG = REPO_ROOT / "community.example.yaml"


@pytest.fixture
def shanghai() -> ZoneInfo:
    """The compounds' local time zone (no DST, UTC+8)."""
    return ZoneInfo("Asia/Shanghai")


@pytest.fixture
def policy() -> SlaPolicy:
    """The default service clock, quiet hours included."""
    return SlaPolicy()


@pytest.fixture
def example_data() -> dict:
    """community.example.yaml as loaded YAML, fresh for each test so it may be edited."""
    with EXAMPLE_CONFIG.open(encoding="utf-8") as f:
        return yaml.safe_load(f)
