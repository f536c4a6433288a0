"""The command line, in-process: outputs, exit statuses, stderr messages, progress."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from masthead.__main__ import main as masthead_main
from masthead.ocr.cli import main
from masthead.ocr.errors import ExitCode
from tests.ocr import bombs
from tests.ocr.drawing import png, text_pdf


@pytest.fixture
def letter(tmp_path: Path) -> Path:
    path = tmp_path / "letter.pdf"
    path.write_bytes(text_pdf([["Dear reader,", "Total: $12.50"]]))
    return path


def test_one_file_prints_text_to_stdout(letter: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(letter)]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert out == "Dear reader,\nTotal: $12.50\n" and err == ""


def test_dispatch_from_the_masthead_command(
    letter: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert masthead_main(["ocr", str(letter), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["pages"][0]["source"] == "text-layer"
    assert [f["kind"] for f in data["fields"]] == ["key_value", "amount"]


@pytest.mark.parametrize("fmt", ["markdown", "hocr", "json", "text"])
def test_formats_to_a_file(
    fmt: str, letter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / f"out.{fmt}"
    assert main([str(letter), "-f", fmt, "-o", str(target)]) == 0
    assert "reader," in target.read_text(encoding="utf-8")
    assert capsys.readouterr().out == ""


def test_pdf_needs_an_output_file(
    letter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([str(letter), "--format", "pdf"]) == ExitCode.USAGE
    assert "error: --format pdf writes binary data: give --output FILE" in capsys.readouterr().err
    target = tmp_path / "searchable.pdf"
    assert main([str(letter), "--format", "pdf", "--output", str(target)]) == 0
    assert (
        "Dear reader," in pdfium.PdfDocument(target.read_bytes())[0].get_textpage().get_text_range()
    )


def test_several_files_into_a_directory_with_jobs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = []
    for name in ("a", "b", "c"):
        path = tmp_path / f"{name}.pdf"
        path.write_bytes(text_pdf([[f"File {name}"]]))
        paths.append(str(path))
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    assert main([*paths, "-o", str(out_dir), "--jobs", "2", "-f", "markdown", "--no-progress"]) == 0
    assert sorted(p.name for p in out_dir.iterdir()) == ["a.md", "b.md", "c.md"]
    assert (out_dir / "b.md").read_text() == "File b\n"


def test_several_files_to_stdout_get_headers(
    letter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = tmp_path / "other.pdf"
    other.write_bytes(text_pdf([["Other"]]))
    assert main([str(letter), str(other)]) == 0
    out = capsys.readouterr().out
    assert out.index(f"==> {letter} <==") < out.index(f"==> {other} <==") and "Other\n" in out


def test_bad_files_give_their_exit_code_and_the_rest_still_run(
    letter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "notes.png"
    bad.write_text("just text")
    assert main([str(bad), str(letter)]) == ExitCode.BAD_INPUT
    out, err = capsys.readouterr()
    assert f"error: {bad}: This file type is not supported" in err
    assert "Dear reader," in out


@pytest.mark.parametrize(
    ("argv", "status", "message"),
    [
        (["--max-pages", "1"], ExitCode.LIMIT_EXCEEDED, "This file has 2 pages; the limit is 1."),
        (["--max-bytes", "100"], ExitCode.LIMIT_EXCEEDED, "the limit is 100 bytes"),
        (["--engine", "nope"], ExitCode.USAGE, "invalid choice"),
        (["--jobs", "0"], ExitCode.USAGE, "must be at least 1"),
    ],
)
def test_limits_and_usage(
    argv: list[str], status: int, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(text_pdf([["one"], ["two"]]))
    assert main([str(path), *argv]) == status
    assert message in capsys.readouterr().err


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "nope.png")]) == ExitCode.BAD_INPUT
    assert "cannot read it (No such file or directory)" in capsys.readouterr().err


def test_unwritable_output(
    letter: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        main([str(letter), "-o", str(tmp_path / "missing-dir" / "x.txt")]) == ExitCode.OUTPUT_FAILED
    )
    assert "error: cannot write" in capsys.readouterr().err


def test_help_and_no_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--format" in capsys.readouterr().out
    assert main([]) == ExitCode.USAGE


def test_progress_bar_for_pages_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "three.pdf"
    path.write_bytes(text_pdf([["one"], ["two"], ["three"]]))
    assert main([str(path), "--progress"]) == 0
    err = capsys.readouterr().err
    assert "3/3 pages" in err and err.endswith("\n")


def test_no_progress_bar_when_not_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "two.pdf"
    path.write_bytes(text_pdf([["one"], ["two"]]))
    assert main([str(path)]) == 0
    assert capsys.readouterr().err == ""


def test_png_image_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "note.png"
    path.write_bytes(png(["Meeting at noon"], size=(900, 200)))
    assert main([str(path), "-e", "rapid", "--lang", "eng+deu", "--threads", "1"]) == 0
    assert capsys.readouterr().out == "Meeting at noon\n"


def test_pdf_page_too_big_to_render_exits_4_before_rendering(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The 1,000,000 pt page (with a text layer, so nothing else would stop it)."""
    path = tmp_path / "poster.pdf"
    path.write_bytes(bombs.pages_pdf([(612, 792), (1_000_000, 1_000_000)], text=b"Big"))
    assert main([str(path)]) == ExitCode.LIMIT_EXCEEDED
    out, err = capsys.readouterr()
    assert out == ""
    assert f"error: {path}: Page 2 would be 1000000 x 1000000 pixels even at 72 dpi" in err


@pytest.mark.parametrize("engine", ["rapid", "tesseract", "auto"])
def test_timeout_holds_for_every_engine(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], engine: str
) -> None:
    path = tmp_path / "page.png"
    path.write_bytes(png(["Timed reading", "of one page"]))
    assert main([str(path), "--engine", engine, "--timeout", "0.001"]) == ExitCode.TIMEOUT
    out, err = capsys.readouterr()
    assert out == "" and "longer than 0.001 seconds" in err
