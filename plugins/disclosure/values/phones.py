"""Phone numbers: recognised in every spelling, linked with tel:, masked without consent.

This module is the one place that decides what a number is (mobile,
landline, service), whether it is personal, how it is masked, and how a
number or an ID card number is found in free text and in written files.

Every number a page shows is written one way, whatever way staff typed it
(`display`): landlines `021-6418 1185`, `0571-8765 4321`, `0571-876 5432`,
local lines `6418 1185`; mobiles `136 4211 6136`; extensions after 转
(`021-6418 1185 转 123`); 400/800 numbers `400-820-1234`; short service
numbers (110, 12345, 95598, 962777) unbroken, as they are dialled and
remembered. A masked number keeps the same groups with its stars
(`138 **** 5678`, `021-**** **85`). A number may wrap between its groups,
never inside one. The tel: link uses the digits only, and open data keep
the number as typed (their documented format).

A screen reader reads `6418` as a quantity (六千四百一十八), so a page
also gives each number as it is said, digit by digit (`spoken`:
`零二一 六四一八 一一八五`). Chinese digits, not spaced ASCII digits
(`0 2 1 6 …`): a Chinese voice reads both one by one, but to the leak scan
(`output_scan`, `digit_runs`) spaced digits are one-digit groups, so any
published number would seem to hold every unpublished line written inside
it (0571-6418118 inside 021-6418 1185) and fail the build.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .pickling import quick_pickling

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


# Invisible marks that are not format characters (those are E011 in
# records): variation selectors (emoji), combining joiners, fillers. Between
# digits they hide nothing from a reader, so they hide nothing from us.
_IGNORABLE = frozenset(
    [0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0, *range(0x180B, 0x1810)]
)


class _Folded(dict):
    """code point -> its NFKC form when that is one character (a full-width,
    circled or superscript digit as the digit), any other decimal digit as
    its ASCII digit, and an invisible or combining mark as a separator (·);
    else itself. Filled as characters are met, so str.translate works in C."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = unicodedata.normalize("NFKC", char)
        if len(folded) == 1 and folded.isascii():
            value = folded
        elif unicodedata.decimal(char, None) is not None:
            value = str(unicodedata.decimal(char))
        elif code in _IGNORABLE or unicodedata.category(char) in ("Mn", "Me", "Cf"):
            value = "·"
        else:
            value = folded if len(folded) == 1 else char
        self[code] = value
        return value


_FOLDED = _Folded()


# ASCII and the CJK unified ideographs fold to themselves (a test holds
# this): only the runs of other characters go through the per-character
# table, which on a Chinese page is a few punctuation marks in a hundred.
_MAY_FOLD = re.compile(r"[^\x00-\x7f\u4e00-\u9fff]+")


def _fold(match: re.Match) -> str:
    return match.group().translate(_FOLDED)


def narrow(text: str, may_fold: re.Pattern = _MAY_FOLD) -> str:
    """Digits in any script and full-width spaces and signs as their ASCII
    forms, one character for one, so that offsets in the result are offsets
    in `text`; invisible and combining marks as a separator. Only what
    `may_fold` matches is looked up."""
    return text if text.isascii() else may_fold.sub(_fold, text)


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


def grouped(digits: str, kind: str) -> str:
    """`digits` (or a masked copy, stars for hidden digits, of the same length)
    in the site's groups: see the module's docstring. Separators are
    `-` after an area code and in 400/800 numbers, a space elsewhere."""
    if kind == "mobile" and len(digits) == 11:
        return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    if kind == "service":
        if len(digits) == 10 and digits[:3] in ("400", "800"):
            return f"{digits[:3]}-{digits[3:6]}-{digits[6:]}"
        return digits
    area = area_code_length(digits)
    line = digits[area:]
    local = f"{line[:-4]} {line[-4:]}" if len(line) > 4 else line
    return f"{digits[:area]}-{local}" if area else local


_SAID = str.maketrans("0123456789", "零一二三四五六七八九")


def spelt(text: str) -> str:
    """Digits as a screen reader should say them, one by one, groups apart:
    021-6418 1185 -> 零二一 六四一八 一一八五."""
    return text.replace("-", " ").translate(_SAID)


@quick_pickling
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
    def display(self) -> str:
        """The number as every page shows it: 021-6418 1185 转 123."""
        extension = f" 转 {self.extension}" if self.extension else ""
        return grouped(self.digits, self.kind) + extension

    @property
    def spoken(self) -> str:
        """The number for a screen reader, digit by digit: 零二一 六四一八 一一八五 转 一二三."""
        return spelt(self.display)

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
        """138****5678, 021******34, ******34, 0571*******: built from the
        digits so no typed form leaks, and at least six of a landline's digits
        hidden, so that the number cannot be guessed by calling round."""
        if self.kind == "mobile":
            return self.digits[:3] + "****" + self.digits[-4:]
        area = area_code_length(self.digits)
        line = self.digits[area:]
        shown = 2 if len(line) >= 8 else 0
        return self.digits[:area] + "*" * (len(line) - shown) + line[len(line) - shown :]

    def masked_display(self) -> str:
        """The masked number in the groups of `display`: 138 **** 5678, 021-**** **85."""
        return grouped(self.masked(), self.kind)

    def masked_spoken(self) -> str:
        """The masked number for a screen reader: 一三八，隐去四位，五六七八."""
        parts = re.findall(r"\d+|\*+", self.masked())
        return "，".join(f"隐去{spelt(str(len(p)))}位" if p[0] == "*" else spelt(p) for p in parts)


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


