"""Phone numbers: recognised in every spelling, linked with tel:, masked without consent.

This module is the one place that decides what a number is (mobile,
landline, service), whether it is personal, how it is masked, and how a
number or an ID card number is found in free text and in written files.

A number is displayed as staff typed it (so `02164001234` stays
`02164001234`) when it may be published; only the tel: link uses the digits.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_EXTENSION = re.compile(r"^(?P<main>.+?)\s*(?:转|分机|ext\.?)\s*(?P<ext>\d{1,6})$", re.IGNORECASE)
# What people put between digit groups: spaces, every dash an input method
# makes, dots, slashes and brackets around an area code.
SEPARATORS = " \t\u00a0-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63./()\u30fb·"
_SEPARATOR_RUN = re.compile(f"[{re.escape(SEPARATORS)}]+")
_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
_LANDLINE = re.compile(r"0(?:[12]\d|[3-9]\d{2})[2-9]\d{6,7}", re.ASCII)
_LOCAL = re.compile(r"[2-9]\d{7}", re.ASCII)
_SERVICE = re.compile(r"1[12]\d|1\d{4}|9\d{4,5}|[48]00\d{7}", re.ASCII)

PHONE_EXAMPLE = (
    "手机号（11 位）、带区号的固话（如 021-64001234）、8 位本地号码，或 110、12345 等服务号码"
)


class _Folded(dict):
    """code point -> its NFKC form when that is one character, else itself;
    filled as characters are met, so str.translate does the work in C."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        self[code] = value = folded if len(folded) == 1 else char
        return value


_FOLDED = _Folded()


def narrow(text: str) -> str:
    """Full-width digits, spaces and signs as their ASCII forms, one character
    for one, so that offsets in the result are offsets in `text`."""
    return text if text.isascii() else text.translate(_FOLDED)


def national(digits: str) -> str:
    """The digits as dialled inside China: without 0086 (or 86 before a
    mobile), and a mobile without the trunk 0 some people put in front of it."""
    if digits.startswith("0086"):
        rest = digits[4:]
        digits = rest if _MOBILE.fullmatch(rest) or rest.startswith("0") else "0" + rest
    elif digits.startswith("86") and _MOBILE.fullmatch(digits[2:]):
        digits = digits[2:]
    if len(digits) == 12 and digits.startswith("0") and _MOBILE.fullmatch(digits[1:]):
        digits = digits[1:]
    return digits


def kind_of(digits: str) -> str | None:
    if _MOBILE.fullmatch(digits):
        return "mobile"
    if _LANDLINE.fullmatch(digits) or _LOCAL.fullmatch(digits):
        return "landline"
    if _SERVICE.fullmatch(digits):
        return "service"
    return None


def area_code_length(digits: str) -> int:
    """010 and 02x are three digits long; every other area code four."""
    if not digits.startswith("0") or len(digits) <= 8:
        return 0
    return 3 if digits[1] in "12" else 4


@dataclass(frozen=True, slots=True)
class Phone:
    text: str  # as typed, trimmed
    digits: str  # national form: 13812345678, 02164001234, 64001234, 110
    extension: str
    kind: str  # mobile, landline or service

    @property
    def tel(self) -> str:
        return f"tel:{self.digits}" + (f",{self.extension}" if self.extension else "")

    @property
    def may_be_personal(self) -> bool:
        """A service number (110, 12345, 400…) is never a person's own."""
        return self.kind != "service"

    @property
    def identifying(self) -> str:
        """The digits that identify the line, whatever way it is written:
        a mobile's 11 digits, a landline's number without its area code."""
        return self.digits[area_code_length(self.digits) :]

    def masked(self) -> str:
        """138****5678, 021******34, ******34: built from the digits so no typed
        form leaks, and at least six of a landline's eight digits hidden, so
        that the number cannot be guessed by calling round."""
        if self.kind == "mobile":
            return self.digits[:3] + "****" + self.digits[-4:]
        area = area_code_length(self.digits)
        line = self.digits[area:]
        shown = 2 if len(line) >= 7 else 0
        return self.digits[:area] + "*" * (len(line) - shown) + line[len(line) - shown :]


def parse_phone(text: str) -> Phone | None:
    """The phone typed in `text`, or None when it is not a number we can dial."""
    typed = text.strip()
    normal = narrow(typed)
    extension = ""
    match = _EXTENSION.match(normal)
    if match:
        normal, extension = match.group("main"), match.group("ext")
    international = normal.strip().startswith("+")
    digits = _SEPARATOR_RUN.sub("", normal.strip().removeprefix("+"))
    if not (digits.isascii() and digits.isdigit()) or (
        international and not digits.startswith("86")
    ):
        return None
    digits = national("00" + digits if international else digits)
    kind = kind_of(digits)
    return Phone(typed, digits, extension, kind) if kind else None


