"""A document's comments as the WXR's ``wp:comment`` elements, which the WordPress importer threads by
``comment_parent`` (it inserts a post's comments in ``comment_id`` order, so a parent has the lower id)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from exporters.wordpress.wxr import cdata, cdata_word, esc, mysql_date
from migrate.content.comments import comment_html
from migrate.ir import Comment

APPROVED = {"approved": "1", "pending": "0", "spam": "spam"}
"""``comment_approved`` for each status, as WordPress stores it."""


def comments_xml(comments: Sequence[Comment], *, first_id: int, local: dt.datetime, gmt: dt.datetime) -> str:
    """The ``wp:comment`` elements of ``comments`` (in thread order), numbered from ``first_id``; a comment
    without a date takes the post's (``local``, ``gmt``). No IP address is written (none was kept)."""
    ids: dict[str, int] = {}
    out = []
    for n, c in enumerate(comments, start=first_id):
        ids[c.id] = n
        when_local = mysql_date(c.date) if c.date is not None else mysql_date(local)
        when_gmt = mysql_date(c.date.astimezone(dt.timezone.utc)) if c.date is not None else mysql_date(gmt)
        out.append(
            "\t\t<wp:comment>\n"
            f"\t\t\t<wp:comment_id>{n}</wp:comment_id>\n"
            f"\t\t\t<wp:comment_author>{cdata(c.author)}</wp:comment_author>\n"
            f"\t\t\t<wp:comment_author_email>{cdata(c.email or '')}</wp:comment_author_email>\n"
            f"\t\t\t<wp:comment_author_url>{esc(c.author_url or '')}</wp:comment_author_url>\n"
            f"\t\t\t<wp:comment_author_IP>{cdata_word('')}</wp:comment_author_IP>\n"
            f"\t\t\t<wp:comment_date>{cdata(when_local)}</wp:comment_date>\n"
            f"\t\t\t<wp:comment_date_gmt>{cdata(when_gmt)}</wp:comment_date_gmt>\n"
            f"\t\t\t<wp:comment_content>{cdata(comment_html(c))}</wp:comment_content>\n"
            f"\t\t\t<wp:comment_approved>{cdata_word(APPROVED[c.status])}</wp:comment_approved>\n"
            f"\t\t\t<wp:comment_type>{cdata_word('comment')}</wp:comment_type>\n"
            f"\t\t\t<wp:comment_parent>{ids.get(c.parent, 0) if c.parent else 0}</wp:comment_parent>\n"
            "\t\t\t<wp:comment_user_id>0</wp:comment_user_id>\n"
            + (f"\t\t\t<wp:commentmeta><wp:meta_key>{cdata_word('_jekyll_comment_id')}</wp:meta_key>"
               f"<wp:meta_value>{cdata(c.id)}</wp:meta_value></wp:commentmeta>\n")
            + "\t\t</wp:comment>\n"
        )
    return "".join(out)
