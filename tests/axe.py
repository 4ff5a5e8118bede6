"""axe-core (served from our own /vendor) run in a Playwright page: one helper for every accessibility test."""
from __future__ import annotations

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, base: str) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """WCAG 2.1 A/AA violations on the loaded page, each with its impact and up to five offending nodes."""
    page.add_script_tag(url=base + "/vendor/axe.min.js")
    return page.evaluate(  # type: ignore[no-any-return]
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations"
        ".map(v => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}))",
        AXE_TAGS)
