"""Html escapes what goes into it and keeps HTML as it is, on every path (docs/site.md, "Markers").

format, join and the constructor take a shortcut for plain strings and Html; these pin down
that the shortcut gives the same text and type as the general path.
"""

from __future__ import annotations

from markupsafe import Markup

from portplan.model import PortSpan
from portplan.site.markup import Html

HOSTILE = "<script>alert(\"x\" & 'y')</script>"
ESCAPED = "&lt;script&gt;alert(&quot;x&quot; &amp; &#x27;y&#x27;)&lt;/script&gt;"


class Shown:
    def __html__(self) -> str:
        return "<i>shown</i>"


def test_text_is_escaped_and_html_kept_in_format() -> None:
    out = Html("<p title={}>{}{}</p>").format(HOSTILE, Html("<b>&amp;</b>"), Shown())
    assert out == f"<p title={ESCAPED}><b>&amp;</b><i>shown</i></p>"
    assert type(out) is Html


def test_format_by_name_escapes_too() -> None:
    assert Html("{a}|{b}").format(a=HOSTILE, b=Html("<br>")) == f"{ESCAPED}|<br>"


def test_numbers_keep_their_format_spec_and_other_values_print_escaped() -> None:
    assert Html("{:.1f} {:03d} {}").format(2.25, 7, True) == "2.2 007 True"
    assert Html("{}").format(PortSpan(8020, 8029)) == "8020-8029"


def test_html_keeps_a_format_spec() -> None:
    assert Html("[{:>6}]").format(Html("<b>")) == "[   <b>]"


def test_join_escapes_text_and_keeps_html() -> None:
    out = Html(", ").join([HOSTILE, Html("<b>x</b>"), Shown(), 8090])
    assert out == f"{ESCAPED}, <b>x</b>, <i>shown</i>, 8090"
    assert type(out) is Html


def test_constructor_keeps_str_and_html_and_decodes_bytes() -> None:
    assert type(Html("<b>")) is Html and Html("<b>") == "<b>"
    assert Html(Shown()) == "<i>shown</i>"
    assert Html(b"<b>caf\xc3\xa9</b>", "utf-8") == "<b>café</b>"
    assert Html() == ""


def test_adding_text_escapes_it_with_the_sites_entities() -> None:
    out = Html("<b>") + HOSTILE
    assert out == "<b>" + ESCAPED and type(out) is Html
    assert Html.escape(Markup("<i>")) == "<i>"
