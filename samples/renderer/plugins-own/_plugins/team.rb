# The site's own Ruby: a Liquid tag, a block, a filter, a generator and two hooks, as sites not built by
# GitHub Pages carry them. The built-in renderer knows none of them.
module PluginsOwn
  # {{ "moncef" | team_link }} -> a link to the member's page, with their name from _data/team.yml
  module TeamFilter
    def team_link(key)
      member = @context.registers[:site].data.fetch("team", {})[key.to_s]
      return key.to_s if member.nil?

      %(<a class="team" href="/team/#{key}/">#{member["name"]}</a>)
    end
  end

  # {% oembed https://media.example.com/42 %} -> a figure around an iframe
  class OembedTag < Liquid::Tag
    def initialize(tag_name, markup, tokens)
      super
      @url = markup.strip
    end

    def render(_context)
      %(<figure class="oembed"><iframe src="#{@url}" loading="lazy"></iframe></figure>)
    end
  end

  # {% callout warning %}Markdown text{% endcallout %} -> an aside, its text converted as Markdown
  class CalloutBlock < Liquid::Block
    def initialize(tag_name, markup, tokens)
      super
      @kind = markup.strip.empty? ? "note" : markup.strip
    end

    def render(context)
      converter = context.registers[:site].find_converter_instance(Jekyll::Converters::Markdown)
      %(<aside class="callout callout-#{@kind}">#{converter.convert(super.strip)}</aside>)
    end
  end

  # One page per team member, and the team page listing them: pages with no source file.
  class TeamPage < Jekyll::PageWithoutAFile
    def initialize(site, key, member)
      super(site, site.source, "team/#{key}", "index.html")
      data["layout"] = "default"
      data["title"] = member["name"]
      self.content = "<p>#{member["name"]} works in #{member["role"]}.</p>\n"
    end
  end

  class TeamGenerator < Jekyll::Generator
    safe true

    def generate(site)
      site.data.fetch("team", {}).each { |key, member| site.pages << TeamPage.new(site, key, member) }
    end
  end
end

Liquid::Template.register_filter(PluginsOwn::TeamFilter)
Liquid::Template.register_tag("oembed", PluginsOwn::OembedTag)
Liquid::Template.register_tag("callout", PluginsOwn::CalloutBlock)

# Before Liquid: every post learns its reading time, which its text shows with {{ page.reading_minutes }}.
Jekyll::Hooks.register :posts, :pre_render do |post|
  post.data["reading_minutes"] = [(post.content.split.size / 200.0).ceil, 1].max
end

# After conversion, before the layout: tables get a scrolling wrapper.
Jekyll::Hooks.register [:pages, :documents], :post_convert do |doc|
  doc.content = doc.content.gsub("<table>", %(<div class="table-wrap"><table>)).gsub("</table>", "</table></div>")
end
