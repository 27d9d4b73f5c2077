"""Record machinery that knows no kind: YAML text with positions, problems,
files, the schema engine."""
