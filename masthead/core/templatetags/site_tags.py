"""Template helpers shared by every app: formatting (they never query) and ``{% fragment %}``."""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

# The same escapes as Django's json_script: the JSON can never close the script element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(value: Any) -> SafeString:
    """``<script type="application/ld+json">`` with the data safely escaped.

    A data block, not a script: browsers never execute it, so it needs no CSP nonce.
    """
    data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    # The payload is escaped above so it cannot end the element.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(data))  # noqa: S308  # nosec


@register.filter
def minutes_read(value: int) -> str:
    return f"{max(int(value or 1), 1)} min read"


@register.filter
def is_current(path: str, url: str) -> bool:
    """Whether a navigation link to ``url`` is the section ``path`` is in."""
    if not url.startswith("/"):
        return False
    return path == url or (url != "/" and path.startswith(url))


class FragmentNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, parts: list[Any], shelf: Any | None = None
    ) -> None:
        self.nodelist, self.parts, self.shelf = nodelist, parts, shelf

    def render(self, context: template.Context) -> str:
        from masthead.core import pagecache

        if context.get("fragments_off"):  # a page built for one reader (a draft's preview)
            return str(self.nodelist.render(context))
        parts = tuple(str(part.resolve(context)) for part in self.parts)

        def build() -> str:
            # Every reader gets this copy: their nonce and token go in per response.
            slots = {"csp_nonce": pagecache.NONCE_SLOT, "csrf_token": pagecache.CSRF_SLOT}
            with context.push(page_path=pagecache.PATH_SLOT, **slots):
                return str(self.nodelist.render(context))

        if self.shelf is None:
            html = pagecache.fragment(parts, build)
        else:
            shelf = self.shelf.resolve(context)
            if not shelf:  # its parts leave the object out: never share it between objects
                raise template.TemplateSyntaxError("fragment ... beside: the shelf is missing")
            html = pagecache.kept_beside(shelf, parts, build)
        request = context.get("request")
        if request is not None and not pagecache.filled_by_wrapper(request):
            html = pagecache.fill_text(request, html)  # no public_page wrapper fills this page
        # The piece was escaped when it was rendered, like any template output.
        return mark_safe(html)  # noqa: S308  # nosec


@register.tag
def fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    """``{% fragment "name" part... [beside shelf] %}...{% endfragment %}``: cached, shared
    by every reader.

    Only around markup that depends on nothing but the parts named (ADR 0025), and with
    ``beside``, on the object whose shelf it is (``pagecache.kept_beside``). In the
    views of ``pagecache.public_page`` the wrapper fills the nonce and CSRF slots of the
    whole response; on any other page (base.html's footer is on every page) the piece's
    slots are filled here.
    """
    bits = token.split_contents()[1:]
    shelf = None
    if len(bits) >= 2 and bits[-2] == "beside":
        shelf = parser.compile_filter(bits[-1])
        bits = bits[:-2]
    if not bits:
        raise template.TemplateSyntaxError("fragment needs a name")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits], shelf)
