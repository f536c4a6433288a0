"""Ghost's editor formats (Lexical, Mobiledoc) to Markdown.

Rich-text sections become HTML first and go through ``tomarkdown`` like any HTML body;
cards become their nearest Markdown: image and gallery → images, bookmark, embed, video,
audio, file and button → links, callout → a quote, code → a fenced block, Markdown cards
stay Markdown (without scripts), HTML cards are converted. Cards that only make sense in an
email (email, email-cta, signup, paywall) are left out.
"""

from __future__ import annotations

import html as htmllib
from typing import Any

from masthead.exchange import tomarkdown

EMAIL_ONLY = {"email", "email-cta", "signup", "paywall", "call-to-action", "transistor"}
TEXT_FORMATS = ((1, "strong"), (2, "em"), (4, "s"), (16, "code"))
MAX_DEPTH = 100


def _link(url: object, text: object = "") -> str:
    href = tomarkdown.safe_url(str(url or ""))
    if not href:
        return ""
    return f"[{tomarkdown.escape(str(text or href))}]({href})"


def _image(src: object, alt: object = "", caption: object = "") -> str:
    href = tomarkdown.safe_url(str(src or ""))
    if not href:
        return ""
    line = f"![{tomarkdown.escape(str(alt or ''))}]({href})"
    text = tomarkdown.inline(str(caption or ""))
    return f"{line}\n\n_{text}_" if text else line


def _fence(code: str, language: str = "") -> str:
    fence = "```"
    while fence in code:
        fence += "`"
    language = "".join(c for c in language if c.isalnum() or c in "+-")
    return f"{fence}{language}\n{code.strip(chr(10))}\n{fence}"


def card(name: str, payload: dict[str, Any]) -> str:
    """Markdown for one Ghost card (the same payload names in Mobiledoc and Lexical)."""
    get = payload.get
    if name in EMAIL_ONLY:
        return ""
    if name == "markdown":
        return tomarkdown.clean_markdown(str(get("markdown") or ""))
    if name == "html":
        return tomarkdown.convert(str(get("html") or ""))
    if name == "image":
        return _image(get("src"), get("alt") or get("altText"), get("caption"))
    if name == "gallery":
        images = get("images") or []
        lines = [
            _image(i.get("src"), i.get("alt") or i.get("altText"))
            for i in images
            if isinstance(i, dict)
        ]
        text = tomarkdown.inline(str(get("caption") or ""))
        body = "\n".join(line for line in lines if line)
        return f"{body}\n\n_{text}_" if text and body else body
    if name == "bookmark":
        meta = get("metadata") or {}
        title = meta.get("title") if isinstance(meta, dict) else ""
        description = meta.get("description") if isinstance(meta, dict) else ""
        link = _link(get("url"), title or get("url"))
        extra = tomarkdown.escape(str(description or "")).strip()
        return f"{link}\n\n{extra}" if link and extra else link
    if name == "callout":
        text = tomarkdown.convert(str(get("calloutText") or "")).strip()
        emoji = str(get("calloutEmoji") or "").strip()
        lines = f"{emoji} {text}".strip().split("\n")
        return "\n".join("> " + line if line else ">" for line in lines)
    if name == "embed":
        url = get("url")
        caption = tomarkdown.inline(str(get("caption") or ""))
        link = _link(url, caption or (get("metadata") or {}).get("title") or url)
        return link
    if name in {"code", "codeblock"}:
        return _fence(str(get("code") or ""), str(get("language") or ""))
    if name in {"hr", "horizontalrule"}:
        return "---"
    if name == "button":
        return _link(get("buttonUrl"), get("buttonText"))
    if name in {"video", "audio", "file"}:
        return _link(get("src"), get("title") or get("fileName") or get("caption") or name)
    if name == "toggle":
        heading = tomarkdown.inline(str(get("heading") or ""))
        content = tomarkdown.convert(str(get("content") or "")).strip()
        return f"**{heading}**\n\n{content}".strip() if heading else content
    if name == "header":
        heading = tomarkdown.inline(str(get("header") or get("heading") or ""))
        sub = tomarkdown.inline(str(get("subheader") or get("subheading") or ""))
        return "\n\n".join(part for part in (f"## {heading}" if heading else "", sub) if part)
    if name == "product":
        title = tomarkdown.inline(str(get("productTitle") or ""))
        text = tomarkdown.convert(str(get("productDescription") or "")).strip()
        return "\n\n".join(
            p
            for p in (
                f"**{title}**" if title else "",
                text,
                _link(get("productUrlButton") or get("productButtonUrl"), get("productButton")),
            )
            if p
        )
    # An unknown card: its caption or text, if it has one, as plain text.
    for key in ("caption", "text", "html"):
        if isinstance(get(key), str) and get(key):
            return tomarkdown.convert(str(get(key)))
    return ""


# --- Lexical -------------------------------------------------------------------------------


def _lexical_inline(node: dict[str, Any], depth: int) -> str:
    if depth > MAX_DEPTH:
        return ""
    kind = node.get("type")
    if kind in {"text", "extended-text"}:
        text = htmllib.escape(str(node.get("text", "")))
        fmt = int(node.get("format") or 0)
        for bit, tag in TEXT_FORMATS:
            if fmt & bit:
                text = f"<{tag}>{text}</{tag}>"
        return text
    if kind == "linebreak":
        return "<br>"
    if kind == "tab":
        return " "
    inner = "".join(
        _lexical_inline(child, depth + 1)
        for child in node.get("children") or []
        if isinstance(child, dict)
    )
    if kind in {"link", "autolink"}:
        return f'<a href="{htmllib.escape(str(node.get("url", "")))}">{inner}</a>'
    return inner


