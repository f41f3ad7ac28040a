"""`python -m bot triage ...`: classify a file, evaluate, train, cross-validate."""

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from triage import dataset, evaluate
from triage.fusion import Triage, classify


def arguments(command: argparse.ArgumentParser) -> argparse._SubParsersAction:
    """The triage command line: `--jsonl FILE`, or one of train, eval, cv; returns the actions."""
    command.add_argument(
        "--jsonl",
        metavar="FILE",
        type=Path,
        help='classify each line {"id", "text"} of FILE ("-" for stdin) and write one JSON '
        "line per input to stdout",
    )
    actions = command.add_subparsers(dest="action", metavar="ACTION")
    actions.add_parser("train", help="train the model on triage/data/train/ and write it")
    check = actions.add_parser(
        "eval", help="accuracy, macro-F1, per-class figures and confusion matrices for a "
        "labelled file"
    )  # fmt: skip
    check.add_argument("file", type=Path, help="JSON Lines with id, text, urgency, category, route")
    check.add_argument("--json", action="store_true", help="also print the figures as JSON")
    folds = actions.add_parser(
        "cv", help="cross-validated figures on the training data (for tuning rules)"
    )
    folds.add_argument("--errors", action="store_true", help="list every wrong triage")
    return actions


def as_json(item_id: object, result: Triage) -> dict:
    """One output line of `--jsonl`."""
    return {
        "id": item_id,
        "urgency": result.urgency.value,
        "category": result.category.value,
        "route": result.route.value,
        "confidence": result.confidence,
        "rules": list(result.rules),
    }


def classify_lines(lines: TextIO) -> Iterator[dict]:
    """Triage of each input line; a line that is not JSON gets an `error` instead."""
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            yield as_json(row.get("id"), classify(row.get("text")))
        except (ValueError, AttributeError) as error:
            yield {"id": None, "line": number, "error": f"not a JSON object: {error}"}


def _classify_file(path: Path) -> int:
    with sys.stdin if str(path) == "-" else path.open(encoding="utf-8") as lines:
        for out in classify_lines(lines):
            print(json.dumps(out, ensure_ascii=False))
    return 0


def _eval(path: Path, as_figures: bool) -> int:
    examples = dataset.read(path)
    results = [classify(e.text) for e in examples]
    result = evaluate.report(examples, results)
    print(evaluate.render(result))
    if as_figures:
        print(json.dumps(evaluate.figures(result)))
    return 0


def _cv(errors: bool) -> int:
    from triage.train import cross_validate

    examples, results = cross_validate(dataset.read_all(dataset.training_files()))
    print(evaluate.render(evaluate.report(examples, results)))
    if errors:
        for e, r in zip(examples, results, strict=True):
            if (e.urgency, e.category) != (r.urgency, r.category):
                print(
                    f"{e.id}\t{e.urgency}/{e.category} -> {r.urgency}/{r.category} "
                    f"({r.confidence})\t{e.text}\t{' '.join(r.rules)}"
                )
    return 0


def run(args: argparse.Namespace) -> int:
    """Do what the command line asked; exit code 2 when it asked for nothing."""
    if args.jsonl:
        return _classify_file(args.jsonl)
    if args.action == "train":
        from triage.train import train

        train()
        return 0
    if args.action == "eval":
        return _eval(args.file, args.json)
    if args.action == "cv":
        return _cv(args.errors)
    print("say what to do: --jsonl FILE, train, eval FILE or cv (see --help)", file=sys.stderr)
    return 2
