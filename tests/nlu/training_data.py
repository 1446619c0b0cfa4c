"""Read the NLU training examples and the test set (test helpers)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu import textnorm

ROOT = Path(__file__).resolve().parents[2]
NLU_DATA = ROOT / "nlu" / "data" / "nlu"
NLU_TEST = ROOT / "tests" / "data" / "nlu_test.jsonl"
_ANNOTATION = re.compile(r"\[([^\]]*)\]\(([^)]*)\)")


@dataclass(frozen=True)
class Example:
    intent: str
    text: str
    entities: tuple[tuple[str, str], ...]


def training_examples() -> list[Example]:
    examples = []
    for path in sorted(NLU_DATA.glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8")).get("nlu", []):
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    raw = line[2:]
                    entities = tuple((m.group(2), m.group(1)) for m in _ANNOTATION.finditer(raw))
                    examples.append(Example(block["intent"], _ANNOTATION.sub(r"\1", raw), entities))
    return examples


def load_test_items() -> list[dict]:
    return [json.loads(line) for line in NLU_TEST.read_text(encoding="utf-8").splitlines() if line.strip()]


def word_set(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\w+", textnorm.normalize(text)))
