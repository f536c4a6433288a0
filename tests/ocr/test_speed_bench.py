"""The rules bench/ocr_speed.py compares systems by (no timing here: only the bookkeeping)."""

from __future__ import annotations

from bench import ocr_speed, ocr_worker


def test_limit_spreads_the_images_over_the_whole_group() -> None:
    assert ocr_speed.spread(list(range(10)), 4) == [0, 2, 5, 7]
    assert ocr_speed.spread(list(range(3)), 8) == [0, 1, 2]
    assert ocr_speed.spread(list(range(3)), None) == [0, 1, 2]


def test_systems_take_turns_going_first() -> None:
    assert ocr_speed.turns(["masthead", "rapidocr"], 0) == ["masthead", "rapidocr"]
    assert ocr_speed.turns(["masthead", "rapidocr"], 1) == ["rapidocr", "masthead"]


def test_groups_follow_the_layout_splits() -> None:
    assert ocr_speed.group_of("check", "receipt") == "receipt/check"
    assert ocr_speed.group_of("dev", "screenshot") == "screenshot/dev"
    assert ocr_speed.group_of("docs", "table-rotated") == "document/docs"


def test_rows_per_group_and_overall_with_the_peak_of_the_process() -> None:
    results = [
        {
            "group": "receipt/dev",
            "system": "m",
            "seconds": s,
            "cpu_seconds": s / 2,
            "peak_rss_mb": rss,
        }
        for s, rss in ((1.0, 300.0), (3.0, 500.0))
    ] + [
        {
            "group": "document/docs",
            "system": "m",
            "seconds": 6.0,
            "cpu_seconds": 5.0,
            "peak_rss_mb": 400.0,
        }
    ]
    rows = {r["group"]: r for r in ocr_speed.summarise(results, ["m"])}
    assert rows["receipt/dev"]["per_minute"] == 30.0  # 2 images in 4 s of calls
    assert rows["receipt/dev"]["cpu"] == 1.0
    assert rows["all"]["images"] == 3 and rows["all"]["rss"] == 500.0
    assert ocr_speed.percentile([5.0, 1.0, 3.0], 0.95) == 5.0


def test_the_worker_reads_its_own_peak_and_can_reset_it() -> None:
    ballast = b"\x01" * (64 * 2**20)
    high = ocr_worker.peak_mb()
    del ballast
    assert high >= ocr_worker.peak_mb("VmRSS") + 32
    assert ocr_worker.reset_peak()
    assert ocr_worker.peak_mb() < high - 32
