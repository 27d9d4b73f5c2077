"""The board notice (公示栏): one A4 page per committee, fonts embedded, a QR
code that leads to the committee's published page, the site's masking, and
the same bytes from the same records."""

from __future__ import annotations

import io
import re
import sys
from collections import OrderedDict
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
import zxingcpp
from conftest import AS_OF, ROOT, build, build_as_staff, committee_file, replace_in
from disclosure.cli import commands
from disclosure.notices import generator, render

PUBLIC = "https://portal.example/jiedao/rihui"  # pelicanconf.py's DISCLOSURE_PUBLIC_SITEURL
COMMITTEES = sorted(p.stem for p in (ROOT / "content/data/committees").glob("*.yaml"))
# 日晖一村: two block leaders and a named emergency contact did not consent
YICUN_UNPUBLISHED = ("18659388949", "13654993372", "18614090499")


def pdf_text(path: Path) -> str:
    document = pdfium.PdfDocument(path)
    try:
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()


def digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def fonts_of(path: Path) -> dict[str, bool]:
    """Every font a text object on any page uses: its name and whether it is embedded."""
    document = pdfium.PdfDocument(path)
    found: dict[str, bool] = {}
    try:
        for index in range(len(document)):
            for obj in document[index].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_TEXT]):
                font = pdfium_c.FPDFTextObj_GetFont(obj.raw)
                size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
                buffer = (pdfium_c.c_char * size)()
                pdfium_c.FPDFFont_GetBaseFontName(font, buffer, size)
                name = bytes(buffer).rstrip(b"\0").decode("latin-1")
                found[name] = bool(pdfium_c.FPDFFont_GetIsEmbedded(font))
    finally:
        document.close()
    return found


def qr_codes(path: Path) -> list[str]:
    document = pdfium.PdfDocument(path)
    try:
        image = document[0].render(scale=3).to_pil()
    finally:
        document.close()
    return [result.text for result in zxingcpp.read_barcodes(image)]


def test_every_committee_has_a_one_page_a4_notice(example_site):
    notices = sorted(p.relative_to(example_site).as_posix() for p in example_site.rglob("*.pdf"))
    assert notices == [f"committees/{slug}/notice.pdf" for slug in COMMITTEES]
    for notice in notices:
        document = pdfium.PdfDocument(example_site / notice)
        try:
            assert len(document) == 1, notice
            width, height = document[0].get_size()
        finally:
            document.close()
        assert abs(width - 595.28) <= 1 and abs(height - 841.89) <= 1, notice


@pytest.mark.parametrize("slug", COMMITTEES)
def test_the_qr_code_leads_to_the_committees_published_page(example_site, slug):
    notice = example_site / "committees" / slug / "notice.pdf"
    assert qr_codes(notice) == [f"{PUBLIC}/committees/{slug}/"]
    fonts = fonts_of(notice)
    assert fonts and all(fonts.values()), fonts  # every font embedded
    assert any("Noto-Sans-CJK-SC" in name for name in fonts), fonts


def test_the_notice_masks_as_the_site_does(example_site):
    page = (example_site / "committees/rihui-yicun/index.html").read_text("utf-8")
    # what the page shows of each masked number, its groups' tags taken away
    masked = [
        re.sub(r"<[^>]+>", "", shown)
        for shown in re.findall(
            r'<span class="phone phone--masked"><span aria-hidden="true">(.*?)</span></span>', page
        )
    ]
    assert len(set(masked)) == 3  # two block leaders, the community policeman
    text = pdf_text(example_site / "committees/rihui-yicun/notice.pdf")
    assert "日晖一村居民区居委会" in text
    for shown in set(masked):
        assert shown in text
    for number in YICUN_UNPUBLISHED:
        assert number not in digits(text)
    assert "示例数据" in text  # the example says so on paper too
    assert "2026年11月21日" in text  # its verified date


def test_the_committee_page_links_its_notice_with_its_size(example_site):
    page = (example_site / "committees/rihui-yicun/index.html").read_text("utf-8")
    size = (example_site / "committees/rihui-yicun/notice.pdf").stat().st_size
    assert (
        f'<a href="../../committees/rihui-yicun/notice.pdf" type="application/pdf">'
        f"打印公示栏版（PDF，A4 一页，{round(size / 1024)} KB）</a>"
    ) in page


