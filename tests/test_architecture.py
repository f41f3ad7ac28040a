"""The dependency rule of docs/architecture.md, checked on every import in the tree."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ["bot", "handlers", "tickets", "triage", "storage", "scheduler"]
TELEGRAM = {"aiogram", "telegram"}
DATABASE = {"sqlalchemy", "sqlmodel", "alembic", "aiosqlite", "asyncpg"}

# package -> top-level modules it must never import
FORBIDDEN = {
    "tickets": {"bot", "handlers", "storage", "scheduler", "triage"} | TELEGRAM | DATABASE,
    "triage": {"bot", "handlers", "storage", "scheduler"} | TELEGRAM | DATABASE,
    "storage": {"bot", "handlers", "scheduler", "triage"} | TELEGRAM,
    "handlers": {"bot", "scheduler"} | TELEGRAM,
    "scheduler": {"bot"} | TELEGRAM,
    "bot": set(),
}


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module a file imports, wherever the import statement is."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", PACKAGES)
def test_package_respects_the_dependency_rule(package):
    breaches = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in sources(package)
        for name in sorted(imported_modules(path) & FORBIDDEN[package])
    ]
    assert breaches == []


def test_every_package_is_covered():
    assert all(sources(package) for package in PACKAGES)
    assert set(FORBIDDEN) == set(PACKAGES)


def test_the_checker_sees_imports_inside_functions(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from aiogram import Bot\n    import telegram.ext\n")
    assert imported_modules(sample) == {"aiogram", "telegram"}
