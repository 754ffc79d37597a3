"""Repairs of XML that does not parse, for :mod:`.xmlsafe`: namespace prefixes used
without a declaration are bound, and a document damaged (truncated, garbage inside) is
cut at the damage with the elements still open there closed."""

from __future__ import annotations

import re
from xml.etree.ElementTree import ParseError

_PREFIX_USED = re.compile(r"</?([A-Za-z_][\w.-]*):[A-Za-z_]|\s([A-Za-z_][\w.-]*):[\w.-]+\s*=")
_PREFIX_DECLARED = re.compile(r"\bxmlns:([A-Za-z_][\w.-]*)\s*=")
_ROOT_START = re.compile(r"<[A-Za-z_][^>]*?(/?)>")
_TOKENS = re.compile(
    r"<!--.*?-->|<!\[CDATA\[.*?\]\]>|<\?.*?\?>|<(/?)([A-Za-z_][\w.:-]*)[^>]*?(/?)>", re.DOTALL
)
_AT_THE_END = ("no element found", "unclosed token", "partial character")
"""Expat's reasons for a document that ends too soon (a truncated file)."""
POINT_TAGS = frozenset({"trkpt", "Trackpoint"})
"""A point cut by the damage is dropped whole, not kept half-read."""


def bind_prefixes(text: str) -> tuple[str, list[str]]:
    """``text`` with each namespace prefix used but never declared bound, on the root
    element, to a placeholder namespace (``urn:splitcheck:undeclared:xsi``)."""
    used = {a or b for a, b in _PREFIX_USED.findall(text)} - {"xml", "xmlns"}
    missing = sorted(used - set(_PREFIX_DECLARED.findall(text)))
    root = _ROOT_START.search(text)
    if not missing or root is None:
        return text, []
    at = root.end() - 1 - len(root.group(1))
    extra = "".join(f' xmlns:{p}="urn:splitcheck:undeclared:{p}"' for p in missing)
    return text[:at] + extra + text[at:], missing


def cut_at_damage(text: str, err: ParseError) -> tuple[str, int, bool] | None:
    """The document up to the damage ``err`` points at, with the elements still open
    there closed (a point cut in the middle is dropped); its character offset and
    whether the damage is the end of the text (truncation). None when nothing is left."""
    position = getattr(err, "position", None)
    if not position:
        return None
    offset = _char_offset(text, *position)
    truncated = not text[offset:].strip() or any(m in str(err) for m in _AT_THE_END)
    head = text[: text.rfind(">", 0, offset) + 1]
    stack: list[tuple[str, int]] = []
    for m in _TOKENS.finditer(head):
        closing, name, empty = m.groups()
        if name is None or empty:
            continue
        if closing:
            while stack and stack.pop()[0] != name:
                pass
        else:
            stack.append((name, m.start()))
    points = [i for i, (name, _) in enumerate(stack) if name.rpartition(":")[2] in POINT_TAGS]
    if points:
        head = head[: stack[points[0]][1]]
        del stack[points[0] :]
    if not stack:
        return None
    closing_tags = "".join(f"</{name}>" for name, _ in reversed(stack))
    return head + closing_tags, offset, truncated


def _char_offset(text: str, line: int, column: int) -> int:
    """Expat's (line, column) as a character offset (its column counts UTF-8 bytes)."""
    start = 0
    for _ in range(line - 1):
        nl = text.find("\n", start)
        if nl < 0:
            return len(text)
        start = nl + 1
    end = text.find("\n", start)
    line_text = text[start : end if end >= 0 else len(text)]
    return start + len(line_text.encode()[:column].decode("utf-8", errors="ignore"))
