"""`portplan scan`: hold the registry against the files that really set ports (docs/scan.md).

Each module under here reads one kind of source into :class:`~portplan.scan.places.Place`
records; :mod:`portplan.scan.matcher` holds them against the registry and yields findings.
Nothing here prints: :mod:`portplan.commands.scan` and the site present what it finds.
"""
