"""IIIF Content State 1.0: a compact, encoded pointer to a manifest (or one of its canvases) for other viewers.

The state is the JSON annotation the specification describes, serialised,
UTF-8 encoded, base64url encoded, padding removed ("content-state-encoded"),
and passed to a viewer as its `iiif-content` query parameter. The IIIF
drag-and-drop link is the manifest URL carrying itself as `manifest=`.
"""
from __future__ import annotations

import base64
import json
from typing import Any
from urllib.parse import quote

# Public viewers that open `?iiif-content=` (IIIF cookbook recipe 0466).
VIEWERS: tuple[tuple[str, str], ...] = (
    ("Mirador", "https://projectmirador.org/embed/?iiif-content={state}"),
    ("Clover", "https://samvera-labs.github.io/clover-iiif/docs/viewer/demo?iiif-content={state}"),
)


def state_for(manifest: str, canvas: str | None = None) -> dict[str, Any]:
    """A content state annotation targeting the manifest, or one canvas of it."""
    target: dict[str, Any] = {"id": manifest, "type": "Manifest"}
    if canvas:
        target = {"id": canvas, "type": "Canvas", "partOf": [target]}
    return {"@context": "http://iiif.io/api/presentation/3/context.json", "id": f"{manifest}#content-state",
            "type": "Annotation", "motivation": ["contentState"], "target": target}


def encode(state: dict[str, Any]) -> str:
    """content-state-encoded: base64url of the UTF-8 JSON, without padding."""
    raw = json.dumps(state, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode(encoded: str) -> dict[str, Any]:
    """The state back from its encoded form (what a viewer does)."""
    padded = encoded + "=" * (-len(encoded) % 4)
    return json.loads(base64.urlsafe_b64decode(padded.encode("ascii")).decode("utf-8"))


def viewer_links(manifest: str) -> list[tuple[str, str]]:
    """(viewer name, URL opening the manifest in it) for each known viewer."""
    state = encode(state_for(manifest))
    return [(name, pattern.format(state=state)) for name, pattern in VIEWERS]


def drag_and_drop_link(manifest: str) -> str:
    """The IIIF drag-and-drop convention: the manifest URL with itself as the `manifest` parameter."""
    return f"{manifest}?manifest={quote(manifest, safe='')}"
