"""Pushing an exported site straight into a live WordPress or Ghost, idempotent and resumable.

How a push runs
---------------
``jekyll-migrate push SITE --to NAME --url URL`` reads the site and runs the exporter ``NAME`` in memory,
exactly as ``export`` would (so a pushed post is the post the import file would have made). The exporter
class names its push target in its ``push_target`` class attribute (``"module:Class"``, imported only when
pushing). The core (:mod:`migrate.push.core`) then:

1. makes the target with the URL, the credentials (from the environment or ``--credentials FILE``, never
   the command line) and an :class:`~migrate.push.http.Http` client (the one network seam: timeouts,
   retries with backoff on 429/5xx/timeouts honouring ``Retry-After``, write counting, secrets never in
   a message);
2. calls :meth:`PushTarget.check` (a wrong URL, wrong credentials, missing capabilities, an API that is
   off: one :class:`PushError` with a clear message, before any write);
3. calls :meth:`PushTarget.build_items` once: every thing to send, as :class:`PushItem` values;
4. walks the items in dependency order (an item after everything in its ``depends_on``), a bounded
   number at a time. For each item it resolves the references in ``fields`` (see :func:`ref`), hashes the
   result, and compares with the state file (``CACHE/push/<target-url digest>.jsonl``: source key -> remote
   id, URL and the hash last sent). Unchanged: no request at all. Unknown to the state: the target's
   :meth:`~PushTarget.find` looks on the remote (by the stored source key, then the slug), so a lost
   state file duplicates nothing. Then :meth:`~PushTarget.create` or :meth:`~PushTarget.update`, and the
   outcome is written to the state file at once (an interrupted push resumes where it stopped);
5. lists :meth:`~PushTarget.list_managed` and reports what the remote holds that the site no longer has;
   it is removed (:meth:`~PushTarget.remove`) only with ``--prune``.

The core keeps the books (state, hashes, order, retries, counts, the report); a target only answers.

How a target is written
-----------------------
Subclass :class:`PushTarget` (in ``exporters/NAME/push.py``) and set ``push_target = "exporters.NAME.push:
Class"`` on the exporter. Implement:

- ``check()``: one cheap authenticated read; raise :class:`PushError` with a message a person can act on.
- ``build_items(exported)``: from :class:`Exported` (the site, the exporter instance after its export, its
  plan and redirect map) make the items. ``key`` is the stable source key: the document's source path
  (``_posts/2020-01-01-a.md``), ``media:<static file source>``, ``term:<taxonomy>:<slug>``,
  ``redirects``. ``fields`` is the JSON body the API takes; where it needs another item's remote id or
  URL, put ``ref(key)`` / ``ref(key, "url")`` (a string placeholder, also usable inside a longer string
  such as an HTML body); the core replaces it at send time. ``media_file`` is the local file to upload.
- ``find(item)``: the remote thing that belongs to ``item`` (by its stored source key, then by slug), as a
  :class:`Remote` (with ``hash`` when the remote keeps the hash the core sent, which saves an update after
  a lost state file), else None. Read requests only.
- ``create(item, fields, digest)`` / ``update(item, remote, fields, digest)``: write ``fields``
  (references resolved) and return the :class:`Remote`. ``digest`` is the hash the core records for what
  is sent; a target that can keep it on the remote (beside the source key) returns it from ``find``. Raise :class:`PushError` for a failure of this one
  item (the others go on); ``update`` of a remote that is gone raises :class:`RemoteGone` (the core then
  creates it).
- ``list_managed()``: every remote thing this tool pushed (it carries a source key), as :class:`Managed`.
- ``remove(managed)``: delete or unpublish it (``--prune``).
- optionally ``live_fields(item, remote)`` for ``--dry-run --diff``: the remote's current values of the
  keys of ``item.fields`` (default: none, the diff shows only the new values), and ``summary()``: extra
  report lines (unmatched authors, redirects not available...).
"""

from migrate.push.items import (
    Exported,
    Managed,
    PushError,
    PushItem,
    Remote,
    RemoteGone,
    ref,
    refs_in,
    resolve_refs,
)
from migrate.push.target import PushTarget

__all__ = [
    "Exported",
    "Managed",
    "PushError",
    "PushItem",
    "PushTarget",
    "Remote",
    "RemoteGone",
    "ref",
    "refs_in",
    "resolve_refs",
]
