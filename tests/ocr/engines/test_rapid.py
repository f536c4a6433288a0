"""The RapidOCR adapter, run for real on drawn images (about a second each)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from masthead.ocr import engines
from masthead.ocr.document import BBox
from masthead.ocr.engines import rapid
from tests.ocr.drawing import text_image


@pytest.fixture(scope="module")
def engine() -> rapid.RapidEngine:
    found = engines.get("rapid")
    assert isinstance(found, rapid.RapidEngine)
    return found


def test_reads_drawn_text_with_word_boxes(engine: rapid.RapidEngine) -> None:
    image = text_image(["Masthead weekly digest", "Invoice total 42.50"], size=(1000, 260))
    words = engine.recognise(image, languages=())
    assert [w.text for w in words] == ["Masthead", "weekly", "digest", "Invoice", "total", "42.50"]
    first = words[0].bbox
    assert 50 <= first.x0 <= 70 and 50 <= first.y0 <= 75 and first.height < 60
    assert all(0.5 < w.confidence <= 1.0 for w in words)
    assert all(a.bbox.x1 <= b.bbox.x0 for a, b in itertools.pairwise(words[:3]))


def test_blank_image_is_no_text_not_an_error(engine: rapid.RapidEngine) -> None:
    assert engine.recognise(text_image([], size=(300, 200)), languages=()) == []


def test_detect_and_read_lines_are_stateless(engine: rapid.RapidEngine) -> None:
    image = text_image(["Orientation probe"], size=(700, 160))
    quads = sorted(engine.detect_lines(image), key=lambda q: float(q[:, 0].min()))
    assert 1 <= len(quads) <= 2 and all(q.shape == (4, 2) for q in quads)
    crops = []
    for quad in quads:
        x0, y0 = quad.min(axis=0).astype(int)
        x1, y1 = quad.max(axis=0).astype(int)
        crops.append(np.asarray(image)[y0:y1, x0:x1])
    read = engine.read_lines(crops)
    assert " ".join(text for text, _ in read).replace("  ", " ") == "Orientation probe"
    assert all(score > 0.8 for _, score in read)
    assert [w.text for w in engine.recognise(image, languages=())] == ["Orientation", "probe"]


def test_line_results_fall_back_to_proportional_split() -> None:
    words = rapid._words("Total 12.50", BBox(0, 0, 110, 20), 0.9, None)
    assert [w.text for w in words] == ["Total", "12.50"]
    mismatched = [("Tota", 0.9, [[0, 0], [40, 0], [40, 20], [0, 20]])]
    assert [w.text for w in rapid._words("Total", BBox(0, 0, 50, 20), 0.9, mismatched)] == ["Total"]


def test_detector_works_on_a_capped_copy_and_maps_boxes_back(engine: rapid.RapidEngine) -> None:
    detector = engine._ocr._load_det_model()
    big = np.full((3000, 2200, 3), 255, dtype=np.uint8)
    shrunk = detector.get_preprocess().resize(big)
    assert shrunk.shape[0] * shrunk.shape[1] <= rapid.DETECT_MAX_PIXELS * 1.05
    assert shrunk.shape[0] % 32 == 0 and shrunk.shape[1] % 32 == 0
    strip = np.full((100, 900, 3), 255, dtype=np.uint8)  # short side still brought up to 736
    assert detector.get_preprocess().resize(strip).shape[0] >= 300
    # A line drawn on a page larger than the cap is still found where it is.
    page = text_image(["Capped detection keeps boxes"], size=(2400, 1400), font_size=60)
    quads = engine.detect_lines(page)
    assert len(quads) == 1
    x0, y0 = quads[0].min(axis=0)
    assert abs(x0 - 60) < 20 and abs(y0 - 60) < 20


def test_recogniser_reads_one_line_per_call(engine: rapid.RapidEngine) -> None:
    assert engine._ocr.cfg.Rec.rec_batch_num == 1


def test_sessions_keep_no_per_shape_memory_plans(engine: rapid.RapidEngine) -> None:
    for model in (engine._ocr._load_det_model(), engine._ocr._load_rec_model()):
        options = model.session.session.get_session_options()
        assert options.enable_mem_pattern is False
        assert options.intra_op_num_threads == 1  # the rebuilt session keeps its settings


def test_building_the_engine_hands_back_what_the_warm_up_freed() -> None:
    """The first page must start from the same floor as later ones (ADR 0034).

    Measured without the trim: a new engine left 150-190 MB more resident, ~80 MB with it.
    """
    from masthead.ocr import _memory

    _memory.release_freed_memory()
    before = _rss_mb()
    built = engines.get.__wrapped__("rapid", threads=1)  # a new one, not the cached engine
    assert _rss_mb() - before < 125
    del built


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20
