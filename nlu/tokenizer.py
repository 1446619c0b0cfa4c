"""Rasa tokenizer that segments Vietnamese with underthesea (engine environment).

Each token's ``text`` is the exact slice of the message it covers and its
``start``/``end`` index the original message, so entity spans map back to what
the citizen typed. The token's ``lemma`` is the matching view of the word
(abbreviations expanded, lower case, no diacritics): featurizers configured
with ``use_lemma: true`` see "Sổ Đỏ" and "so do" as the same syllables
"so do", and "ko" as "khong".
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token, Tokenizer
from rasa.shared.nlu.training_data.message import Message

from nlu import textnorm

_SOURCES = (Path(textnorm.__file__), Path(__file__))


def lemma_of(word: str) -> str:
    """The featurizers' view of one word: its normalised syllables.

    Syllables stay apart (not "so_do") so that a word segmented from text
    with diacritics and the same syllables typed without them, which are
    tokenized one by one, give the same features.
    """
    return textnorm.normalize(word) or word


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False)
class VietnameseTokenizer(Tokenizer):
    """Splits Vietnamese text into words with underthesea."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        """Returns the component's default config."""
        return {
            "intent_tokenization_flag": False,
            "intent_split_symbol": "_",
            "token_pattern": None,
            "prefix_separator_symbol": None,
        }

    @staticmethod
    def supported_languages() -> list[str] | None:
        """Vietnamese only: the segmenter and the abbreviations are Vietnamese."""
        return ["vi"]

    @classmethod
    def fingerprint_addon(cls, config: dict[str, Any]) -> str | None:
        """Retrain when the tokenizer or the shared normalisation changes."""
        digest = hashlib.sha256()
        for source in _SOURCES:
            digest.update(source.read_bytes())
        return digest.hexdigest()

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> VietnameseTokenizer:
        """Creates a new component (see parent class for full docstring)."""
        return cls(config)

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        """Tokenizes the text of ``attribute`` of ``message``."""
        text = message.get(attribute) or ""
        words = textnorm.segment(text)
        if not words:
            return [Token(text, 0, end=len(text), lemma=text)]
        tokens = [Token(word.text, word.start, end=word.end, lemma=lemma_of(word.text)) for word in words]
        return self._apply_token_pattern(tokens)
