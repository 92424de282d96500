"""The embed tags of popular plugins that sites use without a ``_plugins`` file, as the plugins write them.

Each tag gives an :class:`~migrate.content.extensions.Embed`: the HTML the plugin writes (what the built-in
renderer shows, and what a target without its own form keeps), plus what the embed is (a YouTube or Vimeo
video, a tweet, a link, a video file, a figure), so each target can write its own form. They register
through the same :class:`~migrate.content.extensions.Registry` as a user's extension, which may override
any of them.

- ``{% youtube URL-or-ID %}``: jekyll-youtube (its default snippet: a responsive container and an ``iframe``
  of ``http://www.youtube.com/embed/ID``; the site's ``_includes/youtube.html`` with ``youtube_id`` when it
  has one). The plugin reads its argument as a Liquid expression (a quoted URL or a variable); a bare URL or
  id, which other youtube tags take, is read too.
- ``{% vimeo ID %}``: the common Vimeo tag (an ``iframe`` of ``https://player.vimeo.com/video/ID``).
- ``{% twitter URL %}`` and ``{% twitternocache URL %}`` (jekyll-twitter-plugin, which wraps the answer in
  ``div.jekyll-twitter-plugin``) and ``{% tweet URL %}`` (jekyll-tweet-tag): the plugins fetch the tweet from
  Twitter's oEmbed API; offline, the same ``blockquote.twitter-tweet`` with the tweet's link, which
  Twitter's widget script turns into the tweet.
- ``{% oembed URL %}``: YouTube, Vimeo and tweets as above; any other URL a link (the plugin fetches the
  provider's HTML, which needs the network).
- ``{% video URL [WIDTH HEIGHT] [POSTER] %}``: Octopress' video tag (a ``video`` element); a YouTube or
  Vimeo URL embeds the player.
- ``{% figure [caption:"..."] [class:"..."] %}...{% endfigure %}`` (jekyll-figure) and
  ``{% figure src="..." caption="..." alt="..." %}``; and ``{% include figure.html image_path=... %}``
  when the site has no such include (Minimal Mistakes' figure include, from a theme gem).
"""

from __future__ import annotations

import dataclasses
import html
import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from migrate.content.extensions import Embed, Extension, Registry, TagCall

_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                  "www.youtube-nocookie.com", "youtu.be", "www.youtu.be"}
_VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
_TWEET = re.compile(r"https?://(?:www\.|mobile\.)?(?:twitter|x)\.com/(\w{1,15})/status(?:es)?/(\d+)", re.IGNORECASE)
_ID = re.compile(r"[\w-]+\Z")

JEKYLL_YOUTUBE_STYLE = (
    "<style>.embed-container { position: relative; padding-bottom: 56.25%; height: 0; overflow: hidden; "
    "max-width: 100%; } .embed-container iframe, .embed-container object, .embed-container embed { "
    "position: absolute; top: 0; left: 0; width: 100%; height: 100%; }</style>"
)


def youtube_id(text: str) -> str | None:
    """The video id of a YouTube URL (watch, short, embed, shorts and youtu.be forms) or of a bare id."""
    text = text.strip()
    if _ID.match(text) and len(text) >= 6:
        return text
    parts = urlsplit(text if "//" in text else "https://" + text)
    host = parts.netloc.lower()
    if host not in _YOUTUBE_HOSTS:
        return None
    if host.endswith("youtu.be"):
        found = parts.path.strip("/").split("/")[0]
    elif parts.path.startswith(("/embed/", "/shorts/", "/v/", "/live/")):
        found = parts.path.split("/")[2]
    else:
        found = (parse_qs(parts.query).get("v") or [""])[0]
    return found if found and _ID.match(found) else None


def vimeo_id(text: str) -> str | None:
    text = text.strip()
    if text.isdigit():
        return text
    parts = urlsplit(text if "//" in text else "https://" + text)
    if parts.netloc.lower() not in _VIMEO_HOSTS:
        return None
    found = [p for p in parts.path.split("/") if p.isdigit()]
    return found[-1] if found else None


def _attr(value: str) -> str:
    return html.escape(value, quote=True)


def youtube_embed(video: str, *, oembed: bool = False) -> Embed:
    if oembed:  # what YouTube's oEmbed endpoint answers
        markup = (f'<iframe width="480" height="270" src="https://www.youtube.com/embed/{video}?feature=oembed" '
                  f'frameborder="0" allowfullscreen></iframe>')
    else:  # jekyll-youtube's default snippet
        markup = (f"{JEKYLL_YOUTUBE_STYLE}<div class='embed-container'>    <iframe title=\"YouTube video player\" "
                  f'width="640" height="390" src="http://www.youtube.com/embed/{video}" frameborder="0" '
                  f"allowfullscreen></iframe></div>")
    return Embed("youtube", f"https://www.youtube.com/watch?v={video}", markup, id=video)


