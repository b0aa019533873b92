"""Publish times: parse the forms pages use, and say them in ISO 8601 with the page's offset.

Fast regexes handle the common numeric forms (ISO, ``2022-04-26 11:01:53``,
``2022年04月26日 11:01``, ``2022/4/26``, ``26.04.2022``, ``April 26, 2022``); dateparser is
only the fallback for what they do not know, because it costs milliseconds a call.
A time without a known offset is given as the page's wall-clock time without an offset
(ISO local time): a guessed offset would be a wrong instant. Digits of any script
(full-width, Arabic-Indic, Devanagari...) are read as ASCII digits.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from newscrawl.extract.urls import path_of

MIN_YEAR = 1990  # older "dates" on a news page are almost always something else
FUTURE_SLACK = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Stamp:
    """A date, maybe with a time of day and a UTC offset, as the page gave it."""

    day: date
    hour: int | None = None
    minute: int | None = None
    second: int | None = None
    offset: timedelta | None = None  # None: the page did not say

    def iso(self, zone: tzinfo | None, *, in_zone: bool = False) -> str:
        """ISO 8601: with the page's offset, else ``zone``'s; the date alone without either.

        ``in_zone``: say an explicit offset's instant in ``zone`` instead (for a machine-
        written UTC time whose page shows the local time).
        """
        if self.hour is None:
            return self.day.isoformat()
        if in_zone and self.offset is not None and zone is not None:
            return self.moment().astimezone(zone).isoformat()
        tz: tzinfo | None = timezone(self.offset) if self.offset is not None else zone
        moment = datetime(
            self.day.year, self.day.month, self.day.day,
            self.hour, self.minute or 0, self.second or 0, tzinfo=tz,
        )
        return moment.isoformat()

    @property
    def precision(self) -> str:
        """How much of the time the page gave: 'second', 'minute' or 'day'."""
        if self.hour is None:
            return "day"
        return "minute" if self.second is None else "second"


    def moment(self) -> datetime:
        """The stamp as an aware datetime (UTC where no offset is known)."""
        return datetime(self.day.year, self.day.month, self.day.day, self.hour or 0, self.minute or 0,
                        self.second or 0, tzinfo=timezone(self.offset or timedelta(0)))

    def local_wall(self, zone: tzinfo | None) -> tuple[date, int | None, int | None]:
        """(day, hour, minute) on the clock of ``zone`` (or as written, without an offset)."""
        if self.offset is None or zone is None or self.hour is None:
            return self.day, self.hour, self.minute
        local = self.moment().astimezone(zone)
        return local.date(), local.hour, local.minute


# ---- the forms ------------------------------------------------------------------------

_Y = r"((?:19|20)\d{2})"
_TIME = r"(?:[\sT,\-–|·]*(?:at\s+|à\s+|um\s+|alle\s+|a las\s+|às\s+|в\s+|kl\.?\s*)?(\d{1,2})\s*(?:[:：时時点]|h(?=\d\d))\s*(\d{1,2})(?:\s*[:：分]\s*(\d{1,2}))?(?:\.\d+)?\s*([ap]\.?m\.?)?)?"
# "ET"/"PT"/... name a zone whose offset depends on the date (EST or EDT): see _ZONE_NAMES.
_OFFSET = r"(?:\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2}|EST|EDT|CDT|MST|MDT|PST|PDT|CEST|CET|BST|ET|CT|MT|PT)(?![\d:A-Za-z]))?"

# Year first: ISO, 2022-04-26, 2022/4/26, 2022.05.20, 2022年4月26日.
YMD_RX = re.compile(
    r"(?<![\d.])" + _Y + r"\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})(?!\d)\s*日?" + _TIME + _OFFSET,
    re.I,
)
# The year set apart from "MM/DD hh:mm" (a dateline laid out over two lines): only with
# the time of day, since "2024 3/4 of the votes" is no date.
YEAR_APART_RX = re.compile(r"(?<![\d.])" + _Y + r"\s+(\d{2})/(\d{2})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?()" + _OFFSET)
# Day first, with dots or slashes: 26.04.2022 (de, ru, ...), 26/04/2022.
DMY_RX = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./]" + _Y + r"(?![\d.])" + _TIME + _OFFSET, re.I)

# Month names: English (with abbreviations), German, French, Spanish, Italian, Dutch.
_MONTH_NAMES = {
    1: "january jan januar janvier enero gennaio januari jänner janeiro января stycznia ocak ledna",
    2: "february feb februar février fevrier febrero febbraio februari fevereiro февраля lutego şubat února",
    3: "march mar märz maerz mars marzo maart marts maret março марта marca mart března",
    4: "april apr avril abril aprile апреля kwietnia nisan dubna",
    5: "may mai mayo maggio mei maj maio мая maja mayıs května",
    6: "june jun juni juin junio giugno junho июня czerwca haziran června",
    7: "july jul juli juillet julio luglio julho июля lipca temmuz července",
    8: "august aug août aout agosto augustus augusti agustus августа sierpnia ağustos srpna",
    9: "september sept sep septembre septiembre settembre setiembre setembro сентября września eylül září",
    10: "october oct oktober octobre octubre ottobre outubro okt октября października ekim října",
    11: "november nov novembre noviembre novembro ноября listopada kasım listopadu",
    12: "december dec dezember décembre decembre diciembre dicembre dezembro desember desember декабря grudnia aralık prosince",
}
_MONTHS = {name: number for number, names in _MONTH_NAMES.items() for name in names.split()}


def _month(name: str) -> int:
    """The month a name says; 0 for a case-folding the table lacks (Turkish "KASIM")."""
    lowered = name.lower()
    return _MONTHS.get(lowered) or _MONTHS.get(lowered.replace("i", "ı")) or 0
_MON = "(" + "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True)) + r")\.?"
MONTH_NAME = _MON  # for other modules' date patterns
MDY_RX = re.compile(r"\b" + _MON + r"\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+" + _Y + r"\b" + _TIME + _OFFSET, re.I)
DMY_WORD_RX = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th|er)?\.?\s+(?:de\s+)?" + _MON + r",?\s+(?:de\s+)?" + _Y + r"\b" + _TIME + _OFFSET, re.I)


# Relative forms, read against the fetch time.
REL_CJK_RX = re.compile(r"(\d+)\s*(秒|分钟|分|小时|个小时|天|日|周|星期)前")
REL_EN_RX = re.compile(r"\b(\d+|an?|one)\s+(second|sec|minute|min|hour|hr|day|week)s?\s+ago\b", re.I)
REL_DAY_RX = re.compile(r"(今天|昨天|前天|yesterday|today)\s*(?:at\s+)?(?:(\d{1,2})\s*[:：]\s*(\d{2}))?", re.I)
JUST_NOW_RX = re.compile(r"刚刚|just now", re.I)

# Dates in URLs: /2022-04/26/, /2022/04/26/, t20220426_, /20220426/ .
URL_RX = re.compile(
    r"(?<!\d)((?:19|20)\d{2})[-/_]?(0[1-9]|1[0-2])[-/_]?(0[1-9]|[12]\d|3[01])(?!\d)"
)


# Abbreviations of a zone, not an offset: "9:30 a.m. ET" is EST in November, EDT in June.
_ZONE_NAMES = {"ET": "America/New_York", "CT": "America/Chicago", "MT": "America/Denver",
               "PT": "America/Los_Angeles"}
# Zone abbreviations that name one offset (not CST: China and US Central share it).
_NAMED_OFFSETS = {"Z": 0, "UTC": 0, "GMT": 0, "EST": -5, "EDT": -4, "CDT": -5, "MST": -7, "MDT": -6,
                  "PST": -8, "PDT": -7, "CET": 1, "CEST": 2, "BST": 1}


def _offset(text: str | None) -> timedelta | None:
    if not text:
        return None
    text = text.upper()
    if text in _NAMED_OFFSETS:
        return timedelta(hours=_NAMED_OFFSETS[text])
    if text[0] not in "+-":
        return None
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4])
    if hours > 14 or minutes > 59:
        return None
    return sign * timedelta(hours=hours, minutes=minutes)


def _stamp(y: str, mo: str | int, d: str, hh: str | None, mi: str | None, ss: str | None,
           ampm: str | None, off: str | None, *, not_after: datetime | None) -> Stamp | None:
    """A checked Stamp, or None for an impossible date (month 13, year 1970, far future)."""
    try:
        day = date(int(y), int(mo), int(d))
    except ValueError:
        return None
    if day.year < MIN_YEAR:
        return None
    limit = (not_after or datetime.now(timezone.utc)) + FUTURE_SLACK
    if day > limit.date():
        return None
    hour = minute = second = None
    if hh is not None and mi is not None:
        hour, minute = int(hh), int(mi)
        if ampm:
            if ampm[0].lower() == "p" and hour < 12:
                hour += 12
            elif ampm[0].lower() == "a" and hour == 12:
                hour = 0
        second = int(ss) if ss else None
        if hour > 23 or minute > 59 or (second is not None and second > 59):
            hour = minute = second = None
    offset = None
    if hour is not None and off:
        zone_name = _ZONE_NAMES.get(off.upper())
        if zone_name:
            zone = _zone(zone_name)
            offset = zone.utcoffset(datetime(day.year, day.month, day.day, hour, minute or 0)) if zone else None
        else:
            offset = _offset(off)
    return Stamp(day, hour, minute, second, offset)


# Decimal digits of other scripts: full-width (CJK pages), Arabic-Indic, Extended
# Arabic-Indic (Persian, Urdu), Devanagari, Bengali, Thai.
_DIGIT_ZEROS = (0xFF10, 0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50)
_ASCII_DIGITS = {zero + i: ord("0") + i for zero in _DIGIT_ZEROS for i in range(10)}
_ASCII_DIGITS.update({0xFF1A: ord(":"), 0xFF0D: ord("-"), 0xFF0F: ord("/"), 0xFF0E: ord(".")})
_OTHER_DIGIT_RX = re.compile("[" + "".join(f"{chr(z)}-{chr(z + 9)}" for z in _DIGIT_ZEROS) + "]")


def ascii_digits(text: str) -> str:
    """``text`` with other scripts' digits (and full-width : - / .) as ASCII."""
    return text.translate(_ASCII_DIGITS) if _OTHER_DIGIT_RX.search(text) else text


