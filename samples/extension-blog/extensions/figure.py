"""Port of _plugins/figure.rb: ``{% figure /assets/img/photo.png A caption %}``.

It returns an Embed, so each target may write its own figure (Hugo's ``figure`` shortcode); ``html`` is
what the Ruby plugin writes, which the built-in renderer shows and the other targets keep."""

from migrate.content.extensions import Embed, escape_html


def figure(tag):
    src, _, caption = tag.markup.strip().partition(" ")
    caption = caption.strip() or str(tag.context.get("page.title") or "")
    url = f"{tag.context.get('site.baseurl') or ''}{src}"
    html = (f'<figure class="post-figure"><img src="{url}" alt="{escape_html(caption)}">'
            f"<figcaption>{escape_html(caption)}</figcaption></figure>")
    return Embed("figure", url, html, caption=escape_html(caption), alt=caption)


def setup(registry):
    registry.tag("figure", figure)
