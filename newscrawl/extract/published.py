"""The publish time: candidates read from the page, the one chosen, made as exact as the page allows.

Moved out of metadata.py so the time rules live in one module; metadata.py calls
:func:`read_time` and copies its result into the record's fields.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone, tzinfo

import lxml.html

from newscrawl.extract import dates, structured
from newscrawl.extract.pagetext import Line, clean_space
from newscrawl.extract.profile import ExtractProfile

META_DATE_KEYS = (
    "article:published_time", "og:article:published_time", "article.published", "datepublished",
    "pubdate", "publishdate", "publish-date", "publish_date", "published_time", "publication_date",
    "og:release_date", "release_date", "dc.date.issued", "dcterms.issued", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "weibo:article:create_at",
)
OPEN_GRAPH_KEYS = frozenset({"article:published_time", "og:article:published_time"})
# Generic dates: below the dateline the page shows under its headline.
META_WEAK_DATE_KEYS = ("dc.date", "dcterms.date", "date")
# Modification times: the last resort, after every published candidate and the URL's date.
META_MODIFIED_KEYS = ("article:modified_time", "og:updated_time", "dcterms.modified", "last-modified")

PUBLISH_LABEL_RX = re.compile(
    r"(?:发布时间|发表时间|发稿时间|发布日期|发表日期|时间|日期|发布于|发表于|发布|published|posted|veröffentlicht|"
    r"publicado|publié|\bvon\b|\bby\b|\bden\b)",
    re.I,
)
# Labels of a modification time, in the languages of the datelines seen most.
UPDATE_LABEL_RX = re.compile(
    r"更新|修改|編集|수정|updated|modified|last edited|aktualisiert|geändert|actualizado|mis à jour|aggiornato|"
    r"atualizado|bijgewerkt|uppdaterad|opdateret|oppdatert|päivitetty|zaktualizowano|aktualizováno|"
    r"обновлено|güncelleme|格林尼治", re.I)


@dataclass(slots=True)
class PublishTime:
    at: str | None = None  # ISO date and time, with the offset where one is known
    raw: str | None = None  # the text it was read from
    precision: str | None = None  # 'second', 'minute' or 'day': what the page gave
    dateline: tuple[str, str] | None = None  # (line, date text) when it came from a dateline


def read_time(tree: lxml.html.HtmlElement, data: structured.Structured, lines: list[Line], window: list[int], *,
              url: str | None, rules: ExtractProfile, fetched_at: datetime | None,
              chosen: str | None, headline: int | None = None, language: str | None = None) -> PublishTime:
    """The publish time; ``chosen`` is the text the profile's selector picks, if any;
    ``headline`` the headline's line number, ``window`` the lines around it; ``language`` the
    page's, for dates written in its words."""
    md = PublishTime()
    zone = dates.page_zone(profile_zone=rules.timezone)
    md.dateline = _read_time(md, tree, rules, data, lines, window, url=url, zone=zone, fetched_at=fetched_at,
                             chosen=chosen, headline=headline, language=language)
    return md


