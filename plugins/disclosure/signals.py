"""Signals of our own: how the generator hands its findings to whoever runs the build."""

from blinker import signal

# sent by DisclosureGenerator with `lines`: the warnings and the grouped
# disclosure report, for whoever runs the build to show (see cli.commands.build)
report_ready = signal("disclosure_report_ready")

# sent by DisclosureGenerator with `report` (completeness.rules.DisclosureReport, or
# None without a catalogue) as soon as it is known, before a strict build
# fails on it: publish puts it in the CI job summary
report_evaluated = signal("disclosure_report_evaluated")
