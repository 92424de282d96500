# {{ "moncef" | team_link }}: a link to a team member's page, with the name from _data/team.yml;
# {{ "moncef" | team_link: "role" }} adds the role. An unknown handle is written as it is.
module TeamLink
  def team_link(handle, show = nil)
    site = @context.registers[:site]
    member = (site.data["team"] || {})[handle.to_s]
    return handle.to_s if member.nil?

    url = "#{site.config["baseurl"]}/team/#{Jekyll::Utils.slugify(handle.to_s)}/"
    text = member["name"].to_s
    text += " (#{member["role"]})" if show == "role" && member["role"]
    %(<a class="team-link" href="#{url}">#{text}</a>)
  end
end

Liquid::Template.register_filter(TeamLink)
