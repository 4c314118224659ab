"""Pure renderers for the published site: registry and history records in, HTML/XML/JSON out.

Nothing here imports MkDocs. ``portplan.site.plan`` decides which files a site gets and what
each marker becomes; ``portplan.mkdocs_site`` and ``hooks/portplan_hook.py`` map that plan onto
MkDocs events, so another site generator can reuse it unchanged.
"""
