"""Production settings: absolute URLs for the published site."""

import os
import sys

sys.path.append(os.path.dirname(__file__))
from pelicanconf import *  # noqa: F403

# The address the site is published at; CI sets SITE_URL.
SITEURL = os.environ.get("SITE_URL", "https://rihui.example")
RELATIVE_URLS = False

# Nothing incomplete at error level is published at all.
DISCLOSURE_STRICT = True