def vimeo_embed(video: str) -> Embed:
    markup = (f'<iframe src="https://player.vimeo.com/video/{video}" width="500" height="281" frameborder="0" '
              f"webkitallowfullscreen mozallowfullscreen allowfullscreen></iframe>")
    return Embed("vimeo", f"https://vimeo.com/{video}", markup, id=video)


def tweet_embed(url: str) -> Embed:
    m = _TWEET.match(url)
    user, tweet = (m.group(1), m.group(2)) if m else ("", "")
    markup = (f'<blockquote class="twitter-tweet"><a href="{_attr(url)}">{html.escape(url)}</a></blockquote>\n'
              f'<script async src="https://platform.twitter.com/widgets.js" charset="utf-8"></script>')
    return Embed("x", url, markup, id=f"{user}/{tweet}" if m else "")


def link_embed(url: str) -> Embed:
    return Embed("link", url, f'<a href="{_attr(url)}">{html.escape(url)}</a>')


def embed_for_url(url: str, *, oembed: bool = False) -> Embed | None:
    """The embed a provider URL stands for (YouTube, Vimeo, a tweet); None for any other URL."""
    video = youtube_id(url) if "/" in url else None
    if video:
        return youtube_embed(video, oembed=oembed)
    video = vimeo_id(url) if "/" in url else None
    if video:
        return vimeo_embed(video)
    if _TWEET.match(url):
        return tweet_embed(url)
    return None


def _first_url(call: TagCall) -> str:
    """The tag's URL argument: the first word that is a URL, else the first word (a variable's value
    when one is so named)."""
    words = [str(call.context.resolve(w)) for w in call.markup.split()]
    return next((w for w in words if re.match(r"(?:https?:)?//", w)), words[0] if words else "")


def _network_note(call: TagCall, plugin: str) -> None:
    call.note("embed-offline", "info",
              f"{{% {call.name} %}} ({plugin}) fetches the embed from the provider over the network; the "
              "migration never does: it writes the embed from the URL alone")


def youtube(call: TagCall) -> Any:
    word = _first_url(call)
    video = youtube_id(word)
    if video is None:
        call.note("embed-error", "warning", f"{{% youtube %}}: {word!r} is no YouTube video: rendered as nothing")
        return None
    embed = youtube_embed(video)
    # jekyll-youtube renders the site's _includes/youtube.html instead, with youtube_id set, when there is one
    own = Path(call.site.source_dir) / "_includes" / "youtube.html"
    if call.site.source_dir and own.is_file():
        text = own.read_text(encoding="utf-8", errors="replace")
        return dataclasses.replace(embed, html=call.context.render(text, {"youtube_id": video}))
    return embed


def vimeo(call: TagCall) -> Any:
    word = _first_url(call)
    video = vimeo_id(word)
    if video is None:
        call.note("embed-error", "warning", f"{{% vimeo %}}: {word!r} is no Vimeo video: rendered as nothing")
        return None
    return vimeo_embed(video)


def twitter(call: TagCall) -> Any:
    url = _first_url(call)
    if not _TWEET.match(url):
        call.note("embed-error", "warning", f"{{% {call.name} %}}: {url!r} is no tweet URL: rendered as a link")
        return link_embed(url) if url else None
    if call.name == "tweet":
        _network_note(call, "jekyll-tweet-tag")
        return tweet_embed(url)
    _network_note(call, "jekyll-twitter-plugin")
    embed = tweet_embed(url)
    # jekyll-twitter-plugin wraps what Twitter's oEmbed answers in its own div
    return dataclasses.replace(embed, html=f"<div class='jekyll-twitter-plugin'>{embed.html}</div>")


def oembed(call: TagCall) -> Any:
    url = _first_url(call)
    if not url:
        return None
    _network_note(call, "oEmbed")
    return embed_for_url(url, oembed=True) or link_embed(url)


_VIDEO_TYPES = {
    ".mp4": "type='video/mp4; codecs=\"avc1.42E01E, mp4a.40.2\"'",
    ".ogv": "type='video/ogg; codecs=theora, vorbis'",
    ".webm": "type='video/webm; codecs=vp8, vorbis'",
}


