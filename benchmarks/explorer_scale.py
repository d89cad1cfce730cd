"""``LatentExplorer``를 만드는 시간과 메모리: 임베딩 10,000 / 60,000 / 200,000개.

    python benchmarks/explorer_scale.py

- 10,000: 테스트 세트의 임베딩, 60,000: 훈련 세트의 임베딩 (배포 오토인코더),
  200,000: 훈련 세트의 임베딩 60,000개와, 그것을 조금씩(표준편차 0.01) 흔든 복사본 140,000개.
- 크기마다 새 프로세스에서: 모델과 임베딩을 읽은 뒤 최대 RSS를 되돌리고(``/proc/self/clear_refs``),
  생성자 하나의 벽시계 시간과 그동안 늘어난 최대 RSS(VmHWM − 시작 RSS)를 잽니다.
목표: 60,000개에서 ≤ 1 s, 메모리는 N에 비례. 시간을 단정하는 테스트는 아닙니다. 기계의 부하를 함께 출력합니다.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHILD = """
import sys, time, numpy as np, torch
sys.path.insert(0, {root!r})
from aelib.explorer import LatentExplorer
from aelib.pretrained import load_pretrained
model, _ = load_pretrained("autoencoder")
data = np.load({path!r})
z, labels = torch.from_numpy(data["z"]), torch.from_numpy(data["labels"])
LatentExplorer(model, z[:2000], labels[:2000])  # 처음 한 번만 드는 것(글꼴, matplotlib, ONNX 열쇠)은 빼고 잼


def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1]) * 1024


with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # VmHWM(최대 RSS)를 지금 RSS로
rss0 = status("VmRSS:")
t0 = time.perf_counter()
explorer = LatentExplorer(model, z, labels)
seconds = time.perf_counter() - t0
print(seconds, status("VmHWM:") - rss0, explorer.empty_threshold)
"""


def embeddings(tmp: Path) -> dict[int, Path]:
    import torch

    from aelib import latent
    from aelib.data import load_fashion_mnist
    from aelib.pretrained import load_pretrained

    model, _ = load_pretrained("autoencoder")
    test_x, test_y = load_fashion_mnist("test").tensors
    train_x, train_y = load_fashion_mnist("train").tensors
    z_test, z_train = latent.embed(model, test_x).numpy(), latent.embed(model, train_x).numpy()
    g = np.random.default_rng(0)
    extra = np.concatenate([z_train, z_train, z_train[:20_000]])
    z_big = np.concatenate([z_train, extra + g.normal(0, 0.01, size=extra.shape).astype(np.float32)])
    y_big = np.concatenate([train_y.numpy(), train_y.numpy(), train_y.numpy(), train_y.numpy()[:20_000]])
    sets = {10_000: (z_test, test_y.numpy()), 60_000: (z_train, train_y.numpy()), 200_000: (z_big, y_big)}
    paths = {}
    for n, (z, y) in sets.items():
        assert len(z) == n == len(y)
        paths[n] = tmp / f"z{n}.npz"
        np.savez(paths[n], z=z.astype(np.float32), labels=y.astype(np.int64))
    del torch
    return paths


def main() -> None:
    load0 = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp:
        paths = embeddings(Path(tmp))
        rows = []
        for n, path in paths.items():
            out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), path=str(path))],
                                 capture_output=True, text=True, check=True)
            seconds, grown, tau = out.stdout.split()[-3:]
            rows.append((n, float(seconds), int(grown) / 1e6, float(tau)))
    print(f"LatentExplorer 생성자 (CPU {os.cpu_count()}개, 부하 시작 {load0:.1f} · 끝 {os.getloadavg()[0]:.1f})")
    print("임베딩 수 |   시간 s | 늘어난 최대 RSS MB | MB / 1만 개 | τ")
    for n, s, mb, tau in rows:
        print(f"{n:9,d} | {s:8.2f} | {mb:18.1f} | {mb / (n / 1e4):11.1f} | {tau:.4f}")
    print("목표: 60,000개에서 ≤ 1 s, 메모리는 N에 비례")


if __name__ == "__main__":
    main()
