"""What every source parser yields, and the signature they share.

A parser reads one source document (bytes as the source publishes them) and
yields a `Record` per object, or a `Rejected` for a record it cannot map, so
one bad record never stops the batch.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from ontology.record import Record


@dataclass(frozen=True)
class Rejected:
    """A source record that was not loaded: why, and the raw record so nothing is lost."""

    source_url: str
    reason: str
    raw: str


class Parser(Protocol):
    def __call__(self, data: bytes, source_url: str, *, provider: str | None = None) -> Iterator[Record | Rejected]: ...
