"""The disclosure site plugin: typed YAML records rendered as pages.

`register()` only connects signals; the work is in the modules it names.
"""

# `as`: importing our own `disclosure.signals` would rebind the bare name here
from pelican import signals as pelican_signals

from . import elder_pages, output_scan, plain_pelican
from .values.chinese_order import initial
from .values.dates import zh_date, zh_date_weekday
from .values.markup import sanitize_html


def get_generators(pelican_object):
    from .generator import DisclosureGenerator
    from .notices.generator import NoticeGenerator
    from .search.generator import SearchGenerator

    # in this order: the notices are made from the committee views (and the
    # committee pages link them); search reads the pages the others wrote
    return DisclosureGenerator, NoticeGenerator, SearchGenerator


def release_views(pelican_object):
    from .core import collector

    # frozen by DisclosureGenerator once its views were made
    collector.unfreeze()


def markdown_pages_only(readers):
    from .content_pages import keep_markdown_readers

    keep_markdown_readers(readers)


def configure_templates(generator):
    from .core.compiled_templates import COMPILED
    from .structured_data import json_ld

    # Autoescape is not a setting a site may turn off: record text is untrusted.
    generator.env.autoescape = True
    generator.env.filters.update(
        zh_date=zh_date,
        zh_date_weekday=zh_date_weekday,
        sanitized=sanitize_html,
        json_ld=json_ld,
        initial=initial,
    )
    # each build's environments are new; what their templates compile to is not
    generator.env.bytecode_cache = COMPILED


def register():
    pelican_signals.initialized.connect(plain_pelican.install)
    pelican_signals.readers_init.connect(markdown_pages_only)
    pelican_signals.get_generators.connect(get_generators)
    pelican_signals.get_writer.connect(elder_pages.get_writer)
    pelican_signals.generator_init.connect(configure_templates)
    pelican_signals.finalized.connect(output_scan.check_written)
    pelican_signals.finalized.connect(release_views)
