"""훈련 벤치마크가 산술 하한에 쓰는 FLOP 수 (시간은 재지 않음)."""

import importlib.util
from pathlib import Path

import pytest


def load_bench():
    path = Path(__file__).resolve().parent.parent / "benchmarks" / "train_speed.py"
    spec = importlib.util.spec_from_file_location("train_speed", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_training_flop_per_image_counts_every_layer_of_the_note():
    # 층마다 곱셈-덧셈 (출력 원소 × 커널, 전치 합성곱은 입력 원소 × 커널)
    macs = (16 * 16 * 32 * 1 * 9 + 8 * 8 * 64 * 32 * 9 + 4 * 4 * 128 * 64 * 9 + 2048 * 2  # 인코더
            + 2 * 2048 + 4 * 4 * 128 * 128 * 9 + 8 * 8 * 128 * 64 * 9 + 16 * 16 * 64 * 32 * 9  # 디코더
            + 32 * 32 * 32 * 9)  # 출력 Conv2d
    flop = load_bench().training_flop_per_image()
    assert flop == 6 * macs
    assert flop * 60_000 / 1e12 == pytest.approx(5.2, abs=0.05)


def test_percentile_helper_reports_the_spread():
    bench = load_bench()
    values = [float(v) for v in range(1, 12)]
    assert bench.pct(values, 0.1) == 2.0 and bench.pct(values, 0.9) == 10.0
