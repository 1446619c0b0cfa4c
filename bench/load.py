"""Load and soak: the whole stack under concurrent conversations, and its memory over time.

    .venvs/app/bin/python -m bench.load [--duration-s 60] [--soak-minutes 30] [--levels 1,20,50]

Imports the seed and the demo dossiers into a private SQLite database, starts
the real stack on free loopback ports (action server, Rasa with
var/models/tthc.tar.gz, a gateway in front of them with the per-sender limit
lifted) and, after one untimed pass over every distinct message:

* load: for each level C, C simulated citizens (distinct senders) play short
  Vietnamese conversations back to back (greetings, procedure questions,
  fees and documents, a dossier lookup) for ``--duration-s`` through the
  gateway's API (``POST /api/v1/messages``), then the same through Rasa's
  REST channel (``/webhooks/rest/webhook``) on the same Rasa and action
  server. Messages answered per second and p50/p95/p99 latency of each, and
  their ratios (gateway / bare);
* soak: a steady moderate load through the gateway for ``--soak-minutes``
  (citizens who pause between messages), the resident memory of the Rasa,
  action server and gateway process trees sampled every 10 s. Memory is flat
  when its slope over the second half is under 5 % of its start per 10 minutes.

Writes bench/results/load.json, the "Load and soak" section of
docs/benchmarks.md and the plots in docs/benchmarks/ (after the load part,
then again after the soak).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import load_plots, loadgen
from bench.load_report import markdown
from bench.processes import (
    MESSAGES_PER_MINUTE,
    BenchStack,
    bench_stack,
    process_counts,
    rss_sample,
    rss_snapshot,
    seed,
)
from bench.report import RESULTS, percentile, save
from nlu import engine

LEVELS = (1, 20, 50)
DURATION_S = 60.0
SOAK_MINUTES = 30.0
SOAK_CONVERSATIONS = 10
SOAK_THINK_S = 2.0
RSS_EVERY_S = 10.0
# Flat: the second half's slope under this share of the start RSS per 10 minutes.
FLAT_SHARE_PER_10_MIN = 0.05
LOGS = engine.VAR / "bench-logs" / "load"


def slope_mb_per_10_min(points: list[tuple[float, float]]) -> float:
    """Least-squares slope of (seconds, MB) points, in MB per 10 minutes."""
    if len(points) < 2:
        return 0.0
    mean_t = sum(t for t, _ in points) / len(points)
    mean_m = sum(m for _, m in points) / len(points)
    spread = sum((t - mean_t) ** 2 for t, _ in points)
    if spread == 0:
        return 0.0
    slope_per_s = sum((t - mean_t) * (m - mean_m) for t, m in points) / spread
    return slope_per_s * 600


def memory_verdicts(samples: list[dict[str, float]], roles: list[str]) -> dict[str, dict[str, Any]]:
    """Start, end, max and slopes of each role's RSS; flat or not."""
    verdicts = {}
    half = samples[-1]["t_s"] / 2
    for role in roles:
        points = [(s["t_s"], s[role]) for s in samples]
        second = [(t, m) for t, m in points if t >= half]
        start = points[0][1]
        late = slope_mb_per_10_min(second)
        limit = FLAT_SHARE_PER_10_MIN * start
        verdicts[role] = {
            "start_mb": round(start, 1),
            "end_mb": round(points[-1][1], 1),
            "max_mb": round(max(m for _, m in points), 1),
            "slope_mb_per_10_min": round(slope_mb_per_10_min(points), 2),
            "second_half_slope_mb_per_10_min": round(late, 2),
            "limit_mb_per_10_min": round(limit, 1),
            "flat": late < limit,
        }
    return verdicts


