"""Ghost's slugs: ASCII slugs as Ghost writes them, the URL a slug answers, and unique slugs in order."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from exporters.ghost.schema import RESERVED_SLUGS, SLUG_MAX

_GREEK = ("a", "b", "g", "d", "e", "z", "e", "th", "i", "k", "l", "m", "n", "x", "o", "p", "r", "s", "t",
          "y", "ph", "ch", "ps", "o")  # fmt: skip
_TRANSLIT = {
    **dict(zip("абвгдезийклмнопрстуфыэ", "abvgdeziiklmnoprstufye")),
    "ё": "io", "ж": "zh", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ь": "",
    "ю": "iu", "я": "ia", "є": "ie", "і": "i", "ї": "i", "ґ": "g", "ў": "u",
    **dict(zip("αβγδεζηθικλμνξοπρστυφχψω", _GREEK)),
    "ς": "s", "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "ı": "i",
}  # fmt: skip


def ghost_slug(text: str, *, limit: int = SLUG_MAX) -> str:
    """A slug Ghost keeps as it is: ASCII letters, digits and single dashes, at most ``limit`` long.

    Non-ASCII letters are transliterated (Cyrillic, Greek, accents) the way Ghost's own slugs read;
    apostrophes vanish as in Ghost (``don't`` -> ``dont``). May return "" when nothing is left.
    """
    text = re.sub(r"['’‘`]", "", text.lower())
    text = "".join(_TRANSLIT.get(ch, ch) for ch in text)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rstrip("-")
    return slug


def ghost_url_slug(url: str) -> str | None:
    """The slug whose Ghost URL (``/SLUG/``, which also answers ``/SLUG``) is this URL, or None."""
    match = re.fullmatch(r"/([a-z0-9]+(?:-[a-z0-9]+)*)/?", url)
    if match is None or len(match.group(1)) > SLUG_MAX or match.group(1) in RESERVED_SLUGS:
        return None
    return match.group(1)


class SlugAllocator:
    """Hands out unique slugs in call order: a taken one gets ``-2``, ``-3``... as Ghost would."""

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self.used: set[str] = set()
        self.reserved = frozenset(reserved)

    def take(self, wanted: str, *, fallback: str) -> str:
        base = wanted or fallback
        if base in self.reserved:
            base = f"{base}-{fallback}"
        slug, n = base, 1
        while slug in self.used:
            n += 1
            suffix = f"-{n}"
            slug = base[: SLUG_MAX - len(suffix)].rstrip("-") + suffix
        self.used.add(slug)
        return slug