def _read_time(md: PublishTime, tree: lxml.html.HtmlElement, rules: ExtractProfile, data: structured.Structured,
               lines: list[Line], window: list[int], *, url: str | None,
               zone: tzinfo | None, fetched_at: datetime | None, chosen: str | None,
               headline: int | None, language: str | None) -> tuple[str, str] | None:
    """Sets md's time and raw text; returns (line, date text) when the time came from a dateline.

    Candidates in a fixed order of trust (profile, JSON-LD, published meta tags, the
    article's microdata/h-entry/hAtom, the dateline under the headline, <time>, the URL),
    each refined by the others (:func:`_refined`) and dropped when it disagrees by more than
    a day with the date the page shows under its headline (else the URL's date).
    """
    not_after = fetched_at
    order = rules.date_order
    ld, meta = data.ld, data.meta

    # What the page shows as modification times (<time class="updated">, itemprop
    # dateModified, dt-updated): a date they display on the dateline is no publish date.
    updates = frozenset(filter(None, [
        *(clean_space(c.element.text_content()) for c in data.candidates
          if c.field == "modified" and c.element is not None),
        *(clean_space(el.text_content()) for el in tree.iter("time") if _marks_update(el))]))
    # Short lines (a dateline) before long ones (a paragraph that mentions a date).
    found_line = _date_in_lines(lines, [i for i in window if len(lines[i].text) <= 100],
                                not_after=not_after, date_order=order, updates=updates) or _date_in_lines(
        lines, [i for i in window if len(lines[i].text) > 100], not_after=not_after, date_order=order,
        updates=updates)
    dateline = None if found_line is None else (lines[found_line[2]].text, found_line[1])
    shown = (found_line[0], found_line[1]) if found_line else None
    url_date = dates.from_url(url, not_after=not_after)
    # The days a candidate must agree with (within a day): the URL's, and for a candidate a
    # template may hold stale or site-wide (a pubdate meta, hand-written microdata) also the
    # dateline's under the headline. A CMS writes JSON-LD and article:published_time per
    # article; the dateline may show the last update without saying so (a live blog).
    url_day = url_date[0].day if url_date else None
    shown_day = url_day
    if (found_line is not None and not found_line[3] and headline is not None and found_line[2] > headline
            and len(lines[found_line[2]].text) <= 100):
        shown_day = found_line[0].day
    # The article's own machine-readable times (microdata in its itemscope, h-entry, hAtom,
    # <time datetime> not labelled as an update), parsed once.
    marked: list[tuple[str, tuple[dates.Stamp, str]]] = []
    for c in data.values("published"):
        if c.origin != "json-ld":
            parsed = dates.parse(c.value, not_after=not_after, date_order=order, fallback=False)
            if parsed is not None:
                marked.append((c.origin, parsed))

    def take(found: tuple[dates.Stamp, str] | None, *, checked: bool = True, per_article: bool = False) -> bool:
        if found is None:
            return False
        reference = url_day if per_article else shown_day
        if checked and reference is not None and abs((found[0].day - reference).days) > 1:
            return False  # a related story's, a copyright year's or a modification's date
        stamp, raw = _refined(found, shown, [m for _o, m in marked])
        md.precision = stamp.precision
        if stamp.hour is None:  # a date alone: its midnight, the precision says it is a day
            stamp = dates.Stamp(stamp.day, 0, 0, 0)
        md.at = stamp.iso(zone)
        md.raw = raw
        return True

    if chosen and take(dates.parse(chosen, not_after=not_after, date_order=order), checked=False):
        return dateline
    for key in ("datePublished", "dateCreated"):
        value = structured.ld_text(ld.get(key))
        if value and take(dates.parse(value, not_after=not_after, date_order=order), per_article=True):
            return dateline
    for key in META_DATE_KEYS:
        for value in meta.get(key, ()):
            if take(dates.parse(value, not_after=not_after, date_order=order), per_article=key in OPEN_GRAPH_KEYS):
                return dateline
    for origin, found in marked:
        if origin != "time" and take(found):
            return dateline
    if found_line is None:
        for key in META_WEAK_DATE_KEYS:
            for value in meta.get(key, ()):
                if take(dates.parse(value, not_after=not_after, date_order=order)):
                    return None
        found_line = _date_in_lines(lines, list(range(len(lines))), not_after=not_after, date_order=order,
                                    labelled_only=True)
    if found_line is not None:
        stamp, raw, i, _update = found_line
        # The shown date wrapped in <time datetime>: the attribute says it without the
        # display's ambiguities (11/05/2026, a missing time of day or offset).
        take(_machine_form(lines[i].element, raw, not_after=not_after) or (stamp, raw), checked=False)
        return lines[i].text, raw
    for origin, found in marked:
        if origin == "time" and take(found):
            return None
    for el in tree.iter("time"):
        if el.get("datetime") or _marks_update(el):
            continue  # read above as a candidate, or an update time
        value = el.text_content()
        if value and take(dates.parse(value, not_after=not_after, date_order=order, fallback=False)):
            return None
    languages = (language, tree.get("lang"))
    for i in window:
        text = lines[i].text
        # A date in words the regexes do not know, under the headline: in the page's language.
        if len(text) <= 100 and take(dates.find_in_words(text, languages, not_after=not_after)):
            return text, md.raw or ""
    for i in window:
        text = lines[i].text
        if len(text) <= 100 and take(dates.find_month_day(text, fetched_at)):
            return text, md.raw or ""
        relative = dates.find_relative(text, fetched_at)
        if relative is not None and UPDATE_LABEL_RX.search(text[: max(0, text.find(relative[1]))][-12:]):
            continue  # "Updated 2 hours ago"
        if take(relative, checked=False):
            return None
    if take(url_date, checked=False):
        return None
    for key in META_MODIFIED_KEYS:
        for value in meta.get(key, ()):
            if take(dates.parse(value, not_after=not_after, date_order=order)):
                return None
    return None


