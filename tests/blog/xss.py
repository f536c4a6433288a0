"""Markdown XSS payloads and a checker for executable constructs (shared by unit and browser tests)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

PAYLOADS: tuple[str, ...] = (
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](javascript&colon;alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1))",
    "[click](java%0ascript:alert(1))",
    "[click](%6A%61%76%61script:alert(1))",
    "[click](<javascript:alert(1)>)",
    "[click](\tjavascript:alert(1))",
    "[click](java\x00script:alert(1))",
    "[click](javascript://%0aalert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click][ref]\n\n[ref]: javascript:alert(1)",
    "<javascript:alert(1)>",
    '<https://ok.example/"onmouseover="alert(1)>',
    "![img](javascript:alert(1))",
    "![img](data:text/html,<script>alert(1)</script>)",
    "![img](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    '![x](x" onerror="alert(1))',
    '![x](https://a.example/x.png "t\\" onerror=\\"alert(1)")',
    "![x](x.png \"a' onload='alert(1)\")",
    '![x" onerror="alert(1)](x.png)',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<style>@import 'javascript:alert(1)';</style>",
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="#" onclick="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)//<</script>/script>",
    '<!--<img src="--><img src=x onerror=alert(1)//">',
    "`<img src=x onerror=alert(1)>`",
    "## <img src=x onerror=alert(1)>",
    "[<img src=x onerror=alert(1)>](https://a.example)",
    "<textarea><img src=x onerror=alert(1)></textarea>",
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    "::: tool <img src=x onerror=alert(1)>",
    '::: tool ocr" onmouseover="alert(1)',
    "<link rel=stylesheet href=javascript:alert(1)>",
    '<a href="&#1;javascript:alert(1)">x</a>',
    "[x](  JAVASCRIPT  :alert(1))",
)

DANGEROUS_TAGS = frozenset(
    {"script", "iframe", "object", "embed", "base", "meta", "form", "style", "svg", "math",
     "link", "frame", "frameset", "applet", "textarea", "noscript", "template"}
)  # fmt: skip
URL_ATTRS = frozenset(
    {"href", "src", "action", "formaction", "data", "xlink:href", "srcset", "poster"}
)
_CONTROL = re.compile(r"[\x00-\x20]+")
BAD_SCHEMES = ("javascript:", "vbscript:", "data:text", "data:image/svg", "data:application")


def bad_url(value: str) -> bool:
    """``value`` is already entity-decoded by the parser, as a browser decodes it once."""
    cleaned = _CONTROL.sub("", value).lower()
    return cleaned.startswith(BAD_SCHEMES)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}>")
            if name == "style":
                self.problems.append(f"<{tag} style>")
            if name in URL_ATTRS and value and bad_url(value):
                self.problems.append(f"<{tag} {name}={value!r}>")

    handle_startendtag = handle_starttag


def executable_constructs(fragment: str) -> list[str]:
    """Everything in ``fragment`` that could run script; empty means safe."""
    collector = _Collector()
    collector.feed(fragment)
    collector.close()
    found = [f"<{t}>" for t in collector.tags if t in DANGEROUS_TAGS]
    return found + collector.problems


def tag_counts(page: str) -> dict[str, int]:
    collector = _Collector()
    collector.feed(page)
    collector.close()
    counts: dict[str, int] = {}
    for tag in collector.tags:
        if tag in DANGEROUS_TAGS:
            counts[tag] = counts.get(tag, 0) + 1
    return counts


def page_problems(page: str) -> list[str]:
    """on* / style attributes and bad URLs anywhere in a full page."""
    collector = _Collector()
    collector.feed(page)
    collector.close()
    return collector.problems
