"""The common cases of Ghost's filter language (NQL), parsed into a small tree.

    filter  := any (',' any)*            ',' is OR
    any     := term ('+' term)*           '+' is AND (binds tighter than ',')
    term    := '(' filter ')' | FIELD ':' [op] value
    op      := '-' (not) | '>' | '>=' | '<' | '<=' | '~' (contains) | '-~'
    value   := '[' item (',' item)* ']' | item
    item    := 'quoted \\' text' | bare text up to + , ) ] | null | true | false

The caller turns the tree into a query with a field map of its own, so an unknown field is
refused there with a message naming it.
"""

from __future__ import annotations

from dataclasses import dataclass

from masthead.errors import MastheadError

MAX_LENGTH = 2000
MAX_DEPTH = 10


@dataclass(frozen=True, slots=True)
class Compare:
    field: str
    op: str  # "=", "!=", ">", ">=", "<", "<=", "~", "!~", "in", "not in"
    value: object  # str | bool | None, or a list of them for in / not in


@dataclass(frozen=True, slots=True)
class Group:
    kind: str  # "and" | "or"
    items: tuple[Node, ...]


Node = Compare | Group


def invalid(message: str) -> MastheadError:
    return MastheadError("invalid_filter", f"The filter could not be read: {message}")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0

    def peek(self) -> str:
        self._skip_space()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def _skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] == " ":
            self.pos += 1

    def parse(self) -> Node:
        node = self.filter()
        if self.peek():
            raise invalid(f"unexpected {self.text[self.pos]!r} at character {self.pos + 1}.")
        return node

    def filter(self) -> Node:
        items = [self.all()]
        while self.peek() == ",":
            self.pos += 1
            items.append(self.all())
        return items[0] if len(items) == 1 else Group("or", tuple(items))

    def all(self) -> Node:
        items = [self.term()]
        while self.peek() == "+":
            self.pos += 1
            items.append(self.term())
        return items[0] if len(items) == 1 else Group("and", tuple(items))

    def term(self) -> Node:
        if self.peek() == "(":
            self.pos += 1
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise invalid("too many nested brackets.")
            node = self.filter()
            if self.peek() != ")":
                raise invalid("a bracket is not closed.")
            self.pos += 1
            self.depth -= 1
            return node
        start = self.pos
        while self.pos < len(self.text) and (
            self.text[self.pos].isalnum() or self.text[self.pos] in "._"
        ):
            self.pos += 1
        field = self.text[start : self.pos]
        if not field or self.peek() != ":":
            raise invalid(f"expected field:value at character {start + 1}.")
        self.pos += 1
        negate = False
        op = "="
        if self.text.startswith("-", self.pos):
            negate = True
            self.pos += 1
        for symbol in (">=", "<=", ">", "<", "~"):
            if self.text.startswith(symbol, self.pos):
                op = symbol
                self.pos += len(symbol)
                break
        if self.peek() == "[":
            if op != "=":
                raise invalid(f"a list cannot be compared with {op!r}.")
            return Compare(field, "not in" if negate else "in", self.items())
        value = self.item()
        if negate:
            if op == "=":
                op = "!="
            elif op == "~":
                op = "!~"
            else:
                raise invalid(f"'-' cannot be combined with {op!r}.")
        return Compare(field, op, value)

    def items(self) -> list[object]:
        self.pos += 1  # [
        values = [self.item()]
        while self.peek() == ",":
            self.pos += 1
            values.append(self.item())
        if self.peek() != "]":
            raise invalid("a list is not closed with ']'.")
        self.pos += 1
        return values

    def item(self) -> object:
        self._skip_space()
        if self.pos < len(self.text) and self.text[self.pos] in "'\"":
            quote = self.text[self.pos]
            out: list[str] = []
            self.pos += 1
            while self.pos < len(self.text):
                char = self.text[self.pos]
                if char == "\\" and self.pos + 1 < len(self.text):
                    out.append(self.text[self.pos + 1])
                    self.pos += 2
                    continue
                if char == quote:
                    self.pos += 1
                    return "".join(out)
                out.append(char)
                self.pos += 1
            raise invalid("a quoted value is not closed.")
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in "+,)] ([":
            self.pos += 1
        raw = self.text[start : self.pos]
        if not raw:
            raise invalid(f"a value is missing at character {start + 1}.")
        return {"null": None, "true": True, "false": False}.get(raw, raw)


def parse(text: str) -> Node:
    if len(text) > MAX_LENGTH:
        raise invalid(f"it is longer than {MAX_LENGTH} characters.")
    return _Parser(text).parse()
