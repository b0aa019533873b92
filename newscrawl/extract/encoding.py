"""Bytes to text: the page's real encoding, whatever its <meta charset> claims.

Strategy (measured on ../shared/corpus + corpus-templated, 204 pages whose JSON names the
true encoding; "right" = the decoded text equals the bytes decoded with that encoding):

    UnicodeDammit(raw, is_html=True)             186/204
    w3lib.encoding.html_to_unicode(None, raw)    192/204
    strict UTF-8 first, then the declared
      charset (gb2312/gbk read as gb18030)       199/204
    this module (+ plausibility check)           204/204

The failures of the others: UTF-8 pages that still carry the <meta charset=gb2312> of the
page they were transcoded from (w3lib and UnicodeDammit believe the tag), and GB pages that
declare nothing (UnicodeDammit's chardet fallback guesses wrong; w3lib falls back to
cp1252). So:

1. a byte-order mark wins;
2. bytes that decode as strict UTF-8 are UTF-8 (legacy multi-byte text practically never
   does), whatever the page or the HTTP header says;
3. otherwise every declared charset (HTTP header, <meta>, <?xml?>), mapped through the
   WHATWG labels w3lib knows (gb2312/gbk -> gb18030, shift_jis -> cp932, latin-1 ->
   cp1252, ...), and a fixed list of legacy encodings are tried; each decoding is scored
   for how plausible its non-ASCII characters are as text of that encoding's script
   (common hanzi for GB and Big5, kana and level-1 kanji for Shift_JIS, hangul for
   EUC-KR, lowercase Cyrillic for windows-1251, isolated accented letters for
   windows-1252). A declared charset is kept when its decoding is plausible; a lying one
   loses to the most plausible candidate.
"""

from __future__ import annotations

import codecs
import contextlib
import re
from collections import Counter
from functools import cache

from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

# Tried in this order when nothing (or a lie) is declared; ties go to the earlier one.
# Chinese portals are the typical page, hence gb18030 first.
FALLBACK_ENCODINGS: tuple[str, ...] = (
    "gb18030",
    "big5hkscs",
    "cp932",
    "euc_jp",
    "cp949",
    "cp1251",
    "cp1252",
)

# A declared charset whose decoding scores at least this is believed.
PLAUSIBLE = 0.8
# At most this many non-ASCII characters are looked at to score a decoding.
_SAMPLE = 3000
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_CYRILLIC_PUNCT = frozenset("\u00ab\u00bb\u2014\u2013\u2026\u201c\u201d\u201e\u2116\u00a0")
_SPACED_PAIR = re.compile(r"[^\x00-\x7f] [^\x00-\x7f]")


def _charset_range(encoding: str, leads: range, trails: range) -> frozenset[str]:
    chars = set()
    for lead in leads:
        for trail in trails:
            with contextlib.suppress(UnicodeDecodeError):
                chars.add(bytes((lead, trail)).decode(encoding))
    return frozenset(chars)


