"""A fast start: the package and the command line import only what the work at hand needs.

Each check runs a fresh interpreter and looks at ``sys.modules``, so that an eager import
added anywhere (the package, the command group, a command's module) fails here instead of
silently costing every clerk a second. The figures are in ``docs/performance.md``.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from gbt15311.cli import COMMANDS, main

HEAVY = (
    *("reportlab", "sqlalchemy", "alembic", "fontTools", "pydantic", "pycountry"),
    *("chinese_calendar", "hypothesis", "rich", "pikepdf", "pypdfium2", "stdnum"),
)
"""Libraries that take tens to hundreds of milliseconds to import, or that few commands use."""


EXAMPLE = Path(__file__).parent.parent / "examples" / "import-licence.json"


def _imported_after(code: str, names: tuple[str, ...] = HEAVY) -> list[str]:
    """The modules of ``names`` (by default the libraries of ``HEAVY``) that running ``code``
    in a fresh interpreter loads."""
    probe = (
        f"import sys\n{code}\n"
        f"print('loaded:', *(name for name in {names!r} if name in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.rpartition("loaded:")[2].split()


def _command_line(*args: str) -> str:
    return (
        "from gbt15311.cli import main\n"
        f"try:\n    main({list(args)!r})\nexcept SystemExit as exit:\n    assert exit.code == 0\n"
    )


@pytest.mark.parametrize(
    "code",
    [
        "import gbt15311",
        "import gbt15311.exceptions, gbt15311.font",
        _command_line("--version"),
        _command_line("--help"),
    ],
    ids=["import", "exceptions and font", "--version", "--help"],
)
def test_starting_imports_no_heavy_library(code: str) -> None:
    assert _imported_after(code) == []


def test_the_version_is_the_installed_packages() -> None:
    from importlib.metadata import version

    import gbt15311

    assert gbt15311.__version__ == version("gbt15311")


def test_font_coverage_is_answered_without_parsing_the_font() -> None:
    code = "from gbt15311.font import missing_glyphs, glyph_cells\n"
    code += "assert missing_glyphs('北京\\U0001F600') == ['\\U0001F600'] and glyph_cells('中') == 2"
    assert _imported_after(code) == []


def test_validating_a_licence_loads_no_renderer_and_no_database() -> None:
    code = (
        "from gbt15311 import load_licence\n"
        "load_licence(open('examples/import-licence.json', 'rb').read())"
    )
    loaded = _imported_after(code)
    assert "pydantic" in loaded  # the probe sees what is imported
    assert not {"reportlab", "sqlalchemy", "alembic", "fontTools"} & set(loaded)


def test_rendering_a_licence_loads_reportlab_and_pydantic_and_no_more(tmp_path: Path) -> None:
    """The code lists read their shipped tables, not pycountry; the example's 13-digit
    enterprise code needs no USCC check (python-stdnum); and the command loads neither the
    other renderers nor the printer profiles, as no printer is named, nor the template
    loader, as the bundled template comes checked."""
    pdf = tmp_path / "licence.pdf"
    code = _command_line("render", str(EXAMPLE), "-o", str(pdf))
    assert _imported_after(code) == ["reportlab", "pydantic"]
    assert pdf.read_bytes().startswith(b"%PDF")
    ours = (
        "gbt15311.printers",
        "gbt15311.render._escp",
        "gbt15311.render._batch",
        "gbt15311.templates.loader",
        "tomllib",
    )
    assert _imported_after(code, (*ours, "gbt15311.render._document")) == [
        "gbt15311.render._document"
    ]


def test_python_stdnum_is_loaded_when_a_uscc_is_checked() -> None:
    code = "from gbt15311.codes import enterprise\n"
    assert _imported_after(code + "enterprise.validate('3100123456789')") == []
    assert _imported_after(code + "enterprise.validate('91110000600037341L')") == ["stdnum"]


def test_each_summary_in_the_help_is_its_commands_own() -> None:
    context = click.Context(main)
    for name, (_, summary) in COMMANDS.items():
        command = main.get_command(context, name)
        assert command is not None, name
        assert command.name == name
        assert summary == command.get_short_help_str(limit=1000), name


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["rendr"])
    assert result.exit_code == 2
    assert "No such command 'rendr'" in result.output


def test_a_command_added_to_the_group_is_listed_and_runs() -> None:
    @click.command()
    def hello() -> None:
        """Say hello."""
        click.echo("hello")

    group = type(main)(commands=[hello])
    runner = CliRunner()
    assert runner.invoke(group, ["hello"]).output == "hello\n"
    listing = runner.invoke(group, ["--help"]).output
    assert "  hello         Say hello.\n" in listing
    assert "render" in listing  # beside the lazy ones


def test_custody_reads_its_config_files_models_only_when_it_reads_a_file() -> None:
    """The count file's and the schedule's models are pydantic: a custody command that reads
    neither does not pay for it."""
    code = "import gbt15311.custody, gbt15311.custody.reports._reconciliation"
    assert "pydantic" not in _imported_after(code)
    code += "\nfrom gbt15311.custody.workdays import load_schedule\n"
    code += "load_schedule('gbt15311/custody/holidays/example-2025.toml')"
    assert "pydantic" in _imported_after(code)


def test_the_custody_reports_face_loads_a_report_when_it_is_first_used() -> None:
    """``gbt15311.custody.reports`` names every report; importing it loads none of them, and
    a report that makes no PDF loads no ReportLab."""
    reports = ("_alerts", "_pdf", "_reconciliation", "_registers", "_retention", "_selfcheck")
    ours = tuple(f"gbt15311.custody.reports.{name}" for name in reports)
    assert _imported_after("import gbt15311.custody.reports", (*ours, "reportlab")) == []
    loaded = _imported_after("from gbt15311.custody.reports import holdings", (*ours, "reportlab"))
    assert loaded == ["gbt15311.custody.reports._retention"]
