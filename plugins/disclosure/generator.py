"""The Pelican generator for record pages: home, committee index, committees."""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.generators import Generator

from . import json_schemas
from .problems import RecordsInvalid, Severity
from .record_signals import records_loaded
from .records import SiteData, load_site_data
from .settings import as_of, setting
from .views import committee_view, subdistrict_view

logger = logging.getLogger(__name__)


class DisclosureGenerator(Generator):
    site: SiteData

    def generate_context(self) -> None:
        # Runs before any generator writes: a record problem stops the build
        # here, so nothing at all is written.
        site = load_site_data(Path(self.path))
        if site.errors:
            raise RecordsInvalid(site.problems)
        for problem in site.problems:
            if problem.severity is Severity.WARNING:
                logger.warning("%s", problem)
        self.site = site
        today = as_of(self.settings)
        committees = [
            committee_view(
                committee,
                as_of=today,
                url=setting(self.settings, "COMMITTEE_URL").format(slug=committee.slug),
            )
            for committee in site.committees
        ]
        self.committees = committees
        self.context.update(
            subdistrict=subdistrict_view(site.subdistrict),
            committees=committees,
            committees_url=setting(self.settings, "COMMITTEES_URL"),
            as_of=today,
            sample_data=setting(self.settings, "DISCLOSURE_SAMPLE_DATA"),
        )
        records_loaded.send(self, site=site)

    def generate_output(self, writer) -> None:
        relative = self.settings["RELATIVE_URLS"]
        writer.write_file("index.html", self.get_template("index"), self.context, relative, url="")
        writer.write_file(
            setting(self.settings, "COMMITTEES_SAVE_AS"),
            self.get_template("committees"),
            self.context,
            relative,
            url=setting(self.settings, "COMMITTEES_URL"),
        )
        template = self.get_template("committee")
        save_as = setting(self.settings, "COMMITTEE_SAVE_AS")
        for committee in self.committees:
            writer.write_file(
                save_as.format(slug=committee.slug),
                template,
                self.context,
                relative,
                url=committee.url,
                committee=committee,
            )
        json_schemas.write(Path(self.output_path) / json_schemas.SCHEMA_DIR)