def test_the_same_records_give_the_same_bytes(example_site, tmp_path, monkeypatch):
    # rendered afresh: not taken from what this process already made, nor
    # from a cache on disk (a new, empty one)
    monkeypatch.setattr(render, "_MADE", OrderedDict())
    again = tmp_path / "output"
    build(ROOT / "content", again, CACHE_PATH=str(tmp_path / "cache"))
    # made in this build (by its workers), which kept each in the new cache
    assert len(list((tmp_path / "cache/board-notices").glob("*.pdf"))) == len(COMMITTEES)
    for slug in COMMITTEES:
        notice = f"committees/{slug}/notice.pdf"
        assert (again / notice).read_bytes() == (example_site / notice).read_bytes(), notice


def test_a_build_in_a_new_process_takes_unchanged_notices_from_the_cache(
    content, tmp_path, monkeypatch
):
    cache = tmp_path / "cache"
    monkeypatch.setattr(render, "_MADE", OrderedDict())
    build(content, tmp_path / "first", CACHE_PATH=str(cache))
    kept = sorted(p.name for p in (cache / "board-notices").iterdir())
    assert len([name for name in kept if name.endswith(".pdf")]) == len(COMMITTEES)
    # as a new process would: nothing in memory, and WeasyPrint not to be called
    # but for the one committee whose record changed
    monkeypatch.setattr(render, "_MADE", OrderedDict())
    rendered = []
    real = render.HTML.render
    monkeypatch.setattr(
        render.HTML, "render", lambda self, **kw: rendered.append(1) or real(self, **kw)
    )
    drawn = []  # QR codes: drawn only for a notice that is made
    real_qr = generator.qr_data_uri
    monkeypatch.setattr(generator, "qr_data_uri", lambda url: drawn.append(url) or real_qr(url))
    replace_in(committee_file(content, "rihui-sicun"), "name: 日晖四村", "name: 日晖四村新")
    # in one process, so that WeasyPrint's calls are counted here
    build(content, tmp_path / "second", CACHE_PATH=str(cache), DISCLOSURE_WORKERS=1)
    assert 1 <= len(rendered) <= 3  # one notice: its fitting step found by halving
    assert drawn == [f"{PUBLIC}/committees/rihui-sicun/"]
    for slug in COMMITTEES:
        notice = f"committees/{slug}/notice.pdf"
        same = (tmp_path / "first" / notice).read_bytes() == (
            tmp_path / "second" / notice
        ).read_bytes()
        assert same == (slug != "rihui-sicun"), slug


def test_the_cache_key_holds_what_the_qr_code_is_made_from(tmp_path, monkeypatch):
    from datetime import date

    from disclosure.notices.fetcher import ThemeOnlyFetcher
    from disclosure.notices.qr import qr_data_uri, qr_made_from

    monkeypatch.setattr(render, "_MADE", OrderedDict())
    theme = ROOT / "theme"
    renderer = render.Renderer(ThemeOnlyFetcher(theme), theme.as_uri() + "/", cache=tmp_path)
    drawn = []

    def qr(url):
        return qr_made_from(url), lambda: drawn.append(url) or qr_data_uri(url)

    def html_for(step, image):  # nothing of the address but the code's image
        return f'<p style="font-size:{step.body_pt}pt">告示</p><img src="{image}" width="200">'

    first = renderer.one_page(html_for, date(2026, 11, 1), qr=qr("https://a.example/x/"))
    again = renderer.one_page(html_for, date(2026, 11, 1), qr=qr("https://a.example/x/"))
    moved = renderer.one_page(html_for, date(2026, 11, 1), qr=qr("https://b.example/x/"))
    assert drawn == ["https://a.example/x/", "https://b.example/x/"]
    assert again == first and moved[0] != first[0]
    (tmp_path / "moved.pdf").write_bytes(moved[0])
    assert qr_codes(tmp_path / "moved.pdf") == ["https://b.example/x/"]


def test_a_cache_that_cannot_be_written_only_costs_time(tmp_path, monkeypatch):
    monkeypatch.setattr(render, "_MADE", OrderedDict())
    blocked = tmp_path / "cache"
    blocked.write_text("a file where the cache folder would go", "utf-8")
    output = tmp_path / "output"
    build(ROOT / "content", output, CACHE_PATH=str(blocked))
    assert len(list(output.glob("committees/*/notice.pdf"))) == len(COMMITTEES)


def _many_leaders(content: Path, count: int, slug: str = "rihui-liucun") -> None:
    """A committee with `count` buildings, each with its own block leader."""
    path = committee_file(content, slug)
    text = path.read_text("utf-8")
    text = re.sub(r"(?m)^buildings: .*$", f"buildings: [1-{count}号楼]", text, count=1)
    text = re.sub(r"(?m)^(addresses: \[.*?弄)1-\d+号", rf"\g<1>1-{count}号", text, count=1)
    start, end = text.index("block_leaders:"), text.index("emergency:")
    names = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹"
    leaders = "".join(
        f"  - name: {names[i % len(names)]}秀英\n"
        f"    section: 第{i + 1}片\n"
        f"    buildings: [{i + 1}号楼]\n"
        f"    phone: 139{i + 10:04d}{i + 2000:04d}\n"
        f"    phone_consent: {'true' if i % 2 else 'false'}\n"
        for i in range(count)
    )
    path.write_text(text[:start] + "block_leaders:\n" + leaders + text[end:], "utf-8")


