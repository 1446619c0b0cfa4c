"""The PNG plots of bench/load.py (matplotlib, no display)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from nlu import engine

PLOTS = engine.ROOT / "docs" / "benchmarks"
LEVELS_PNG = PLOTS / "load-levels.png"
SOAK_PNG = PLOTS / "soak-rss.png"
COLOURS = {"gateway": "tab:blue", "bare": "tab:orange"}
ROLE_COLOURS = {"rasa": "tab:red", "actions": "tab:green", "gateway": "tab:blue"}


def _pyplot() -> Any:
    os.environ.setdefault("MPLCONFIGDIR", str(engine.VAR / "matplotlib"))
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_levels(levels: list[dict[str, Any]], path: Path = LEVELS_PNG) -> Path:
    """Throughput and latency percentiles per concurrency level, gateway against bare Rasa."""
    plt = _pyplot()
    path.parent.mkdir(parents=True, exist_ok=True)
    counts = [level["conversations"] for level in levels]
    positions = list(range(len(levels)))
    figure, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2))
    width = 0.38
    for offset, target in ((-width / 2, "gateway"), (width / 2, "bare")):
        left.bar(
            [p + offset for p in positions],
            [level[target]["messages_per_s"] for level in levels],
            width,
            label="gateway API" if target == "gateway" else "bare Rasa REST",
            color=COLOURS[target],
        )
    left.set_xticks(positions, [str(c) for c in counts])
    left.set_xlabel("concurrent conversations")
    left.set_ylabel("messages answered per second")
    left.set_title("Sustained throughput")
    left.legend(loc="lower right")
    markers = {"p50_ms": "o", "p95_ms": "s", "p99_ms": "^"}
    for target, style in (("gateway", "-"), ("bare", "--")):
        for key, marker in markers.items():
            right.plot(
                positions,
                [level[target].get(key, float("nan")) for level in levels],
                linestyle=style,
                marker=marker,
                color=COLOURS[target],
                label=f"{'gateway' if target == 'gateway' else 'bare'} {key[:3]}",
            )
    right.set_xticks(positions, [str(c) for c in counts])
    right.set_yscale("log")
    right.set_xlabel("concurrent conversations")
    right.set_ylabel("latency (ms, log scale)")
    right.set_title("Latency percentiles")
    right.legend(fontsize="small", ncol=2)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path


def plot_soak(soak: dict[str, Any], path: Path = SOAK_PNG) -> Path:
    """Resident memory of each process over the soak, and the throughput per minute below it."""
    plt = _pyplot()
    path.parent.mkdir(parents=True, exist_ok=True)
    samples = soak["rss_samples"]
    minutes = [s["t_s"] / 60 for s in samples]
    figure, (top, bottom) = plt.subplots(
        2, 1, figsize=(10, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]}
    )
    for role, colour in ROLE_COLOURS.items():
        top.plot(minutes, [s[role] for s in samples], color=colour, label=role)
    top.set_ylabel("RSS (MB, process tree)")
    top.set_ylim(bottom=0)
    top.set_title(f"Soak: {soak['minutes']:g} min, {soak['conversations']} conversations")
    top.legend()
    per_minute = soak["per_minute"]
    bottom.bar([m["minute"] + 0.5 for m in per_minute], [m["messages_per_s"] for m in per_minute], 0.8)
    bottom.set_ylabel("messages/s")
    bottom.set_xlabel("minutes")
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
    return path
