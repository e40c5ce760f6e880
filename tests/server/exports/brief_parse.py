"""Read the brief's HTML back with html.parser: text by element id and class, attributes."""

from __future__ import annotations

from html.parser import HTMLParser


class Brief(HTMLParser):
    """The text under each element with an id, and each article's data attributes."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.text: dict[str, str] = {}
        self.articles: list[dict[str, str]] = []
        self.styles = ""
        self._open: list[tuple[str, str | None]] = []
        self._in_style = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag in ("meta", "br", "img", "input"):
            return
        self._in_style = tag == "style"
        self._open.append((tag, a.get("id")))
        if a.get("id"):
            self.text.setdefault(str(a["id"]), "")
        if tag == "article":
            self.articles.append({k: v or "" for k, v in a.items()} | {"text": ""})

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False
        while self._open:
            open_tag, _ = self._open.pop()
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.styles += data
            return
        for _, element_id in self._open:
            if element_id:
                self.text[element_id] += data
        if any(t == "article" for t, _ in self._open):
            self.articles[-1]["text"] += data
