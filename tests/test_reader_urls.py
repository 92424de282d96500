"""Jekyll's URL pieces: slugify modes, Addressable escaping, permalink styles and placeholder expansion."""

from __future__ import annotations

import pytest

from migrate.reader.rubyish import rb_extname
from migrate.reader.urls import (
    PlaceholderError,
    add_permalink_suffix,
    escape_path,
    generate_from_drop,
    generate_from_hash,
    sanitize_url,
    slugify,
    style_to_permalink,
    unescape_path,
)

# Jekyll's documented examples (jekyllrb.com/docs/liquid/filters, "slugify")
SLUGIFY_CASES = [
    ("The _config.yml file", None, False, "the-config-yml-file"),
    ("The _config.yml file", "default", False, "the-config-yml-file"),
    ("The _config.yml file", "pretty", False, "the-_config.yml-file"),
    ("The _config.yml file", "pretty", True, "The-_config.yml-file"),
    ("The _cönfig.yml file", "ascii", False, "the-c-nfig-yml-file"),
    ("The cönfig.yml file", "latin", False, "the-config-yml-file"),
    ("The _config.yml file", "raw", False, "the-_config.yml-file"),
    ("The _config.yml file", "none", False, "the _config.yml file"),
    ("The _config.yml file", "none", True, "The _config.yml file"),
    ("Привет, мир!", "default", False, "привет-мир"),
    ("Привет, мир!", "pretty", True, "Привет,-мир!"),
    ("Привет мир", "latin", False, ""),
    ("  leading and trailing  ", "default", False, "leading-and-trailing"),
    ("a--b", "pretty", False, "a-b"),
    ("Ünïcødé Tëst!", "default", False, "ünïcødé-tëst"),
    ("über straße", "latin", False, "uber-strasse"),
]


@pytest.mark.parametrize("text,mode,cased,expected", SLUGIFY_CASES)
def test_slugify_modes(text, mode, cased, expected):
    assert slugify(text, mode, cased) == expected


ESCAPE_CASES = [
    ("", ""),
    ("plain/path-1.html", "plain/path-1.html"),
    ("with space", "with%20space"),
    ("привет", "%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82"),
    ("c++", "c++"),
    ("c#", "c%23"),
    ("a#b#c", "a%23b%23c"),
    ("q?x=1 2", "q?x=1%202"),
    ("50%", "50%25"),
    ("(v2)!", "(v2)!"),
    ("ça va", "%C3%A7a%20va"),
]


@pytest.mark.parametrize("text,expected", ESCAPE_CASES)
def test_escape_path_like_addressable(text, expected):
    assert escape_path(text) == expected


def test_unescape_reverses_escape():
    for text, _ in ESCAPE_CASES:
        if "#" not in text and "?" not in text:
            assert unescape_path(escape_path(text)) == text


@pytest.mark.parametrize(
    "text,expected",
    [("a//b", "/a/b"), ("../x/./y", "/x/y"), ("/already/", "/already/"), ("a..b", "/a/b")],
)
def test_sanitize_url(text, expected):
    assert sanitize_url(text) == expected


@pytest.mark.parametrize(
    "style,expected",
    [
        ("date", "/:categories/:year/:month/:day/:title:output_ext"),
        ("pretty", "/:categories/:year/:month/:day/:title/"),
        ("ordinal", "/:categories/:year/:y_day/:title:output_ext"),
        ("weekdate", "/:categories/:year/W:week/:short_day/:title:output_ext"),
        ("none", "/:categories/:title:output_ext"),
        (":title", ":title"),
        ("/blog/:year/:title/", "/blog/:year/:title/"),
    ],
)
def test_built_in_styles(style, expected):
    assert style_to_permalink(style) == expected


@pytest.mark.parametrize(
    "style,expected",
    [
        ("pretty", "/:path/:basename/"),
        ("date", "/:path/:basename:output_ext"),
        ("none", "/:path/:basename:output_ext"),
        ("/:year/:title/", "/:path/:basename/"),
        ("/:year/:title:output_ext", "/:path/:basename:output_ext"),
        (":title", "/:path/:basename"),
    ],
)
def test_permalink_suffix_follows_style(style, expected):
    assert add_permalink_suffix("/:path/:basename", style) == expected


def test_drop_placeholders_escape_values_not_template():
    values = {"title": "Héllo World", "year": "2020", "categories": ""}
    url = generate_from_drop("/блог/:categories/:year/:title/", values.get)
    assert sanitize_url(url) == "/блог/2020/H%C3%A9llo%20World/"


def test_drop_placeholder_with_trailing_underscore_and_unknown_name():
    assert generate_from_drop("/:year_-x", {"year": "2020"}.get) == "/2020_-x"
    with pytest.raises(PlaceholderError):
        generate_from_drop("/:nonsense/", {"year": "2020"}.get)


def test_hash_placeholders_leave_unknown_names_alone():
    url = generate_from_hash("/:collection/:year/:path", {"collection": "docs", "path": "/a b"})
    assert url == "/docs/:year//a%20b"


@pytest.mark.parametrize(
    "name,expected",
    [("a.md", ".md"), (".htaccess", ""), ("archive.tar.gz", ".gz"), ("noext", ""), ("dir.d/file", ""), ("x.", ".")],
)
def test_ruby_extname(name, expected):
    assert rb_extname(name) == expected