def hide_digits(text: str) -> str:
    """What staff typed, for a message about it, with the middle digits hidden
    when it may be someone's number: messages reach build logs and CI."""
    digits = [i for i, char in enumerate(narrow(text)) if char.isdigit()]
    if len(digits) < 7:
        return text
    hidden = set(digits[3:-2])
    return "".join("*" if i in hidden else char for i, char in enumerate(text))


def published(phone: Phone, *, consent: bool, personal: bool = False) -> bool:
    """Whether a number may be shown whole: with its owner's consent, or when it
    belongs to no one (a service number, an office's landline). A mobile is
    always someone's own; `personal` says a landline is too (a named person's)."""
    if consent or not phone.may_be_personal:
        return True
    return not (personal or phone.kind == "mobile")


@dataclass(frozen=True)
class PhoneView:
    text: str  # what the page shows: `Phone.display`, or its masked form grouped alike
    tel: str | None  # None when masked: nothing to dial, nothing to leak
    masked: bool
    spoken: str  # `text` for a screen reader, digit by digit
    typed: str | None = None  # as staff typed it, for open data; None when masked


def phone_view(phone: Phone, *, public: bool) -> PhoneView:
    if public:
        return PhoneView(phone.display, phone.tel, False, phone.spoken, phone.text)
    return PhoneView(phone.masked_display(), None, True, phone.masked_spoken())


# --- numbers in free text ---------------------------------------------------

# What may stand between the digit groups of one number in free text: the
# separators of a phone field, commas and 、 (136，4211，6136), Markdown's
# markers (138**1234**5678), and the invisible characters some text carries.
_BETWEEN = (
    r"[\s" + re.escape(SEPARATORS + ",，、;；一•‧∙\u2043\u00ad\u200b\u200c\u200d\u2060") + r"*_~`]"
)
_CANDIDATE = re.compile(
    r"(?<![\d])\+?\d+(?:" + _BETWEEN + r"+\d+)*(?:[Xx×](?![A-Za-z]))?", re.ASCII
)
_GROUPS = re.compile(r"\d+", re.ASCII)
_ID = re.compile(r"[1-9]\d{5}(?P<birth>(?:19|20)\d{6})\d{3}[\dXx×]", re.ASCII)
# An amount, not a phone: money after it (35000000 元, 15000000000 元), or a
# decimal part. Only money: a surname (张, 余) after a number is everyday text.
_MONEY_AFTER = re.compile(r"\s*(?:\.\d|[万亿]?元|RMB|CNY|rmb|yuan)")
# An eight-digit count or code, not a local line: a unit or 号 after it, money
# before it, or letters against it (沪ICP备23456789号, av21384576, 91310104MA…).
_COUNT_AFTER = re.compile(r"\s*[万亿千百人次个户份件册辆套平㎡米号]|[A-Za-z]")
_MONEY_BEFORE = re.compile(
    r"(?:投资|预算|资金|金额|经费|总额|共计|合计|[￥¥$])\s*[:：]?\s*$|[A-Za-z]$"
)
# Digits read out one by one, as a number is spoken (幺 for 1, 两 for 2).
_SPOKEN = "〇零一二三四五六七八九幺两"
_CHINESE_DIGITS = str.maketrans(_SPOKEN, "0012345678912")
_CHINESE_RUN = re.compile(f"[{_SPOKEN}]{{7,}}")


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


_ANY_DIGIT = re.compile(r"[0-9]")
_CHINESE_NUMERAL = re.compile(f"[{_SPOKEN}]")


def may_hold_a_number(text: str) -> bool:
    """Cheap first look: a phone or ID number, however written or encoded
    (&#49;, %31, ①, 一), puts at least seven digits in the text."""
    normal = narrow(text)
    return len(_ANY_DIGIT.findall(normal)) + len(_CHINESE_NUMERAL.findall(normal)) >= 7


