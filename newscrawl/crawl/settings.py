"""The one settings merge of every crawl: project defaults → site profile → command line.

=========  ===============================================  ===========================
layer      what                                             Scrapy priority
=========  ===============================================  ===========================
project    ``newscrawl/settings.py`` (``scrapy crawl`` too)  ``project`` (20)
profile    a site profile's ``[settings]`` table              ``PROFILE_PRIORITY`` (25)
command    what the command's options mean (archive,        ``cmdline`` (40)
           limits, cache, the demo's speed)
``-s``     ``NAME=VALUE`` options, applied last             ``cmdline`` (40)
=========  ===============================================  ===========================

Component dicts — ``DOWNLOADER_MIDDLEWARES``, ``SPIDER_MIDDLEWARES``, ``EXTENSIONS``,
``ITEM_PIPELINES`` and every other setting Scrapy pairs with a ``<NAME>_BASE`` dict — are
merged key by key, each key at its layer's priority: a layer adds or moves components and
``None`` removes one, but no layer replaces the project's components wholesale (a Scrapy
``Settings.set`` of a dict would). Every other setting is replaced by the higher layer.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from scrapy.settings import SETTINGS_PRIORITIES, BaseSettings, Settings, get_settings_priority

from newscrawl.archive.layout import DataLayout
from newscrawl.archive.setup import archive_options, archive_settings, logging_settings

PROFILE_PRIORITY = SETTINGS_PRIORITIES["project"] + 5
_NAME = re.compile(r"^[A-Z][A-Z0-9_]*$")


class SettingsError(ValueError):
    """A setting the user gave that cannot be used; the message is one line."""


def project_settings() -> Settings:
    """Scrapy's defaults under the project's (``newscrawl.settings``)."""
    settings = Settings()
    settings.setmodule("newscrawl.settings", priority="project")
    return settings


def is_component_dict(settings: BaseSettings, name: str) -> bool:
    """Scrapy's convention: a component priority dict ``NAME`` has a ``NAME_BASE``."""
    return f"{name}_BASE" in settings


def merge(settings: BaseSettings, values: Mapping[str, Any], priority: int | str) -> None:
    """``values`` into ``settings`` at ``priority``; component dicts merged key by key."""
    for name, value in values.items():
        if not is_component_dict(settings, name):
            settings.set(name, value, priority)
            continue
        if isinstance(value, str):  # from -s: JSON, as Scrapy's getdict reads it
            try:
                value = json.loads(value)
            except ValueError:
                raise SettingsError(f"{name}: not a JSON object: {value!r}") from None
        if isinstance(value, BaseSettings):
            value = value.copy_to_dict()
        if not isinstance(value, Mapping):
            raise SettingsError(f"{name}: expected a dict of component: order, "
                                f"not {type(value).__name__}")
        combined = BaseSettings()
        current = settings[name]
        if isinstance(current, BaseSettings):
            combined.update(current)  # each component keeps the priority it was set at
        else:
            combined.update(settings.getdict(name), settings.getpriority(name) or 0)
        combined.update(dict(value), priority)
        # The dict as a whole takes the highest priority it holds: Scrapy merges a runner's
        # settings into each crawler's by priority (CrawlerRunner.create_crawler), and a
        # lower one must not replace it.
        settings.set(name, combined, max(get_settings_priority(priority),
                                         settings.getpriority(name) or 0))


def parse_set_options(items: Iterable[str]) -> dict[str, str]:
    """``-s NAME=VALUE`` options as a dict; SettingsError for one without ``=``."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise SettingsError(f"-s {item!r}: expected NAME=VALUE")
        out[name] = value
    return out


def check_values(settings: BaseSettings, values: Mapping[str, Any]) -> None:
    """A value given as text for a setting that is a number or a flag must read as one:
    Scrapy would raise deep inside a component, mid-crawl, with a traceback."""
    probe = BaseSettings(dict(values))
    for name, value in values.items():
        current = settings.get(name)
        if not isinstance(value, str) or current is None:
            continue
        seconds = name.endswith(("DELAY", "TIMEOUT"))  # read as float, never negative
        try:
            if isinstance(current, bool) or name.endswith("_ENABLED"):
                kind = "a flag (True/False, 1/0)"
                probe.getbool(name)
            elif isinstance(current, (int, float)):
                kind = "a number of seconds ≥ 0" if seconds else (
                    "a whole number" if isinstance(current, int) else "a number")
                number = probe.getfloat(name)
                if number != number or (seconds and number < 0):  # NaN, negative waits
                    raise ValueError(name)
                if isinstance(current, int) and not seconds:
                    probe.getint(name)
        except ValueError:
            raise SettingsError(f"-s {name}={value}: {name} must be {kind}") from None


def layered_settings(*, profile: Mapping[str, Any] | None = None,
                     command: Mapping[str, Any] | None = None,
                     user: Mapping[str, Any] | None = None) -> Settings:
    """Project settings with the profile's, the command's and the user's on top."""
    settings = project_settings()
    for name in [*(profile or {}), *(user or {})]:
        if not _NAME.match(name):
            raise SettingsError(f"{name!r} is not a setting name (NAME in capitals)")
    if profile:
        check_values(settings, profile)
        merge(settings, profile, PROFILE_PRIORITY)
    if command:
        merge(settings, command, "cmdline")
    if user:
        check_values(settings, user)
        merge(settings, user, "cmdline")
    return settings


