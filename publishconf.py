"""Production settings: the site as the public gets it.

Used by `publish` and by plain `pelican -s publishconf.py`; both refuse to
build while the address is unset or a placeholder, while the content is the
sample data (unless told it is a demonstration: `publish --sample-data`), or
while a settings file pins the day (a real site is judged as of today in
Shanghai; `--as-of` on the command line rebuilds a past day).
"""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: F403

# The address the site is published at, sub-path included
# (https://portal.example/jiedao/rihui); CI sets SITE_URL.
SITEURL = os.environ.get("SITE_URL", "").strip().rstrip("/")
RELATIVE_URLS = False
# The board notices' QR codes lead to SITEURL, not to pelicanconf.py's example address.
DISCLOSURE_PUBLIC_SITEURL = None
# The site's address also makes sitemap.xml (its entries must be absolute)
# and the Sitemap line of robots.txt; the 404 page always links from SITEURL.
# The footer's filing numbers (DISCLOSURE_SITE_CODE, DISCLOSURE_ICP,
# DISCLOSURE_PSB) come from pelicanconf.py: set them there, once.

DISCLOSURE_PUBLISH = True
# Nothing incomplete at error level is published at all.
DISCLOSURE_STRICT = True
