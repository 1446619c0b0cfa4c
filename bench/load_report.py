"""The "Load and soak" section of docs/benchmarks.md, from bench/load.py's results."""

from __future__ import annotations

import os
from typing import Any

from bench import loadgen

FULL_SOAK_MINUTES = 30


def _ms(value: float | None) -> str:
    return f"{value:,.0f}" if value is not None else "–"


def _ratio(value: float | None) -> str:
    return f"{value:.2f}" if value is not None else "–"


def _levels(results: dict[str, Any]) -> str:
    levels = results["levels"]
    if not levels:
        return "The load part was not run."
    rows = []
    for level in levels:
        for target, label in (("gateway", "gateway API"), ("bare", "bare Rasa REST")):
            r = level[target]
            rows.append(
                f"| {level['conversations']} | {label} | {r['messages']} | {r['messages_per_s']:.2f} "
                f"| {_ms(r.get('p50_ms'))} | {_ms(r.get('p95_ms'))} | {_ms(r.get('p99_ms'))} | {r['failed']} "
                f"| {r.get('load_1min_after', 0):.1f} |"
            )
    ratio_rows = "\n".join(
        f"| {level['conversations']} | {_ratio(level['ratio']['messages_per_s'])} "
        f"| {_ratio(level['ratio']['p50_ms'])} | {_ratio(level['ratio']['p95_ms'])} "
        f"| {_ratio(level['ratio']['p99_ms'])} |"
        for level in levels
    )
    table = "\n".join(rows)
    summary = _levels_summary(levels)
    if results.get("levels_measured_at"):
        summary += (
            f"\n\nThese levels were measured at {results['levels_measured_at']}, before the soak below."
        )
    return f"""| conversations | through | messages | answered/s | p50 (ms) | p95 (ms) | p99 (ms) | failed | 1-min load after |
|---:|---|---:|---:|---:|---:|---:|---:|---:|
{table}

Ratios, gateway / bare Rasa (throughput below 1 and latency above 1: the gateway costs that much):

| conversations | throughput | p50 | p95 | p99 |
|---:|---:|---:|---:|---:|
{ratio_rows}

{summary}

![Throughput and latency percentiles per level, gateway against bare Rasa](benchmarks/load-levels.png)"""


def _levels_summary(levels: list[dict[str, Any]]) -> str:
    """What the table says, in two sentences."""
    first = levels[0]
    gateway, bare = first["gateway"], first["bare"]
    text = ""
    if gateway.get("p50_ms") is not None and bare.get("p50_ms") is not None:
        text = (
            f"With {first['conversations']} conversation{'s' if first['conversations'] > 1 else ''} "
            f"the gateway adds {gateway['p50_ms'] - bare['p50_ms']:.0f} ms at p50 "
            f"({gateway['p50_ms']:.0f} against {bare['p50_ms']:.0f} ms): its checks, the per-sender order "
            "and the conversation log written before and after each answer."
        )
    busy = levels[1:]
    if busy:
        peak = max(level[t]["messages_per_s"] for level in levels for t in ("gateway", "bare"))
        throughput = [level["ratio"]["messages_per_s"] for level in busy if level["ratio"]["messages_per_s"]]
        text += (
            f" Throughput hardly grows beyond one conversation's (at most {peak:.1f} messages/s through either "
            "path): Rasa is one CPU-bound process, so at "
            f"{' and '.join(str(level['conversations']) for level in busy)} conversations it is saturated and "
            "the latency is mostly the wait in its queue, growing with the number of conversations."
        )
        if throughput:
            low, high = min(throughput), max(throughput)
            text += (
                f" The throughput ratios there go both ways ({low:.2f} to {high:.2f}): the gateway cannot make "
                "Rasa faster, so a ratio above 1 is run-to-run variation on this shared 2-core machine (the load "
                f"generator runs on it too), and differences of up to about {high - 1:.0%} are not significant. "
                "Below 1, part may be real: on the same two cores, the gateway's own work competes with Rasa."
                if low < 1 < high
                else f" The throughput ratios there: {low:.2f} to {high:.2f}."
            )
    return text


