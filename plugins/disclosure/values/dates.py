"""Dates as the site writes them: 2026年11月26日（周四）."""

from __future__ import annotations

from datetime import date

from .timeslots import WEEKDAY_LABELS


def zh_date(value: date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def zh_date_weekday(value: date) -> str:
    return f"{zh_date(value)}（{WEEKDAY_LABELS[value.weekday()]}）"
