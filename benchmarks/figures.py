"""Benchmark figures: printed as they come, and appended to a file that outlives the run.

Every figure carries its yardstick (what the same machine does on the same
data with the bare library), so a slow machine reads as a slow machine and not
as a regression. The file is JSON lines, one figure each, in
``test-artifacts/bench/figures.jsonl`` (``BENCH_FIGURES`` to change it).
"""

from __future__ import annotations

import datetime
import json
import os
import platform
import subprocess
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIGURES = Path(os.environ.get("BENCH_FIGURES", ROOT / "test-artifacts" / "bench" / "figures.jsonl"))


def _revision() -> str:
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def figure(
    bench: str,
    label: str,
    value: float,
    unit: str,
    *,
    yardstick: float | None = None,
    yardstick_label: str = "",
    note: str = "",
) -> None:
    """Print one figure (with its yardstick) and append it to the figures file."""
    stick = f" (yardstick, {yardstick_label}: {yardstick:,.2f} {unit})" if yardstick is not None else ""
    extra = f"; {note}" if note else ""
    print(f"\n[bench {bench}] {label}: {value:,.2f} {unit}{stick}{extra}")
    FIGURES.parent.mkdir(parents=True, exist_ok=True)
    with FIGURES.open("a", encoding="utf-8") as file:
        record = {
            "at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "revision": _revision(),
            "machine": f"{platform.node()} ({os.cpu_count()} cores)",
            "bench": bench,
            "label": label,
            "value": round(value, 4),
            "unit": unit,
            "yardstick": None if yardstick is None else round(yardstick, 4),
            "yardstick_label": yardstick_label,
            "note": note,
        }
        file.write(json.dumps(record, ensure_ascii=False) + "\n")


def timed(fn: Callable[[], Any], *, trace: bool = False) -> tuple[float, float | None, Any]:
    """Seconds of one call, the peak of Python memory in MiB when ``trace`` (tracemalloc slows it), the result."""
    if trace:
        tracemalloc.start()
    started = time.perf_counter()
    result = fn()
    seconds = time.perf_counter() - started
    peak = None
    if trace:
        peak = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return seconds, peak, result
