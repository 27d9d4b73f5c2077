"""The disclosure catalogue, its rules over the records, and the report."""
