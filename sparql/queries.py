"""Named SPARQL queries kept as `.rq` files in `sparql/queries/`, with safe parameter binding."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

QUERY_DIR = Path(__file__).with_name("queries")


@lru_cache(maxsize=None)
def named_query(name: str) -> str:
    """The text of `queries/{name}.rq`."""
    return (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")


def string_literal(value: str) -> str:
    """A SPARQL string literal for any user text (JSON escaping is valid SPARQL escaping).

    >>> string_literal('a "quoted" \\\\ word')
    '"a \\\\"quoted\\\\" \\\\\\\\ word"'
    """
    return json.dumps(value, ensure_ascii=False)


def bind(name: str, **params: str) -> str:
    """The named query with `$param` placeholders replaced by already-escaped SPARQL terms."""
    text = named_query(name)
    for key, term in params.items():
        text = text.replace(f"${key}", term)
    return text
