"""`python -m benchmarks NAME`: run one benchmark (or `all`), print a table and a JSON line."""

import argparse
import asyncio
import json
import sys
from collections.abc import Sequence

from benchmarks import delivery, sweep, triage

BENCHMARKS = {"delivery": delivery, "sweep": sweep, "triage": triage}


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the command line and run the chosen benchmarks."""
    root = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    root.add_argument("name", choices=[*BENCHMARKS, "all"])
    for module in BENCHMARKS.values():
        module.add_arguments(root)
    args = root.parse_args(argv)
    chosen = BENCHMARKS if args.name == "all" else {args.name: BENCHMARKS[args.name]}
    figures = {name: asyncio.run(module.run(args)) for name, module in chosen.items()}
    print(json.dumps(figures, ensure_ascii=False, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
