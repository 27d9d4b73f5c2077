"""Development settings: relative URLs, preview-friendly."""

SITENAME = "日晖街道信息公开"
SITEURL = ""
RELATIVE_URLS = True
TIMEZONE = "Asia/Shanghai"
DEFAULT_LANG = "zh-CN"

PATH = "content"
OUTPUT_PATH = "output"
THEME = "theme"
PLUGIN_PATHS = ["plugins"]
PLUGINS = ["disclosure"]

# The example records are invented; every page says so while this is True,
# and `publish` refuses them unless told it is a demonstration
# (`publish --sample-data`). Set False once the records are real.
DISCLOSURE_SAMPLE_DATA = True
# The example records describe this day, so freshness is measured from it.
# With real records set None: "today" in Asia/Shanghai (`publish` refuses a
# pinned day). `--as-of` on the command line overrides it for one run.
DISCLOSURE_AS_OF = "2026-11-26"

# The domain in every calendar entry's UID and feed id. Set your own domain
# before the first real publish (publish refuses this example one), then never
# change it: residents' calendars would show every event twice.
DISCLOSURE_ID_DOMAIN = "rihui.example"

# Where the site is read, for what is read away from it: the QR code on each
# committee's board notice (公示栏, committees/<slug>/notice.pdf) leads to the
# committee's page there. A preview has no address of its own (SITEURL is ""),
# so it prints the example's published one; publishconf.py uses SITEURL.
DISCLOSURE_PUBLIC_SITEURL = "https://portal.example/jiedao/rihui"

# The footer's filing numbers, exactly as the office was given them; leave
# None where the office has none and the footer shows nothing for it.
# 网站标识码 (10 letters or digits), e.g. "3101040001"
DISCLOSURE_SITE_CODE = None
# ICP备案号, linked to https://beian.miit.gov.cn/, e.g. "沪ICP备12345678号-1"
DISCLOSURE_ICP = None
# 公安备案号, linked to its record on beian.gov.cn, e.g. "沪公网安备31010402000001号"
DISCLOSURE_PSB = None

# Only Markdown pages are Pelican content; records are read by the plugin.
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
STATIC_PATHS = []
IGNORE_FILES = [".*", "~*", "#*"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
# A draft is not published anywhere, not even under drafts/.
DRAFT_PAGE_URL = DRAFT_PAGE_SAVE_AS = DRAFT_URL = DRAFT_SAVE_AS = ""
DIRECT_TEMPLATES = []
ARTICLE_SAVE_AS = AUTHOR_SAVE_AS = CATEGORY_SAVE_AS = TAG_SAVE_AS = ""
AUTHORS_SAVE_AS = CATEGORIES_SAVE_AS = TAGS_SAVE_AS = ARCHIVES_SAVE_AS = ""
FEED_ALL_ATOM = FEED_ALL_RSS = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False

# Our build builds elsewhere and swaps the result in; Pelican must never
# empty output/ itself.
DELETE_OUTPUT_DIRECTORY = False

JINJA_ENVIRONMENT = {"autoescape": True, "trim_blocks": True, "lstrip_blocks": True}
MARKDOWN = {
    "extension_configs": {
        "markdown.extensions.extra": {},
        "markdown.extensions.toc": {},
    },
    "output_format": "html5",
}

# Development builds show completeness problems as warnings so staff can
# preview work in progress; publishconf.py makes them fail the build.
DISCLOSURE_STRICT = False
