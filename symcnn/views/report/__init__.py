"""Worked-derivation reports: the data a report shows, the formats, the jinja2 rendering, files."""
