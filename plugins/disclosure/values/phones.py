"""Phone numbers: checked, linked with tel:, and masked without consent.

A number is displayed as staff typed it (so `02164001234` stays
`02164001234`); only the tel: link uses the digits alone.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_EXTENSION = re.compile(r"^(?P<main>.+?)\s*(?:转|分机|ext\.?)\s*(?P<ext>\d{1,6})$", re.IGNORECASE)
_SEPARATORS = re.compile(r"[\s\-()（）.]")
_KINDS = (
    ("mobile", re.compile(r"^1[3-9]\d{9}$")),
    ("landline", re.compile(r"^0\d{9,11}$")),
    ("landline", re.compile(r"^[2-9]\d{7}$")),
    ("service", re.compile(r"^(?:1[12]\d|1\d{4}|9\d{4,5}|[48]00\d{7})$")),
)

PHONE_EXAMPLE = (
    "手机号（11 位）、带区号的固话（如 021-64001234）、8 位本地号码，或 110、12345 等服务号码"
)


@dataclass(frozen=True, slots=True)
class Phone:
    text: str  # as typed, trimmed
    digits: str
    extension: str
    kind: str  # mobile, landline or service

    @property
    def tel(self) -> str:
        return f"tel:{self.digits}" + (f",{self.extension}" if self.extension else "")

    def masked(self) -> str:
        """13812345678 -> 138****5678; built from the digits so no typed form leaks."""
        count = len(self.digits)
        head, tail = (3, 4) if count >= 8 else (0, 2)
        return self.digits[:head] + "*" * (count - head - tail) + self.digits[count - tail :]


def parse_phone(text: str) -> Phone | None:
    """The phone typed in `text`, or None when it is not a number we can dial."""
    typed = text.strip()
    normal = unicodedata.normalize("NFKC", typed)
    extension = ""
    match = _EXTENSION.match(normal)
    if match:
        normal, extension = match.group("main"), match.group("ext")
    digits = _SEPARATORS.sub("", normal)
    if digits.startswith("+86"):
        digits = digits[3:]
        if not digits.startswith("1"):
            digits = "0" + digits
    if not digits.isdigit():
        return None
    for kind, pattern in _KINDS:
        if pattern.match(digits):
            return Phone(typed, digits, extension, kind)
    return None


@dataclass(frozen=True)
class PhoneView:
    text: str  # what the page shows: the number as typed, or its masked form
    tel: str | None  # None when masked: nothing to dial, nothing to leak
    masked: bool


def phone_view(phone: Phone, *, public: bool) -> PhoneView:
    if public:
        return PhoneView(phone.text, phone.tel, masked=False)
    return PhoneView(phone.masked(), None, masked=True)
