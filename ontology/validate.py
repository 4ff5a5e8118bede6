"""SHACL validation of an object's graph against the Meros EDM profile (shapes.ttl)."""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import rdflib
from pyoxigraph import RdfFormat, Triple, serialize

SHAPES = Path(__file__).with_name("shapes.ttl")


@lru_cache(maxsize=1)
def _shapes() -> rdflib.Graph:
    return rdflib.Graph().parse(SHAPES, format="turtle")


def to_rdflib(triples: Iterable[Triple]) -> rdflib.Graph:
    """pyoxigraph triples → an rdflib graph (for SHACL and isomorphism checks)."""
    data = serialize(list(triples), format=RdfFormat.N_TRIPLES) or b""
    return rdflib.Graph().parse(data=data.decode(), format="nt")


def validate(triples: Iterable[Triple]) -> tuple[bool, str]:
    """(conforms, report text) of one object's graph."""
    from pyshacl import validate as shacl_validate

    conforms, _, text = shacl_validate(to_rdflib(triples), shacl_graph=_shapes(), inference="none")
    return bool(conforms), str(text)
