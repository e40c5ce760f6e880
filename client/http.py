"""The HTTP API, with the standard library only (no dependency for scripts)."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any


class ApiError(Exception):
    """The server answered an error: ``status``, ``code`` and ``message`` say which."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(f"{status} {code}: {message}")
        self.status, self.code, self.message = status, code, message


class Api:
    """Calls to one server's HTTP API."""

    def __init__(self, base_url: str, timeout: float = 10.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout

    @property
    def ws_url(self) -> str:
        return "ws" + self.base_url.removeprefix("http") + "/ws"

    def request(self, method: str, path: str, body: Any = None,
                token: str | None = None) -> Any:
        """Send one request; the decoded JSON answer, or ApiError."""
        data = None if body is None else json.dumps(body).encode()
        req = urllib.request.Request(self.base_url + path, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token is not None:
            req.add_header("Authorization", f"Bearer {token}")
        try:
            with urllib.request.urlopen(req, timeout=self.timeout) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as failure:
            raw = failure.read()
            try:
                err = json.loads(raw)["error"]
            except (ValueError, KeyError, TypeError):
                err = {"code": "http", "message": raw.decode(errors="replace")}
            raise ApiError(failure.code, err["code"], err["message"]) from None

    def create_forum(self, title: str, topic: str, rooms: list[dict[str, Any]],
                     key: str | None = None) -> Any:
        return self.request("POST", "/api/forums", {"title": title, "topic": topic,
                                                    "rooms": rooms}, key)

    def join(self, code: str, name: str, sector: str = "research_academia",
             country: str = "FI", attendance: str = "remote", organization: str = "",
             consent: dict[str, bool] | None = None) -> Any:
        return self.request("POST", "/api/join", {
            "code": code, "name": name, "organization": organization, "sector": sector,
            "country": country, "attendance": attendance, "consent": consent or {}})

    def forum(self, forum_id: str, token: str) -> Any:
        return self.request("GET", f"/api/forums/{forum_id}", token=token)

    def me(self, token: str) -> Any:
        return self.request("GET", "/api/me", token=token)
