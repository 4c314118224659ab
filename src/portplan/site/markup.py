"""HTML as a type: text put into it is escaped by construction (docs/site.md, "Markers").

Every renderer of ``portplan.site`` returns :class:`Html` (a ``markupsafe.Markup``) and builds
it with ``Html("<b>{}</b>").format(text)`` or ``Html("").join(parts)``: a plain ``str`` is
escaped on the way in, an ``Html`` is kept as it is. mypy then flags a plain string returned
where HTML is expected, so no call site has to remember to escape.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any, Self

from markupsafe import Markup


class Html(Markup):
    """``Markup`` that escapes with the standard library's ``html.escape``.

    MarkupSafe writes a quote as ``&#34;`` and an apostrophe as ``&#39;``; the site has always
    written ``&quot;`` and ``&#x27;``, so its pages stay byte for byte what they were.

    >>> Html("<a title={}>{}</a>").format('"x"', Html("<b>y</b>"))
    Html('<a title=&quot;x&quot;><b>y</b></a>')
    """

    __slots__ = ()

    @classmethod
    def escape(cls, s: Any, /) -> Self:
        return cls(_text(s))

    def format(self, *args: Any, **kwargs: Any) -> Self:
        """``str.format`` with each argument escaped first (an ``Html`` kept as it is).

        MarkupSafe's own ``format`` runs ``string.Formatter`` in Python: on a plan of 2,000
        entries the table took 5x as long as with f-strings, this about 3.5x
        (benchmarks/render.py). Numbers are passed as they are, so ``{:.1f}`` works. Templates
        use plain fields only: ``!r`` or ``{0.attr}`` would print an escaped argument's repr or
        attribute unescaped.
        """
        return self.__class__(str.format(self, *map(_escaped, args),
                                         **{k: _escaped(v) for k, v in kwargs.items()}))

    def join(self, iterable: Iterable[Any], /) -> Self:
        """``str.join`` with each part escaped first (an ``Html`` kept as it is)."""
        return self.__class__(str.join(self, map(_text, iterable)))


def _text(value: Any) -> str:
    """HTML as it is; anything else as escaped text (the one escape of the site)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _escaped(value: Any) -> Any:
    """A ``format`` argument ready to print: HTML as it is, numbers as they are (they print no
    markup and keep their format spec), anything else (text, a PortSpan) escaped."""
    if type(value) in (int, float):
        return value
    return _text(value)
