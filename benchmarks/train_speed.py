"""훈련 속도 벤치마크: 같은 모델, 같은 스텝을 두 경로로 훈련해 에폭당 초·비율·검증 BCE·최대 메모리를 출력합니다.

(a) aelib: 메모리의 32×32 텐서에서 바로 배치 (aelib.train.fit)
(b) torchvision DataLoader: 샘플마다 PIL → Pad(2) → ToTensor (흔한 PyTorch 이식)
선택 (c) aelib-bf16: (a)에 bf16 autocast

    python benchmarks/train_speed.py                 # 1 에폭씩
    python benchmarks/train_speed.py --epochs 3      # 책과 같은 3 에폭
    python benchmarks/train_speed.py --paths aelib,dataloader,aelib-bf16

경로마다 새 프로세스에서 재므로 최대 메모리(max RSS)가 섞이지 않습니다. ``--repeat N``이면 경로를 번갈아
N번 재고 가장 빠른 값을 씁니다 (다른 프로그램이 CPU를 쓸 때의 잡음을 줄이는 흔한 방법). 시간 단정은 하지 않습니다.
"""

import argparse
import json
import resource
import subprocess
import sys
import time


def run_path(path: str, epochs: int, steps: int | None) -> dict:
    import torch
    import torch.nn.functional as F
    from torch.utils.data import DataLoader, Subset, TensorDataset
    from torchvision import transforms
    from torchvision.datasets import FashionMNIST

    from aelib.data import load_fashion_mnist, locate
    from aelib.model import Autoencoder
    from aelib.train import evaluate, fit, seed_everything

    train_set, test_set = load_fashion_mnist("train"), load_fashion_mnist("test")
    n = len(train_set) if steps is None else steps * 100
    seed_everything(0)
    model = Autoencoder()
    start = time.perf_counter()
    if path.startswith("aelib"):
        subset = TensorDataset(*(t[:n] for t in train_set.tensors))
        precision = "bf16" if path.endswith("bf16") else "fp32"
        fit(model, subset, epochs=epochs, precision=precision, progress=False, device="cpu")
    elif path == "dataloader":
        pil = FashionMNIST(str(locate()), train=True, download=False,
                           transform=transforms.Compose([transforms.Pad(2), transforms.ToTensor()]))
        loader = DataLoader(Subset(pil, range(n)), batch_size=100, shuffle=True,
                            generator=torch.Generator().manual_seed(0))
        optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        model.train()
        for _ in range(epochs):
            for x, _ in loader:
                loss = F.binary_cross_entropy_with_logits(model(x), x)
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
    else:
        raise SystemExit(f"알 수 없는 경로 / unknown path: {path}")
    seconds = time.perf_counter() - start
    per_epoch = seconds / epochs * (len(train_set) / n)
    return {
        "path": path,
        "seconds_per_epoch": per_epoch,
        "val_bce": evaluate(model, test_set)["bce"],
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "threads": torch.get_num_threads(),
        "torch": str(torch.__version__),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--steps", type=int, help="에폭당 스텝 수를 줄여 빨리 재기 (에폭당 초는 600스텝으로 환산)")
    parser.add_argument("--paths", default="aelib,dataloader")
    parser.add_argument("--repeat", type=int, default=1, help="경로를 번갈아 N번 재고 가장 빠른 값을 씀")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(run_path(args.child, args.epochs, args.steps)))
        return
    best: dict[str, dict] = {}
    for _ in range(args.repeat):
        for path in args.paths.split(","):
            cmd = [sys.executable, __file__, "--child", path, "--epochs", str(args.epochs)]
            if args.steps:
                cmd += ["--steps", str(args.steps)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"  (측정) {path}: {r['seconds_per_epoch']:.1f} s/에폭", flush=True)
            if path not in best or r["seconds_per_epoch"] < best[path]["seconds_per_epoch"]:
                best[path] = r
    results = list(best.values())
    for r in results:
        print(f"{r['path']:>12}: {r['seconds_per_epoch']:6.1f} s/에폭  검증 BCE {r['val_bce']:.4f}  "
              f"최대 메모리 {r['peak_rss_mib']:7.0f} MiB  (스레드 {r['threads']}, torch {r['torch']})")
    by_path = {r["path"]: r for r in results}
    if "aelib" in by_path and "dataloader" in by_path:
        ratio = by_path["dataloader"]["seconds_per_epoch"] / by_path["aelib"]["seconds_per_epoch"]
        print(f"비율 (DataLoader ÷ aelib): {ratio:.2f}배 빠름 / speed-up {ratio:.2f}x")
    bound = 5.2e12 / 185e9
    print(f"참고: FP32 연산 하한 ≈{bound:.0f} s/에폭 (5.2 TFLOP ÷ 185 GFLOP/s, 2코어에서 잰 행렬곱 최고 속도)")


if __name__ == "__main__":
    main()
