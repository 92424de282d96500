# jekyll-migrate's recorder: loaded beside the site's own plugins when jekyll-migrate renders a site with
# its own Jekyll (--renderer jekyll). It changes nothing Jekyll builds; it only writes, once the site is
# written, one JSON file (the path in JEKYLL_MIGRATE_RENDER_OUT) with each post's, page's and collection
# document's content after Liquid and conversion but before its layout, its excerpt and its URL.
require "json"
require "set"

module JekyllMigrateRecorder
  CONTENT = {}

  def self.key(doc)
    doc.object_id
  end

  def self.source_of(site, doc)
    path = doc.respond_to?(:path) ? doc.path.to_s : ""
    source = site.source.chomp("/") + "/"
    if !path.empty? && File.file?(path) && path.start_with?(source)
      return path[source.length..-1]
    end
    rel = doc.relative_path.to_s
    return rel if !rel.empty? && File.file?(site.in_source_dir(rel))

    nil
  end

  def self.excerpt_of(doc)
    excerpt = doc.data["excerpt"]
    return nil unless excerpt.respond_to?(:output)

    excerpt.output.to_s
  rescue StandardError => e
    Jekyll.logger.warn "jekyll-migrate:", "excerpt of #{doc.relative_path} not rendered: #{e.message}"
    nil
  end

  # jekyll-polyglot rewrites the links of each page's output after the layout (site :post_render, for its
  # language's folder): the recorded content gets the same rewriting
  Holder = Struct.new(:output)

  def self.language_links(site, html)
    return html if html.nil? || !site.respond_to?(:process_documents) || !site.respond_to?(:active_lang)

    holder = Holder.new(html.dup)
    site.process_documents([holder])
    holder.output
  end

  def self.record(site, doc, kind, collection)
    source = source_of(site, doc)
    theme = site.theme && doc.respond_to?(:path) && doc.path.to_s.start_with?(site.theme.root.to_s)
    {
      "source" => theme ? nil : source,
      "generated" => source.nil? || theme ? true : false,
      "kind" => kind,
      "collection" => collection,
      "class" => doc.class.name,
      "url" => doc.url,
      "output_path" => doc.destination(site.dest).to_s.delete_prefix(site.dest.chomp("/") + "/"),
      "rendered" => CONTENT.key?(key(doc)),
      "content" => language_links(site, CONTENT[key(doc)]),
      "excerpt" => kind == "page" ? nil : language_links(site, excerpt_of(doc)),
      "unknown_tags" => UNKNOWN.fetch(key(doc), Set.new).to_a.sort,
      "redirect_to" => doc.data["redirect_to"].is_a?(String) ? doc.data["redirect_to"] : nil,
      "title" => doc.data["title"].nil? ? nil : doc.data["title"].to_s,
    }
  end
end

# Where a plugin the site loads is not installed here (JEKYLL_MIGRATE_MISSING_PLUGINS), its tags would stop
# the whole build: each tag the site uses that no loaded plugin defines prints as written instead (as the
# built-in renderer keeps it), and each document whose content used one is recorded.
module JekyllMigrateRecorder
  UNKNOWN = Hash.new { |h, k| h[k] = Set.new }
  @current = nil
  class << self
    attr_accessor :current
  end

  class VerbatimTag < Liquid::Tag
    def render(_context)
      JekyllMigrateRecorder::UNKNOWN[JekyllMigrateRecorder.current] << @tag_name if JekyllMigrateRecorder.current
      "{% #{@tag_name} #{@markup.strip} %}".sub("  %}", " %}")
    end
  end

  class VerbatimBlock < Liquid::Block
    def render(context)
      JekyllMigrateRecorder::UNKNOWN[JekyllMigrateRecorder.current] << @tag_name if JekyllMigrateRecorder.current
      "{% #{@tag_name} #{@markup.strip} %}".sub("  %}", " %}") + super + "{% end#{@tag_name} %}"
    end
  end

  # words of Liquid's own blocks, not tags of their own
  CLAUSES = %w(else elsif when in).freeze
  TEXT = %w(.html .htm .md .markdown .mkd .mkdn .mdown .xml .txt .liquid .json .js .css .yml .yaml).freeze

  def self.stub_unknown_tags(site)
    names = Set.new
    Dir.glob(File.join(site.source, "**", "*"), File::FNM_DOTMATCH).each do |path|
      next unless File.file?(path) && TEXT.include?(File.extname(path).downcase) && File.size(path) < 5_000_000

      File.read(path, :encoding => "utf-8").scrub.scan(/\{%-?\s*([A-Za-z_]\w*)/) { |m| names << m[0] }
    end
    names.each do |name|
      next if name.start_with?("end") || CLAUSES.include?(name) || Liquid::Template.tags[name]

      block = names.include?("end#{name}")
      Liquid::Template.register_tag(name, block ? VerbatimBlock : VerbatimTag)
      Jekyll.logger.warn "jekyll-migrate:", "tag #{name} printed as written (its plugin is not installed)"
    end
  end
end

Jekyll::Hooks.register :site, :post_read do |site|
  JekyllMigrateRecorder.stub_unknown_tags(site) unless ENV["JEKYLL_MIGRATE_MISSING_PLUGINS"].to_s.empty?
end

Jekyll::Hooks.register [:pages, :documents], :pre_render do |doc|
  JekyllMigrateRecorder.current = JekyllMigrateRecorder.key(doc)
end

Jekyll::Hooks.register [:pages, :documents], :post_convert do |doc|
  JekyllMigrateRecorder::CONTENT[JekyllMigrateRecorder.key(doc)] = doc.content.to_s.dup
  JekyllMigrateRecorder.current = nil
end

Jekyll::Hooks.register :site, :post_write do |site|
  out = ENV["JEKYLL_MIGRATE_RENDER_OUT"]
  next if out.nil? || out.empty?

  # jekyll-polyglot and jekyll-multiple-languages-plugin build the site once per language, each into its
  # own folder (polyglot in parallel forks): one file per language
  lang, default_lang = if site.respond_to?(:active_lang)
                         [site.active_lang, site.default_lang]
                       elsif site.respond_to?(:parsed_translations)
                         [site.config["lang"], site.config["default_lang"]]
                       end

  records = []
  site.collections.each do |label, collection|
    # every document Jekyll rendered, also those of a collection it does not write (output: false)
    collection.docs.each do |doc|
      record = JekyllMigrateRecorder.record(site, doc, label == "posts" ? "post" : "document", label)
      record["written"] = doc.write?
      records << record
    end
  end
  documents = records.select { |r| r["written"] }.map { |r| r["output_path"] }.to_set
  site.pages.each do |page|
    record = JekyllMigrateRecorder.record(site, page, "page", nil)
    # Site#write writes pages before documents: a page a document overwrites was never served
    record["overwritten"] = documents.include?(record["output_path"])
    records << record
  end
  File.write(lang ? "#{out}.lang-#{lang}" : out, JSON.generate(
    "jekyll_version" => Jekyll::VERSION, "records" => records, "language" => lang,
    "default_language" => default_lang, "dest" => site.dest
  ))
end
