"""One OCR system over a list of images, in its own process: ``ocr_worker.py SYSTEM``.

Reads the items (JSON, from ``ocr_common.Item``) on stdin and prints one JSON report on
stdout: per item the text and the seconds the call took, plus the model load time and
this process's peak RSS (and its children's, for engines that run a subprocess).

``--serve`` keeps the process for a conversation instead (bench/ocr_speed.py): it prints
one JSON line when its models are loaded, then answers each JSON item line on stdin with
one JSON line: wall and CPU seconds of the call and the process's peak RSS during it.
Peaks are ``VmHWM`` of this process (reset before each image through
``/proc/self/clear_refs``), never ``ru_maxrss`` of children, which also counts a forked
child's copy of its parent. ``--threads N`` gives every system N onnxruntime intra-op
threads (and one inter-op thread) and sets ``OMP_THREAD_LIMIT=N`` for Tesseract.

Systems:
  masthead   ``masthead.ocr.pipeline.run`` with default options (engine "auto")
  rapidocr   ``RapidOCR()`` with default settings, text joined in its output order
  tesseract  the ``tesseract IMAGE stdout`` command line with its defaults
  easyocr    ``easyocr.Reader(["en"])`` when the package is installed
"""

from __future__ import annotations

import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("ORT_DISABLE_TELEMETRY", "1")
# This checkout's masthead, not whichever one the shared venv's editable install points at.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image

Reader = Callable[[Image.Image | None, str, int], str]
"""(the image, decoded only when turned or for EasyOCR; its path; the turn in degrees)."""


def _image(path: str, turn: int) -> Image.Image:
    with Image.open(path) as opened:
        image = opened.convert("RGB")
    return image.rotate(turn, expand=True) if turn else image


def masthead(threads: int) -> tuple[Reader, float]:
    from masthead.ocr import pipeline
    from masthead.ocr.options import OcrOptions

    options = OcrOptions(threads=threads or 1)
    start = time.perf_counter()
    pipeline.resolve_engine(options)  # builds RapidOCR (+ Tesseract) once per process
    load = time.perf_counter() - start

    def read(image: Image.Image | None, path: str, turn: int) -> str:
        source: bytes | Path = Path(path)
        if turn and image is not None:
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", compress_level=1)
            source = buffer.getvalue()
        return pipeline.run(source, options).text

    return read, load


def rapidocr(threads: int) -> tuple[Reader, float]:
    import numpy as np
    from rapidocr import RapidOCR

    start = time.perf_counter()
    params: dict[str, Any] = {}
    if threads:
        params = {
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
            "EngineConfig.onnxruntime.inter_op_num_threads": 1,
        }
    engine = RapidOCR(params=params or None)
    engine(np.full((48, 160, 3), 255, dtype=np.uint8))  # models load lazily: warm them up
    load = time.perf_counter() - start

    def read(image: Image.Image | None, path: str, turn: int) -> str:
        result: Any = engine(path if image is None else np.asarray(image)[:, :, ::-1])
        return "\n".join(result.txts or ())

    return read, load


def tesseract(threads: int) -> tuple[Reader, float]:
    def read(image: Image.Image | None, path: str, turn: int) -> str:
        if image is None:
            return _tesseract_cli(path)
        with tempfile.NamedTemporaryFile(suffix=".png") as tmp:
            image.save(tmp.name, format="PNG", compress_level=1)
            return _tesseract_cli(tmp.name)

    return read, 0.0


def _tesseract_cli(path: str) -> str:
    done = subprocess.run(["tesseract", path, "stdout"], capture_output=True, check=False)
    return done.stdout.decode("utf-8", "replace")


def easyocr(threads: int) -> tuple[Reader, float]:
    import easyocr as package  # raises ImportError when not installed

    start = time.perf_counter()
    reader = package.Reader(["en"], gpu=False, download_enabled=False)
    load = time.perf_counter() - start

    def read(image: Image.Image | None, path: str, turn: int) -> str:
        import numpy as np

        image = image if image is not None else _image(path, 0)
        return "\n".join(str(t) for t in reader.readtext(np.asarray(image), detail=0))

    return read, load


FACTORIES = {"masthead": masthead, "rapidocr": rapidocr, "tesseract": tesseract, "easyocr": easyocr}


def peak_mb(field: str = "VmHWM") -> float:
    """This process's ``VmHWM`` (peak resident) or ``VmRSS`` in MB, from /proc; 0 elsewhere."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0.0
    for line in status.splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return 0.0


def reset_peak() -> bool:
    """Start a new ``VmHWM`` from the current RSS (Linux ``clear_refs`` 5); False if not."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _cpu_seconds() -> float:
    """CPU seconds of this process (all threads) and of its finished children."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def serve(system: str, read: Reader, load: float) -> int:
    """Answer one item per stdin line until stdin closes (see the module docstring)."""
    loaded_peak = peak_mb()
    print(
        json.dumps(
            {
                "system": system,
                "available": True,
                "load_seconds": load,
                "load_peak_rss_mb": loaded_peak,
            }
        ),
        flush=True,
    )
    for line in sys.stdin:
        item = json.loads(line)
        image = _image(item["path"], item["turn"]) if item["turn"] else None
        resettable = reset_peak()
        cpu, start = _cpu_seconds(), time.perf_counter()
        text = read(image, item["path"], item["turn"])
        seconds, cpu = time.perf_counter() - start, _cpu_seconds() - cpu
        del image
        result = {
            **item,
            "text": text,
            "seconds": seconds,
            "cpu_seconds": cpu,
            "peak_rss_mb": peak_mb() if resettable else max(loaded_peak, peak_mb()),
            "rss_after_mb": peak_mb("VmRSS"),
        }
        print(json.dumps(result), flush=True)
    return 0


def main() -> int:
    system = sys.argv[1]
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 0
    if threads:
        os.environ["OMP_THREAD_LIMIT"] = str(threads)
    if "--serve" not in sys.argv:
        items = json.loads(sys.stdin.read())
    try:
        read, load = FACTORIES[system](threads)
    except ImportError as exc:
        print(json.dumps({"system": system, "available": False, "reason": str(exc)}))
        return 0
    if "--serve" in sys.argv:
        return serve(system, read, load)
    results = []
    for item in items:
        # Upright images are read from their files: decoding one here as well would add a
        # whole page (100 MB for a 35 MP photo) to the peak RSS charged to the system.
        image = _image(item["path"], item["turn"]) if item["turn"] else None
        start = time.perf_counter()
        text = read(image, item["path"], item["turn"])
        seconds = time.perf_counter() - start
        del image
        results.append({**item, "text": text, "seconds": seconds})
    own = peak_mb() or resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    report = {
        "system": system,
        "available": True,
        "load_seconds": load,
        "peak_rss_mb": own,
        "children_peak_rss_mb": children,
        "results": results,
    }
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
