"""The training data of a retraining: the files in ``nlu/data`` plus staff's examples.

Staff teach ways of asking from the console's inbox; each becomes a
``(text, intent)`` pair. :func:`build` copies ``nlu/data`` into a fresh folder
and adds those pairs as one more Rasa NLU file, so the files in the repository
stay untouched and every retraining sees all examples taught so far.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from nlu.textnorm import nfc

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "nlu" / "data"
DOMAIN = ROOT / "domain"
EXAMPLES_FILE = "console_examples.yml"

# Rasa reads "[text](entity)" and "[text]{...}" inside an example as an entity mark.
_ENTITY_MARK = re.compile(r"\[([^\]]*)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str


@dataclass(frozen=True)
class BuiltData:
    folder: Path
    used: int  # examples written
    skipped: int  # duplicates, empty, or of an intent the domain does not have


def domain_intents(domain: Path = DOMAIN) -> tuple[str, ...]:
    """The intents declared in Rasa's domain (``domain/*.yml``), in file order."""
    intents: list[str] = []
    for path in sorted(domain.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for intent in data.get("intents") or []:
            name = next(iter(intent)) if isinstance(intent, dict) else str(intent)
            if name not in intents:
                intents.append(name)
    return tuple(intents)


def clean_text(text: str) -> str:
    """One line, NFC, without what Rasa would read as an entity mark."""
    text = nfc(text)
    text = _ENTITY_MARK.sub(r"\1", text)
    return " ".join(text.split())


def examples_yaml(examples: Iterable[Example], intents: Iterable[str]) -> tuple[str, int, int]:
    """Rasa NLU YAML of ``examples``; also how many were kept and skipped."""
    known = set(intents)
    by_intent: dict[str, list[str]] = {}
    seen: set[str] = set()
    skipped = 0
    for example in examples:
        text = clean_text(example.text)
        key = text.casefold()
        if not text or example.intent not in known or key in seen:
            skipped += 1
            continue
        seen.add(key)
        by_intent.setdefault(example.intent, []).append(text)
    document = {
        "version": "3.1",
        "nlu": [
            {"intent": intent, "examples": "".join(f"- {text}\n" for text in texts)}
            for intent, texts in by_intent.items()
        ],
    }
    header = "# Ways of asking taught by staff in the console (written by a retraining).\n"
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=1000)
    return header + body, sum(len(texts) for texts in by_intent.values()), skipped


def build(examples: Iterable[Example], folder: Path, source: Path = DATA, domain: Path = DOMAIN) -> BuiltData:
    """Copy ``source`` into ``folder`` and add ``examples`` as ``nlu/console_examples.yml``."""
    if folder.exists():
        shutil.rmtree(folder)
    shutil.copytree(source, folder)
    text, used, skipped = examples_yaml(examples, domain_intents(domain))
    (folder / "nlu" / EXAMPLES_FILE).write_text(text, encoding="utf-8")
    return BuiltData(folder=folder, used=used, skipped=skipped)