def test_sixteen_block_leaders_fit_thirty_are_said_not_to(content, tmp_path):
    """Sixteen block leaders still fit one sheet (four a row, the week in runs
    of days). At 16pt (read from a metre away) thirty, with the week, the
    closures and the emergency contacts, take more than one A4 sheet: the
    build says so, writes no notice for that committee and does not link
    one, and builds the rest of the site."""
    _many_leaders(content, 30)
    _many_leaders(content, 16, "rihui-sicun")
    output = tmp_path / "output"
    said = io.StringIO()
    status = commands.build(
        ROOT / "pelicanconf.py",
        overrides={"PATH": str(content), "OUTPUT_PATH": str(output), "DISCLOSURE_AS_OF": AS_OF},
        out=said,
    )
    assert status == 0
    source = committee_file(content).as_posix()
    line = next(
        n
        for n, t in enumerate(committee_file(content).read_text("utf-8").splitlines(), 1)
        if t.startswith("block_leaders:")
    )
    assert (  # at the first block leader
        f"{source}:{line + 1}:3: E801 日晖六村居民区的公示栏告示（A4 一页）放不下：块长 30 位、"
        "紧急联络 3 项，字号缩到 16 磅、块长分四栏仍超过一页，这次没有生成告示，网页上也不提供下载。"
        "请把服务时间说明、紧急联络写得简短些，或请网站维护人员调整告示的版式（警告）"
    ) in said.getvalue().splitlines()
    assert not (output / "committees/rihui-liucun/notice.pdf").exists()
    assert "公示栏版" not in (output / "committees/rihui-liucun/index.html").read_text("utf-8")
    assert (output / "committees/rihui-yicun/notice.pdf").exists()
    notice = output / "committees/rihui-sicun/notice.pdf"
    document = pdfium.PdfDocument(notice)
    try:
        assert len(document) == 1
    finally:
        document.close()
    text = pdf_text(notice)
    assert "第16片" in text and "139 **** 2015" not in text and "139 0025 2015" in text
    assert "139 **** 2014" in text  # the fifteenth did not consent
    assert qr_codes(notice) == [f"{PUBLIC}/committees/rihui-sicun/"]
    assert f"{PUBLIC}/committees/rihui-sicun/" in text.replace("\r\n", "").replace("\n", "")


def test_a_development_build_needs_an_address_for_the_qr_code(content, tmp_path):
    status, said = build_as_staff(
        content, tmp_path / "output", DISCLOSURE_PUBLIC_SITEURL="committees/"
    )
    assert status == 1
    assert "没有构建：设置有 1 个问题，网站没有更新（output/ 保持原样）。" in said.splitlines()
    assert (
        'S015 公示栏告示上的二维码要指向公开的网站，但网站地址 DISCLOSURE_PUBLIC_SITEURL="committees/"'
        "不是完整的网址：请在 pelicanconf.py 中把 DISCLOSURE_PUBLIC_SITEURL 设为本站公开的完整网址"
        "（https://，可带子路径），例如 https://<网站域名>/jiedao/rihui"
    ) in said.splitlines()


def test_a_machine_without_pango_builds_the_site_and_says_why_there_are_no_notices(
    tmp_path, monkeypatch
):
    # WeasyPrint's modules cannot be loaded, as where Debian's pango is missing
    # (there `import weasyprint` raises OSError) or WeasyPrint is not installed.
    for module in ("disclosure.notices.fetcher", "disclosure.notices.render"):
        monkeypatch.setitem(sys.modules, module, None)
    assert generator.weasyprint_tools() is None
    output = tmp_path / "output"
    said = io.StringIO()
    status = commands.build(
        ROOT / "pelicanconf.py",
        overrides={
            "PATH": str(ROOT / "content"),
            "OUTPUT_PATH": str(output),
            "DISCLOSURE_AS_OF": AS_OF,
        },
        out=said,
    )
    assert status == 0
    assert generator.MISSING_LIBRARIES in said.getvalue().splitlines()
    assert list(output.rglob("*.pdf")) == []
    assert "公示栏版" not in (output / "committees/rihui-liucun/index.html").read_text("utf-8")
