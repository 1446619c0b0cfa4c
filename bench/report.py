"""Write benchmark results: JSON under bench/results/, a section of docs/benchmarks.md."""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DOC = ROOT / "docs" / "benchmarks.md"
HEADER = (
    "# Benchmarks\n\n"
    "Written by `make bench` (scripts in `bench/`, raw numbers in `bench/results/`). "
    "Each section says when and on what machine it was measured.\n"
)


def machine() -> str:
    """One line describing where the numbers come from, with the load then."""
    cores = subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    load = os.getloadavg()[0]
    return (
        f"{platform.machine()}, {cores} cores, Python {platform.python_version()}, 1-minute load {load:.1f}"
    )


def save(name: str, results: dict[str, Any], markdown: str) -> None:
    """Store ``results`` as JSON and replace the ``name`` section of the doc."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    stamped = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        **results,
    }
    (RESULTS / f"{name}.json").write_text(
        json.dumps(stamped, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    begin, end = f"<!-- bench:{name} -->", f"<!-- /bench:{name} -->"
    section = (
        f"{begin}\n{markdown.strip()}\n\n_Measured {stamped['measured_at']} on {stamped['machine']}._\n{end}"
    )
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else HEADER
    pattern = re.compile(re.escape(begin) + r".*?" + re.escape(end), re.DOTALL)
    text = pattern.sub(lambda _: section, text) if pattern.search(text) else f"{text.rstrip()}\n\n{section}\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"==> {DOC.relative_to(ROOT)} ({name}) and bench/results/{name}.json updated")


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (0..1) of ``values``, nearest-rank."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]
