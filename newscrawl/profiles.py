"""Site profiles: small TOML files that tell the spiders where a portal's articles are.

A profile is data, not code::

    name = "example"                       # [a-z0-9_-], the file is sites/example.toml
    start_urls = ["https://news.example.cn/"]
    sitemaps = ["https://news.example.cn/sitemap.xml"]   # optional
    feeds = ["https://news.example.cn/rss.xml"]          # optional
    allowed_hosts = ["news.example.cn"]    # default: the hosts of the URLs above
    article_urls = ['/\\d{4}-\\d{2}/\\d{2}/content_\\d+\\.htm$']   # optional regexes
    list_urls = ['/node_\\d+\\.htm$']
    timezone = "Asia/Shanghai"
    language = "zh"
    strip_params = ["channelid", "utm_*"]  # optional: removed from every URL, beside the
                                           # defaults (NEWSCRAWL_STRIP_PARAMS: session IDs…)

    [extract]                              # optional: newscrawl.extract.ExtractProfile
    body = "div#content"
    drop_text = ["^责任编辑"]

    [settings]                             # optional: Scrapy settings for this site
    DOWNLOAD_DELAY = 2.0                   # (over the project's, under the command line's)

Profiles are looked up in ``--sites-dir`` first, then ``./sites/``, then the profiles
shipped with newscrawl. Every load is validated; an error names the file, the key and
the problem.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscrawl.extract.pagetype import UrlRules
from newscrawl.extract.profile import ExtractProfile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

_DEFAULT_PORTS = {"http": 80, "https": 443}
NAME_RE = re.compile(r"^[a-z0-9_-]{1,64}$")
USER_SITES_DIR = Path("sites")


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file, the key and the problem."""

    def __init__(self, source: str, key: str | None, problem: str) -> None:
        self.source, self.key, self.problem = source, key, problem
        where = f"{source}: key '{key}'" if key else source
        super().__init__(f"{where}: {problem}")


@functools.lru_cache(maxsize=64)  # allows() asks for every link a crawl finds
def _origin_ports(urls: tuple[str, ...]) -> frozenset[tuple[str, int]]:
    out = set()
    for url in urls:
        parts = urlsplit(url)
        port = parts.port
        if parts.hostname and port is not None and port != _DEFAULT_PORTS.get(parts.scheme):
            out.add((parts.hostname, port))
    return frozenset(out)


@dataclass(frozen=True, slots=True)
class SiteProfile:
    name: str
    start_urls: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()
    article_urls: tuple[str, ...] = ()
    list_urls: tuple[str, ...] = ()
    timezone: str | None = None
    language: str | None = None
    strip_params: tuple[str, ...] = ()  # query/path parameters removed, beside the defaults
    description: str = ""
    extract: ExtractProfile = field(default_factory=ExtractProfile)
    # Scrapy settings of this site: a layer between the project's and the command line's
    # (newscrawl.crawl.settings); component dicts merge with the project's.
    settings: dict[str, Any] = field(default_factory=dict)
    source: str = "<generic>"  # the file it came from

    @property
    def url_rules(self) -> UrlRules:
        return UrlRules(self.article_urls, self.list_urls)

    @property
    def origin_ports(self) -> frozenset[tuple[str, int]]:
        """(host, port) of the profile's URLs that name a port other than the scheme's."""
        return _origin_ports((*self.start_urls, *self.sitemaps, *self.feeds))

    def allows(self, url: str) -> bool:
        """The allow-list compares scheme, host and port: http(s) only; a host of
        ``allowed_hosts`` (or a subdomain); on the port the profile's URLs name for that
        host, else on the scheme's default port — another port of the same host is
        another site."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError:
            return False
        host = parts.hostname or ""
        if parts.scheme not in _DEFAULT_PORTS or not any(
                host == h or host.endswith("." + h) for h in self.allowed_hosts):
            return False
        named = {p for h, p in self.origin_ports if host == h or host.endswith("." + h)}
        if named:
            return (port if port is not None else _DEFAULT_PORTS[parts.scheme]) in named
        return port is None or port == _DEFAULT_PORTS[parts.scheme]

    @property
    def discovery(self) -> str:
        """The spider that fits: portal for start URLs, else sitemap, else feed."""
        if self.start_urls:
            return "portal"
        if self.sitemaps:
            return "sitemap"
        return "feed"

    @classmethod
    def for_url(cls, url: str) -> SiteProfile:
        """The profile of a portal nobody described: its host, every rule generic."""
        host = _host_of(url, "<command line>", "url")
        parts = urlsplit(url)
        # Two portals on one host are two sites: the port is in the name (the folder, the lock).
        if parts.port is not None and parts.port != _DEFAULT_PORTS.get(parts.scheme):
            host_port = f"{host}-{parts.port}"
        else:
            host_port = host
        return cls(name=re.sub(r"[^a-z0-9_-]", "-", host_port.lower())[-64:] or "site",
                   start_urls=(url,), allowed_hosts=(host,), source="<command line>")

    def with_base_url(self, base_url: str) -> SiteProfile:
        """The same profile pointed at another origin (a mirror, a staging copy, the demo
        portal on the port it got): every URL's scheme and host:port replaced."""
        new = urlsplit(base_url)
        host = _host_of(base_url, self.source, "base_url")

        def move(urls: tuple[str, ...]) -> tuple[str, ...]:
            return tuple(urlsplit(u)._replace(scheme=new.scheme, netloc=new.netloc).geturl() for u in urls)

        return dataclasses.replace(
            self, start_urls=move(self.start_urls), sitemaps=move(self.sitemaps),
            feeds=move(self.feeds), allowed_hosts=tuple(dict.fromkeys([host, *self.allowed_hosts])),
        )

    def with_start_urls(self, urls: Sequence[str]) -> SiteProfile:
        """The same profile started elsewhere (the demo portal's port changes per run);
        the new URLs' hosts join the allowed hosts."""
        hosts = tuple(dict.fromkeys([*self.allowed_hosts, *(_host_of(u, self.source, "start_urls") for u in urls)]))
        return dataclasses.replace(self, start_urls=tuple(urls), allowed_hosts=hosts)


