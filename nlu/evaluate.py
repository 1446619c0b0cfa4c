"""Evaluate a trained NLU model on a JSON Lines file.

    make evaluate DATA=tests/data/nlu_test.jsonl [JSON=report.json] [CONFIG=config.yml]
    python -m nlu.evaluate DATA [--json REPORT] [--config CONFIG]

Each input line is ``{"text": ..., "intent": ..., "procedure_code": ...}``;
``intent`` and ``procedure_code`` (one code or a list of acceptable codes) are
each optional, other keys are ignored. The model for ``--config`` (default ``config.yml``) is
trained first if it is missing or stale, served by a Rasa server on loopback,
and asked ``/model/parse`` for every text.

Reported: intent accuracy, macro-F1, per-intent precision/recall/F1, the most
frequent confusions, accuracy with and without diacritics, and for items with
``procedure_code`` the procedure hit@1 / hit@3, resolved exactly as the action
server resolves it.
"""

from __future__ import annotations

import argparse
import json
import sys
import urllib.request
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlu import engine, textnorm

# Config file -> the model name it trains (the stock baseline is NLU only).
BASELINE_CONFIG = engine.ROOT / "nlu" / "config_baseline.yml"

Resolver = Callable[[str, dict[str, Any]], list[str]]


@dataclass(frozen=True)
class Item:
    """One labelled test question."""

    text: str
    intent: str | None
    codes: tuple[str, ...] = ()


@dataclass
class Prediction:
    """What the model said about one item."""

    item: Item
    intent: str
    confidence: float
    parse: dict[str, Any] = field(repr=False, default_factory=dict)


def load_items(path: Path) -> list[Item]:
    """Read the JSON Lines test file; blank lines are skipped."""
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        record = json.loads(line)
        if "text" not in record or not ("intent" in record or "procedure_code" in record):
            raise ValueError(f"{path}:{number}: needs 'text' and 'intent' or 'procedure_code'")
        code = record.get("procedure_code")
        codes = tuple(code) if isinstance(code, list) else ((code,) if code else ())
        items.append(Item(text=record["text"], intent=record.get("intent"), codes=codes))
    return items


def parse_all(url: str, token: str, texts: Iterable[str]) -> list[dict[str, Any]]:
    """Ask a Rasa server's ``/model/parse`` about every text."""
    results = []
    for text in texts:
        body = json.dumps({"text": text}).encode()
        request = urllib.request.Request(
            f"{url}/model/parse?token={token}", data=body, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            results.append(json.load(response))
    return results


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def intent_report(predictions: Sequence[Prediction]) -> dict[str, Any]:
    """Accuracy, macro-F1, per-intent scores and confusions (labelled items only)."""
    predictions = [p for p in predictions if p.item.intent is not None]
    gold = Counter(str(p.item.intent) for p in predictions)
    predicted = Counter(p.intent for p in predictions)
    correct = Counter(str(p.item.intent) for p in predictions if p.intent == p.item.intent)
    per_intent = {}
    for intent in sorted(gold):
        precision = correct[intent] / predicted[intent] if predicted[intent] else 0.0
        recall = correct[intent] / gold[intent]
        per_intent[intent] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(_f1(precision, recall), 4),
            "support": gold[intent],
        }
    n = len(predictions)
    confusions = Counter((p.item.intent, p.intent) for p in predictions if p.intent != p.item.intent)

    def accuracy(subset: list[Prediction]) -> float | None:
        return round(sum(p.intent == p.item.intent for p in subset) / len(subset), 4) if subset else None

    with_marks = [p for p in predictions if textnorm.has_diacritics(p.item.text)]
    without_marks = [p for p in predictions if not textnorm.has_diacritics(p.item.text)]
    return {
        "n": n,
        "intent_accuracy": accuracy(list(predictions)) or 0.0,
        "macro_f1": round(sum(s["f1"] for s in per_intent.values()) / len(per_intent), 4)
        if per_intent
        else 0.0,
        "accuracy_with_diacritics": accuracy(with_marks),
        "accuracy_without_diacritics": accuracy(without_marks),
        "n_with_diacritics": len(with_marks),
        "n_without_diacritics": len(without_marks),
        "per_intent": per_intent,
        "confusions": [
            {"gold": gold_intent, "predicted": predicted_intent, "count": count}
            for (gold_intent, predicted_intent), count in confusions.most_common(15)
        ],
        "errors": [
            {
                "text": p.item.text,
                "gold": p.item.intent,
                "predicted": p.intent,
                "confidence": round(p.confidence, 3),
            }
            for p in predictions
            if p.intent != p.item.intent
        ],
    }


