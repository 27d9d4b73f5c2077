"""The disclosure site plugin: typed YAML records rendered as pages.

`register()` only connects signals; the work is in the modules it names.
"""

import logging

from pelican import signals

from .markup import sanitize_html
from .problems import RecordsInvalid
from .settings import SettingsInvalid
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


class _StaffProblemsWithoutTraceback(logging.Filter):
    """Plain `pelican` logs every failure with its traceback; a problem that a
    person typed is reported by its messages alone, as `build` does."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], (RecordsInvalid, SettingsInvalid)):
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_tracebacks(pelican_object):
    logger = logging.getLogger("pelican")
    if not any(isinstance(f, _StaffProblemsWithoutTraceback) for f in logger.filters):
        logger.addFilter(_StaffProblemsWithoutTraceback())


def register():
    signals.initialized.connect(quiet_tracebacks)
    signals.get_generators.connect(get_generators)
    signals.generator_init.connect(configure_templates)
