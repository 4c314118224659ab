"""Pure renderers for the published site: registry and history records in, HTML/XML/JSON out.

Nothing here imports MkDocs; ``portplan.mkdocs_site`` and ``hooks/portplan_hook.py`` wire these
functions to MkDocs events, so another site generator could reuse them unchanged.
"""