def video(call: TagCall) -> Any:
    words = [str(call.context.resolve(w)) for w in call.markup.split()]
    if not words:
        return None
    found = embed_for_url(words[0])
    if found is not None:
        return found
    sources = [w for w in words if re.search(r"\.(?:mp4|ogv|webm|mov|m4v)(?:\?|$)", w, re.IGNORECASE)]
    sizes = [w for w in words if w.isdigit()]
    posters = [w for w in words if w not in sources and w not in sizes]
    size = f" width='{sizes[0]}' height='{sizes[1]}'" if len(sizes) >= 2 else ""
    poster = f" poster='{_attr(posters[0])}'" if posters else ""
    parts = [f"<video{size} preload='none' controls{poster}>"]
    for src in sources or words[:1]:
        ext = re.sub(r"\?.*", "", src)[src.rfind("."):].lower() if "." in src else ""
        parts.append(f"<source src='{_attr(src)}' {_VIDEO_TYPES.get(ext, '')}>".replace(" >", ">"))
    parts.append("</video>")
    return Embed("video", (sources or words)[0], "".join(parts))


_IMG = re.compile(r"""<img\b[^>]*?\bsrc=["']([^"']+)["'][^>]*>""", re.IGNORECASE)
_ALT = re.compile(r"""\balt=["']([^"']*)["']""", re.IGNORECASE)


def figure_embed(src: str, *, alt: str = "", caption: str = "", css_class: str = "") -> Embed:
    """A figure as Minimal Mistakes' include and the figure tags write it."""
    cls = f' class="{_attr(css_class)}"' if css_class else ""
    cap = f"<figcaption>{caption}</figcaption>" if caption else ""
    markup = f'<figure{cls}><img src="{_attr(src)}" alt="{_attr(alt)}">{cap}</figure>'
    return Embed("figure", src, markup, caption=caption, alt=alt)


def _inline_markdown(call: TagCall, text: str) -> str:
    out = call.context.markdownify(text).strip()
    return re.sub(r"\A<p>(.*)</p>\Z", r"\1", out, flags=re.DOTALL)


def figure(call: TagCall) -> Any:
    options = {k: str(call.context.resolve(v)) if not call.markup.count(f'{k}="') else v
               for k, v in call.options.items()}
    # jekyll-figure writes its options as key:"value"
    for m in re.finditer(r"""(\w+):(?:"([^"]*)"|'([^']*)'|(\S+))""", call.markup):
        options.setdefault(m.group(1), m.group(2) if m.group(2) is not None else m.group(3) or m.group(4) or "")
    caption = _inline_markdown(call, options["caption"]) if options.get("caption") else ""
    if call.body is not None:  # jekyll-figure's block: the content in Markdown, then the caption
        inner = call.context.markdownify(call.body).strip()
        cls = f' class="{_attr(options["class"])}"' if options.get("class") else ""
        cap = f"<figcaption>{caption}</figcaption>" if caption else ""
        markup = f"<figure{cls}>{inner}{cap}</figure>"
        images = _IMG.findall(inner)
        if len(images) == 1 and re.fullmatch(r"(?:<p>)?\s*<img\b[^>]*>\s*(?:</p>)?", inner):
            alt = _ALT.search(inner)
            return Embed("figure", images[0], markup, caption=caption, alt=alt.group(1) if alt else "")
        return markup
    src = options.get("src") or options.get("image") or options.get("image_path") or options.get("url") or (
        call.args[0] if call.args else "")
    if not src:
        call.note("embed-error", "warning", "{% figure %} names no image: rendered as nothing")
        return None
    return figure_embed(src, alt=options.get("alt", ""), caption=caption, css_class=options.get("class", ""))


def include_figure(params: dict[str, Any], markdownify: Any) -> Embed | None:
    """``{% include figure.html ... %}`` where the site has no such include: Minimal Mistakes' figure."""
    src = next((str(params[k]) for k in ("image_path", "image", "src", "url", "file") if params.get(k)), "")
    if not src:
        return None
    caption = ""
    if params.get("caption"):
        caption = re.sub(r"</?p>", "", markdownify(str(params["caption"]))).strip()
    return figure_embed(src, alt=str(params.get("alt") or ""), caption=caption,
                        css_class=str(params.get("class") or ""))


def setup(registry: Registry) -> None:
    registry.tag("youtube", youtube)
    registry.tag("vimeo", vimeo)
    registry.tag("twitter", twitter)
    registry.tag("twitternocache", twitter)
    registry.tag("tweet", twitter)
    registry.tag("oembed", oembed)
    registry.tag("video", video)
    registry.tag("figure", figure, block="auto")


def _built_in() -> Extension:
    registry = Registry("jekyll-migrate (built-in embed tags)")
    setup(registry)
    return Extension(registry.origin, tuple(registry.tags.values()), tuple(registry.filters.values()), "1")


BUILT_IN = _built_in()
