"""Feed summaries are text: what staff typed never becomes markup in a feed reader."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from conftest import build, replace_in

ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '<img src=x onerror="alert(1)">读书会'


def summaries(feed) -> dict[str, ET.Element]:
    root = ET.parse(feed).getroot()
    return {
        entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}summary")
        for entry in root.iter(f"{ATOM}entry")
    }


def test_markup_typed_into_a_summary_stays_text_in_both_feeds(content, tmp_path):
    replace_in(
        content / "data/events/2026/zuojia-jianmianhui.yaml",
        "summary: 与沪上作家聊城市记忆与写作。",
        f"summary: '{HOSTILE}'",
    )
    replace_in(
        content / "data/plans/2020-h2.yaml",
        "note: 通过市级复审。",
        f"note: '{HOSTILE}'",
    )
    out = build(content, tmp_path / "output").output
    event = summaries(out / "events/feed.atom")["【已取消】汇阅读·作家见面会"]
    assert event.get("type") == "text"
    assert HOSTILE in event.text  # shown as typed, not parsed
    plan = summaries(out / "plans/2020-h2/feed.atom")["迎接“无违建先进街镇”复审：已完成，100%"]
    assert (plan.get("type"), plan.text) == ("text", HOSTILE)
    for feed in (out / "events/feed.atom", out / "plans/2020-h2/feed.atom"):
        assert 'type="html"' not in feed.read_text("utf-8")
