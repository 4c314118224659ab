"""The registry, ``ports.yaml``: read (``source``, ``nodes``, ``entries``), loaded and checked
(``load``, ``rules``, ``acceptance``), and found (``locate``, ``file_bytes``).

The format is docs/registry-format.md. Everything the history's cache depends on lives in this
package, so the cache keys on the package as a whole.
"""
