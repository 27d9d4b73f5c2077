"""Signals of our own, for plugins that work over all records at once."""

from blinker import signal

# sent by DisclosureGenerator once every record is read and typed, before
# anything is written; receivers get `site` (records.SiteData)
records_loaded = signal("disclosure_records_loaded")

# sent by DisclosureGenerator with `lines`: the warnings and the grouped
# disclosure report, for whoever runs the build to show (see commands.build)
report_ready = signal("disclosure_report_ready")

# sent by DisclosureGenerator with `report` (completeness.DisclosureReport, or
# None without a catalogue) as soon as it is known, before a strict build
# fails on it: publish puts it in the CI job summary
report_evaluated = signal("disclosure_report_evaluated")
