"""What the preview server accepts from a request: a path it can look up, the Host it answers to, and the
redirect targets it sends back. Everything here is about requests no browser sends on its own and a
hostile page or tool might: header injection, open redirects, DNS rebinding, names no file can have.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import quote, unquote


def request_path(target: str) -> tuple[str, str | None]:
    """The request's path as sent (percent-encoded) and decoded; None when it is no path we serve: not
    printable ASCII, not starting with '/', a NUL or control character once decoded, bytes that are no
    UTF-8, or a name longer than any file system allows."""
    raw = target.split("?", 1)[0].split("#", 1)[0]
    if not raw.startswith("/") or any(not 0x21 <= ord(c) <= 0x7E for c in raw):
        return raw, None
    try:
        path = unquote(raw, errors="strict")
    except UnicodeDecodeError:
        return raw, None
    if any(ord(c) < 0x20 or ord(c) == 0x7F for c in path) or any(len(p.encode()) > 255 for p in path.split("/")):
        return raw, None
    return raw, path


def same_origin(raw: str) -> str:
    """A redirect target on this server: the encoded path with one leading '/' (never '//host' or '/\\host',
    which a browser would take for another site), and nothing that could end the header."""
    return "/" + quote(raw.lstrip("/\\"), safe="/%:@!$&'()*+,;=-._~")


def allowed_host(host: str, port: int, bind: str) -> bool:
    """The Host header names this server: localhost, an IP address, or the name it was bound to, with its
    port. A DNS name that merely resolves here (DNS rebinding) is refused."""
    name, _, given = host.rpartition(":") if not host.endswith("]") else (host, "", "")
    if not name or given != str(port):
        return False
    name = name.strip("[]").lower()
    if name in ("localhost", bind.lower()):
        return True
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True