def _soak(results: dict[str, Any]) -> str:
    soak = results.get("soak")
    asked = results["soak_minutes_asked"]
    if not soak:
        return (
            "The soak was not run in this measurement. Run it with "
            f"`.venvs/app/bin/python -m bench.load --soak-minutes {FULL_SOAK_MINUTES}` (`make bench` does)."
        )
    traffic = soak["traffic"]
    share = soak["flat_share_per_10_min"] * 100
    rows = "\n".join(
        f"| {role} | {soak['processes'].get(role, 1)} | {m['start_mb']:,.0f} | {m['end_mb']:,.0f} "
        f"| {m['max_mb']:,.0f} | {m['slope_mb_per_10_min']:+.1f} | {m['second_half_slope_mb_per_10_min']:+.1f} "
        f"| {m['limit_mb_per_10_min']:.0f} | {'**PASS**' if m['flat'] else '**FAIL**'} |"
        for role, m in soak["memory"].items()
    )
    verdict = "flat" if all(m["flat"] for m in soak["memory"].values()) else "**not flat**"
    busy = ""
    cores = os.cpu_count() or 1
    if soak.get("load_1min_end", 0) > cores:
        busy = (
            f" The machine was busy with other work during this soak (1-minute load {soak['load_1min_end']:g} "
            f"on {cores} cores at its end), so its latencies are not comparable with the levels above; "
            "what it measures is memory."
        )
    short = ""
    if soak["minutes"] < FULL_SOAK_MINUTES:
        short = (
            f"\n\n**This soak lasted {soak['minutes']:g} minutes, not the issue's {FULL_SOAK_MINUTES}: "
            f"the {FULL_SOAK_MINUTES}-minute soak is still to be run**, with "
            f"`.venvs/app/bin/python -m bench.load --soak-minutes {FULL_SOAK_MINUTES}` (or `make bench`)."
        )
    return f"""{soak["conversations"]} simulated citizens through the gateway for {soak["minutes"]:g} minutes
(asked: {asked:g}), each pausing {soak["think_s"]:g} s after every answer: {traffic["answered"]:,} messages answered,
{traffic["messages_per_s"]:.2f} per second, p50 {_ms(traffic.get("p50_ms"))} ms, p95 {_ms(traffic.get("p95_ms"))} ms,
p99 {_ms(traffic.get("p99_ms"))} ms, {traffic["failed"]} failed.{busy} Resident memory (`VmRSS` from `/proc`, summed over
each process and its children: the action server's Sanic runs worker processes beside its primary) every
{soak["rss_every_s"]:g} s. Slopes are least-squares fits; memory counts as flat when the second half's slope is under
{share:g} % of the start per 10 minutes.

| process | processes | start (MB) | end (MB) | max (MB) | slope, whole (MB/10 min) | slope, 2nd half (MB/10 min) | limit | flat |
|---|---:|---:|---:|---:|---:|---:|---:|---|
{rows}

Memory over the soak is {verdict}. Rasa keeps its tracker store in memory here (the development default; production
uses the SQL tracker store on PostgreSQL), so every conversation of the run stays in the Rasa process: some growth
there is expected from that store alone.

![RSS of each process during the soak, and messages per second per minute](benchmarks/soak-rss.png){short}"""


def markdown(results: dict[str, Any]) -> str:
    scripts = loadgen.SCRIPTS
    messages = sum(len(s) for s in scripts)
    lookups = sum(1 for s in scripts if s[0] == "tra cứu hồ sơ")
    start = results.get("rss_mb_start") or {}
    start_rss = ", ".join(f"{role} {mb:,.0f} MB" for role, mb in start.items())
    return f"""## Load and soak (issue: production)

`bench/load.py` (`.venvs/app/bin/python -m bench.load [--duration-s N] [--soak-minutes M] [--levels 1,20,50]`):
the real stack on loopback, as `make run` starts it: Rasa 3.6 with `var/models/tthc.tar.gz` (tracker and lock
stores in memory), the action server (`python -m actions`) and a gateway (`python -m bot`), on a private SQLite
copy of the whole seed with the demo dossiers (imported in {results.get("seed_s", 0):.0f} s). The gateway's
per-sender limit is raised to {results["messages_per_minute_limit"]:,} messages a minute so that it does not refuse
the simulated citizens, and its Rasa timeout to 120 s; everything else is the default configuration, the
conversation log in the database included.

Each simulated citizen plays short conversations back to back, each under a new sender id: {len(scripts)}
conversations of {messages} messages in all, greetings, procedure questions with follow-ups about fees, documents
and place, and {lookups} dossier lookups (code, then the right last 4 digits of the phone: the scrypt check is
deliberately slow), with and without diacritics. In the load part a citizen sends its next message as soon as the
previous one is answered (a closed loop: the levels measure capacity, not a realistic pace). Each level runs
{results["duration_s_per_level"]:g} s through the gateway's API (`POST /api/v1/messages`), then {results["duration_s_per_level"]:g} s
through Rasa's REST channel (`/webhooks/rest/webhook`) on the same Rasa and action server; the first
{min(10.0, results["duration_s_per_level"] / 6):g} s of each run are not counted. Throughput is the answers that arrived
within the window, per second; latency, from sending a message (within the window) to having its answer. Before timing, every distinct
message was sent once through each ({results.get("warmup_s", 0):.0f} s). RSS at the start: {start_rss}.

The load generator (Python, aiohttp) runs on the same 2-core machine as the three servers, so it takes CPU from
them at high concurrency; Rasa is one process and the bottleneck, so throughput stops growing once it is busy and
latency then grows with the queue.

### Load

{_levels(results)}

### Soak

{_soak(results)}
"""