def find_absolute(text: str, *, not_after: datetime | None = None,
                  date_order: str | None = None) -> tuple[Stamp, str] | None:
    """The first full date (with year) in ``text``, and the text it was read from."""
    text = ascii_digits(text)
    if _PERIOD_RX.search(text):
        # "下午3:30", "午後3時30分", "오후 3:30": the half of the day written before the time.
        text = _PERIOD_RX.sub(lambda m: f"{m.group(2)} {'pm' if m.group(1) in _AFTERNOON else 'am'}", text)
    best: tuple[int, Stamp, str] | None = None
    for rx, kind in _FORMS:
        if kind == "dmy" and date_order == "MDY":
            kind = "mdy"
        for m in rx.finditer(text):
            g = m.groups()
            if kind == "ymd":
                stamp = _stamp(g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], not_after=not_after)
            elif kind == "dmy":
                stamp = _stamp(g[2], g[1], g[0], g[3], g[4], g[5], g[6], g[7], not_after=not_after)
            elif kind == "mdy":
                stamp = _stamp(g[2], g[0], g[1], g[3], g[4], g[5], g[6], g[7], not_after=not_after)
            elif kind == "mon-d-y":
                stamp = _stamp(g[2], _month(g[0]), g[1], g[3], g[4], g[5], g[6], g[7], not_after=not_after)
            else:  # d-mon-y
                stamp = _stamp(g[2], _month(g[1]), g[0], g[3], g[4], g[5], g[6], g[7], not_after=not_after)
            if stamp is not None:
                if best is None or m.start() < best[0]:
                    best = (m.start(), stamp, m.group(0).strip())
                break
    if best is not None and best[1].hour is None and best[0] > 0:
        # The time of day written before the date: "3:04 PM EST, November 5, 2026".
        before = TIME_BEFORE_RX.search(text[max(0, best[0] - 40): best[0]])
        # Only a time marked as one (a.m./p.m., a zone): a bare "14:00," before a date
        # may be a kick-off or a list item's time.
        if before and (before.group(4) or before.group(5)):
            day = best[1].day
            timed = _stamp(str(day.year), day.month, str(day.day), *before.groups(), not_after=not_after)
            if timed is not None and timed.hour is not None:
                return timed, (before.group(0) + best[2]).strip()
    return None if best is None else (best[1], best[2])


