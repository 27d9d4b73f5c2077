"""The disclosure site plugin: typed YAML records rendered as pages.

`register()` only connects signals; the work is in the modules it names.
"""

from pelican import signals

from . import plain_pelican
from .markup import sanitize_html
from .views import zh_date, zh_date_weekday


def get_generators(pelican_object):
    from .generator import DisclosureGenerator

    return DisclosureGenerator


def configure_templates(generator):
    # Autoescape is not a setting a site may turn off: record text is untrusted.
    generator.env.autoescape = True
    generator.env.filters.update(
        zh_date=zh_date, zh_date_weekday=zh_date_weekday, sanitized=sanitize_html
    )


def register():
    signals.initialized.connect(plain_pelican.install)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(configure_templates)