_LIST_KEYS = ("start_urls", "sitemaps", "feeds", "allowed_hosts", "article_urls", "list_urls",
              "strip_params")
# A URL parameter name; a trailing * makes it a prefix (utm_*).
_PARAM_RE = re.compile(r"^[A-Za-z0-9_.\-\[\]]+\*?$")
_STR_KEYS = ("name", "timezone", "language", "description")
_EXTRACT_STR = tuple(
    f.name for f in dataclasses.fields(ExtractProfile)
    if f.name not in ("drop_text", "drop_selectors")
)
_EXTRACT_LIST = ("drop_text", "drop_selectors")


def _host_of(url: str, source: str, key: str) -> str:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - urllib checks the port (0-65535) when it is read
    except ValueError as exc:  # '[::1' (unclosed IPv6 bracket), port 99999, port 'x'
        raise ProfileError(source, key, f"{url!r} is not a usable URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ProfileError(source, key, f"{url!r} is not an http(s) URL")
    return parts.hostname


def parse_profile(data: dict[str, Any], source: str, default_name: str | None = None) -> SiteProfile:
    """Validate one profile's TOML data and build it."""
    known = set(_LIST_KEYS) | set(_STR_KEYS) | {"extract", "settings"}
    for key in data:
        if key not in known:
            raise ProfileError(source, key, f"unknown key (known keys: {', '.join(sorted(known))})")
    for key in _STR_KEYS:
        if key in data and not isinstance(data[key], str):
            raise ProfileError(source, key, f"must be a string, not {type(data[key]).__name__}")
    lists: dict[str, tuple[str, ...]] = {}
    for key in _LIST_KEYS:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ProfileError(source, key, "must be a list of non-empty strings")
        lists[key] = tuple(value)
    name = data.get("name", default_name)
    if not name:
        raise ProfileError(source, "name", "missing")
    if not NAME_RE.match(name):
        raise ProfileError(source, "name", f"{name!r} may only hold a-z, 0-9, '_' and '-'")
    if default_name is not None and name != default_name:
        raise ProfileError(source, "name", f"{name!r} differs from the file name {default_name!r}")
    urls = lists["start_urls"] + lists["sitemaps"] + lists["feeds"]
    if not urls:
        raise ProfileError(source, "start_urls", "a profile needs start_urls, sitemaps or feeds")
    hosts = []
    for key in ("start_urls", "sitemaps", "feeds"):
        hosts += [_host_of(u, source, key) for u in lists[key]]
    allowed = lists["allowed_hosts"] or tuple(dict.fromkeys(hosts))
    for host in allowed:
        if "/" in host or ":" in host or " " in host:
            raise ProfileError(source, "allowed_hosts", f"{host!r} is not a host name")
    for host in hosts:
        if not any(host == a or host.endswith("." + a) for a in allowed):
            raise ProfileError(source, "allowed_hosts", f"does not cover {host!r}, a host of the profile's URLs")
    for key in ("article_urls", "list_urls"):
        for pattern in lists[key]:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ProfileError(source, key, f"bad regex {pattern!r}: {exc}") from None
    for param in lists["strip_params"]:
        if not _PARAM_RE.match(param):
            raise ProfileError(source, "strip_params",
                               f"{param!r} is not a URL parameter name (letters, digits, _ . - [ ], "
                               "a trailing * for a prefix)")
    tz = data.get("timezone")
    if tz is not None:
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ProfileError(source, "timezone", f"{tz!r} is not an IANA time zone") from None
    extract = _parse_extract(data.get("extract", {}), source, tz, data.get("language"))
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ProfileError(source, "settings", "must be a table ([settings])")
    for key in settings:
        if not re.match(r"^[A-Z][A-Z0-9_]*$", key):
            raise ProfileError(source, f"settings.{key}", "not a Scrapy setting name (capitals)")
    return SiteProfile(
        name=name, start_urls=lists["start_urls"], sitemaps=lists["sitemaps"],
        feeds=lists["feeds"], allowed_hosts=allowed, article_urls=lists["article_urls"],
        list_urls=lists["list_urls"], timezone=tz, language=data.get("language"),
        strip_params=lists["strip_params"],
        description=data.get("description", ""), extract=extract, settings=dict(settings),
        source=source,
    )


def _parse_extract(table: Any, source: str, tz: str | None, language: str | None) -> ExtractProfile:
    if not isinstance(table, dict):
        raise ProfileError(source, "extract", "must be a table ([extract])")
    values: dict[str, Any] = {}
    for key, value in table.items():
        full = f"extract.{key}"
        if key in _EXTRACT_LIST:
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                raise ProfileError(source, full, "must be a list of non-empty strings")
            if key == "drop_text":
                for pattern in value:
                    try:
                        re.compile(pattern)
                    except re.error as exc:
                        raise ProfileError(source, full, f"bad regex {pattern!r}: {exc}") from None
            values[key] = tuple(value)
        elif key in _EXTRACT_STR:
            if not isinstance(value, str) or not value:
                raise ProfileError(source, full, "must be a non-empty string (a CSS or XPath selector)")
            values[key] = value
        else:
            known = ", ".join(_EXTRACT_STR + _EXTRACT_LIST)
            raise ProfileError(source, full, f"unknown key (known keys: {known})")
    values.setdefault("timezone", tz)
    values.setdefault("language", language)
    return ExtractProfile(**values)


def load_profile_file(path: Path | str) -> SiteProfile:
    path = Path(path)
    source = str(path)
    if not NAME_RE.match(path.stem):
        raise ProfileError(source, None, f"file name {path.stem!r} may only hold a-z, 0-9, '_' and '-'")
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise ProfileError(source, None, f"cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ProfileError(source, None, "not UTF-8 text") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(source, None, f"not valid TOML: {exc}") from None
    return parse_profile(data, source, default_name=path.stem)


def search_dirs(sites_dir: str | Path | None = None) -> list[Path | None]:
    """Where profiles are looked up, first match wins; None stands for the packaged ones."""
    dirs: list[Path | None] = []
    if sites_dir:
        dirs.append(Path(sites_dir))
    dirs.append(USER_SITES_DIR)
    dirs.append(None)
    return dirs


def _packaged(name: str) -> tuple[str, str] | None:
    item = resources.files("newscrawl").joinpath("sites").joinpath(f"{name}.toml")
    if item.is_file():
        return f"newscrawl/sites/{name}.toml", item.read_text("utf-8")
    return None


def load_profile(name: str, sites_dir: str | Path | None = None) -> SiteProfile:
    """The profile called ``name`` (see :func:`search_dirs` for where it is looked up)."""
    if not NAME_RE.match(name):
        raise ProfileError(f"profile {name!r}", "name", "may only hold a-z, 0-9, '_' and '-'")
    for folder in search_dirs(sites_dir):
        if folder is None:
            packaged = _packaged(name)
            if packaged is not None:
                source, text = packaged
                try:
                    data = tomllib.loads(text)
                except tomllib.TOMLDecodeError as exc:
                    raise ProfileError(source, None, f"not valid TOML: {exc}") from None
                return parse_profile(data, source, default_name=name)
        elif (folder / f"{name}.toml").is_file():
            return load_profile_file(folder / f"{name}.toml")
    places = ", ".join(str(d) if d else "newscrawl/sites" for d in search_dirs(sites_dir))
    raise ProfileError(f"profile {name!r}", None, f"not found (looked in {places})")


def iter_profiles(sites_dir: str | Path | None = None) -> Iterable[tuple[str, SiteProfile | ProfileError]]:
    """(name, profile or the error that keeps it from loading) for every profile visible,
    first match of each name only, sorted by name."""
    names: set[str] = set()
    for folder in search_dirs(sites_dir):
        if folder is None:
            root = resources.files("newscrawl").joinpath("sites")
            if root.is_dir():
                names |= {p.name[:-5] for p in root.iterdir() if p.name.endswith(".toml")}
        elif folder.is_dir():
            names |= {p.stem for p in folder.glob("*.toml")}
    for name in sorted(names):
        try:
            yield name, load_profile(name, sites_dir)
        except ProfileError as exc:
            yield name, exc


def resolve_target(target: str, sites_dir: str | Path | None = None) -> SiteProfile:
    """A crawl target: a URL (generic profile for its host) or a profile name."""
    if "://" in target:
        return SiteProfile.for_url(target)
    return load_profile(target, sites_dir)
