"""Command lines of the engine environment."""

from __future__ import annotations

from nlu import engine


def test_a_token_starting_with_a_dash_reaches_rasa_as_the_token() -> None:
    # secrets.token_urlsafe() may start with "-"; "--auth-token -abc" would fail to parse.
    argv = engine.serve_argv(engine.model_path(), 5005, "-abc")
    assert "--auth-token=-abc" in argv
    assert argv[argv.index("--interface") + 1] == "127.0.0.1"
