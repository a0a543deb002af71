"""Refuse to fetch from private, loopback, link-local and reserved addresses (SSRF guard).

A crawler that takes URLs from feeds and sitemaps written by strangers must not be
steered at the machine's own services (``127.0.0.1:5432``), the cloud metadata
endpoint (``169.254.169.254``) or the office network (``10.0.0.0/8``). The host of
every URL, and of every redirect, is resolved and EVERY address it resolves to is
checked; the HTTP client then connects only to an address that passed the check
(see ``http.GuardedNetworkBackend``), so a DNS answer that changes between check and
connect (DNS rebinding) gains nothing.

Private addresses are allowed only when configured: ``AddressPolicy(allow_private=True)``
or a list of allowed networks (``allowed_networks=("127.0.0.0/8",)``).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass

from newsdesk.errors import InputError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# NAT64 (RFC 6052) embeds an IPv4 address in the last 32 bits; check that address.
_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class UnsafeAddressError(InputError):
    """A URL whose host is (or resolves to) an address we refuse to connect to."""


class ResolutionError(InputError):
    """A host name that does not resolve."""


def _embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address hidden in an IPv6 one (mapped, 6to4, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(ip: IPAddress) -> bool:
    """True for an address reachable on the public internet (not private, loopback, ...)."""
    embedded = _embedded_ipv4(ip)
    if embedded is not None and not is_public_address(embedded):
        return False
    if ip.is_multicast or ip.is_unspecified or ip.is_loopback or ip.is_link_local:
        return False
    if ip.is_private or ip.is_reserved:
        return False
    # ``is_global`` also excludes shared address space (100.64.0.0/10) and documentation ranges.
    return ip.is_global


def describe_address(ip: IPAddress) -> str:
    """Why an address is refused, in words."""
    for test, words in (
        ("is_loopback", "a loopback address"),
        ("is_link_local", "a link-local address"),
        ("is_multicast", "a multicast address"),
        ("is_unspecified", "an unspecified address"),
        ("is_private", "a private address"),
        ("is_reserved", "a reserved address"),
    ):
        if getattr(ip, test):
            return words
    return "not a public address"


@dataclass(frozen=True)
class AddressPolicy:
    """Which addresses the fetcher may connect to."""

    allow_private: bool = False
    allowed_networks: tuple[str, ...] = ()  # e.g. ("127.0.0.0/8", "10.1.2.0/24")

    def networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(ipaddress.ip_network(n, strict=False) for n in self.allowed_networks)

    def allows(self, ip: IPAddress) -> bool:
        if self.allow_private or is_public_address(ip):
            return True
        embedded = _embedded_ipv4(ip)
        return any(
            ip in net or (embedded is not None and embedded in net) for net in self.networks()
        )

    def check_address(self, host: str, ip: IPAddress) -> None:
        if not self.allows(ip):
            where = str(ip) if host == str(ip) else f"{host} resolves to {ip}"
            raise UnsafeAddressError(
                f"refused: {where}, {describe_address(ip)} "
                "(set NEWSDESK_ALLOW_PRIVATE=1 to allow private addresses)"
            )

    def resolve(self, host: str, port: int) -> list[IPAddress]:
        """Every address ``host`` resolves to, each checked; raises if ANY is refused.

        Refusing when any address is private (not only all) closes the trick of a name
        answering with one public and one private address.
        """
        host = host.strip("[]")
        literal = _parse_ip(host)
        if literal is not None:
            self.check_address(host, literal)
            return [literal]
        try:
            infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError, OSError) as exc:
            raise ResolutionError(f"cannot resolve host {host!r} ({exc})") from exc
        addresses: list[IPAddress] = []
        for info in infos:
            ip = _parse_ip(str(info[4][0]).split("%", 1)[0])  # drop an IPv6 zone index
            if ip is not None and ip not in addresses:
                addresses.append(ip)
        if not addresses:
            raise ResolutionError(f"host {host!r} resolves to no address")
        for ip in addresses:
            self.check_address(host, ip)
        return addresses


def _parse_ip(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None