def _lexical_block(node: dict[str, Any], depth: int = 0) -> str:
    kind = str(node.get("type", ""))
    children = [c for c in node.get("children") or [] if isinstance(c, dict)]
    if depth > MAX_DEPTH:
        return ""
    if kind in {"paragraph", "extended-paragraph"}:
        return f"<p>{''.join(_lexical_inline(c, depth) for c in children)}</p>"
    if kind in {"heading", "extended-heading"}:
        tag = str(node.get("tag", "h2"))
        tag = tag if tag in {"h1", "h2", "h3", "h4", "h5", "h6"} else "h2"
        return f"<{tag}>{''.join(_lexical_inline(c, depth) for c in children)}</{tag}>"
    if kind in {"quote", "extended-quote", "aside"}:
        return f"<blockquote>{''.join(_lexical_inline(c, depth) for c in children)}</blockquote>"
    if kind == "list":
        tag = "ol" if node.get("listType") == "number" else "ul"
        start = node.get("start")
        attr = (
            f' start="{int(start)}"'
            if tag == "ol" and isinstance(start, int) and start != 1
            else ""
        )
        return f"<{tag}{attr}>{''.join(_lexical_block(c, depth + 1) for c in children)}</{tag}>"
    if kind == "listitem":
        parts = [
            _lexical_block(c, depth + 1)
            if c.get("type") == "list"
            else _lexical_inline(c, depth + 1)
            for c in children
        ]
        return f"<li>{''.join(parts)}</li>"
    return ""


def lexical_to_markdown(document: dict[str, Any]) -> str:
    root = document.get("root") if isinstance(document, dict) else None
    if not isinstance(root, dict):
        raise ValueError("no root node")
    blocks: list[str] = []
    for node in root.get("children") or []:
        if not isinstance(node, dict):
            continue
        html = _lexical_block(node)
        if html:
            blocks.append(tomarkdown.convert(html).strip())
        else:
            blocks.append(card(str(node.get("type", "")), node).strip())
    return "\n\n".join(b for b in blocks if b) + "\n"


# --- Mobiledoc -----------------------------------------------------------------------------


def _markers_html(markers: list[Any], markups: list[Any]) -> str:
    out: list[str] = []
    stack: list[str] = []
    for marker in markers:
        if not isinstance(marker, list) or len(marker) < 4:
            continue
        kind, opens, closes, value = marker[0], marker[1], marker[2], marker[3]
        for index in opens or []:
            if isinstance(index, int) and 0 <= index < len(markups):
                markup = markups[index]
                tag = str(markup[0]).lower() if markup else "span"
                attrs = markup[1] if len(markup) > 1 and isinstance(markup[1], list) else []
                pairs = dict(zip(attrs[::2], attrs[1::2], strict=False))
                if tag == "a":
                    out.append(f'<a href="{htmllib.escape(str(pairs.get("href", "")))}">')
                else:
                    tag = (
                        tag
                        if tag in {"b", "strong", "i", "em", "s", "code", "u", "sub", "sup"}
                        else "span"
                    )
                    out.append(f"<{tag}>")
                stack.append(tag)
        out.append(htmllib.escape(str(value)) if kind == 0 else "")
        for _ in range(int(closes or 0)):
            if stack:
                out.append(f"</{stack.pop()}>")
    out.extend(f"</{tag}>" for tag in reversed(stack))
    return "".join(out)


def mobiledoc_to_markdown(document: dict[str, Any]) -> str:
    if not isinstance(document, dict) or not isinstance(document.get("sections"), list):
        raise ValueError("no sections")
    markups = document.get("markups") or []
    cards = document.get("cards") or []
    blocks: list[str] = []
    for section in document["sections"]:
        if not isinstance(section, list) or not section:
            continue
        kind = section[0]
        if kind == 1 and len(section) >= 3:  # markup section
            tag = str(section[1]).lower()
            tag = (
                tag
                if tag
                in {"p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "aside", "pull-quote"}
                else "p"
            )
            tag = "blockquote" if tag in {"aside", "pull-quote"} else tag
            blocks.append(
                tomarkdown.convert(f"<{tag}>{_markers_html(section[2], markups)}</{tag}>").strip()
            )
        elif kind == 3 and len(section) >= 3:  # list section
            tag = "ol" if str(section[1]).lower() == "ol" else "ul"
            items = "".join(
                f"<li>{_markers_html(item, markups)}</li>"
                for item in section[2]
                if isinstance(item, list)
            )
            blocks.append(tomarkdown.convert(f"<{tag}>{items}</{tag}>").strip())
        elif kind == 10 and len(section) >= 2:  # card section
            index = section[1]
            if isinstance(index, int) and 0 <= index < len(cards):
                name, payload = cards[index][0], cards[index][1] if len(cards[index]) > 1 else {}
                blocks.append(card(str(name), payload if isinstance(payload, dict) else {}).strip())
        elif kind == 2 and len(section) >= 2:  # image section
            blocks.append(_image(section[1]))
    return "\n\n".join(b for b in blocks if b) + "\n"
