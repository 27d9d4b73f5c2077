"""An nginx server block for a folder target, from the declared content types."""

from __future__ import annotations

from ..site_files import NOT_FOUND
from .content_types import nginx_charset_types, nginx_types


def server_block(*, root: str, prefix: str = "/", listen: str = "80") -> str:
    """Serve `root` (a folder target's `current` link) at `prefix`.

    nginx opens files through the link on every request, so switching
    `current` switches the site with no reload.
    """
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    root = root.rstrip("/")
    place = f"root {root};" if prefix == "/" else f"alias {root}/;"
    # The site's own address is written without the final / (SITE_URL).
    bare = (
        f"    location = {prefix.rstrip('/')} {{\n        return 301 {prefix};\n    }}\n"
        if prefix != "/"
        else ""
    )
    types = "\n".join("        " + line for line in nginx_types().splitlines())
    return f"""server {{
    listen {listen};
    # Redirects keep the host and scheme the visitor used (behind a CDN or a portal).
    absolute_redirect off;
    charset utf-8;
    charset_types {nginx_charset_types()};
{bare}    location {prefix} {{
        {place}
        index index.html;
        # An address with no page gets the site's own 404 page (its links
        # start from the site's address, so it works at any depth).
        error_page 404 {prefix}{NOT_FOUND};
{types}
        default_type application/octet-stream;
        # Pages and data change with every publish; let browsers and CDNs
        # check back instead of showing yesterday's closures.
        add_header Cache-Control "no-cache" always;
    }}
}}
"""
