"""Fixtures for runs of the real process."""

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A fresh directory holding the example community file, as a new checkout would."""
    shutil.copy(ROOT / "community.example.yaml", tmp_path / "community.example.yaml")
    return tmp_path
