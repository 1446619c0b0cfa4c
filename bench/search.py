"""Knowledge-base search benchmark: import time, search latency, hit@k vs plain BM25.

    .venvs/app/bin/python -m bench.search [--synthetic N] [--rounds R] [--synthetic-rounds R] [--dry-run]

* Full import: the project's seed (``knowledge/data``, with the curated
  aliases) into a fresh SQLite database through the staff command line
  (migrations included), then the same import again (idempotent: nothing
  changes).
* Real data: the search index built from that database (``catalog``), as
  the servers build it; search latency over ``tests/data/search_queries.jsonl``.
* Synthetic: 100,000 procedures, the real ones plus generated ones that
  recombine real names (the head of one with the tail of another), sectors,
  levels and document names (seeded, no external data); build time, peak
  memory, latency and hit@k among that many distractors.
* Quality: hit@1 / hit@3 of our search and of a plain baseline (BM25 over
  the raw name, sector and document names, lower-cased and split on spaces:
  no normalisation, no aliases), overall and by whether the query carries
  diacritics. Search alone on the whole query text: the action path first
  searches the NLU's procedure span, which the test gate measures.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import multiprocessing
import os
import random
import resource
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from bench.report import ROOT, percentile, save
from knowledge import cli
from knowledge.catalog import load_search_docs
from knowledge.db import make_engine, make_session_factory
from knowledge.search import SearchDoc, SearchIndex
from knowledge.settings import Settings
from nlu import textnorm

QUERIES = ROOT / "tests" / "data" / "search_queries.jsonl"
SYNTHETIC_SIZE = 100_000
SYNTHETIC_SEED = 20240501
REAL_ROUNDS = 5
SYNTHETIC_ROUNDS = 2
LIMIT = 10
# A generated name keeps at least this many words.
MIN_NAME_WORDS = 3

# A ranker: the codes found for a query, best first.
Ranker = Callable[[str], list[str]]


@dataclass(frozen=True)
class Query:
    """A test question and the procedures that answer it."""

    text: str
    codes: frozenset[str]

    @property
    def diacritics(self) -> bool:
        return textnorm.has_diacritics(self.text)


def load_queries(path: Path = QUERIES) -> list[Query]:
    """The queries of ``path`` (``procedure_code``: a code or a list of codes)."""
    queries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        record = json.loads(line)
        code = record["procedure_code"]
        codes = frozenset([code] if isinstance(code, str) else code)
        queries.append(Query(record["text"], codes))
    return queries


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB.

    Linux's ``VmHWM``: unlike ``getrusage``'s ``ru_maxrss``, it starts afresh
    in a spawned process instead of carrying over the parent's peak.
    """
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text(encoding="ascii").splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# ------------------------------------------------------------------ import


def run_cli(url: str, report_dir: Path, *command: str) -> float:
    """Run a staff command on ``url``; its wall time in seconds."""
    started = time.perf_counter()
    status = cli.main(["--database", url, *command], out=io.StringIO(), report_dir=report_dir)
    elapsed = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"python -m knowledge {' '.join(command)} failed with status {status}")
    return elapsed


def load_docs(url: str) -> list[SearchDoc]:
    """The active procedures of ``url`` as the search sees them."""
    engine = make_engine(url)
    try:
        with make_session_factory(engine)() as session:
            return load_search_docs(session)
    finally:
        engine.dispose()


# ------------------------------------------------------------- the baseline


def plain_tokens(text: str) -> list[str]:
    """The baseline's analysis: lower case, split on spaces, nothing more."""
    return text.lower().split()


class PlainBm25:
    """BM25 (bm25s defaults) over the raw name, sector and document names.

    With ``name_only``, over the raw name alone (a second, stronger baseline:
    the long document lists drown the name).
    """

    def __init__(self, docs: Sequence[SearchDoc], name_only: bool = False) -> None:
        kept = [doc for doc in docs if doc.active]
        self._codes = [doc.code for doc in kept]
        corpus = [
            plain_tokens(doc.name if name_only else " ".join([doc.name, doc.sector, *doc.documents]))
            for doc in kept
        ]
        self._retriever = bm25s.BM25()
        self._retriever.index(corpus, show_progress=False)
        self._vocabulary = self._retriever.vocab_dict

    def rank(self, query: str, limit: int = LIMIT) -> list[str]:
        """Codes of the best-scoring procedures (score above zero), best first."""
        tokens = [t for t in plain_tokens(query) if t in self._vocabulary]
        if not tokens:
            return []
        scores = np.asarray(self._retriever.get_scores(tokens))
        top = min(limit, len(scores))
        best = np.argpartition(-scores, top - 1)[:top]
        return [self._codes[int(i)] for i in best[np.argsort(-scores[best], kind="stable")] if scores[i] > 0]


