"""Templates compiled once per process: an edited template, or an environment
set up another way, is compiled again."""

from __future__ import annotations

import jinja2
import pytest
from conftest import ROOT, build
from disclosure.core import compiled_templates
from disclosure.core.compiled_templates import InMemoryBytecode


@pytest.fixture
def compiles(monkeypatch):
    """The names of the templates Jinja compiled."""
    compiled: list[str] = []
    original = jinja2.Environment.compile

    def compile_(self, source, name=None, filename=None, raw=False, defer_init=False):
        compiled.append(name)
        return original(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    return compiled


def _environment(folder, cache, **options):
    options.setdefault("autoescape", True)
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), **options)
    env.bytecode_cache = cache
    return env


def test_a_new_environment_takes_what_the_last_compiled(tmp_path, compiles):
    (tmp_path / "page.html").write_text("{% if x %}\n<p>{{ x }}</p>\n{% endif %}\n", "utf-8")
    cache = InMemoryBytecode()
    first = _environment(tmp_path, cache).get_template("page.html").render(x="<甲>")
    second = _environment(tmp_path, cache).get_template("page.html").render(x="<甲>")
    assert first == second == "\n<p>&lt;甲&gt;</p>\n"
    assert compiles == ["page.html"]


def test_an_edited_template_is_compiled_again(tmp_path, compiles):
    page = tmp_path / "page.html"
    cache = InMemoryBytecode()
    page.write_text("<p>{{ x }}</p>", "utf-8")
    _environment(tmp_path, cache).get_template("page.html")
    page.write_text("<h1>{{ x }}</h1>", "utf-8")
    assert _environment(tmp_path, cache).get_template("page.html").render(x="乙") == "<h1>乙</h1>"
    assert compiles == ["page.html", "page.html"]


@pytest.mark.parametrize(
    "other",
    [
        {"trim_blocks": True},
        {"autoescape": False},
        {"variable_start_string": "[[", "variable_end_string": "]]"},
        {"extensions": ["jinja2.ext.loopcontrols"]},
    ],
)
def test_an_environment_set_up_another_way_compiles_for_itself(tmp_path, compiles, other):
    (tmp_path / "page.html").write_text("{% if x %}\n[[ x ]]{{ x }}\n{% endif %}\n", "utf-8")
    cache = InMemoryBytecode()
    _environment(tmp_path, cache).get_template("page.html").render(x="<丙>")
    expected = _environment(tmp_path, None, **other).get_template("page.html").render(x="<丙>")
    taken = _environment(tmp_path, cache, **other).get_template("page.html").render(x="<丙>")
    assert taken == expected
    assert len(compiles) == 3


def test_a_filter_that_asks_for_its_context_is_compiled_as_such(tmp_path, compiles):
    """The compiler passes a filter what it asks for: a filter of the same name
    that asks for the context is another compile."""
    (tmp_path / "page.html").write_text("{{ x | shout }}", "utf-8")
    cache = InMemoryBytecode()
    plain = _environment(tmp_path, cache)
    plain.filters["shout"] = lambda value: f"{value}！"
    assert plain.get_template("page.html").render(x="丁") == "丁！"
    with_context = _environment(tmp_path, cache)
    with_context.filters["shout"] = jinja2.pass_context(
        lambda context, value: f"{value}{context['y']}"
    )
    assert with_context.get_template("page.html").render(x="丁", y="？") == "丁？"
    assert len(compiles) == 2


def test_a_filter_jinja_runs_while_compiling_is_kept_only_as_the_same_function(tmp_path, compiles):
    """Jinja's optimizer runs a filter with constant arguments while compiling
    and writes what it gave into the code: a filter of the same name that is
    another function (a lambda in pelicanconf, edited while `serve` runs) must
    not take that code, and one that cannot be told apart is not kept at all."""
    (tmp_path / "page.html").write_text("{{ '日晖' | shout }}", "utf-8")
    cache = InMemoryBytecode()
    said = []
    for shout in (lambda text: text + "！", lambda text: text + "？", lambda text: text + "？"):
        env = _environment(tmp_path, cache)
        env.filters["shout"] = shout
        said.append(env.get_template("page.html").render())
    assert said == ["日晖！", "日晖？", "日晖？"] and len(compiles) == 3
    # a function of known code (here Jinja's own) is told by its name: kept
    for _ in range(2):
        env = _environment(tmp_path, cache)
        env.filters["shout"] = jinja2.filters.do_upper
        assert env.get_template("page.html").render() == "日晖"
    assert len(compiles) == 4


def test_the_templates_used_longest_ago_go_first(tmp_path, compiles):
    for name in "abc":
        (tmp_path / f"{name}.html").write_text(name, "utf-8")
    cache = InMemoryBytecode(most=2)
    for name in "abca":
        _environment(tmp_path, cache).get_template(f"{name}.html")
    assert compiles == ["a.html", "b.html", "c.html", "a.html"]


def test_a_second_build_in_a_process_compiles_only_the_template_edited(
    content, tmp_path, monkeypatch
):
    """`serve` builds after every save: the theme is compiled by the first build
    only, and a template edited meanwhile is compiled again and shows."""
    compiled: list[str] = []

    class Recording(InMemoryBytecode):
        def dump_bytecode(self, bucket):  # what was compiled, kept for the next build
            compiled.append(bucket.environment.name_of_last)
            super().dump_bytecode(bucket)

    monkeypatch.setattr(compiled_templates, "COMPILED", Recording())  # a new process
    real = jinja2.Environment.compile

    def compile_(self, source, name=None, *args, **kwargs):
        self.name_of_last = name
        return real(self, source, name, *args, **kwargs)

    monkeypatch.setattr(jinja2.Environment, "compile", compile_)
    templates = tmp_path / "templates"
    templates.mkdir()
    page = (ROOT / "theme" / "templates" / "page.html").read_text("utf-8")
    (templates / "page.html").write_text(page, "utf-8")
    output = tmp_path / "output"
    settings = {"THEME_TEMPLATES_OVERRIDES": [str(templates)]}
    build(content, output, **settings)
    assert len(compiled) > 20
    compiled.clear()
    build(content, output, **settings)
    assert compiled == []
    edited = page.replace("<h1>{{ page.title }}</h1>", "<h1>{{ page.title }}</h1><p>新的一段</p>")
    (templates / "page.html").write_text(edited, "utf-8")
    build(content, output, **settings)
    assert compiled == ["page.html"]
    assert "新的一段" in (output / "about" / "index.html").read_text("utf-8")
