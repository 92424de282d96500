"""Where the built-in renderer and another (the site's own Jekyll) disagree, document by document, compared as
a reader sees the HTML (see :mod:`migrate.renderers.normalise`)."""

from __future__ import annotations

from migrate.ir import Issue, Site
from migrate.renderers import Rendering


def compare_renderers(site: Site, rendering: Rendering, *, limits: object = None) -> list[Issue]:
    """One ``renderer-differs`` note per document whose built-in body differs from the rendering's, and one
    ``renderers-compared`` line with the counts."""
    from migrate.content.pipeline import ContentPipeline, identity_targets

    pipeline = ContentPipeline(site, identity_targets(site), limits=limits,  # type: ignore[arg-type]
                               rendering=rendering)
    issues: list[Issue] = []
    compared = differ = 0
    for doc in site.documents:
        other = rendering.bodies.get(doc.source)
        if other is None:
            continue
        compared += 1
        where = pipeline.builtin_difference(doc, other)
        if where is not None:
            differ += 1
            issues.append(Issue("renderer-differs", "info", f"the built-in renderer and Jekyll differ: {where}",
                                doc.source))
    issues.append(Issue("renderers-compared", "info",
                        f"{compared} documents compared: {compared - differ} identical, {differ} differ "
                        "(built-in renderer against the site's own Jekyll)", None))
    return issues