def find_numbers(text: str, *, local: bool = True) -> list[FoundNumber]:
    """Personal-looking numbers in free text: mobiles and landlines in any
    spelling, and 18-digit ID numbers. Service numbers (110, 12345, 400…) are
    nobody's own and are left alone; so are dates like 2026-11-27, whose
    short groups are not how anyone writes a phone number, and amounts.
    Without `local`, eight digits with no area code are not taken for a line
    (a web address: wjx.cn/jq/43218765.aspx)."""
    normal = narrow(text)
    found: list[FoundNumber] = []
    for match in _CHINESE_RUN.finditer(normal):
        # 一三六四二一一六一三六: numerals written out are a number all the same
        digits = match.group().translate(_CHINESE_DIGITS)
        spelled = normal[: match.start()] + digits + normal[match.end() :]
        hit = _classify(spelled, match.start(), match.end())
        if hit:
            found.append(hit)
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
                if hit and (local or hit.kind != "landline" or hit.digits.startswith("0")):
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
        runs.append((start, match.end() if match.group()[-1] in "Xx×" else last))
    return runs


def _is_day(digits: str) -> bool:
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    return 1900 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31


def _classify(text: str, start: int, end: int) -> FoundNumber | None:
    run = text[start:end]
    groups = _GROUPS.findall(run)
    digits = "".join(groups) + ("X" if run[-1] in "Xx×" else "")
    identity = _ID.fullmatch(digits)
    if identity and _is_day(identity.group("birth")):
        return FoundNumber(start, end, "id", digits)
    if not (digits.isascii() and digits.isdigit()):
        return None
    if "," in run and all(len(g) == 3 for g in groups[1:]):
        return None  # 13,500,000,000: thousands, not a phone
    if "." in run and "," in run:
        return None  # 31.1882,121.4375: decimals, not a phone
    if _MONEY_AFTER.match(text, end) or digits.endswith("000000"):
        return None  # 35000000 元; a round figure: no one's line ends in six zeros
    international = run.startswith("+")
    if international and not digits.startswith("86"):
        return None
    digits = national("00" + digits if international else digits)
    kind = kind_of(digits)
    if kind == "mobile" or (kind == "landline" and digits.startswith("0")):
        return FoundNumber(start, end, kind, digits)
    if kind == "landline" and [len(g) for g in groups] in ([8], [4, 4]):
        if len(groups) == 1 and _is_day(digits):
            return None  # 20261127 is a date
        if len(groups) == 2 and 1949 <= int(groups[0]) <= 2099:
            return None  # 2021-2025, 2026-0045: years, or a year and a serial
        if _COUNT_AFTER.match(text, end) or _MONEY_BEFORE.search(text, max(0, start - 8), start):
            return None  # 35000000册, 投资 35000000, 沪ICP备23456789号
        return FoundNumber(start, end, kind, digits)
    return None


# --- numbers in written files -----------------------------------------------

# Punctuation and signs that `narrow` folds or keeps, and that are the same to
# a run either way: joiners before and after (，；（）–·, the brackets joined
# here as their ASCII forms are), or neither (：。！✓). A page holds hundreds;
# left as they are, its text goes through the per-character fold only where
# something else is written (a test holds each one to this).
_SAME_TO_RUNS = "，、；（）：！？。“”‘’《》【】…–—·✓✗→←"
_MAY_CHANGE_A_RUN = re.compile(f"[^\x00-\x7f\u4e00-\u9fff{_SAME_TO_RUNS}]+")
# seven digits or more (no phone number is shorter), so that the years, days
# and counts on every page are skipped by the regex engine, not by Python
_RUN_JOINER = _BETWEEN.removesuffix("]") + "（）]"  # （） join, as their folds () do
_RUN = re.compile(r"\d(?:(?:" + _RUN_JOINER + r"|\+)*\d){6,}", re.ASCII)
_PREFIX = re.compile(r"(?:0086|86|0|0[1-9]\d{1,2})", re.ASCII)


@dataclass(frozen=True, slots=True)
class DigitRun:
    """Digits as written, joined across separators, with where each group ends."""

    digits: str
    ends: frozenset[int]  # offsets in `digits` where a group ends (and 0)

    def holds(self, number: str, *, at_end: int) -> bool:
        """Whether `number` is written here ending at `at_end`, as a number of
        its own: starting where a group starts, or after a country code,
        trunk 0 or area code at the start of the run (+8613642116136)."""
        start = at_end - len(number)
        if start < 0 or self.digits[start:at_end] != number:
            return False
        return start in self.ends or _PREFIX.fullmatch(self.digits[:start]) is not None


def digit_runs(text: str) -> list[DigitRun]:
    """Every run of digits in written output, joined across whatever may stand
    between the groups of one number, for the check that no unpublished
    number was written in any spelling."""
    return [digit_run(written) for written in written_runs(text)]


def written_runs(text: str) -> list[str]:
    """Each run of seven digits or more as written (narrowed), joiners and all."""
    return _RUN.findall(narrow(text, _MAY_CHANGE_A_RUN))


def digit_run(written: str) -> DigitRun:
    ends, digits = {0}, ""
    for group in _GROUPS.findall(written):
        digits += group
        ends.add(len(digits))
    return DigitRun(digits, frozenset(ends))
