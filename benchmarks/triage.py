"""Triage speed and memory on one core: one request at a time (p50, p95) and a batch of 1,000.

Measured in a fresh process pinned to one CPU, so the figures hold whatever else is loaded.
Memory is the resident set size of that process before `import triage` and after the model is
loaded and has classified everything. The baseline, measured in the same run, is the rule layer
alone (normalise and judge): the ratio says what the model adds.
Targets (triage issue): p95 under 20 ms, 1,000 requests under 2 s, the loaded model under 150 MB.
"""

import argparse
import asyncio
import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """This benchmark's options."""
    group = parser.add_argument_group("triage")
    group.add_argument("--requests", type=int, default=1000, help="requests per batch (1000)")


def _rss_mb() -> float:
    """Resident set size of this process, in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _texts(count: int) -> list[str]:
    """Real requests from the labelled data, repeated if fewer than `count`."""
    from triage import dataset

    texts = [e.text for e in dataset.read_all(dataset.training_files())]
    return (texts * (count // len(texts) + 1))[:count]


def _timings(function, texts: list[str]) -> list[float]:
    """Milliseconds per call of `function` on each text."""
    result = []
    for text in texts:
        start = time.perf_counter()
        function(text)
        result.append((time.perf_counter() - start) * 1000)
    return result


def probe(count: int) -> dict[str, float]:
    """The measurements, in this (fresh, pinned) process."""
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    before = _rss_mb()
    start = time.perf_counter()
    from triage import classify
    from triage.model import shipped
    from triage.normalize import normalize
    from triage.rules import judge

    shipped()
    load_s = time.perf_counter() - start
    texts = _texts(count)
    classify(texts[0])  # warm the regular expressions' cache
    single = _timings(classify, texts)
    rules = _timings(lambda text: judge(normalize(text)), texts)
    start = time.perf_counter()
    for text in texts:
        classify(text)
    batch_s = time.perf_counter() - start
    longest = _timings(classify, ["楼道的灯坏了,电梯也不动了,煤气味好重," * 216] * 20)
    quantiles = statistics.quantiles(single, n=100)
    return {
        "requests": count,
        "load_s": round(load_s, 3),
        "p50_ms": round(statistics.median(single), 3),
        "p95_ms": round(quantiles[94], 3),
        "max_ms": round(max(single), 3),
        "batch_s": round(batch_s, 3),
        "longest_ms": round(statistics.median(longest), 1),
        "rules_only_p95_ms": round(statistics.quantiles(rules, n=100)[94], 3),
        "model_cost_ratio": round(sum(single) / sum(rules), 2),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(_rss_mb(), 1),
        "model_rss_mb": round(_rss_mb() - before, 1),
    }


async def run(args: argparse.Namespace) -> dict[str, Any]:
    """Measure in a fresh process and print a table."""
    code = "import json; from benchmarks.triage import probe; "
    code += f"print(json.dumps(probe({args.requests})))"
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-c", code, cwd=ROOT, stdout=asyncio.subprocess.PIPE
    )
    out, _ = await child.communicate()
    if child.returncode:
        raise RuntimeError(f"the triage probe failed with exit code {child.returncode}")
    figures = json.loads(out.decode().splitlines()[-1])
    rows = [
        ("one request, p50", f"{figures['p50_ms']} ms", ""),
        ("one request, p95", f"{figures['p95_ms']} ms", "< 20 ms"),
        (f"batch of {figures['requests']}", f"{figures['batch_s']} s", "< 2 s (1,000)"),
        ("a 4,096-character message", f"{figures['longest_ms']} ms", ""),
        ("rules alone, p95 (baseline)", f"{figures['rules_only_p95_ms']} ms", ""),
        ("classify / rules alone", f"{figures['model_cost_ratio']}x", ""),
        ("model load", f"{figures['load_s']} s", ""),
        ("memory of the loaded model", f"{figures['model_rss_mb']} MB", "< 150 MB"),
        ("process RSS after", f"{figures['rss_after_mb']} MB", ""),
    ]
    print(f"{'triage (one core)':32}{'measured':>14}{'target':>16}")
    for name, value, target in rows:
        print(f"{name:32}{value:>14}{target:>16}")
    return figures