def archived_settings(data_dir: str | Path, site: str, overrides: Mapping[str, Any] | None = None,
                      **archive: Any) -> Settings:
    """The project's settings with the archive on for ``site`` (keyword arguments of
    :func:`newscrawl.archive.setup.archive_settings`), then ``overrides``: a crawl stored
    exactly as ``newscrawl crawl`` stores it, for helpers that build their own crawl."""
    archive.setdefault("resume", False)
    command: dict[str, Any] = dict(archive_settings(data_dir, site, **archive))
    command["NEWSCRAWL_OUTPUT"] = str(DataLayout(data_dir).site_dir(site))
    settings = layered_settings(command=command)
    if overrides:
        merge(settings, overrides, "cmdline")
    return settings


def command_settings(args: Any, site: str, *, target: str | None = None,
                     replay: dict[str, Any] | None = None,
                     jobdir: Path | None = None) -> dict[str, Any]:
    """What the crawl command's options mean as settings (any namespace: a missing option
    takes its default). Records go to the archive (newscrawl.archive): JSONL per site and
    day, SQLite state, WARC — see docs/archive.md."""
    data_dir = Path(getattr(args, "data_dir", None) or "data")
    opts = archive_options(args, target=target, replay=replay)
    out: dict[str, Any] = dict(archive_settings(data_dir, site, resume=jobdir is not None,
                                                jobdir=jobdir, **opts))
    out["NEWSCRAWL_OUTPUT"] = str(DataLayout(data_dir).site_dir(site))
    log_level = getattr(args, "log_level", None)
    if log_level is None and not getattr(args, "quiet", False) and sys.stderr.isatty():
        log_level = "WARNING"  # the progress line tells the story; logs would scramble it
    out.update(logging_settings(args, log_level or "INFO"))
    if getattr(args, "max_pages", None):
        out["CLOSESPIDER_PAGECOUNT"] = args.max_pages
    if getattr(args, "max_articles", None):
        out["NEWSCRAWL_MAX_ARTICLES"] = args.max_articles  # enforced by the store pipeline
    if getattr(args, "depth", None) is not None:
        out["DEPTH_LIMIT"] = args.depth
    if getattr(args, "cache", False):
        out["HTTPCACHE_ENABLED"] = True
        out["HTTPCACHE_DIR"] = str((data_dir / "httpcache").resolve())
    if getattr(args, "contact", None):
        out["NEWSCRAWL_CONTACT"] = args.contact
    if getattr(args, "debug", False):
        out["NEWSCRAWL_TRACEBACKS"] = True
    if getattr(args, "resume", False):
        # The archive keeps the JOBDIR (DATA_DIR/<site>/job, on by default); --resume also
        # keeps it after a --max-pages/--max-articles stop, so the next run continues.
        out["NEWSCRAWL_RESUME_AFTER_LIMIT"] = True
    return out


def crawl_settings(args: Any, site: str, *, profile_settings: Mapping[str, Any] | None = None,
                   target: str | None = None, replay: dict[str, Any] | None = None,
                   jobdir: Path | None = None, extra: Mapping[str, Any] | None = None) -> Settings:
    """The settings of one ``newscrawl crawl`` (or ``demo``) run, every layer merged."""
    command = command_settings(args, site, target=target, replay=replay, jobdir=jobdir)
    command.update(extra or {})
    return layered_settings(profile=profile_settings, command=command,
                            user=parse_set_options(getattr(args, "set", None) or []))
