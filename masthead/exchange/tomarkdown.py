"""HTML from another platform to Markdown, the form every Masthead body is kept in.

The body then goes through the blog's one renderer (``masthead.blog.markdown``: raw HTML
escaped, output cleaned by nh3, ADR 0101), so nothing here has to be a sanitiser: a
construct this module misses is shown as text, never run. It still drops what readers
should never see as text (scripts, styles, forms, event handlers, ``javascript:`` links),
and turns the cards of Ghost and the blocks of WordPress into their nearest Markdown:
images and galleries into images, bookmarks and embeds into links, callouts into quotes.

Written for bodies of any size: a flat tree from the standard library's HTML parser, and a
depth limit so a deeply nested body cannot exhaust the stack.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

DROP = {
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "title",
    "meta",
    "link",
    "object",
    "embed",
    "form",
    "input",
    "select",
    "textarea",
    "svg",
    "math",
    "canvas",
    "applet",
    "base",
}
VOID = {
    "br",
    "hr",
    "img",
    "input",
    "meta",
    "link",
    "source",
    "area",
    "col",
    "wbr",
    "param",
    "track",
}
BLOCKS = {
    "p",
    "div",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "figure",
    "nav",
    "blockquote",
    "ul",
    "ol",
    "li",
    "pre",
    "hr",
    "table",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dl",
    "dt",
    "dd",
    "figcaption",
    "details",
    "summary",
    "body",
    "html",
}
DROP_CLASSES = {
    "subscription-widget-wrap",
    "subscription-widget",
    "subscribe-widget",
    "button-wrapper",
    "kg-signup-card",
    "share-dialog",
    "footnote-anchor-button",
    "kg-cta-card",
}
"""Sign-up forms and share buttons of other platforms: no use to a reader here."""
MAX_DEPTH = 200
SAFE_SCHEMES = ("http://", "https://", "mailto:", "/", "#", "./", "../")
_SPACE = re.compile(r"\s+")
_ESCAPE = re.compile(r"([\\`*_\[\]<>|])")
_LINE_START = re.compile(r"^(\s*)([#+\-=]|\d+[.)])", re.MULTILINE)


@dataclass
class Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("root")
        self.stack = [self.root]
        self.dropping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping:
            if tag in DROP and tag not in VOID:
                self.dropping += 1
            return
        if tag in DROP:
            if tag not in VOID and tag not in {"meta", "link", "input", "base"}:
                self.dropping = 1
            return
        node = Node(tag, {k: v or "" for k, v in attrs if not k.startswith("on")})
        if tag == "iframe":  # an embed: kept as a link to its address
            self.stack[-1].children.append(node)
            self.dropping = 1
            return
        self.stack[-1].children.append(node)
        if tag not in VOID and len(self.stack) < MAX_DEPTH:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and not self.dropping and self.stack[-1].tag == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            if tag in DROP or tag == "iframe":
                self.dropping -= 1
            return
        for index in range(len(self.stack) - 1, 0, -1):
            if self.stack[index].tag == tag:
                del self.stack[index:]
                return

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def safe_url(url: str) -> str:
    """The address if it is one a reader may follow or load, else ''."""
    url = url.strip()
    lowered = url.lower()
    if lowered.startswith(SAFE_SCHEMES) or (url and ":" not in url.split("/")[0]):
        return url.replace(" ", "%20").replace(")", "%29").replace("(", "%28")
    return ""


def escape(text: str) -> str:
    return _ESCAPE.sub(r"\\\1", text)


def _text(node: Node | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text(child) for child in node.children)


class _Writer:
    def blocks(self, node: Node, depth: int = 0) -> list[str]:
        """The node's children as Markdown blocks (inline runs gathered into paragraphs)."""
        out: list[str] = []
        run: list[Node | str] = []

        def flush() -> None:
            text = self.inline_all(run).strip()
            if text:
                out.append(_LINE_START.sub(r"\1\\\2", text))
            run.clear()

        for child in node.children:
            if isinstance(child, Node) and (child.tag in BLOCKS or child.tag == "iframe"):
                flush()
                out.extend(self.block(child, depth + 1))
            else:
                run.append(child)
        flush()
        return out

    def block(self, node: Node, depth: int) -> list[str]:
        tag, classes = node.tag, node.classes
        if depth > MAX_DEPTH:
            return [escape(_SPACE.sub(" ", _text(node)).strip())]
        if tag == "iframe":
            src = safe_url(node.attrs.get("src", ""))
            return [f"<{src}>" if src.startswith("http") else ""] if src else []
        if classes & DROP_CLASSES:
            return []
        if "kg-bookmark-card" in classes or "wp-block-embed" in classes:
            return self.bookmark(node, depth)
        if "kg-callout-card" in classes:
            emoji = self.find_class(node, "kg-callout-emoji")
            body = self.find_class(node, "kg-callout-text")
            inner = self.blocks(body or node, depth)
            if emoji is not None and body is not None and inner:
                inner[0] = escape(_text(emoji).strip()) + " " + inner[0]
            return [
                "\n".join("> " + line if line else ">" for line in "\n\n".join(inner).split("\n"))
            ]
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            level = max(2, int(tag[1]))  # the post title is the page's only h1
            text = self.inline_all(node.children).strip()
            return [f"{'#' * level} {text}"] if text else []
        if tag == "hr":
            return ["---"]
        if tag == "pre":
            code = _text(node)
            language = ""
            for child in node.children:
                if isinstance(child, Node) and child.tag == "code":
                    for name in child.classes:
                        if name.startswith("language-"):
                            language = re.sub(r"[^\w+-]", "", name[9:])
            fence = "```"
            while fence in code:
                fence += "`"
            return [f"{fence}{language}\n{code.strip(chr(10))}\n{fence}"]
        if tag == "blockquote":
            inner = self.blocks(node, depth)
            return (
                ["\n".join("> " + line if line else ">" for line in "\n\n".join(inner).split("\n"))]
                if inner
                else []
            )
        if tag in {"ul", "ol"}:
            return [self.list_block(node, depth)]
        if tag == "table":
            return [self.table(node)]
        if tag == "figure":
            return self.figure(node, depth)
        return self.blocks(node, depth)

    def bookmark(self, node: Node, depth: int) -> list[str]:
        link = self.find(node, "a")
        href = safe_url(link.attrs.get("href", "")) if link else ""
        title = self.find_class(node, "kg-bookmark-title")
        description = self.find_class(node, "kg-bookmark-description")
        name = _SPACE.sub(" ", _text(title)).strip() if title else ""
        if not href:
            iframe = self.find(node, "iframe")
            href = safe_url(iframe.attrs.get("src", "")) if iframe else ""
        if not href:
            return self.blocks(node, depth)
        out = [f"[{escape(name or href)}]({href})"]
        if description:
            out.append(escape(_SPACE.sub(" ", _text(description)).strip()))
        return out

    def figure(self, node: Node, depth: int) -> list[str]:
        images = self.find_all(node, "img")
        caption = self.find(node, "figcaption")
        if not images:
            return self.blocks(node, depth)
        pictures = "\n".join(line for img in images if (line := self.image(img)))
        text = self.inline_all(caption.children).strip() if caption else ""
        return [part for part in (pictures, f"_{text}_" if text else "") if part]

    def list_block(self, node: Node, depth: int) -> str:
        ordered = node.tag == "ol"
        start = node.attrs.get("start", "1")
        number = int(start) if start.isdigit() else 1
        lines: list[str] = []
        for child in node.children:
            if not isinstance(child, Node) or child.tag != "li":
                continue
            marker = f"{number}. " if ordered else "- "
            number += 1
            inner = "\n".join(self.blocks(child, depth + 1))
            pad = " " * len(marker)
            body = inner.replace("\n", "\n" + pad)
            lines.append(marker + body)
        return "\n".join(lines)

    def table(self, node: Node) -> str:
        rows = self.find_all(node, "tr")
        grid = [
            [
                escape(_SPACE.sub(" ", _text(cell)).strip()).replace("\n", " ")
                for cell in row.children
                if isinstance(cell, Node) and cell.tag in {"td", "th"}
            ]
            for row in rows
        ]
        grid = [row for row in grid if row]
        if not grid:
            return ""
        width = max(len(row) for row in grid)
        grid = [row + [""] * (width - len(row)) for row in grid]
        lines = ["| " + " | ".join(grid[0]) + " |", "|" + " --- |" * width]
        lines += ["| " + " | ".join(row) + " |" for row in grid[1:]]
        return "\n".join(lines)

    def image(self, node: Node) -> str:
        src = safe_url(node.attrs.get("src", ""))
        if not src:
            return ""
        alt = escape(_SPACE.sub(" ", node.attrs.get("alt", "")).strip())
        return f"![{alt}]({src})"

    def inline_all(self, items: list[Node | str]) -> str:
        return "".join(self.inline(item) for item in items)

    def inline(self, item: Node | str, depth: int = 0) -> str:
        if isinstance(item, str):
            return escape(_SPACE.sub(" ", item))
        tag = item.tag
        if depth > MAX_DEPTH:
            return escape(_SPACE.sub(" ", _text(item)))
        inner = "".join(self.inline(child, depth + 1) for child in item.children)
        if tag == "br":
            return "  \n"
        if tag == "img":
            return self.image(item)
        if tag in {"strong", "b"}:
            return _wrap(inner, "**")
        if tag in {"em", "i"}:
            return _wrap(inner, "*")
        if tag in {"s", "del", "strike"}:
            return _wrap(inner, "~~")
        if tag == "code":
            code = _text(item)
            tick = "``" if "`" in code else "`"
            return f"{tick}{code}{tick}" if code else ""
        if tag == "a":
            href = safe_url(item.attrs.get("href", ""))
            if not href or not inner.strip():
                return inner
            return f"[{inner.strip()}]({href})"
        if tag in BLOCKS:  # a block inside an inline run (<a><div>…</div></a>)
            return " " + inner.strip() + " "
        return inner

    def find(self, node: Node, tag: str) -> Node | None:
        found = self.find_all(node, tag)
        return found[0] if found else None

    def find_all(self, node: Node, tag: str) -> list[Node]:
        found: list[Node] = []
        stack: list[Node] = [node]
        while stack:
            current = stack.pop()
            for child in reversed(current.children):
                if isinstance(child, Node):
                    stack.append(child)
            if current.tag == tag and current is not node:
                found.append(current)
        return found

    def find_class(self, node: Node, name: str) -> Node | None:
        stack: list[Node] = [node]
        while stack:
            current = stack.pop(0)
            if name in current.classes:
                return current
            stack.extend(child for child in current.children if isinstance(child, Node))
        return None