def per_minute(recorder: loadgen.Recorder) -> list[dict[str, Any]]:
    """Messages answered per second and p95 latency, minute by minute of the soak."""
    buckets: dict[int, list[loadgen.Sample]] = {}
    for sample in recorder.samples:
        buckets.setdefault(int((sample.started - recorder.began) // 60), []).append(sample)
    rows = []
    for minute in sorted(buckets):
        answered = [s.latency_s * 1000 for s in buckets[minute] if s.ok]
        rows.append(
            {
                "minute": minute,
                "messages_per_s": round(len(answered) / 60, 2),
                "p95_ms": round(percentile(answered, 0.95), 1) if answered else None,
                "failed": sum(1 for s in buckets[minute] if not s.ok),
            }
        )
    return rows


def ratios(gateway: dict[str, Any], bare: dict[str, Any]) -> dict[str, float | None]:
    """Gateway over bare Rasa: throughput (below 1: the gateway is slower) and each percentile."""
    keys = ("messages_per_s", "p50_ms", "p95_ms", "p99_ms")
    return {
        key: round(gateway[key] / bare[key], 2) if gateway.get(key) and bare.get(key) else None
        for key in keys
    }


async def measure_level(stack: BenchStack, conversations: int, duration_s: float) -> dict[str, Any]:
    """One concurrency level through the gateway, then through bare Rasa."""
    warmup_s = min(10.0, duration_s / 6)
    level: dict[str, Any] = {"conversations": conversations}
    for target in (loadgen.Target("gateway", stack.gateway_url), loadgen.Target("bare", stack.rasa_url)):
        recorder = await loadgen.run(target, conversations, duration_s, warmup_s=warmup_s)
        start = recorder.began + warmup_s
        result = loadgen.summarise(recorder, start, start + duration_s)
        result["errors"] = recorder.errors
        result["rss_mb_after"] = rss_snapshot(stack.pids)
        result["load_1min_after"] = round(os.getloadavg()[0], 2)
        level[target.name] = result
        print(
            f"C={conversations:>3} {target.name:>7}: {result['messages_per_s']:6.2f} msg/s, "
            f"p50 {result.get('p50_ms')} ms, p95 {result.get('p95_ms')} ms, p99 {result.get('p99_ms')} ms, "
            f"failed {result['failed']}",
            flush=True,
        )
    level["ratio"] = ratios(level["gateway"], level["bare"])
    return level


async def soak(stack: BenchStack, minutes: float, conversations: int, think_s: float) -> dict[str, Any]:
    """A steady load through the gateway for ``minutes``, RSS sampled every 10 s."""
    origin = time.perf_counter()
    samples = [rss_sample(stack.pids, origin)]

    async def sample_forever() -> None:
        while True:
            await asyncio.sleep(RSS_EVERY_S)
            samples.append(rss_sample(stack.pids, origin))
            latest = samples[-1]
            if int(latest["t_s"]) % 60 < RSS_EVERY_S:
                print(
                    f"soak {latest['t_s'] / 60:5.1f} min: "
                    + ", ".join(f"{role} {latest[role]:.0f} MB" for role in stack.pids),
                    flush=True,
                )

    sampler = asyncio.create_task(sample_forever())
    target = loadgen.Target("gateway", stack.gateway_url)
    try:
        recorder = await loadgen.run(target, conversations, minutes * 60, think_s=think_s)
    finally:
        sampler.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await sampler
    samples.append(rss_sample(stack.pids, origin))
    traffic = loadgen.summarise(recorder, recorder.began, recorder.began + minutes * 60)
    traffic["errors"] = recorder.errors
    return {
        "minutes": minutes,
        "load_1min_end": round(os.getloadavg()[0], 1),
        "conversations": conversations,
        "think_s": think_s,
        "rss_every_s": RSS_EVERY_S,
        "flat_share_per_10_min": FLAT_SHARE_PER_10_MIN,
        "processes": process_counts(stack.pids),
        "traffic": traffic,
        "per_minute": per_minute(recorder),
        "memory": memory_verdicts(samples, list(stack.pids)),
        "rss_samples": samples,
    }


def write(results: dict[str, Any]) -> None:
    """The JSON, the plots and the doc section for what has been measured so far."""
    if results["levels"]:
        load_plots.plot_levels(results["levels"])
    if results.get("soak"):
        load_plots.plot_soak(results["soak"])
    save("load", results, markdown(results))


async def measure(stack: BenchStack, args: argparse.Namespace, results: dict[str, Any]) -> None:
    gateway, bare = loadgen.Target("gateway", stack.gateway_url), loadgen.Target("bare", stack.rasa_url)
    warmup_s = 0.0
    for target in (bare, gateway):
        seconds, errors = await loadgen.warm_up(target)
        warmup_s += seconds
        results.setdefault("warmup_errors", {})[target.name] = errors
        if errors:
            print(f"warning: the warm-up through {target.name} had failures: {errors}", flush=True)
    results["warmup_s"] = round(warmup_s, 1)
    results["rss_mb_start"] = rss_snapshot(stack.pids)
    print(f"==> stack up, warm ({results['warmup_s']} s); RSS {results['rss_mb_start']}", flush=True)
    for conversations in args.levels:
        results["levels"].append(await measure_level(stack, conversations, args.duration_s))
    if args.levels:
        write(results)
    minutes = args.soak_minutes
    if args.soak_until is not None:  # shorten the soak to end by then (machine time)
        now = datetime.now()
        until = now.replace(hour=args.soak_until.hour, minute=args.soak_until.minute, second=0)
        minutes = min(minutes, max(0.0, (until - now).total_seconds() / 60 // 1))
    if minutes > 0:
        results["soak"] = await soak(stack, minutes, args.soak_conversations, args.soak_think_s)
        for role, memory in results["soak"]["memory"].items():
            print(
                f"soak {role}: {memory['start_mb']} -> {memory['end_mb']} MB (max {memory['max_mb']}), "
                f"second half {memory['second_half_slope_mb_per_10_min']:+.1f} MB/10 min: "
                f"{'PASS' if memory['flat'] else 'FAIL'}",
                flush=True,
            )


def levels_arg(value: str) -> list[int]:
    return [int(part) for part in value.split(",") if part.strip()]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description="Load and soak benchmark.")
    parser.add_argument("--duration-s", type=float, default=DURATION_S, help="per level and target")
    parser.add_argument("--soak-minutes", type=float, default=SOAK_MINUTES, help="0: no soak")
    parser.add_argument("--levels", type=levels_arg, default=list(LEVELS), help="e.g. 1,20,50; '' for none")
    parser.add_argument("--soak-conversations", type=int, default=SOAK_CONVERSATIONS)
    parser.add_argument("--soak-think-s", type=float, default=SOAK_THINK_S, help="pause after each answer")
    parser.add_argument(
        "--soak-until",
        type=lambda value: datetime.strptime(value, "%H:%M"),
        default=None,
        help="HH:MM: end the soak by then (machine time) if it would last longer",
    )
    parser.add_argument("--model", type=Path, default=engine.model_path())
    args = parser.parse_args(argv)
    if not args.model.is_file():
        parser.error(f"no model at {args.model}: run `make train` first")
    results: dict[str, Any] = {
        "duration_s_per_level": args.duration_s,
        "levels": [],
        "soak": None,
        "soak_minutes_asked": args.soak_minutes,
        "messages_per_minute_limit": MESSAGES_PER_MINUTE,
        "scripts": [list(script) for script in loadgen.SCRIPTS],
    }
    if not args.levels:  # a soak alone keeps the levels measured before
        earlier = RESULTS / "load.json"
        if earlier.is_file():
            previous = json.loads(earlier.read_text(encoding="utf-8"))
            results["levels"] = previous.get("levels", [])
            results["levels_measured_at"] = previous.get("levels_measured_at") or previous.get("measured_at")
    with tempfile.TemporaryDirectory(prefix="bench-load-") as folder:
        started = time.perf_counter()
        database_url = seed(Path(folder))
        results["seed_s"] = round(time.perf_counter() - started, 1)
        print(f"==> seeded a private knowledge base in {results['seed_s']} s", flush=True)
        with bench_stack(args.model, database_url, LOGS) as stack:
            asyncio.run(measure(stack, args, results))
    write(results)


if __name__ == "__main__":
    main()
