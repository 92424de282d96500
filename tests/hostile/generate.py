"""Generates the hostile-input sample sites: one small Jekyll site per case, written into a folder.

Run ``python -m tests.hostile.generate OUT`` to look at them; the tests call :func:`generate` into a
temporary folder. A new case is a new function decorated with ``@case``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Callable

CASES: dict[str, Callable[[Path], None]] = {}
BIG_CASES = {"huge-post", "twenty-thousand-posts"}
"""Cases that take a while to generate and export; the tests run them in their own test."""

CONFIG = "title: Hostile\nurl: https://example.org\ntimezone: UTC\n"


def case(fn: Callable[[Path], None]) -> Callable[[Path], None]:
    CASES[fn.__name__.replace("_", "-")] = fn
    return fn


def _site(root: Path, files: dict[str, bytes | str], *, config: str | None = CONFIG) -> None:
    root.mkdir(parents=True, exist_ok=True)
    if config is not None:
        (root / "_config.yml").write_text(config, "utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)


GOOD = "---\ntitle: A good post\n---\nStill here.\n"


@case
def broken_yaml(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-bad.md": "---\ntitle: [unclosed\n  - : x\n---\nbody\n",
                 "_posts/2020-01-02-good.md": GOOD})


@case
def alias_bomb(root: Path) -> None:
    bomb = ["a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]"]
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]")
    fm = "\n".join(bomb)
    _site(root, {"_posts/2020-01-01-bomb.md": f"---\ntitle: Bomb\n{fm}\n---\nboom\n",
                 "_posts/2020-01-02-good.md": GOOD},
          config=CONFIG + fm.replace("a: &a", "bomb_a: &a") + "\n")


@case
def front_matter_list_and_scalar(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-list.md": "---\n- one\n- two\n---\nlist\n",
                 "_posts/2020-01-02-scalar.md": "---\njust a string\n---\nscalar\n",
                 "_posts/2020-01-03-good.md": GOOD})


@case
def unterminated_front_matter(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-open.md": "---\ntitle: never closed\n\nbody goes on\n",
                 "_posts/2020-01-02-good.md": GOOD})


@case
def bom_crlf_cr(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-bom.md": b"\xef\xbb\xbf---\ntitle: BOM\n---\nbom body\n",
                 "_posts/2020-01-02-crlf.md": b"---\r\ntitle: CRLF\r\n---\r\nline one\r\nline two\r\n",
                 "_posts/2020-01-03-cr.md": b"---\rtitle: CR only\r---\rold mac\r"})


@case
def bad_encodings(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-latin1.md": "---\ntitle: Café crème\n---\nDéjà vu\n".encode("latin-1"),
                 "_posts/2020-01-02-invalid.md": b"---\ntitle: Bytes\n---\nbad \xff\xfe\xc3( bytes\n",
                 "_posts/2020-01-03-good.md": GOOD})


@case
def control_characters(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-nul.md": "---\ntitle: \"Nul\\x01 and \\x0b title\"\n---\nA\x00B\x07C\x1bD\n",
                 "_posts/2020-01-02-ff.md": "---\ntitle: Form feed\n---\npage\x0cbreak\n"})


@case
def emoji_and_rtl(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-emoji.md": "---\ntitle: \"🦄 Unicorns 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\"\nslug: 🦄-party\n---\n😀 body\n",
                 "_posts/2020-01-02-rtl.md": "---\ntitle: \"مرحبا بالعالم\"\n---\nשלום עולם\n",
                 "_posts/2020-01-03-שלום.md": "---\ntitle: Hebrew file name\n---\nbody\n"})


@case
def huge_post(root: Path) -> None:
    line = "Lorem ipsum dolor sit amet, *consectetur* adipiscing elit, sed do eiusmod tempor.\n\n"
    body = line * (50 * 1024 * 1024 // len(line))
    _site(root, {"_posts/2020-01-01-huge.md": "---\ntitle: Huge\n---\n" + body,
                 "_posts/2020-01-02-good.md": GOOD})


@case
def twenty_thousand_posts(root: Path) -> None:
    files = {f"_posts/2020-01-01-post-{i:05d}.md": f"---\ntitle: Post {i}\n---\nBody {i}.\n" for i in range(20000)}
    _site(root, files)


@case
def odd_file_names(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-dots..and..more.md": GOOD,
                 "_posts/2020-01-02-with spaces.md": GOOD,
                 "_posts/2020-01-03-hash#tag.md": GOOD,
                 "_posts/2020-01-04-per%25cent.md": GOOD,
                 "_posts/2020-01-05-what?.md": GOOD,
                 "page with spaces.md": "---\ntitle: Spaced page\n---\nx\n"})


@case
def climbing_permalinks(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-up.md": "---\ntitle: Up\npermalink: /../../etc/passwd\n---\nx\n",
                 "_posts/2020-01-02-enc.md": "---\ntitle: Encoded\npermalink: /%2e%2e/%2e%2e/etc/x\n---\nx\n",
                 "_posts/2020-01-03-win.md": "---\ntitle: Windows\npermalink: 'C:\\Windows\\system32\\x'\n---\nx\n",
                 "evil.md": "---\ntitle: Evil page\npermalink: /../../../tmp/evil.html\n---\nx\n",
                 "_posts/2020-01-04-good.md": GOOD})


@case
def symlinks(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-good.md": GOOD})
    os.symlink("/etc/passwd", root / "_posts" / "2020-01-02-outside.md")
    os.symlink("/etc", root / "etc-link")
    (root / "loop").mkdir()
    os.symlink("../loop", root / "loop" / "again")
    os.symlink("self-link", root / "self-link")


@case
def runaway_liquid(root: Path) -> None:
    _site(root, {"_includes/self.html": "again {% include self.html %}",
                 "_includes/deep1.html": "{% include deep2.html %}", "_includes/deep2.html": "{% include deep1.html %}",
                 "_posts/2020-01-01-recursive.md": "---\ntitle: Recursive\n---\n{% include self.html %}\n",
                 "_posts/2020-01-02-mutual.md": "---\ntitle: Mutual\n---\n{% include deep1.html %}\n",
                 "_posts/2020-01-03-loop.md": "---\ntitle: Loop\n---\n"
                 "{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}\n",
                 "_posts/2020-01-04-good.md": GOOD})


@case
def broken_liquid(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-raw.md": "---\ntitle: Raw\n---\n{% raw %}never closed {{ x }}\n",
                 "_posts/2020-01-02-hl.md": "---\ntitle: Highlight\n---\n{% highlight %}\nputs 1\n{% endhighlight %}\n",
                 "_posts/2020-01-03-unknown.md": "---\ntitle: Plugin\n---\n{% gist 12345 %} and {{ x | frobnicate }}\n",
                 "_posts/2020-01-04-syntax.md": "---\ntitle: Syntax\n---\n{% if %}{{ }}{% endfor %}\n",
                 "_posts/2020-01-05-good.md": GOOD})


@case
def markup_breakers(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-cdata.md": "---\ntitle: \"Ends ]]> here </script>\"\n---\n"
                 "a ]]> b <script>alert(1)</script> c </script> d\n\n```\n]]>\n```\n",
                 "_posts/2020-01-02-fm.md": "---\ntitle: \"+++\"\ndescription: \"---\\n+++\"\n---\n+++\n---\n"})


@case
def duplicates(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-same.md": "---\ntitle: Same\n---\none\n",
                 "blog/_posts/2020-01-01-same.md": "---\ntitle: Same\ncategories: []\n---\ntwo\n",
                 "a.md": "---\ntitle: Same\npermalink: /2020/01/01/same.html\n---\nthree\n",
                 "_posts/2020-01-02-other.md": "---\ntitle: Same\nslug: same\n---\nfour\n"})


@case
def extreme_dates(root: Path) -> None:
    _site(root, {"_posts/0001-01-01-ancient.md": "---\ntitle: Ancient\n---\nold\n",
                 "_posts/2020-01-01-far.md": "---\ntitle: Far\ndate: 9999-12-31 23:59:59 +14:00\n---\nnew\n",
                 "_posts/2020-13-45-impossible.md": "---\ntitle: Impossible\n---\nx\n",
                 "_posts/2020-01-02-baddate.md": "---\ntitle: Bad date\ndate: not a date\n---\nx\n",
                 "_posts/2020-01-03-good.md": GOOD})


@case
def missing_config(root: Path) -> None:
    _site(root, {"_posts/2020-01-01-good.md": GOOD, "index.md": "---\ntitle: Home\n---\nhi\n"}, config=None)


@case
def empty_site(root: Path) -> None:
    root.mkdir(parents=True, exist_ok=True)


def generate(out: Path, names: list[str] | None = None) -> dict[str, Path]:
    """Write each named case (default: all but the big ones) into ``out/NAME``; returns the folders."""
    chosen = names if names is not None else [n for n in CASES if n not in BIG_CASES]
    sites = {}
    for name in chosen:
        root = out / name
        CASES[name](root)
        sites[name] = root
    return sites


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile-sites")
    for name, path in generate(target, list(CASES)).items():
        print(name, path)
