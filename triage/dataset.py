"""The labelled requests the model learns from and is measured on (JSON Lines under data/)."""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from tickets.labels import Category, Route, Urgency

DATA = Path(__file__).parent / "data"
TRAINING = DATA / "train"  # every *.jsonl here, corrections from handlers included
HELD_OUT = DATA / "heldout" / "heldout.jsonl"  # never trained or tuned on; measured once
CORRECTIONS = TRAINING / "corrections.jsonl"  # exported from the database by handlers' re-triage


@dataclass(frozen=True)
class Example:
    """One request as a person labelled it, following the triage guide."""

    id: str
    text: str
    urgency: Urgency
    category: Category
    route: Route
    lang: str = "zh"  # zh, en or mixed
    hard: bool = False  # a close case that words alone get wrong


class BadExample(ValueError):
    """A line of a data file that does not follow the format or the guide."""


def parse(line: str, where: str) -> Example:
    """One JSON line as an example; BadExample names the file, line and the problem."""
    try:
        row = json.loads(line)
        example = Example(
            id=str(row["id"]),
            text=str(row["text"]),
            urgency=Urgency(row["urgency"]),
            category=Category(row["category"]),
            route=Route(row["route"]),
            lang=row.get("lang", "zh"),
            hard=bool(row.get("hard", False)),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise BadExample(f"{where}: {error!r}") from error
    if example.route is not example.category.default_route:
        raise BadExample(
            f"{where}: route {example.route} does not match category {example.category} "
            f"(the guide routes it to {example.category.default_route})"
        )
    return example


def read(path: Path) -> list[Example]:
    """Every example of one JSON Lines file, blank lines skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [parse(line, f"{path}:{n}") for n, line in enumerate(lines, 1) if line.strip()]


def training_files(folder: Path = TRAINING) -> list[Path]:
    """The training files, in a fixed order so training is reproducible."""
    return sorted(folder.glob("*.jsonl"))


def read_all(paths: Iterable[Path]) -> list[Example]:
    """The examples of several files; an id or text seen twice is an error."""
    examples = [e for path in paths for e in read(path)]
    for key in ("id", "text"):
        seen: set[str] = set()
        for example in examples:
            value = getattr(example, key)
            if value in seen:
                raise BadExample(f"{key} {value!r} appears twice in {', '.join(map(str, paths))}")
            seen.add(value)
    return examples


def fingerprint(paths: Iterable[Path]) -> str:
    """SHA-256 over the files' names and bytes: which data a model was trained on."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def to_line(example: Example) -> str:
    """One example as a JSON line, Chinese kept readable."""
    return json.dumps(asdict(example), ensure_ascii=False)


def write_new(examples: Iterable[Example], out: Path, folder: Path = TRAINING) -> tuple[int, int]:
    """Write to `out` the examples whose text is new to the other files of `folder`.

    Returns (written, skipped): an empty text or one seen already is skipped, since training
    refuses a text seen twice. `out` is rewritten whole.
    """
    others = [p for p in training_files(folder) if p.resolve() != out.resolve()]
    seen = {e.text for e in read_all(others)}
    kept, skipped = [], 0
    for example in examples:
        if not example.text.strip() or example.text in seen:
            skipped += 1
            continue
        seen.add(example.text)
        kept.append(example)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(f"{line}\n" for line in lines(kept)), encoding="utf-8")
    return len(kept), skipped


def lines(examples: Iterable[Example]) -> Iterator[str]:
    """Examples as JSON lines, for writing a data file."""
    return (to_line(e) for e in examples)
