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

    def __new__(cls, object: Any = "", encoding: str | None = None,
                errors: str = "strict") -> Self:
        # A plain str (every template, every result of format and join) is wrapped as it is,
        # which is what ``Markup.__new__`` does with it too, without its checks in Python.
        if type(object) is str and encoding is None:
            return str.__new__(cls, object)
        return super().__new__(cls, object, encoding, errors)

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
        if kwargs:
            text = str.format(self, *map(_escaped, args),
                              **{k: _escaped(v) for k, v in kwargs.items()})
        else:
            text = str.format(self, *map(_escaped, args))
        return str.__new__(type(self), text)

    def join(self, iterable: Iterable[Any], /) -> Self:
        """``str.join`` with each part escaped first (an ``Html`` kept as it is)."""
        return str.__new__(type(self), str.join(self, map(_text, iterable)))


def _text(value: Any) -> str:
    """HTML as it is; anything else as escaped text (the one escape of the site)."""
    kind = type(value)  # the two common kinds first, without the hasattr probe
    if kind is str:
        return html.escape(value)
    if kind is Html:
        as_is: str = value  # printed as the str it is: the bytes of str(value.__html__())
        return as_is
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _escaped(value: Any) -> Any:
    """A ``format`` argument ready to print: HTML as it is, numbers as they are (they print no
    markup and keep their format spec), anything else (text, a PortSpan) escaped."""
    kind = type(value)
    if kind is str:
        return html.escape(value)
    if kind is Html or kind is int or kind is float:
        return value
    return _text(value)
