"""Where ports.yaml lives on the forge: a link to the line of each entry, and its edit page.

Both come from MkDocs' own ``repo_url`` and ``edit_uri`` (docs/site.md, "Port pages"). The
branch is read from ``edit_uri`` (``edit/main/docs/``), and so is where mkdocs.yml sits in
the repository: whatever comes before the docs folder (``site/docs/`` puts it in ``site/``).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

_ACTIONS = frozenset({"edit", "blob", "tree"})


@dataclass(frozen=True)
class ForgeFile:
    """The registry file on the forge: ``view`` shows it, ``edit`` proposes a change to it."""

    view: str
    edit: str

    @classmethod
    def from_config(cls, repo_url: str | None, edit_uri: str | None, *, docs_dir: str,
                    registry: str) -> ForgeFile | None:
        """None unless both are set and ``edit_uri`` names a branch.

        >>> ForgeFile.from_config("https://github.com/o/r", "edit/main/docs/",
        ...                            docs_dir="docs", registry="ports.yaml").line(7)
        'https://github.com/o/r/blob/main/ports.yaml#L7'
        """
        if not repo_url or not edit_uri:
            return None
        base = repo_url.rstrip("/")
        path = edit_uri
        if urlsplit(edit_uri).scheme:
            if not edit_uri.startswith(base + "/"):
                return None
            path = edit_uri[len(base) + 1:]
        parts = [p for p in path.strip("/").split("/") if p]
        gitlab = bool(parts) and parts[0] == "-"
        parts = parts[1:] if gitlab else parts
        if len(parts) < 2 or parts[0] not in _ACTIONS:
            return None
        branch, folder = parts[1], parts[2:]
        docs = [p for p in docs_dir.strip("/").split("/") if p not in ("", ".")]
        if docs and folder[-len(docs):] == docs:
            folder = folder[:-len(docs)]
        file = "/".join([*folder, *[p for p in registry.split("/") if p not in ("", ".")]])
        forge = f"{base}/-" if gitlab or "gitlab" in urlsplit(base).netloc else base
        return cls(f"{forge}/blob/{branch}/{file}", f"{forge}/edit/{branch}/{file}")

    def line(self, number: int) -> str:
        return f"{self.view}#L{number}"