def our_ranker(index: SearchIndex) -> Ranker:
    return lambda query: [c.code for c in index.search(query, LIMIT).candidates]


# ------------------------------------------------------------- measurement


def hit_rates(rank: Ranker, queries: Sequence[Query]) -> dict[str, Any]:
    """hit@1 and hit@3, overall and by diacritics."""
    groups: dict[str, list[tuple[bool, bool]]] = {"all": [], "with_diacritics": [], "without_diacritics": []}
    for query in queries:
        found = rank(query.text)
        outcome = (bool(found) and found[0] in query.codes, bool(set(found[:3]) & query.codes))
        groups["all"].append(outcome)
        groups["with_diacritics" if query.diacritics else "without_diacritics"].append(outcome)
    out: dict[str, Any] = {}
    for group, outcomes in groups.items():
        n = len(outcomes)
        out[f"hit1_{group}"] = round(sum(h1 for h1, _ in outcomes) / n, 3) if n else None
        out[f"hit3_{group}"] = round(sum(h3 for _, h3 in outcomes) / n, 3) if n else None
    return out


def latencies_ms(rank: Ranker, queries: Sequence[Query], rounds: int) -> dict[str, float]:
    """p50 / p95 over ``rounds`` sequential passes (after one untimed pass)."""
    for query in queries:
        rank(query.text)
    timings = []
    for _ in range(rounds):
        for query in queries:
            started = time.perf_counter()
            rank(query.text)
            timings.append((time.perf_counter() - started) * 1000)
    return {
        "p50_ms": round(percentile(timings, 0.50), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "max_ms": round(max(timings), 2),
        "searches": len(timings),
    }


def measure_base(
    docs: Sequence[SearchDoc], levels: Sequence[str], queries: Sequence[Query], rounds: int
) -> dict[str, Any]:
    """Build both rankers over ``docs`` and measure them."""
    rss_before = peak_rss_mb()
    started = time.perf_counter()
    index = SearchIndex.build(docs, levels)
    build_s = time.perf_counter() - started
    rss_after = peak_rss_mb()
    print(
        f"    index built in {build_s:.1f} s; measuring {rounds} rounds of {len(queries)} queries", flush=True
    )
    ours = our_ranker(index)
    started = time.perf_counter()
    plain = PlainBm25(docs)
    plain_build_s = time.perf_counter() - started
    return {
        "procedures": len(index),
        "aliases": sum(len(doc.aliases) for doc in docs),
        "build_s": round(build_s, 1),
        "peak_rss_mb_before_build": round(rss_before),
        "peak_rss_mb_after_build": round(rss_after),
        "ours": {**latencies_ms(ours, queries, rounds), **hit_rates(ours, queries)},
        "plain": {
            "build_s": round(plain_build_s, 1),
            **latencies_ms(plain.rank, queries, rounds),
            **hit_rates(plain.rank, queries),
        },
        "plain_name_only": hit_rates(PlainBm25(docs, name_only=True).rank, queries),
    }


def measure_job(real: list[SearchDoc], size: int, levels: tuple[str, ...], rounds: int) -> dict[str, Any]:
    """One base (``real``, or synthetic up to ``size``), measured in a fresh process.

    A fresh process builds the index cold (no analysis cached) and its peak
    memory is that of this base alone, not of the import before it.
    """
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    docs = synthetic_docs(real, size) if size > len(real) else real
    return measure_base(docs, levels, load_queries(), rounds)


def in_child(real: list[SearchDoc], size: int, levels: tuple[str, ...], rounds: int) -> dict[str, Any]:
    """``measure_job`` in a freshly spawned interpreter."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(measure_job, real, size, levels, rounds).result()


# ------------------------------------------------------ the synthetic base


def synthetic_docs(real: Sequence[SearchDoc], size: int, seed: int = SYNTHETIC_SEED) -> list[SearchDoc]:
    """``real`` plus generated procedures up to ``size``, the same for a seed.

    A generated name is the head of one real name (its first words) followed
    by the tail of another; sector, levels and the number of documents are
    those of random real procedures, the documents random real document names.
    """
    rng = random.Random(seed)
    names = [doc.name.split() for doc in real if len(doc.name.split()) >= 2]
    sectors = [doc.sector for doc in real]
    levels = [doc.levels for doc in real]
    document_counts = [len(doc.documents) for doc in real]
    documents = list(dict.fromkeys(name for doc in real for name in doc.documents))
    seen = {doc.name for doc in real}
    out = list(real)
    while len(out) < size:
        head, tail = rng.choice(names), rng.choice(names)
        words = head[: rng.randint(1, len(head) - 1)] + tail[rng.randint(1, len(tail) - 1) :]
        name = " ".join(words)
        if len(words) < MIN_NAME_WORDS or name in seen:
            continue
        seen.add(name)
        count = min(rng.choice(document_counts), len(documents))
        out.append(
            SearchDoc(
                code=f"SYN.{len(out):06d}",
                name=name,
                levels=rng.choice(levels),
                sector=rng.choice(sectors),
                documents=tuple(rng.sample(documents, count)),
            )
        )
    return out


# ------------------------------------------------------------------ report


def _fmt(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _gain(ours: float | None, plain: float | None) -> str:
    return "n/a" if ours is None or plain is None else f"{ours - plain:+.3f}"


def render(results: dict[str, Any]) -> str:
    """The Markdown section of docs/benchmarks.md."""
    imp, real, syn = results["import"], results["real"], results["synthetic"]
    q = results["queries"]
    load = results["load_average_1min"]
    groups = (
        ("all", "all"),
        ("with_diacritics", "with diacritics"),
        ("without_diacritics", "without diacritics"),
    )
    real_rows, syn_rows = [], []
    for k in (1, 3):
        for group, label in groups:
            key = f"hit{k}_{group}"
            ours, plain, names = real["ours"][key], real["plain"][key], real["plain_name_only"][key]
            real_rows.append(
                f"| hit@{k}, {label} | {_fmt(ours)} | {_fmt(plain)} | {_gain(ours, plain)} "
                f"| {_fmt(names)} | {_gain(ours, names)} |"
            )
            ours, plain, names = syn["ours"][key], syn["plain"][key], syn["plain_name_only"][key]
            syn_rows.append(
                f"| hit@{k}, {label} | {_fmt(ours)} | {_fmt(plain)} | {_gain(ours, plain)} "
                f"| {_fmt(names)} | {_gain(ours, names)} |"
            )
    quality, synthetic_quality = "\n".join(real_rows), "\n".join(syn_rows)
    generated = syn["procedures"] - real["procedures"]
    return f"""## Knowledge-base search (issue: knowledge base)

`bench/search.py`. Queries: `tests/data/search_queries.jsonl`, {q["n"]} citizen questions
({q["n_with_diacritics"]} with diacritics, {q["n_without_diacritics"]} without), each labelled with
the procedure(s) that answer it. "Ours" is `knowledge.search.SearchIndex` built from the imported
database as the servers build it (curated aliases included, province levels
{", ".join(results["province_levels"])}). "Plain BM25" is the baseline: `bm25s` with its default
parameters over each procedure's raw published name, sector and document names, lower-cased and
split on spaces (no normalisation, no diacritic folding, no aliases). Both rank the whole query
text; the real action path adds the procedure span the NLU marks as extra evidence, which the test gate
(`tests/nlu/test_procedure_gate.py`) measures end to end.

### Import

| Full import of the seed into a fresh SQLite database | seconds |
|---|---:|
| First import: migrations, {imp["procedures"]:,} procedures, {imp["aliases"]} alias links | {imp["import_s"]} |
| Second import of the same seed (idempotent: nothing changes) | {imp["reimport_s"]} |

Through the staff command line (`python -m knowledge --database URL import`), in process;
the database file ends at {imp["db_mb"]} MB.

### Index and latency

| | Real data | Synthetic |
|---|---:|---:|
| Procedures indexed | {real["procedures"]:,} | {syn["procedures"]:,} |
| Index build, ours (s) | {real["build_s"]} | {syn["build_s"]} |
| Peak memory before the build: runtime, libraries, documents (MB) | {real["peak_rss_mb_before_build"]:,} | {syn["peak_rss_mb_before_build"]:,} |
| Peak memory after the build (MB) | {real["peak_rss_mb_after_build"]:,} | {syn["peak_rss_mb_after_build"]:,} |
| Search latency p50, ours (ms) | {real["ours"]["p50_ms"]} | {syn["ours"]["p50_ms"]} |
| Search latency p95, ours (ms) | {real["ours"]["p95_ms"]} | {syn["ours"]["p95_ms"]} |
| Index build, plain BM25 (s) | {real["plain"]["build_s"]} | {syn["plain"]["build_s"]} |
| Search latency p50, plain BM25 (ms) | {real["plain"]["p50_ms"]} | {syn["plain"]["p50_ms"]} |
| Search latency p95, plain BM25 (ms) | {real["plain"]["p95_ms"]} | {syn["plain"]["p95_ms"]} |

Synthetic: the {real["procedures"]:,} real procedures plus {generated:,} generated ones (seed
{results["synthetic_seed"]}): each name is the head of a real name followed by the tail of another,
with a real sector, real levels and real document names drawn at random; no external data. Each
base is measured in a freshly spawned process: the build is cold (nothing analysed is cached yet)
and single-threaded, underthesea's segmentation of every name being most of it; memory is that
process's peak resident set (`VmHWM`). Latency: one untimed pass, then
{real["ours"]["searches"] // q["n"]} sequential passes over the queries on the real data and
{syn["ours"]["searches"] // q["n"]} on the synthetic base, top {LIMIT}, in process (no HTTP). The
machine was shared with other work during the run (1-minute load average
{load[0]} at the start, {load[1]} at the end), so absolute times are on the pessimistic side.

### Quality

On the real knowledge base ({real["procedures"]:,} procedures):

| | Ours | Plain BM25 | Gain | Plain BM25, name only | Gain |
|---|---:|---:|---:|---:|---:|
{quality}

The same queries among the {syn["procedures"]:,} procedures of the synthetic base. This is a
stress test rather than an estimate for a real base that size: the generated names are spliced
from the real ones, so many begin like an answer and go on with another name's tail ("Gia hạn tạm
trú cho người đã được cấp giấy miễn (cấp Bộ)"), near-copies a real catalogue would not contain:

| | Ours | Plain BM25 | Gain | Plain BM25, name only | Gain |
|---|---:|---:|---:|---:|---:|
{synthetic_quality}

"Plain BM25, name only" is a second, stronger plain baseline (same analysis, the raw name alone):
in the baseline the issue asks for, the long document lists drown the name. Without diacritics
neither plain baseline can match the published names, which are written with them.
"""


def main(argv: Sequence[str] | None = None) -> None:
    """Run the benchmark and write its section of docs/benchmarks.md."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--synthetic", type=int, default=SYNTHETIC_SIZE, help="procedures in the synthetic base"
    )
    parser.add_argument("--rounds", type=int, default=REAL_ROUNDS, help="timed passes on the real data")
    parser.add_argument(
        "--synthetic-rounds", type=int, default=SYNTHETIC_ROUNDS, help="timed passes on the synthetic base"
    )
    parser.add_argument("--dry-run", action="store_true", help="print the section instead of saving it")
    args = parser.parse_args(argv)
    # Configured before the command line does, so that its INFO lines stay quiet.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    levels = Settings().province_levels
    queries = load_queries()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()

    with tempfile.TemporaryDirectory(prefix="bench-search-") as folder:
        workdir = Path(folder)
        url = f"sqlite:///{workdir / 'tthc.db'}"
        print("==> importing the seed into a fresh database")
        import_s = run_cli(url, workdir, "import")
        reimport_s = run_cli(url, workdir, "import")
        docs = load_docs(url)
        imported = {
            "import_s": round(import_s, 1),
            "reimport_s": round(reimport_s, 1),
            "procedures": len(docs),
            "aliases": sum(len(doc.aliases) for doc in docs),
            "db_mb": round((workdir / "tthc.db").stat().st_size / 1e6, 1),
        }
        print(f"    import {import_s:.1f} s, re-import {reimport_s:.1f} s, {len(docs)} procedures")

    print(f"==> real data: {len(docs)} procedures", flush=True)
    real = in_child(docs, len(docs), levels, args.rounds)
    print(f"==> synthetic base: {args.synthetic} procedures", flush=True)
    synthetic = in_child(docs, args.synthetic, levels, args.synthetic_rounds)

    results = {
        "queries": {
            "file": str(QUERIES.relative_to(ROOT)),
            "n": len(queries),
            "n_with_diacritics": sum(q.diacritics for q in queries),
            "n_without_diacritics": sum(not q.diacritics for q in queries),
        },
        "province_levels": list(levels),
        "synthetic_seed": SYNTHETIC_SEED,
        "import": imported,
        "real": real,
        "synthetic": synthetic,
        "total_s": round(time.perf_counter() - started, 1),
        "load_average_1min": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    if args.dry_run:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        print(render(results))
    else:
        save("search", results, render(results))
    print(f"    done in {results['total_s']:.0f} s")


if __name__ == "__main__":
    main()
