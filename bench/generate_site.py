"""Generates a realistic Jekyll site of any size for benchmarks.

``python bench/generate_site.py OUT --posts 10000``. Deterministic for a given size and seed: front matter
variety (categories, tags, timezone offsets, authors), Liquid tags (``post_url``, ``link``, ``include``,
``highlight``, ``site.*`` variables), images, kramdown features, and 5% drafts and unpublished posts.
"""

from __future__ import annotations

import argparse
import random
import struct
import zlib
from pathlib import Path

WORDS = (
    "static site generator markdown liquid template migration permalink category archive image "
    "performance server deploy theme layout include collection draft feed redirect asset build "
    "page post author tag date timezone content kramdown table footnote code highlight"
).split()
CATEGORIES = ["news", "release", "tutorial", "Community", "deep dive", "notes"]
TAGS = ["ruby", "python", "go", "jekyll", "hugo", "wordpress", "ghost", "css", "html", "seo"]
OFFSETS = ["+00:00", "-08:00", "+05:30", "+09:00", "-03:00", "+01:00"]


def _png(width: int = 2, height: int = 2) -> bytes:
    raw = b"".join(b"\x00" + b"\x80\x40\x20" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def generate(out: Path, posts: int, *, seed: int = 1) -> None:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    (out / "_config.yml").write_text(
        "title: Bench Site\nurl: https://bench.example.org\nbaseurl: ''\ntimezone: America/New_York\n"
        "permalink: /:categories/:year/:month/:day/:title:output_ext\nassets: /assets\n"
        "collections:\n  docs:\n    output: true\n    permalink: /:collection/:path/\n"
        "defaults:\n  - scope: {path: '', type: posts}\n    values: {layout: post}\n", "utf-8")
    (out / "_includes").mkdir(exist_ok=True)
    (out / "_includes" / "note.html").write_text(
        '<aside class="note">{{ include.text }}</aside>\n', "utf-8")
    (out / "_data").mkdir(exist_ok=True)
    (out / "_data" / "authors.yml").write_text(
        "".join(f"a{i}:\n  name: Author {i}\n  email: a{i}@example.org\n" for i in range(5)), "utf-8")
    img_dir = out / "assets" / "img"
    img_dir.mkdir(parents=True, exist_ok=True)
    png = _png()
    images = max(1, posts // 20)
    for i in range(images):
        (img_dir / f"image-{i:05d}.png").write_bytes(png)
    (out / "_docs").mkdir(exist_ok=True)
    for i in range(max(1, posts // 100)):
        (out / "_docs" / f"doc-{i:04d}.md").write_text(
            f"---\ntitle: Doc {i}\n---\n# Doc {i}\n\n{_sentence(rng, 20)}\n", "utf-8")
    (out / "index.md").write_text("---\ntitle: Home\n---\nWelcome to {{ site.title }}.\n", "utf-8")
    (out / "about.md").write_text("---\ntitle: About\npermalink: /about/\n---\nAbout us.\n", "utf-8")
    posts_dir = out / "_posts"
    drafts_dir = out / "_drafts"
    posts_dir.mkdir(exist_ok=True)
    drafts_dir.mkdir(exist_ok=True)
    names: list[str] = []
    for i in range(posts):
        year = 2010 + (i * 13) % 15
        month = 1 + (i * 7) % 12
        day = 1 + (i * 11) % 28
        slug = f"{rng.choice(WORDS)}-{rng.choice(WORDS)}-{i}"
        name = f"{year:04d}-{month:02d}-{day:02d}-{slug}"
        cats = rng.sample(CATEGORIES, rng.randint(0, 2))
        tags = rng.sample(TAGS, rng.randint(0, 3))
        fm = [f"title: \"{_sentence(rng, 5)[:-1]} {i}\"",
              f"date: {year:04d}-{month:02d}-{day:02d} {rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00 "
              f"{rng.choice(OFFSETS).replace(':', '')}"]
        if cats:
            fm.append("categories: [" + ", ".join(f'"{c}"' for c in cats) + "]")
        if tags:
            fm.append("tags: [" + ", ".join(tags) + "]")
        fm.append(f"author: a{i % 5}")
        roll = rng.random()
        if roll < 0.025:
            fm.append("published: false")
        if i % 3 == 0:
            fm.append(f"image: /assets/img/image-{i % images:05d}.png")
        if i % 10 == 0:
            fm.append(f"redirect_from: [/old/{i}/]")
        body = [f"{_sentence(rng, 30)}", "", f"## Section {i}", "", _sentence(rng, 40), ""]
        if names and i % 4 == 0:
            body.append(f"See [an earlier post]({{% post_url {rng.choice(names[-50:])} %}}).")
            body.append("")
        if i % 5 == 0:
            body.append(f"![figure]({{{{ site.assets }}}}/img/image-{i % images:05d}.png)")
            body.append("")
        if i % 7 == 0:
            body.append('{% include note.html text="Remember this." %}')
            body.append("")
        if i % 6 == 0:
            body += ["{% highlight ruby %}", "def hello", "  puts 'hi'", "end", "{% endhighlight %}", ""]
        if i % 8 == 0:
            body += ["| a | b |", "|:--|--:|", "| 1 | 2 |", "", "Term", ": Definition", ""]
        if i % 9 == 0:
            body += [f"A footnote[^{i}] and *emphasis*.", "", f"[^{i}]: The note.", ""]
        if i % 11 == 0:
            body += ["A paragraph with a class.", "{: .lead}", ""]
        body.append(f"Read more on [the docs]({{% link _docs/doc-{i % max(1, posts // 100):04d}.md %}}).")
        text = "---\n" + "\n".join(fm) + "\n---\n" + "\n".join(body) + "\n"
        if rng.random() < 0.025:
            (drafts_dir / f"{slug}.md").write_text(text, "utf-8")
        else:
            (posts_dir / f"{name}.md").write_text(text, "utf-8")
            names.append(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    generate(args.out, args.posts, seed=args.seed)


if __name__ == "__main__":
    main()
