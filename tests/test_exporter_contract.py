"""The exporter contract as the core enforces it: outcomes recorded by the core, a broken document alone
failing, options validated up front and read as attributes."""

from __future__ import annotations

import pytest

from migrate.content import Targets
from migrate.errors import OptionError
from migrate.exporter import Exporter, Option, Outcome
from migrate.testing import run_exporter
from tests.conftest import SAMPLES_DIR

SITE = SAMPLES_DIR / "blog-classic"


class _Minimal(Exporter):
    name = "minimal"
    description = "test exporter"
    content_format = "html"
    options = (Option("size", "a number", type=int, default=3), Option("tag", "repeatable", multiple=True))

    def prepare(self) -> Targets:
        return Targets(document_urls={d.source: "/x" + d.url for d in self.documents()})

    def export_document(self, document, rendered, converted):
        self.plan.add_text("pages/" + document.source + ".html", converted.body)
        return Outcome.exported("/x" + document.url)

    def finish(self) -> None:
        self.plan.add_text("options.txt", f"{self.opts.size} {self.opts.tag}")


def test_the_core_records_every_outcome_without_the_exporter_recording_anything() -> None:
    run = run_exporter(_Minimal, SITE)
    assert run.counts["read"] == len(run.exporter.site.documents) > 0
    assert run.counts["exported"] == run.counts["read"]
    about = run.outcomes["about.md"]
    assert (about.old_url, about.new_url, about.kind) == ("/about.html", "/x/about.html", "page")
    draft = run.outcomes["_drafts/a-half-written-idea.md"]
    assert draft.old_url is None  # never served by Jekyll: no old URL
    assert run.text("options.txt") == "3 ()"


def test_options_are_validated_up_front_and_read_as_attributes() -> None:
    run = run_exporter(_Minimal, SITE, {"size": "7", "tag": ["a", "b"]})
    assert run.text("options.txt") == "7 ('a', 'b')"
    with pytest.raises(OptionError, match="--size"):
        run_exporter(_Minimal, SITE, {"size": "many"})
    with pytest.raises(OptionError, match="unknown option 'colour'"):
        run_exporter(_Minimal, SITE, {"colour": "red"})


class _Forgetful(_Minimal):
    name = "forgetful"

    def export_document(self, document, rendered, converted):
        if document.source == "about.md":
            return None  # forgot to say what became of it
        if document.source == "moved.md":
            raise ValueError("broken on purpose")
        return super().export_document(document, rendered, converted)


def test_a_document_without_an_outcome_or_that_raises_fails_alone_with_its_reason() -> None:
    run = run_exporter(_Forgetful, SITE)
    assert run.outcomes["about.md"].status == "failed"
    assert "returned NoneType, not an Outcome" in (run.outcomes["about.md"].reason or "")
    assert run.outcomes["moved.md"].status == "failed"
    assert "ValueError: broken on purpose" in (run.outcomes["moved.md"].reason or "")
    assert run.counts["failed"] == 2 and run.counts["exported"] == run.counts["read"] - 2
    assert run.codes().count("document-failed") == 2


class _Choosy(_Minimal):
    name = "choosy"

    def skip_reason(self, document):
        return "not a post" if document.kind != "post" else None

    def export_document(self, document, rendered, converted):
        assert document.kind == "post"  # a skipped document is neither converted nor exported
        return super().export_document(document, rendered, converted)


def test_skipped_documents_are_recorded_and_not_exported() -> None:
    run = run_exporter(_Choosy, SITE)
    skipped = [o for o in run.outcomes.values() if o.status == "skipped"]
    assert skipped and all(o.reason == "not a post" and o.kind != "post" for o in skipped)
    assert run.counts["exported"] + len(skipped) == run.counts["read"]
