"""Port of _plugins/team_link.rb: ``{{ "moncef" | team_link }}`` and ``{{ "moncef" | team_link: "role" }}``."""

from migrate.content.extensions import slugify


def team_link(handle, show=None, *, context):
    member = (context.get("site.data.team") or {}).get(str(handle))
    if member is None:
        return str(handle)
    url = f"{context.get('site.baseurl') or ''}/team/{slugify(str(handle))}/"
    text = str(member["name"])
    if show == "role" and member.get("role"):
        text += f" ({member['role']})"
    return f'<a class="team-link" href="{url}">{text}</a>'


def setup(registry):
    registry.filter("team_link", team_link)