_AFTERNOON = frozenset({"下午", "午後", "오후", "晚上"})
_PERIOD_RX = re.compile(r"(上午|下午|午前|午後|오전|오후|晚上)\s*(\d{1,2}\s*[:：时時]\s*\d{2})")
TIME_BEFORE_RX = re.compile(r"(\d{1,2})\s*:\s*(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?" + _OFFSET + r"\s*[,|·–-]?\s*(?:on\s+)?$", re.I)
_FORMS: tuple[tuple[re.Pattern[str], str], ...] = (
    (YMD_RX, "ymd"), (YEAR_APART_RX, "ymd"), (DMY_RX, "dmy"), (MDY_RX, "mon-d-y"), (DMY_WORD_RX, "d-mon-y"),
)


# Month and day without a year, with a time: "11-05 09:30", "11月5日 09:30" (portals
# leave the year out for this year's articles). Read against the fetch time's year.
MONTH_DAY_RX = re.compile(
    r"(?<![\d/.\-年:])(\d{1,2})\s*(?:-|/|月)\s*(\d{1,2})(?![\d/.\-])\s*日?[\s,]*"
    r"(\d{1,2})\s*[:：时時点]\s*(\d{2})(?:\s*[:：分]\s*(\d{1,2}))?\s*([ap]\.?m\.?)?"
)


