# {% figure /assets/img/photo.png A caption %}: an image with its caption (the page's title when the tag
# gives none), the path under the site's baseurl.
require "cgi"

class FigureTag < Liquid::Tag
  def initialize(tag_name, markup, tokens)
    super
    @src, @caption = markup.strip.split(/\s+/, 2)
  end

  def render(context)
    site = context.registers[:site]
    caption = @caption || context["page.title"].to_s
    src = "#{site.config["baseurl"]}#{@src}"
    %(<figure class="post-figure"><img src="#{src}" alt="#{CGI.escapeHTML(caption)}">) +
      %(<figcaption>#{CGI.escapeHTML(caption)}</figcaption></figure>)
  end
end

Liquid::Template.register_tag("figure", FigureTag)
