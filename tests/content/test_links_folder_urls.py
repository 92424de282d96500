"""Links to a folder URL written without its slash (``/b``, ``../b``) reach the folder's index, as every
server Jekyll sites run on answers them (nginx, Apache, GitHub Pages and ``jekyll serve`` redirect ``/b``
to ``/b/``): no broken-link warning for them."""

from __future__ import annotations

import pytest

from migrate import ir
from migrate.content.links import LinkResolver, References
from migrate.content.pipeline import identity_targets


def _page(source: str, url: str, output_path: str) -> ir.Document:
    return ir.Document(kind="page", source=source, url=url, output_path=output_path, title=source,
                       slug=source, body="")  # type: ignore[arg-type]


SITE = ir.Site(
    source_dir="/nonexistent",
    documents=(
        _page("b/index.md", "/b/", "b/index.html"),
        _page("a/x.md", "/a/x.html", "a/x.html"),
        _page("plain.md", "/plain", "plain.html"),  # an extensionless permalink, and no folder
    ),
    static_files=(ir.StaticFile(source="c/index.html", url="/c/index.html", size=1),),
)


@pytest.mark.parametrize(
    "ref,kind",
    [
        ("/b", "document"), ("../b", "document"), ("../b/", "document"), ("/b/index.html", "document"),
        ("/b#part", "document"), ("/c/", "asset"), ("/c", "asset"), ("../c", "asset"), ("/plain", "document"),
        ("/missing", "missing"), ("/a", "missing"),
    ],
)
def test_folder_urls_without_their_slash_resolve(ref, kind):
    resolver = LinkResolver(SITE, identity_targets(SITE))
    doc = SITE.documents[1]
    assert resolver.resolve(doc, ref).kind == kind
    found = References()
    resolver.new_reference(doc, ref, found)
    assert [i.code for i in found.issues] == ([] if kind != "missing" else ["broken-link"])