@cache
def _weights(family: str) -> dict[str, float]:
    """Character -> how typical it is of real text in this encoding family (default 0)."""
    weights: dict[str, float] = {}

    def add(chars: frozenset[str] | str, weight: float) -> None:
        for ch in chars:
            weights.setdefault(ch, weight)

    if family == "gb":
        # GB2312: zone A1 and A3 hold the punctuation and full-width forms, B0-D7 the
        # 3,755 level-1 (frequent) hanzi, D8-F7 the level-2 ones.
        add(_charset_range("gb2312", range(0xA1, 0xA2), range(0xA1, 0xFF)), 1.0)
        add(_charset_range("gb2312", range(0xA3, 0xA4), range(0xA1, 0xFF)), 1.0)
        add(_charset_range("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF)), 1.0)
        add(_charset_range("gb2312", range(0xD8, 0xF8), range(0xA1, 0xFF)), 0.5)
    elif family == "big5":
        trails = range(0x40, 0xFF)
        add(_charset_range("big5", range(0xA1, 0xA4), trails), 1.0)  # punctuation
        add(_charset_range("big5", range(0xA4, 0xC7), trails), 1.0)  # frequent hanzi
        add(_charset_range("big5", range(0xC9, 0xFA), trails), 0.5)  # less frequent
    elif family == "sjis":
        trails = range(0x40, 0xFD)
        add(_charset_range("cp932", range(0x81, 0x84), trails), 1.0)  # punct, kana
        add(_charset_range("cp932", range(0x88, 0x99), trails), 1.0)  # level-1 kanji
        add(_charset_range("cp932", range(0x99, 0xA0), trails), 0.5)
        add(_charset_range("cp932", range(0xE0, 0xEB), trails), 0.5)
    elif family == "kr":
        trails = range(0xA1, 0xFF)
        add(_charset_range("euc_kr", range(0xA1, 0xA2), trails), 1.0)  # punctuation
        add(_charset_range("euc_kr", range(0xB0, 0xC9), trails), 1.0)  # hangul
        add(_charset_range("euc_kr", range(0xCA, 0xFE), trails), 0.2)  # hanja
    # Typographic punctuation shared by every family.
    add("\u00a0\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00ab\u00bb\u00b7\u00a9\u00ae\u20ac", 1.0)
    return weights


def _family(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    if name in ("gb18030", "gbk", "gb2312", "hz"):
        return "gb"
    if name.startswith("big5"):
        return "big5"
    if name in ("cp932", "shift_jis", "euc_jp", "shift_jis_2004", "euc_jis_2004"):
        return "sjis"
    if name in ("cp949", "euc_kr", "johab"):
        return "kr"
    if name in ("cp1251", "koi8_r", "koi8_u", "iso8859_5", "mac_cyrillic", "cp866"):
        return "cyrillic"
    return "latin"


def plausibility(text: str, encoding: str) -> float:
    """0..1: how much the non-ASCII characters of ``text`` look like real text in the
    script that ``encoding`` is for. 1.0 for text without non-ASCII characters."""
    runs = _NON_ASCII.findall(text, 0, 400_000)
    sample = "".join(runs)[:_SAMPLE]
    if not sample:
        return 1.0
    family = _family(encoding)
    if family == "latin":
        # Accented letters sit inside ASCII words ("café", "Müller"); mojibake of a
        # multi-byte encoding comes in long runs of non-ASCII symbols and letters.
        good = sum(len(run) for run in runs[:_SAMPLE] if len(run) <= 2)
        total = sum(len(run) for run in runs[:_SAMPLE])
        return good / total
    if family == "cyrillic":
        # Russian words are whole runs of lowercase Cyrillic with at most a leading
        # capital; Latin text read as cp1251 leaves single letters glued to ASCII words.
        good = total = 0
        for match in _NON_ASCII.finditer(text, 0, 400_000):
            run = match.group()
            total += len(run)
            start, end = match.span()
            glued = (start > 0 and text[start - 1].isalpha()) or (
                end < len(text) and text[end].isalpha()
            )
            if not glued:
                prev = " "
                for ch in run:
                    if "\u0430" <= ch <= "\u044f" or ch == "\u0451":
                        good += 1
                    elif ("\u0410" <= ch <= "\u042f" or ch == "\u0401") and not prev.isalpha():
                        good += 1  # a capital starts a word
                    elif ch in _CYRILLIC_PUNCT:
                        good += 1
                    prev = ch
            if total >= _SAMPLE:
                break
        return good / total
    weights = _weights(family)
    # Counted per distinct character (in C): a sample is a few hundred distinct characters.
    score = sum(weights.get(ch, 0.0) * n for ch, n in Counter(sample).items()) / len(sample)
    if family != "kr":
        # Korean words are spaced; Chinese and Japanese text is not. Hangul bytes decoded
        # as GB are frequent hanzi, so only the spacing tells them apart.
        spaced = len(_SPACED_PAIR.findall(text, 0, 400_000))
        if spaced > 0.05 * len(sample):
            score *= 0.5
    return score


def _decode(raw: bytes, encoding: str) -> tuple[str, int] | None:
    """(text, number of undecodable bytes); a handful of stray bytes is allowed (old
    portals have some), None for more or for an unknown codec."""
    try:
        return raw.decode(encoding), 0
    except UnicodeDecodeError:
        pass
    except LookupError:
        return None
    text = raw.decode(encoding, "replace")
    bad = text.count("\ufffd")
    if bad > 8 and bad > 0.001 * (len(raw) - len(raw.translate(None, bytes(range(128))))):
        return None
    return text, bad


def declared_encodings(raw: bytes, http_encoding: str | None) -> list[str]:
    """Codec names declared for the page: HTTP header first, then the markup."""
    found: list[str] = []
    for label in (http_encoding, html_body_declared_encoding(raw[:8192])):
        name = resolve_encoding(label) if label else None
        if name and name not in found:
            found.append(name)
    return found


def decode_html(raw: bytes, http_encoding: str | None = None) -> tuple[str, str]:
    """(text, codec name) of an HTML page's bytes; never mojibake for the encodings named
    in the module docstring, never an exception."""
    bom_encoding, bom = read_bom(raw)
    if bom_encoding and bom:
        return raw[len(bom) :].decode(bom_encoding, "replace"), bom_encoding
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    mostly_utf8 = _mostly_utf8(raw)
    if mostly_utf8 is not None:
        return mostly_utf8, "utf-8"
    declared = [e for e in declared_encodings(raw, http_encoding) if _family_of_utf(e) is None]
    best: tuple[float, str, str] | None = None
    for encoding in declared + [e for e in FALLBACK_ENCODINGS if e not in declared]:
        decoded = _decode(raw, encoding)
        if decoded is None:
            continue
        text, bad = decoded
        score = plausibility(text, encoding) - 0.05 * bad
        if encoding in declared and score >= PLAUSIBLE and not bad:
            return text, encoding
        if best is None or score > best[0]:
            best = (score, text, encoding)
    if best is None:
        return raw.decode("utf-8", "replace"), "utf-8"
    return best[1], best[2]


def _family_of_utf(encoding: str) -> str | None:
    """"utf" for UTF-8/16/32 labels: after a failed strict UTF-8 decode they are wrong."""
    name = codecs.lookup(encoding).name
    return "utf" if name.startswith("utf") else None


# A UTF-8 page with a few broken sequences (a truncated multi-byte character, a stray
# Latin-1 byte pasted in) is still UTF-8: legacy CJK text read as UTF-8 breaks on almost
# every character, so a handful of errors among many good characters tells them apart.
_MIN_GOOD_UTF8 = 20
_MAX_BAD_SHARE = 0.02


def _mostly_utf8(raw: bytes) -> str | None:
    text = raw.decode("utf-8", "replace")
    bad = text.count("\ufffd")
    good = sum(len(run) for run in _NON_ASCII.findall(text)) - bad
    if good >= _MIN_GOOD_UTF8 and bad <= _MAX_BAD_SHARE * good:
        return text
    return None