def procedure_report(predictions: Sequence[Prediction], resolve: Resolver) -> dict[str, Any]:
    """hit@1 / hit@3 of procedure resolution on the items that carry codes."""
    labelled = [p for p in predictions if p.item.codes]
    hits1 = hits3 = 0
    misses = []
    for p in labelled:
        ranked = resolve(p.item.text, p.parse)
        if ranked[:1] and ranked[0] in p.item.codes:
            hits1 += 1
        if any(code in p.item.codes for code in ranked[:3]):
            hits3 += 1
        else:
            misses.append({"text": p.item.text, "expected": list(p.item.codes), "got": ranked[:3]})
    n = len(labelled)
    return {
        "procedure_n": n,
        "procedure_hit_at_1": round(hits1 / n, 4) if n else None,
        "procedure_hit_at_3": round(hits3 / n, 4) if n else None,
        "procedure_misses": misses[:30],
    }


def default_resolver() -> Resolver:
    """The action server's resolver over the configured knowledge base."""
    from actions.resolution import rank_codes_for_parse

    return rank_codes_for_parse


def evaluate(items: Sequence[Item], url: str, token: str, resolve: Resolver | None) -> dict[str, Any]:
    """Parse every item and build the full report."""
    parses = parse_all(url, token, (item.text for item in items))
    predictions = [
        Prediction(
            item=item,
            intent=(parse.get("intent") or {}).get("name") or "",
            confidence=float((parse.get("intent") or {}).get("confidence") or 0.0),
            parse=parse,
        )
        for item, parse in zip(items, parses, strict=True)
    ]
    report = intent_report(predictions)
    if resolve is not None and any(item.codes for item in items):
        report.update(procedure_report(predictions, resolve))
    return report


def print_report(report: dict[str, Any], title: str) -> None:
    """Human-readable summary on the terminal."""
    print(f"\n== {title}: {report['n']} items with an intent")
    if not report["n"]:
        report = {**report, "per_intent": {}, "confusions": []}
    print(f"intent accuracy   {report['intent_accuracy']:.3f}")
    print(f"macro-F1          {report['macro_f1']:.3f}")
    for key in ("with", "without"):
        value = report[f"accuracy_{key}_diacritics"]
        if value is not None:
            print(f"accuracy {key:>7} diacritics {value:.3f} (n={report[f'n_{key}_diacritics']})")
    print(f"\n{'intent':<22}{'prec':>7}{'rec':>7}{'f1':>7}{'n':>5}")
    for intent, scores in report["per_intent"].items():
        print(
            f"{intent:<22}{scores['precision']:>7.3f}{scores['recall']:>7.3f}{scores['f1']:>7.3f}"
            f"{scores['support']:>5}"
        )
    if report["confusions"]:
        print("\nmost frequent confusions (gold -> predicted):")
        for row in report["confusions"][:10]:
            print(f"  {row['count']:>3}  {row['gold']} -> {row['predicted']}")
    if report.get("procedure_n"):
        print(
            f"\nprocedure resolution on {report['procedure_n']} items: "
            f"hit@1 {report['procedure_hit_at_1']:.3f}, hit@3 {report['procedure_hit_at_3']:.3f}"
        )


def run(data: Path, config: Path, json_path: Path | None = None) -> dict[str, Any]:
    """Train if needed, serve the model, evaluate ``data``; write ``json_path``."""
    nlu_only = config.resolve() == BASELINE_CONFIG
    name = "baseline" if nlu_only else engine.DEFAULT_MODEL_NAME
    model = engine.train(config, name, nlu_only=nlu_only)
    items = load_items(data)
    with engine.rasa_server(model, endpoints=None) as server:
        report = evaluate(items, server.url, server.token, default_resolver())
    report["config"] = (
        str(config.relative_to(engine.ROOT)) if config.is_relative_to(engine.ROOT) else str(config)
    )
    print_report(report, f"{data} with {report['config']}")
    if json_path is not None:
        json_path.parent.mkdir(parents=True, exist_ok=True)
        json_path.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"\nreport written to {json_path}")
    return report


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m nlu.evaluate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("data", type=Path)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--config",
        type=Path,
        default=engine.ROOT / "config.yml",
        help=f"pipeline to evaluate; {BASELINE_CONFIG.relative_to(engine.ROOT)} is the stock one",
    )
    args = parser.parse_args(argv)
    config = args.config if args.config.is_absolute() else Path.cwd() / args.config
    run(args.data, config, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