def find_month_day(text: str, fetched_at: datetime | None) -> tuple[Stamp, str] | None:
    """A year-less "11-05 09:30" / "11月5日 09:30" in ``text``, dated in the fetch year
    (the year before when that would put it after the fetch). None without a fetch time:
    the year would be a guess."""
    if fetched_at is None:
        return None
    for m in MONTH_DAY_RX.finditer(text):
        month, day, hh, mi, ss, ampm = m.group(1), m.group(2), m.group(3), m.group(4), m.group(5), m.group(6)
        for year in (fetched_at.year, fetched_at.year - 1):
            stamp = _stamp(str(year), month, day, hh, mi, ss, ampm, None, not_after=fetched_at - FUTURE_SLACK)
            if stamp is not None:
                return stamp, m.group(0).strip()
    return None


def find_relative(text: str, fetched_at: datetime | None) -> tuple[Stamp, str] | None:
    """A relative time ("3小时前", "昨天 10:20", "2 hours ago") read against ``fetched_at``.

    Without ``fetched_at`` there is nothing to count back from: None, never "now".
    """
    if fetched_at is None:
        return None
    m = REL_CJK_RX.search(text)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        delta = {"秒": timedelta(seconds=n), "分钟": timedelta(minutes=n), "分": timedelta(minutes=n),
                 "小时": timedelta(hours=n), "个小时": timedelta(hours=n), "天": timedelta(days=n),
                 "日": timedelta(days=n), "周": timedelta(weeks=n), "星期": timedelta(weeks=n)}[unit]
        return _from_moment(fetched_at - delta, precise=unit not in ("天", "日", "周", "星期")), m.group(0)
    m = REL_EN_RX.search(text)
    if m:
        raw_n = m.group(1).lower()
        n = 1 if raw_n in ("a", "an", "one") else int(raw_n)
        unit = m.group(2).lower()
        delta = {"second": timedelta(seconds=n), "sec": timedelta(seconds=n),
                 "minute": timedelta(minutes=n), "min": timedelta(minutes=n),
                 "hour": timedelta(hours=n), "hr": timedelta(hours=n),
                 "day": timedelta(days=n), "week": timedelta(weeks=n)}[unit]
        return _from_moment(fetched_at - delta, precise=unit not in ("day", "week")), m.group(0)
    m = REL_DAY_RX.search(text)
    if m:
        back = {"今天": 0, "today": 0, "昨天": 1, "yesterday": 1, "前天": 2}[m.group(1).lower()]
        day = (fetched_at - timedelta(days=back)).date()
        if m.group(2):
            hour, minute = int(m.group(2)), int(m.group(3))
            if hour < 24 and minute < 60:
                return Stamp(day, hour, minute, None, fetched_at.utcoffset()), m.group(0)
        return Stamp(day), m.group(0)
    m = JUST_NOW_RX.search(text)
    if m:
        return _from_moment(fetched_at, precise=True), m.group(0)
    return None


