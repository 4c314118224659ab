"""Safe inline Markdown for registry text (descriptions, notes).

Everything from ports.yaml is untrusted: raw HTML is escaped first, then a small inline subset is
recognised: ``code``, **bold**, *emphasis* and [text](url) links whose URL is http(s), mailto or
relative. Anything else, ``javascript:`` links included, stays visible as plain text.
"""

from __future__ import annotations

import html
import re
from urllib.parse import urlsplit

from portplan.site.markup import Html

_CODE = re.compile(r"`([^`\n]+)`")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^()\s]+)\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EM = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_PLACEHOLDER = re.compile("\x00(\\d+)\x00")

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})


def is_safe_url(url: str) -> bool:
    """Whether a link target may be emitted as ``href``: http(s), mailto, or relative.

    >>> is_safe_url("javascript:alert(1)"), is_safe_url("../ports/8090/")
    (False, True)
    """
    # Browsers ignore ASCII control characters and whitespace inside a scheme, so "java\tscript:"
    # still runs: judge the URL the way a browser reads it.
    cleaned = "".join(ch for ch in url if ord(ch) > 0x20 and ord(ch) != 0x7F)
    try:
        scheme = urlsplit(cleaned).scheme.lower()
    except ValueError:
        return False
    if scheme:
        return scheme in _SAFE_SCHEMES
    # No scheme: relative, unless something before the first "/" still looks like "x:".
    return ":" not in cleaned.split("/", 1)[0]


def render_inline(text: str) -> Html:
    """Render registry text as inline HTML; never emits markup the text did not ask for.

    >>> render_inline("Use `make` <b>now</b>")
    Html('Use <code>make</code> &lt;b&gt;now&lt;/b&gt;')
    """
    stash: list[str] = []

    def keep(fragment: str) -> str:
        stash.append(fragment)
        return f"\x00{len(stash) - 1}\x00"

    # Drop stray NULs so nobody can forge a placeholder.
    out = text.replace("\x00", "")
    # Code spans first: their content is literal, so later patterns must not touch it.
    out = _CODE.sub(lambda m: keep(Html("<code>{}</code>").format(m.group(1))), out)

    def link(m: re.Match[str]) -> str:
        label, url = m.group(1), m.group(2)
        if not is_safe_url(url):
            return m.group(0)
        return keep(Html('<a href="{}">').format(url)) + label + keep("</a>")

    out = _LINK.sub(link, out)
    # The one place text becomes HTML by hand: escaped here (quotes may stay, this is element
    # text), then only the patterns above add tags.
    out = html.escape(out, quote=False)
    out = _BOLD.sub(r"<strong>\1</strong>", out)
    out = _EM.sub(r"<em>\1</em>", out)
    return Html(_PLACEHOLDER.sub(lambda m: stash[int(m.group(1))], out))


def render_code(text: str, *, path: bool = False) -> Html:
    """Literal text shown as code (locations, commands); a path may wrap after its slashes."""
    escaped = Html.escape(text)
    if path:
        escaped = escaped.replace("/", Html("/<wbr>"))
    return Html("<code>{}</code>").format(escaped)


_MD_SPECIAL = frozenset("\\`*_{}[]()>#+-.!|")


def markdown_text(text: str) -> str:
    """Registry text made literal for a Markdown line (page headings): HTML and markup escaped.

    >>> markdown_text("*a* <b>")
    '\\\\*a\\\\* &lt;b&gt;'
    """
    escaped = html.escape(" ".join(text.split()), quote=False)
    return "".join("\\" + ch if ch in _MD_SPECIAL else ch for ch in escaped)


def render_link(label: str, url: str, css_class: str = "") -> Html:
    """A registry ``links:`` entry: a link when the URL is safe, else plain text (defence in
    depth: the checker already refuses non-http(s) links)."""
    if not is_safe_url(url):
        return Html.escape(f"{label} ({url})")
    cls = Html(' class="{}"').format(css_class) if css_class else ""
    return Html('<a{} href="{}">{}</a>').format(cls, url, label)
