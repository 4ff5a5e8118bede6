"""The rights limits on every Image API path: restricted images are served at thumbnail resolution, never finer.

A restricted image may be cut anywhere, but what comes back is never larger
than the thumbnail (THUMBNAIL_SIZE on both sides) nor sharper than the
thumbnail of the whole image: a small crop at full resolution would hand out
the original detail by detail. Whatever the request's syntax (`full`, `max`,
`^…`, `pct:`, `!w,h`, a region), the resolved plan is checked here in pixels.
Open images are limited only by the service's `IIIF_MAX_AREA`.
"""
from __future__ import annotations

from ontology.errors import BadRequest, MerosError

from .image_request import Limits, Plan


class Forbidden(MerosError):
    """A well-formed request the rights do not allow (403), with the reason."""

    status = 403


def limits_for(width: int, height: int, *, restricted: bool, thumbnail_size: int, max_area: int) -> Limits:
    """What info.json announces and every request is held to."""
    if restricted:
        return Limits(max_width=thumbnail_size, max_height=thumbnail_size,
                      max_scale=min(1.0, thumbnail_size / max(width, height)))
    return Limits(max_area=max_area)


def check(plan: Plan, limits: Limits, *, restricted: bool, reason: str) -> None:
    """Forbidden (restricted) or BadRequest (open, past the service's limit) when the plan returns too much."""
    w, h = plan.out
    rw, rh = plan.box[2], plan.box[3]
    too_big = ((limits.max_width is not None and w > limits.max_width)
               or (limits.max_height is not None and h > limits.max_height)
               or (limits.max_area is not None and w * h > limits.max_area))
    too_sharp = limits.max_scale is not None and (w > rw * limits.max_scale + 1 or h > rh * limits.max_scale + 1)
    if restricted and (too_big or too_sharp):
        what = f"{w}×{h} pixels" + (f" of a {rw}×{rh} region" if (rw, rh) != (w, h) else "")
        raise Forbidden(f"This image is served only up to thumbnail size ({limits.max_width} px, the whole image "
                        f"at most); the request asks for {what}. {reason}".strip())
    if too_big:
        raise BadRequest(f"size: {w}×{h} is more than this service returns (maxArea {limits.max_area} pixels, "
                         "setting IIIF_MAX_AREA)")
