# Dumps what Jekyll built (every post, document, page, redirect page and static file) as JSON after
# the site is written; loaded by tests/support/jekyll.py through plugins_dir. Test support only.
require "json"

# Each page's and document's body as the generators left it, before Liquid and Markdown, by relative path.
module JekyllMigrateOracle
  BODIES = {}
end

Jekyll::Hooks.register [:pages, :documents], :pre_render do |doc, _payload|
  JekyllMigrateOracle::BODIES[doc.relative_path] = doc.content.to_s.dup
end

Jekyll::Hooks.register :site, :post_write do |site|
  out = ENV["JEKYLL_MIGRATE_ORACLE_OUT"]
  next if out.nil? || out.empty?

  dest = site.dest.chomp("/") + "/"
  source = site.source.chomp("/") + "/"
  rel = ->(path) { path.start_with?(dest) ? path[dest.length..-1] : path }
  src = ->(path) { path.start_with?(source) ? path[source.length..-1] : path }
  records = []
  site.collections.each do |label, collection|
    collection.docs.each do |doc|
      kind = if label == "posts"
               doc.data["draft"] ? "draft" : "post"
             else
               "document"
             end
      written = doc.write?
      records << {
        "kind" => kind, "collection" => label, "relative_path" => src.call(doc.path), "url" => doc.url,
        "written" => written, "output" => written ? rel.call(doc.destination(site.dest)) : nil,
        "redirect" => false, "date" => doc.data["date"].to_s, "permalink" => doc.data["permalink"],
        "title" => doc.data["title"], "layout" => doc.data["layout"],
        "body" => JekyllMigrateOracle::BODIES[doc.relative_path],
      }
    end
  end
  site.pages.each do |page|
    redirect = defined?(JekyllRedirectFrom::RedirectPage) && page.is_a?(JekyllRedirectFrom::RedirectPage)
    from_theme = site.theme && page.instance_variable_get(:@base).to_s == site.theme.root.to_s
    kind = if redirect
             "redirect"
           elsif from_theme
             "theme"
           elsif page.instance_of?(Jekyll::Page) && !(page.respond_to?(:pager) && page.pager && page.pager.page.to_i > 1)
             "page"
           else
             "generated"
           end
    records << {
      "kind" => kind, "collection" => nil, "relative_path" => redirect ? nil : page.relative_path,
      "url" => page.url, "written" => true, "output" => rel.call(page.destination(site.dest)),
      "redirect" => redirect ? true : false, "class" => page.class.name,
      "redirect_to" => redirect ? page.redirect_to : nil, "permalink" => page.data["permalink"],
      "title" => redirect ? nil : page.data["title"], "layout" => redirect ? nil : page.data["layout"],
      "body" => redirect ? nil : JekyllMigrateOracle::BODIES[page.relative_path],
    }
  end
  # Site#write writes pages, then static files, then documents: a page a document overwrites is not on disk
  doc_outputs = records.reject { |r| r["kind"] == "redirect" || r["collection"].nil? || !r["written"] }
                       .map { |r| r["output"] }
  records.each { |r| r["written"] = false if r["kind"] == "page" && doc_outputs.include?(r["output"]) }
  statics = site.static_files.map do |file|
    from_theme = site.theme && file.instance_variable_get(:@base).to_s == site.theme.root.to_s
    { "relative_path" => src.call(file.path), "url" => file.url, "written" => file.write?, "theme" => from_theme ? true : false }
  end
  # jekyll-polyglot (in forks, in parallel) and jekyll-multiple-languages-plugin run the whole build once per
  # language, each into its own folder: one file per language
  lang, default_lang = if site.respond_to?(:active_lang)
                         [site.active_lang, site.default_lang]
                       elsif site.respond_to?(:parsed_translations)
                         [site.config["lang"], site.config["default_lang"]]
                       end
  File.write(lang ? "#{out}.lang-#{lang}" : out, JSON.pretty_generate(
    "time" => site.time.to_f, "timezone" => ENV["TZ"], "records" => records, "static_files" => statics,
    "language" => lang, "default_language" => default_lang, "dest" => site.dest
  ))
end
