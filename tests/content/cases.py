"""Plain-text conversion cases (title / input / expected) and the tiny site they are rendered in."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from migrate import ir

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SITE = HERE / "site"


@dataclass(frozen=True)
class Case:
    file: str
    number: int
    title: str
    input: str
    expected: str

    @property
    def id(self) -> str:
        return f"{self.file}:{self.number}:{self.title}"

    @property
    def page(self) -> str:
        """The page the case becomes in the fixture site."""
        stem = Path(self.file).stem.replace("_", "-")
        return f"case-{stem}-{self.number:03d}.md"


def read_cases(path: Path) -> list[Case]:
    """``title`` / ``.`` / input / ``.`` / expected / ``.`` blocks separated by blank lines."""
    lines = path.read_text(encoding="utf-8").split("\n")
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        if not lines[i].strip():
            i += 1
            continue
        title = lines[i].strip()
        if i + 1 >= len(lines) or lines[i + 1] != ".":
            raise ValueError(f"{path.name}:{i + 1}: expected '.' after the title {title!r}")
        j = i + 2
        parts: list[list[str]] = [[], []]
        for part in parts:
            while j < len(lines) and lines[j] != ".":
                part.append(lines[j])
                j += 1
            j += 1
        cases.append(Case(path.name, len(cases) + 1, title, "\n".join(parts[0]), "\n".join(parts[1])))
        i = j
    return cases


def write_cases(path: Path, cases: list[Case]) -> None:
    blocks = [f"{c.title}\n.\n{c.input}\n.\n{c.expected}\n.\n" for c in cases]
    path.write_text("\n".join(blocks), encoding="utf-8")


def all_cases() -> list[Case]:
    return [c for path in sorted(FIXTURES.glob("*.txt")) for c in read_cases(path)]


# -- the fixture site as IR (built by hand: the unit layer does not depend on the reader) ------------------


def _post(source: str, title: str, slug: str, date: dt.datetime, url: str, body: str) -> ir.Document:
    return ir.Document(
        kind="post",
        source=source,
        url=url,
        output_path=url.lstrip("/"),
        title=title,
        slug=slug,
        collection="posts",
        date=date,
        body=body,
        front_matter={"title": title, "date": date.isoformat()},
    )


def fixture_site(extra: list[ir.Document] = ()) -> ir.Site:  # type: ignore[assignment]
    config = yaml.safe_load((SITE / "_config.yml").read_text(encoding="utf-8"))
    data = {
        name: ir.jsonable(yaml.safe_load((SITE / "_data" / f"{name}.yml").read_text(encoding="utf-8")))
        for name in ("people", "events")
    }  # JSON-safe as the reader gives it: timestamps as ISO strings
    utc = dt.timezone.utc
    docs = [
        _post(
            "_posts/2020-01-02-first-post.md",
            "First post",
            "first-post",
            dt.datetime(2020, 1, 2, 10, 30, tzinfo=utc),
            "/2020/01/02/first-post.html",
            "First body.\n",
        ),
        _post(
            "_posts/sub/2021-03-04-in-sub.md",
            "In a subfolder",
            "in-sub",
            dt.datetime(2021, 3, 4, 8, 0, tzinfo=utc),
            "/2021/03/04/in-sub.html",
            "Sub body.\n",
        ),
        ir.Document(
            kind="page",
            source="docs/guide.md",
            url="/docs/guide.html",
            output_path="docs/guide.html",
            title="Guide",
            slug="guide",
            body="The guide.\n",
            front_matter={"title": "Guide"},
        ),
        *extra,
    ]
    return ir.Site(
        source_dir=str(SITE),
        title=config["title"],
        url=config["url"],
        baseurl=config["baseurl"],
        timezone="UTC",
        collections=(
            ir.Collection("posts", True, "/:categories/:year/:month/:day/:title:output_ext", "_posts"),
        ),
        documents=tuple(docs),
        config=config,
        data=data,
        plugins=tuple(config.get("plugins") or ()),
    )


def case_document(case: Case) -> ir.Document:
    url = "/" + case.page.replace(".md", ".html")
    title = case.title.replace('"', "'")
    return ir.Document(
        kind="page",
        source=case.page,
        url=url,
        output_path=url.lstrip("/"),
        title=title,
        slug=Path(case.page).stem,
        body=case.input + "\n",
        body_line=4,
        front_matter={"title": title, "layout": None},
    )


# -- expected output from real Jekyll ----------------------------------------------------------------------


def jekyll_outputs(cases: list[Case], work: Path) -> dict[str, str]:
    """Build the fixture site with every case as a page; the HTML Jekyll writes for each case."""
    src = work / "src"
    shutil.copytree(SITE, src)
    for case in cases:
        title = case.title.replace('"', "'")  # the page's title, as case_document gives it
        (src / case.page).write_text(
            f'---\ntitle: "{title}"\nlayout: null\n---\n{case.input}\n', encoding="utf-8"
        )
    dest = work / "site"
    env = dict(os.environ, JEKYLL_ENV="development", TZ="UTC")
    run = subprocess.run(
        ["jekyll", "build", "--source", str(src), "--destination", str(dest)],
        capture_output=True,
        text=True,
        timeout=600,
        env=env,
    )
    if run.returncode != 0:
        raise RuntimeError(run.stdout[-2000:] + run.stderr[-2000:])
    return {
        c.id: (dest / c.page.replace(".md", ".html")).read_text(encoding="utf-8").rstrip("\n") for c in cases
    }


def regenerate() -> None:
    """``python -m tests.content.cases``: fill every case's expected output with what Jekyll writes."""
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        outputs = jekyll_outputs(all_cases(), Path(tmp))
    for path in sorted(FIXTURES.glob("*.txt")):
        cases = read_cases(path)
        write_cases(path, [Case(c.file, c.number, c.title, c.input, outputs[c.id]) for c in cases])
        print(f"{path.name}: {len(cases)} cases")


if __name__ == "__main__":
    if re.search(r"jekyll", shutil.which("jekyll") or "") is None:
        sys.exit("jekyll is not installed")
    regenerate()