def published(phone: Phone, *, consent: bool, personal: bool = False) -> bool:
    """Whether a number may be shown whole: with its owner's consent, or when it
    belongs to no one (a service number, an office's landline). A mobile is
    always someone's own; `personal` says a landline is too (a named person's)."""
    if consent or not phone.may_be_personal:
        return True
    return not (personal or phone.kind == "mobile")


@dataclass(frozen=True)
class PhoneView:
    text: str  # what the page shows: the number as typed, or its masked form
    tel: str | None  # None when masked: nothing to dial, nothing to leak
    masked: bool


def phone_view(phone: Phone, *, public: bool) -> PhoneView:
    if public:
        return PhoneView(phone.text, phone.tel, masked=False)
    return PhoneView(phone.masked(), None, masked=True)


# --- numbers in free text ---------------------------------------------------

# Digit groups joined by at most two separators (Markdown's ** too, so that
# 138**1234**5678 is one number), a + in front, an X at the end of an ID.
_CANDIDATE = re.compile(
    r"(?<![\d])\+?\d+(?:[\s" + re.escape(SEPARATORS) + r"*_~]{1,3}\d+)*(?:[Xx](?![A-Za-z]))?",
    re.ASCII,
)
_GROUPS = re.compile(r"\d+", re.ASCII)
_ID = re.compile(r"\d{17}[\dXx]", re.ASCII)
_AMOUNT = re.compile(r"\s?[元万亿人次个户份件米平㎡]")


@dataclass(frozen=True, slots=True)
class FoundNumber:
    start: int  # offsets in the text searched
    end: int
    kind: str  # mobile, landline or id
    digits: str

    @property
    def shown(self) -> str:
        """How a message names it without repeating it whole."""
        if self.kind == "id":
            return self.digits[:6] + "*" * 8 + self.digits[-4:]
        return Phone("", self.digits, "", self.kind).masked()


def find_numbers(text: str) -> list[FoundNumber]:
    """Personal-looking numbers in free text: mobiles and landlines in any
    spelling, and 18-digit ID numbers. Service numbers (110, 12345, 400…) are
    nobody's own and are left alone; so are dates like 2026-11-27, whose
    short groups are not how anyone writes a phone number."""
    normal = narrow(text)
    found: list[FoundNumber] = []
    for match in _CANDIDATE.finditer(normal):
        groups = [
            (m.start() + match.start(), m.end() + match.start())
            for m in _GROUPS.finditer(match.group())
        ]
        # The whole run first (138 1234 5678), then the runs between groups
        # too short for a phone (2026-11-27), then each group alone.
        spans = [[(match.start(), match.end())], _long_runs(groups, match), groups]
        for level in spans:
            for start, end in level:
                if any(start < f.end and f.start < end for f in found):
                    continue
                hit = _classify(normal, start, end)
                if hit:
                    found.append(hit)
    return sorted(found, key=lambda f: f.start)


def _long_runs(groups: list[tuple[int, int]], match: re.Match) -> list[tuple[int, int]]:
    runs, start, last = [], None, None
    for g_start, g_end in groups:
        if g_end - g_start < 3:
            if start is not None:
                runs.append((start, last))
            start = None
            continue
        start = g_start if start is None else start
        last = g_end
    if start is not None:
        runs.append((start, match.end() if match.group()[-1] in "Xx" else last))
    return runs


def _classify(text: str, start: int, end: int) -> FoundNumber | None:
    run = text[start:end]
    groups = _GROUPS.findall(run)
    digits = "".join(groups) + ("X" if run[-1] in "Xx" else "")
    if _ID.fullmatch(digits):
        return FoundNumber(start, end, "id", digits)
    if not (digits.isascii() and digits.isdigit()):
        return None
    international = run.startswith("+")
    if international and not digits.startswith("86"):
        return None
    digits = national("00" + digits if international else digits)
    kind = kind_of(digits)
    if kind == "mobile" or (kind == "landline" and digits.startswith("0")):
        return FoundNumber(start, end, kind, digits)
    if kind == "landline" and [len(g) for g in groups] in ([8], [4, 4]):
        year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
        if len(groups) == 1 and 1900 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31:
            return None  # 20261127 is a date
        if len(groups) == 1 and _AMOUNT.match(text, end):
            return None  # 35000000 元 is an amount
        return FoundNumber(start, end, kind, digits)
    return None


_JOINERS = re.compile(r"[\s" + re.escape(SEPARATORS) + r"*_~+]+")
_LONG_RUN = re.compile(r"[0-9]{7,}")


def digit_runs(text: str) -> list[str]:
    """Every long run of digits in written output once whatever may stand
    between digit groups is taken out, for the check that no unpublished
    number was written in any spelling. Generous on purpose: a run may join
    unrelated numbers, but only the exact digits of a number are looked for."""
    return _LONG_RUN.findall(_JOINERS.sub("", narrow(text)))
