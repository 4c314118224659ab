"""One module per `portplan` sub-command; each returns an exit code."""
