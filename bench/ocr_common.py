"""Shared parts of the OCR benchmarks: the image sets, the workers, the report writer.

Each system (Masthead's pipeline, raw RapidOCR, the Tesseract CLI, EasyOCR if installed)
runs in its own worker subprocess (``python bench/ocr_worker.py SYSTEM``), so one
system's memory never counts against another and each peak RSS is that process's own.
The images are read from the shared sets at run time and never copied into the repo.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from bench.report import write_section as replace_section

ROOT = Path(__file__).resolve().parent.parent
SETS = {
    "ocr-dev": Path(os.environ.get("MASTHEAD_OCR_DEV", "/work/shared/ocr-dev")),
    "ocr-docs-dev": Path(os.environ.get("MASTHEAD_OCR_DOCS_DEV", "/work/shared/ocr-docs-dev")),
}
SYSTEMS = ("masthead", "rapidocr", "tesseract", "easyocr")
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg"}


@dataclass(frozen=True, slots=True)
class Item:
    """One image to read: ``turn`` is how far (degrees, counter-clockwise) we turn it."""

    set: str
    name: str
    kind: str
    path: str
    gt: str
    turn: int = 0

    @property
    def key(self) -> str:
        return f"{self.set}/{self.name}@{self.turn}"


def load_items(sets: list[str], limit: int | None = None) -> list[Item]:
    """Upright items of ``sets``, in file-name order (at most ``limit`` per set)."""
    items: list[Item] = []
    for name in sets:
        folder = SETS[name]
        kinds = _kinds(folder)
        images = sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        for path in images[:limit] if limit else images:
            gt = path.with_suffix(".txt")
            if gt.exists():
                kind = kinds.get(path.name) or _kind_from_name(path.stem)
                items.append(Item(name, path.stem, kind, str(path), str(gt)))
    return items


def _kinds(folder: Path) -> dict[str, str]:
    manifest = folder / "manifest.json"
    if not manifest.exists():
        return {}
    pages = json.loads(manifest.read_text())["pages"]
    return {p["file"]: p["kind"] + ("-rotated" if p.get("rotate_ccw") else "") for p in pages}


def table_rows(set_name: str) -> dict[str, list[str]]:
    """Page stem -> the table rows its manifest lists (cells joined by single spaces)."""
    manifest = SETS[set_name] / "manifest.json"
    if not manifest.exists():
        return {}
    pages = json.loads(manifest.read_text())["pages"]
    return {Path(p["file"]).stem: [r for t in p.get("tables", []) for r in t] for p in pages}


def _kind_from_name(stem: str) -> str:
    return {"sroie": "receipt", "screen": "screenshot"}.get(stem.split("_")[0], "other")


def turned(items: list[Item], turns: tuple[int, ...]) -> list[Item]:
    """Each item once per ``turns`` angle."""
    return [Item(i.set, i.name, i.kind, i.path, i.gt, t) for t in turns for i in items]


def run_worker(system: str, items: list[Item], *, threads: int = 0) -> dict[str, object]:
    """Run ``system`` over ``items`` in a fresh subprocess; its JSON report."""
    cmd = [sys.executable, str(ROOT / "bench" / "ocr_worker.py"), system]
    if threads:
        cmd += ["--threads", str(threads)]
    payload = json.dumps([asdict(i) for i in items])
    done = subprocess.run(cmd, input=payload, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{system} worker failed: {done.stderr[-2000:]}")
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def merge_reports(
    systems: list[str], reports: list[dict[str, object]]
) -> dict[str, dict[str, object]]:
    """One report per system from several worker runs (peaks are the largest seen)."""
    merged: dict[str, dict[str, object]] = {}
    for report in reports:
        name = str(report["system"])
        into = merged.setdefault(name, {**report, "results": []})
        into["results"] = list(into["results"]) + list(report.get("results", []))  # type: ignore[call-overload]
        for key in ("peak_rss_mb", "children_peak_rss_mb", "load_seconds"):
            if key in report:
                into[key] = max(float(into.get(key, 0.0)), float(report[key]))  # type: ignore[arg-type]
    return {s: merged[s] for s in systems if s in merged}


def machine() -> dict[str, str]:
    """CPU model, cores, RAM and the versions the figures depend on."""
    cpu = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        found = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = found.group(1).strip() if found else cpu
    ram = 0.0
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        found = re.search(r"MemTotal:\s*(\d+)", meminfo.read_text())
        ram = int(found.group(1)) / 1024 / 1024 if found else 0.0
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "ram": f"{ram:.1f} GiB",
        "python": platform.python_version(),
        "onnxruntime": _version("onnxruntime"),
        "rapidocr": _version("rapidocr"),
        "tesseract": _tesseract_version(),
        "easyocr": _version("easyocr"),
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _version(package: str) -> str:
    from importlib import metadata

    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def _tesseract_version() -> str:
    try:
        done = subprocess.run(
            ["tesseract", "--version"], capture_output=True, text=True, check=False
        )
    except OSError:
        return "not installed"
    return (done.stdout or done.stderr).splitlines()[0].replace("tesseract ", "")


def machine_lines(info: dict[str, str], command: str) -> list[str]:
    return [
        f"- Command: `{command}`",
        f"- Date: {info['date']}",
        f"- Machine: {info['cpu']}, {info['cores']} cores, {info['ram']} RAM "
        "(shared with other work while measuring)",
        f"- Versions: Python {info['python']}, onnxruntime {info['onnxruntime']}, "
        f"rapidocr {info['rapidocr']} (bundled PP-OCRv6 models), tesseract {info['tesseract']}, "
        f"EasyOCR {info['easyocr']}",
    ]


def write_section(name: str, lines: list[str]) -> None:
    """Replace the text between this section's markers in BENCHMARKS.md."""
    replace_section(name, "\n".join(lines))


def save_raw(name: str, data: object) -> Path:
    """Keep the full per-image results next to the run (var/ is not committed)."""
    out = ROOT / "var" / "bench" / f"{name}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=1))
    return out
