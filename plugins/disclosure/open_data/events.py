"""events.json and its CSV files: every event and every date it takes place.

Words and the registration phone come from the event's view (a masked
number is left out); times come from the record, as the calendars take
them, written as ISO 8601 instants in Shanghai (+08:00), or as days for an
all-day event.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from ..core.memo import ByIdentity
from ..events.model import Event, EventState, Occurrence
from ..events.times import Moment, aware, is_all_day
from ..events.views import EventView, last_day
from .committees import phone_columns, phone_fields
from .tables import Column, Table


def _start(occurrence: Occurrence) -> date | str:
    return occurrence.start if occurrence.all_day else aware(occurrence.start).isoformat()


def _end(occurrence: Occurrence) -> date | str:
    """An all-day event's last day; a timed one's end instant (24:00 is the next midnight)."""
    return last_day(occurrence) if occurrence.all_day else aware(occurrence.end).isoformat()


def _moment(moment: Moment | None) -> date | str | None:
    if moment is None:
        return None
    return moment if is_all_day(moment) else aware(moment).isoformat()


STATE_TEXT = {EventState.SCHEDULED: "如期举行"} | {
    state: state.word for state in EventState if state.word
}

MOMENT_NOTE = "全天活动为日期（YYYY-MM-DD），其他为上海时间（YYYY-MM-DDTHH:MM:SS+08:00）"

EVENT_COLUMNS = [
    Column("year", "年份（活动记录所在的文件夹）", "integer"),
    Column("slug", "活动编号（网址中的名称；与年份一起唯一）"),
    Column("title", "活动名称"),
    Column("summary", "简介"),
    Column("category", "类别"),
    Column("series", "所属系列", nullable=True),
    Column(
        "status",
        "状态：scheduled 如期举行，cancelled 已取消，postponed 已改期，pending 已延期、时间待定",
        enum=tuple(EventState),
    ),
    Column("status_text", "状态（中文）"),
    Column("status_note", "取消或延期的原因", nullable=True),
    Column("all_day", "是否全天活动", "boolean"),
    Column("start", "开始时间（重复举办的活动为第一次）", "moment", note=MOMENT_NOTE),
    Column(
        "end",
        "结束时间（全天活动为最后一天）",
        "moment",
        note=MOMENT_NOTE + "；24:00 结束的活动写作第二天的 00:00",
    ),
    Column("when", "时间（文字，重复举办的活动写明规律和次数）"),
    Column("occurrence_count", "举办次数（不含取消的日期）", "integer"),
    Column(
        "original_start",
        "改期前原定的开始时间",
        "moment",
        nullable=True,
        note=MOMENT_NOTE,
    ),
    Column("venue", "地点"),
    Column("address", "地址"),
    Column("committee_slug", "所在居委会编号（与 committees.csv 的 slug 对应）", nullable=True),
    Column("committee_name", "所在居委会", nullable=True),
    Column("organiser", "主办"),
    Column("fee", "费用"),
    Column("capacity", "名额", "integer", nullable=True),
    Column("accessibility", "无障碍信息", nullable=True),
    Column("registration_required", "是否需要报名", "boolean"),
    Column("registration_how", "报名方式", nullable=True),
    *phone_columns("registration_", "报名电话"),
    Column("registration_url", "报名网址", nullable=True),
    Column("registration_until", "报名截止", "moment", nullable=True, note=MOMENT_NOTE),
    Column("announced", "发布日期", "date"),
    Column("updated", "更新日期", "date", nullable=True),
    Column("url", "活动页面网址", "url"),
    Column("calendar_url", "日历文件（.ics）网址，可导入手机日历", "url"),
]

OCCURRENCE_COLUMNS = [
    Column("event_year", "活动年份（与 events.csv 的 year 对应）", "integer", nested=False),
    Column("event_slug", "活动编号（与 events.csv 的 slug 对应）", nested=False),
    Column("event_title", "活动名称", nested=False),
    Column("start", "开始时间", "moment", note=MOMENT_NOTE),
    Column("end", "结束时间（全天活动为最后一天）", "moment", note=MOMENT_NOTE),
    Column("skipped", "这一次是否取消", "boolean"),
    Column("skip_reason", "取消这一次的原因", nullable=True),
]


def _sessions(event: Event) -> list[tuple[Occurrence, str | None, bool]]:
    if event.moved_to is not None:
        return [(event.moved_to, None, False)]
    if event.repeat is None:
        return [(event.first, None, False)]
    return [
        (occurrence, skip.reason if skip else None, skip is not None)
        for occurrence, skip in event.sessions()
    ]


def event_tables(pairs: list[tuple[Event, EventView]], link: Callable[[str], str]) -> Table:
    rows, dates, date_groups = [], [], []
    for event, view in sorted(pairs, key=lambda pair: (pair[0].year, pair[0].slug)):
        # kept by the records they are made from: see tables._CSV_LINES
        row, its_dates = _ROWS.get(
            (event, view),
            (link(view.url), link(view.ics_url)),
            lambda e=event, v=view: _rows(e, v, link),
        )
        rows.append(row)
        dates += its_dates
        date_groups.append(its_dates)
    return Table(
        name="events",
        key="events",
        title="文化活动",
        description="街道和各居委会的文化活动：时间、地点、主办、费用、报名方式和状态",
        columns=EVENT_COLUMNS,
        rows=rows,
        children=[
            Table(
                name="event_occurrences",
                title="活动日期",
                description="每个活动举办的每一次（重复举办的活动逐次列出，取消的日期注明原因）",
                columns=OCCURRENCE_COLUMNS,
                rows=dates,
                key="occurrences",
                link={"event_year": "year", "event_slug": "slug"},
                groups=date_groups,
            )
        ],
    )


_ROWS: ByIdentity[tuple[dict, tuple[dict, ...]]] = ByIdentity(within_build=False)


def _rows(
    event: Event, view: EventView, link: Callable[[str], str]
) -> tuple[dict, tuple[dict, ...]]:
    """An event's row, and the row of each date it is held on."""
    dates = []
    first = event.occurrences()[0]
    registration = view.registration
    row = {
        "year": view.year,
        "slug": view.slug,
        "title": view.title,
        "summary": view.summary,
        "category": view.category,
        "series": view.series_name,
        "status": str(view.state),
        "status_text": STATE_TEXT[view.state],
        "status_note": view.status_note,
        "all_day": first.all_day,
        "start": _start(first),
        "end": _end(first),
        "when": view.when,
        "occurrence_count": len(event.occurrences()),
        "original_start": _moment(event.start) if event.moved_to else None,
        "venue": view.venue,
        "address": view.address,
        "committee_slug": event.committee if view.committee_name else None,
        "committee_name": view.committee_name,
        "organiser": view.organiser,
        "fee": view.fee,
        "capacity": view.capacity,
        "accessibility": view.accessibility,
        "registration_required": bool(registration and registration.required),
        "registration_how": registration.how if registration else None,
        **phone_fields(registration.phone if registration else None, "registration_"),
        "registration_url": registration.url if registration else None,
        "registration_until": _moment(event.registration.until) if event.registration else None,
        "announced": view.announced,
        "updated": view.updated,
        "url": link(view.url),
        "calendar_url": link(view.ics_url),
    }
    for occurrence, reason, skipped in _sessions(event):
        dates.append(
            {
                "event_year": view.year,
                "event_slug": view.slug,
                "event_title": view.title,
                "start": _start(occurrence),
                "end": _end(occurrence),
                "skipped": skipped,
                "skip_reason": reason,
            }
        )
    return row, tuple(dates)


def events_modified(events: list[Event]) -> date | None:
    return max((event.updated or event.announced for event in events), default=None)
