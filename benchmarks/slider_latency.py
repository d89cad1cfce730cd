"""슬라이더 한 칸의 지연 시간, 커널 경로의 파이썬 쪽: 디코딩 + PNG 만들기 (브라우저 제외).

    python benchmarks/slider_latency.py [--steps 200]

두 위젯(LatentExplorer의 z₁·z₂ 슬라이더, InterpolationExplorer의 t 슬라이더)마다
``slider.value``를 ``steps``번 바꾸며 한 번씩 잰 시간의 중앙값과 90번째 백분위수를 출력합니다.
목표: 중앙값 50 ms 미만. 브라우저까지의 왕복과 페이지 안의 디코딩은 benchmarks/browser_latency.py가 잽니다.
"""

import statistics
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from aelib import latent  # noqa: E402
from aelib.tools import cli  # noqa: E402
from aelib.data import load_fashion_mnist  # noqa: E402
from aelib.explorer import InterpolationExplorer, LatentExplorer  # noqa: E402
from aelib.pretrained import load_pretrained  # noqa: E402

TARGET_MS = 50.0


def sweep(lo: float, hi: float, steps: int) -> np.ndarray:
    """lo → hi → lo를 오가는 값 ``steps``개 (슬라이더를 좌우로 끄는 것처럼)."""
    half = np.linspace(lo, hi, steps // 2 + 1)
    return np.concatenate([half, half[::-1][1:]])[:steps]


def time_steps(set_value, values) -> list[float]:
    """값마다 ``set_value``가 돌아오기까지의 시간 (ms)."""
    out = []
    for v in values:
        t0 = time.perf_counter()
        set_value(v)
        out.append((time.perf_counter() - t0) * 1000.0)
    return out


def summary(name: str, ms: list[float]) -> str:
    median = statistics.median(ms)
    p90 = float(np.percentile(ms, 90))
    verdict = "목표 달성" if median < TARGET_MS else "목표보다 느림"
    return (f"{name}\n    걸음 {len(ms):4d}  중앙값 {median:7.2f} ms  p90 {p90:7.2f} ms  "
            f"최대 {max(ms):7.2f} ms  ({verdict}, 목표 < {TARGET_MS:.0f} ms)")


def main(argv=None) -> None:
    parser = cli.ArgumentParser(prog="python benchmarks/slider_latency.py", description=__doc__.splitlines()[0])  # 한국어·영어 오류
    parser.add_argument("--steps", type=int, default=200, help="위젯마다 잴 걸음 수 (기본 200)")
    args, _ = parser.parse_known_args(argv)  # ./course bench가 넘기는 다른 인자는 무시

    model, _ = load_pretrained("autoencoder")
    test_set = load_fashion_mnist("test")
    images, labels = test_set.tensors
    z = latent.embed(model, images)
    print(f"테스트 임베딩 {len(z)}개, torch 스레드 {torch.get_num_threads()}개")

    explorer = LatentExplorer(model, z, labels)
    interp = InterpolationExplorer(model, test_set, labels, z, a=(0, 0), b=(7, 0))
    # 커널 경로를 잼: 페이지가 WASM을 시작하지 못했을 때처럼 커널이 점마다 디코딩해 PNG를 보냄
    # (브라우저 경로에서는 커널이 값만 받음; 그 시간은 benchmarks/browser_latency.py)
    explorer.widget.mode = interp.widget.mode = "kernel"
    for s in (explorer.z1, explorer.z2, interp.t_slider):  # 준비 운동 (첫 호출의 지연 제외)
        s.value = s.min + 0.5 * (s.max - s.min)

    n = args.steps
    z1_ms = time_steps(lambda v: setattr(explorer.z1, "value", float(v)), sweep(explorer.z1.min, explorer.z1.max, n))
    z2_ms = time_steps(lambda v: setattr(explorer.z2, "value", float(v)), sweep(explorer.z2.min, explorer.z2.max, n))
    t_ms = time_steps(lambda v: setattr(interp.t_slider, "value", float(v)), sweep(0.0, 1.0, n))

    print(summary("LatentExplorer z₁", z1_ms))
    print(summary("LatentExplorer z₂", z2_ms))
    print(summary("LatentExplorer (z₁, z₂ 합침)", z1_ms + z2_ms))
    print(summary("InterpolationExplorer t", t_ms))


if __name__ == "__main__":
    main()