def _from_moment(moment: datetime, *, precise: bool) -> Stamp:
    if not precise:
        return Stamp(moment.date())
    return Stamp(moment.date(), moment.hour, moment.minute, None, moment.utcoffset())


def from_url(url: str | None, *, not_after: datetime | None = None) -> tuple[Stamp, str] | None:
    """The date in the URL's path (/2022-04/26/, /2022/04/26/, t20220426_): the last resort."""
    if not url:
        return None
    path = path_of(url)
    for m in URL_RX.finditer(path):
        stamp = _stamp(m.group(1), m.group(2), m.group(3), None, None, None, None, None,
                       not_after=not_after)
        if stamp is not None:
            return stamp, m.group(0)
    return None


def parse(text: str, *, not_after: datetime | None = None,
          date_order: str | None = None, fallback: bool = True) -> tuple[Stamp, str] | None:
    """One date string (a meta tag's content, a <time datetime>): regexes, then dateparser."""
    text = text.strip()
    if not text:
        return None
    found = find_absolute(text, not_after=not_after, date_order=date_order)
    if found is not None or not fallback:
        return found
    return _dateparser(text, not_after=not_after, date_order=date_order)


def _dateparser(text: str, *, not_after: datetime | None, date_order: str | None) -> tuple[Stamp, str] | None:
    if len(text) > 60 or not re.search(r"\d", text):
        return None
    import dateparser  # slow to import and to call: only here, off the common path

    settings: dict[str, object] = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"],
                                   "RETURN_AS_TIMEZONE_AWARE": False}
    if date_order:
        settings["DATE_ORDER"] = date_order
    try:
        moment = dateparser.parse(text, settings=settings)
    except Exception:  # dateparser raises a zoo of errors on odd input
        return None
    if moment is None:
        return None
    has_time = bool(re.search(r"\d{1,2}\s*[:：时h]\s*\d{2}", text))
    hour, minute = (str(moment.hour), str(moment.minute)) if has_time else (None, None)
    stamp = _stamp(str(moment.year), moment.month, str(moment.day), hour, minute, None, None, None,
                   not_after=not_after)
    return None if stamp is None else (stamp, text)


_YEAR_RX = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_CLOCK_RX = re.compile(r"\d{1,2}\s*[:：h]\s*\d{2}")


def find_in_words(text: str, languages: tuple[str | None, ...], *,
                  not_after: datetime | None = None) -> tuple[Stamp, str] | None:
    """A full date written in the words of the page's language where the regexes know none
    of them ("5 Νοεμβρίου 2026", "ngày 5 tháng 11 năm 2026", "5 नवंबर 2026"): dateparser's
    search, told the languages (the page's, as declared and as its script says; guessing
    costs more and errs on short lines).

    Only a line with a year in it is searched: dateparser costs milliseconds a call.
    """
    text = ascii_digits(text)
    codes = list(dict.fromkeys(code.split("-")[0].lower() for code in languages if code))
    if not codes or len(text) > 120 or not _YEAR_RX.search(text):
        return None
    from dateparser.search import search_dates  # slow to import: only here, off the common path

    try:
        found = search_dates(text, languages=codes,
                             settings={"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False})
    except Exception:  # an unknown language code, or one of dateparser's many errors
        return None
    for raw, moment in found or ():
        timed = _CLOCK_RX.search(raw)
        stamp = _stamp(str(moment.year), moment.month, str(moment.day), str(moment.hour) if timed else None,
                       str(moment.minute) if timed else None, None, None, None, not_after=not_after)
        if stamp is not None:
            return stamp, raw.strip()
    return None


# ---- the page's time zone -------------------------------------------------------------


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def page_zone(*, profile_zone: str | None) -> tzinfo | None:
    """The zone a page's bare local times are in: the site profile's, else none.

    Neither the page's language nor its host's country code is an offset source: a language
    spans many zones (French is written in Paris, Montreal and Dakar), and a country-code
    host is bought by sites written anywhere (a .cn host may serve a US bureau, a .tv or
    .io one any country). Without a profile zone a bare time stays a naive wall clock.
    """
    return _zone(profile_zone) if profile_zone else None