_MAX_OFFSET = timedelta(hours=14)


def _refined(found: tuple[dates.Stamp, str], shown: tuple[dates.Stamp, str] | None,
             marked: list[tuple[dates.Stamp, str]]) -> tuple[dates.Stamp, str]:
    """A chosen time made as exact as the page allows.

    - A machine time in UTC that the page's own markup gives for the same instant in
      another offset: the page's offset (a static-site generator writes the meta in UTC
      and the ``<time datetime>`` in the author's zone).
    - A date alone, where the page's markup or dateline gives a time that same day: that time.
    - A time with an offset whose instant the dateline shows on a local clock without one:
      the difference of the two is the page's offset.
    """
    stamp, raw = found
    if stamp.hour is not None and stamp.offset is not None:
        for other, other_raw in marked:
            if (not stamp.offset and other.hour is not None and other.offset
                    and other.moment() == stamp.moment()):
                return other, other_raw
    if stamp.hour is None:
        for other, other_raw in [*marked, *([shown] if shown else [])]:
            if other.hour is not None and other.day == stamp.day:
                return other, other_raw
    if shown and stamp.hour is not None and stamp.offset is not None:
        local = shown[0]
        if local.hour is not None and local.offset is None:
            wall = datetime(local.day.year, local.day.month, local.day.day, local.hour, local.minute or 0)
            utc = stamp.moment().astimezone(timezone.utc).replace(tzinfo=None, second=0)
            delta = wall - utc
            if delta != stamp.offset and abs(delta) <= _MAX_OFFSET and not delta % timedelta(minutes=15):
                second = stamp.second if local.second is None else local.second
                return dates.Stamp(local.day, local.hour, local.minute, second, delta), shown[1]
    return stamp, raw


def _machine_form(element: lxml.html.HtmlElement, raw: str, *,
                  not_after: datetime | None) -> tuple[dates.Stamp, str] | None:
    """The datetime attribute of the <time> element that displays ``raw``, parsed."""
    for el in element.iter("time"):
        if _marks_update(el):
            continue
        value = el.get("datetime")
        shown = clean_space(el.text_content())
        if value and shown and (raw in shown or shown in raw):
            found = dates.parse(value, not_after=not_after, fallback=False)
            if found is not None:
                return found
    return None


Found = tuple[dates.Stamp, str, int, bool]  # stamp, its text, line number, labelled as an update


def _date_in_lines(lines: list[Line], numbers: list[int], *, not_after: datetime | None,
                   date_order: str | None, labelled_only: bool = False,
                   updates: frozenset[str] = frozenset()) -> Found | None:
    """The first publish date on the given lines; an update's date only where no line has another.

    Every date of a line is looked at: "更新于 6月9日 发布于 6月1日" or "Updated … | Published …"
    put the update first.
    """
    fallback: Found | None = None
    for i in numbers:
        text = lines[i].text
        if len(text) > 300:
            continue
        if labelled_only and not PUBLISH_LABEL_RX.search(text):
            continue
        for stamp, raw, before in _dates_in(text, not_after=not_after, date_order=date_order):
            if UPDATE_LABEL_RX.search(before[-12:]) or any(raw in u or u in raw for u in updates):
                if fallback is None:
                    fallback = (stamp, raw, i, True)
                continue
            return stamp, raw, i, False
    return fallback


def _dates_in(text: str, *, not_after: datetime | None,
              date_order: str | None) -> Iterator[tuple[dates.Stamp, str, str]]:
    """Each full date of ``text`` in turn: (stamp, its text, the line's text before it)."""
    text = dates.ascii_digits(text)  # one character for one: positions stay
    start = 0
    for _ in range(6):
        found = dates.find_absolute(text[start:], not_after=not_after, date_order=date_order)
        if found is None:
            return
        at = text.find(found[1], start)
        yield found[0], found[1], text[:at] if at >= 0 else text[:start]
        if at < 0:
            return
        start = at + len(found[1])


def _marks_update(el: lxml.html.HtmlElement) -> bool:
    """A <time> that says a modification: by its class, title or itemprop."""
    label = " ".join(filter(None, (el.get("class"), el.get("title"), el.get("itemprop"))))
    return bool(structured.MODIFIED_HINT_RX.search(label)) or "datemodified" in label.lower()
