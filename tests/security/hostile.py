"""Contributor text full of markup, for the output-encoding tests (synthetic)."""

MARKUP_TITLE = "<i>Italic</i> <img src=x onerror=alert(1)> & <script>alert(1)</script>"
# 500 characters in, the feed's cut falls inside the <img ...> tag.
MARKUP_STORY = ("A synthetic story. " * 25)[:490] + "<img src=x onerror=alert(1)> <iframe src=//evil.example/>" \
    " <form action=//evil.example/><input name=q></form> <i>kept</i> <script>alert(1)</script>"
MARKUP_NAME = "<b>Rana</b> <img src=x onerror=alert(2)>"
TAGS = ("<script", "<img", "<iframe", "<form", "<i>", "<b>", "<input")
