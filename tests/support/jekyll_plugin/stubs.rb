# No-op stand-ins for Liquid tags of plugins that are not installed here (jekyll-avatar), so sites that
# use them still build; they change no URL. Test support only.
module JekyllMigrateOracle
  class EmptyTag < Liquid::Tag
    def render(_context)
      ""
    end
  end
end

%w(avatar).each do |name|
  Liquid::Template.register_tag(name, JekyllMigrateOracle::EmptyTag) unless Liquid::Template.tags[name]
end