def _wrap(text: str, mark: str) -> str:
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}{mark}{stripped}{mark}{trail}"


def convert(html: str) -> str:
    """Markdown for an HTML body (or fragment)."""
    blocks = _Writer().blocks(parse(html))
    return "\n\n".join(block for block in blocks if block.strip()).strip() + "\n"


def inline(html: str) -> str:
    """Markdown for a short run of inline HTML (a caption): one line."""
    return _SPACE.sub(" ", _Writer().inline_all(parse(html).children)).strip()


_SCRIPTISH = re.compile(
    r"<(script|style|iframe|object|embed)\b.*?(</\1\s*>|$)", re.IGNORECASE | re.DOTALL
)
_HANDLER = re.compile(r"\son\w+\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+)", re.IGNORECASE)


def clean_markdown(text: str) -> str:
    """A Markdown body from another platform, without scripts, styles or event handlers.

    Raw HTML in Markdown is shown as text by the renderer; these constructs are removed so
    readers do not see them as text either. Code (fenced blocks and code spans) is kept as
    written: there it is shown as code, which is what its author meant.
    """
    parts = _CODE.split(text)
    return "".join(
        part if index % 2 else _HANDLER.sub("", _SCRIPTISH.sub("", part))
        for index, part in enumerate(parts)
    )


_CODE = re.compile(
    r"(^ {0,3}(?:```|~~~)[^\n]*\n.*?^ {0,3}(?:```|~~~)[ \t]*$|`[^`\n]+`)", re.MULTILINE | re.DOTALL
)


def plain(html: str) -> str:
    """The visible text of a short piece of HTML, on one line (captions, titles)."""
    return _SPACE.sub(" ", _text(parse(html))).strip()
