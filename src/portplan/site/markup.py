"""HTML as a type: text put into it is escaped by construction (docs/site.md, "Safe text").

Every renderer of ``portplan.site`` returns :class:`Html` (a ``markupsafe.Markup``) and builds
it with ``Html("<b>{}</b>").format(text)`` or ``Html("").join(parts)``: a plain ``str`` is
escaped on the way in, an ``Html`` is kept as it is. mypy then flags a plain string returned
where HTML is expected, so no call site has to remember to escape.
"""

from __future__ import annotations

import html
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
        if hasattr(s, "__html__"):
            return cls(s.__html__())
        return cls(html.escape(str(s)))
