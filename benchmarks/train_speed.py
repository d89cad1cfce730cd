"""훈련 속도 벤치마크: aelib, DataLoader(할당자 설정 있음/없음), 책의 Keras 모델을 한 번의 실행에서 번갈아 재어 표 하나로.

    ./course bench                                     # = python benchmarks/train_speed.py (+ 슬라이더 벤치마크)
    python benchmarks/train_speed.py                   # 스텝 4라운드 × 40스텝, 경로마다 진짜 에포크 1번 (약 6분)
    python benchmarks/train_speed.py --epochs 0        # 스텝만 (약 1분)
    python benchmarks/train_speed.py --no-keras        # Keras 없이
    python benchmarks/train_speed.py --accuracy        # 3 에포크 검증 BCE: fp32, bf16, PyTorch 커널 (약 5분)
    python benchmarks/train_speed.py --layers          # 층마다 순전파·역전파 시간과 GFLOP/s (1분)

경로마다 오래 사는 작업자 프로세스가 하나씩 있고(메모리·할당자 설정이 섞이지 않음), 한 번에 하나만 일합니다.
라운드마다 순서를 돌려 가며 같은 수의 스텝을 재므로, 다른 프로그램이 CPU를 쓰는 잡음이 모든 경로에 고루
섞입니다. 스텝 시간은 중앙값과 p10–p90, 라운드별 중앙값의 범위를, 에포크는 잰 값을 모두 보여 줍니다.

- aelib fp32 (기본): ``fit``과 같은 스텝 — 빠른 CPU 커널(``aelib.cpu_kernels``) + fused Adam
- aelib bf16 (선택): 같은 것에 autocast(bfloat16) (``fit(..., precision="bf16")``)
- aelib, PyTorch 커널: ``fit(..., kernels="torch")`` — 같은 데이터 경로, PyTorch 기본 합성곱과 Adam
- DataLoader: torchvision ``FashionMNIST`` + ``Pad(2)``·``ToTensor`` + ``DataLoader(shuffle=True)``, 모델 계산은
  바로 위 줄과 같음. glibc ``mallopt`` (``aelib.train.tune_cpu_allocator``)를 켠 것과 끈 것.
  그래서 표의 차이가 각각 무엇 때문인지 읽힙니다: 커널(aelib ↔ PyTorch 커널), 데이터 경로(PyTorch 커널 ↔
  DataLoader + mallopt), 할당자(DataLoader + mallopt ↔ DataLoader).
- Keras: 책의 모델(``keras_book_model.py``)을 ``fit``으로. TensorFlow는 처음 쓸 때
  ``~/.cache/aelib/keras-venv``(``AELIB_KERAS_VENV``)에 PyPI에서 따로 설치하며 aelib의 의존성이 아닙니다.

같은 실행에서 이 컴퓨터의 fp32·bf16 행렬곱 최고 속도를 재어 산술 하한(에포크당 훈련 FLOP ÷ 최고 속도)을 출력합니다.
시간 단정은 하지 않습니다 (숫자를 출력할 뿐).
"""

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
KERAS_VENV = Path(os.environ.get("AELIB_KERAS_VENV", Path.home() / ".cache" / "aelib" / "keras-venv"))
TORCH_PATHS = ["aelib", "aelib-bf16", "aelib-torch", "dataloader-mallopt", "dataloader"]
LABELS = {
    "keras": "Keras (책의 모델, fit)",
    "aelib": "aelib fp32 (기본)",
    "aelib-bf16": "aelib bf16 (선택)",
    "aelib-torch": "aelib, PyTorch 커널",
    "dataloader-mallopt": "DataLoader + mallopt",
    "dataloader": "DataLoader (그대로)",
}
BATCH = 100


# ---------------------------------------------------------------- 작업자 (torch 경로)
def torch_worker(path: str) -> None:
    import torch
    import torch.nn.functional as F
    from torch.utils.data import DataLoader
    from torchvision import transforms
    from torchvision.datasets import FashionMNIST

    from aelib.cpu_kernels import fast_cpu_kernels
    from aelib.data import load_fashion_mnist, locate
    from aelib.model import Autoencoder
    from aelib.train import adam, batches, fit, make_train_step, seed_everything, tune_cpu_allocator
    from worker_protocol import max_rss_mib, reply  # 이 폴더의 모듈 (작업자는 스크립트로 실행됨)

    if path != "dataloader":
        tune_cpu_allocator()
    seed_everything(0)
    model = Autoencoder().train()
    # aelib fp32·bf16은 fit의 기본(빠른 커널), aelib-torch와 DataLoader 경로는 PyTorch 기본 커널과 Adam
    kernels = "fast" if path in ("aelib", "aelib-bf16") else "torch"
    optimizer = adam(model, 1e-3, fused=kernels == "fast")  # fit과 같은 옵티마이저
    if path.startswith("aelib"):
        train_set = load_fashion_mnist("train")
        precision = "bf16" if path.endswith("bf16") else "fp32"
        step = make_train_step(model, optimizer, precision)
        shuffle = torch.Generator().manual_seed(0)

        def new_iter():
            return batches(train_set, BATCH, shuffle)

        def one_step(it):
            batch = next(it)
            return step(batch)["bce"].item()

        def one_epoch():
            fit(model, train_set, epochs=1, precision=precision, kernels=kernels, progress=False, device="cpu")
            model.train()
    else:
        pil = FashionMNIST(str(locate()), train=True, download=False,
                           transform=transforms.Compose([transforms.Pad(2), transforms.ToTensor()]))
        loader = DataLoader(pil, batch_size=BATCH, shuffle=True, generator=torch.Generator().manual_seed(0))

        def new_iter():
            return iter(loader)

        def dl_step(x):
            loss = F.binary_cross_entropy_with_logits(model(x), x)
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            return loss.item()

        def one_step(it):
            x, _ = next(it)
            return dl_step(x)

        def one_epoch():
            for x, _ in loader:
                dl_step(x)

    it = new_iter()
    reply({"ready": True, "versions": f"torch {torch.__version__}", "threads": torch.get_num_threads()})
    # 빠른 커널은 작업자가 끝날 때까지 켜 둠 (fit 안에서 다시 켜도 그대로)
    with fast_cpu_kernels(model) if kernels == "fast" else contextlib.nullcontext():
        for line in sys.stdin:
            cmd = json.loads(line)
            if cmd["op"] == "steps":
                ms = []
                cpu = time.process_time()
                for _ in range(cmd["n"]):
                    start = time.perf_counter()
                    try:
                        one_step(it)
                    except StopIteration:
                        it = new_iter()
                        one_step(it)
                    ms.append((time.perf_counter() - start) * 1e3)
                reply({"ms": ms, "cpu_ms": (time.process_time() - cpu) * 1e3 / cmd["n"], "rss_mib": max_rss_mib()})
            elif cmd["op"] == "epoch":
                start = time.perf_counter()
                one_epoch()
                reply({"seconds": time.perf_counter() - start, "rss_mib": max_rss_mib()})
            elif cmd["op"] == "quit":
                return


# ---------------------------------------------------------------- Keras 가상환경
def keras_python() -> Path | None:
    """Keras 가상환경의 파이썬. 없으면 만들고 ``tensorflow``를 PyPI에서 설치합니다. 실패하면 None."""
    py = KERAS_VENV / "bin" / "python"
    if py.exists() and subprocess.run([str(py), "-c", "import tensorflow, keras"],
                                      capture_output=True).returncode == 0:
        return py
    print(f"Keras 가상환경을 만듭니다 (처음 한 번, 몇 분): {KERAS_VENV}\n"
          f"Creating the Keras virtual environment once: {KERAS_VENV}", file=sys.stderr, flush=True)
    try:
        base = getattr(sys, "_base_executable", sys.executable)
        subprocess.run([base, "-m", "venv", str(KERAS_VENV)], check=True)
        subprocess.run([str(py), "-m", "pip", "install", "-q", "--disable-pip-version-check", "tensorflow"],
                       check=True)
    except (subprocess.CalledProcessError, OSError) as exc:
        print(f"Keras 가상환경을 만들지 못해 Keras 줄을 뺍니다 ({exc}). 인터넷(PyPI)에 연결한 뒤 다시 실행하거나 "
              f"--no-keras를 쓰세요.\nCould not create the Keras environment ({exc}); the Keras row is left out. "
              "Connect to PyPI and run again, or pass --no-keras.", file=sys.stderr)
        return None
    return py


# ---------------------------------------------------------------- 측정
class Worker:
    def __init__(self, path: str, cmd: list[str], env: dict):
        self.path = path
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True, env=env, cwd=HERE.parent)
        self.info = self.read()

    def read(self) -> dict:
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit(f"작업자가 멈췄습니다 / worker {self.path} died (exit {self.proc.wait()})")
        return json.loads(line)

    def ask(self, **cmd) -> dict:
        self.proc.stdin.write(json.dumps(cmd) + "\n")
        self.proc.stdin.flush()
        return self.read()

    def close(self) -> None:
        try:
            self.ask(op="quit")
        except (BrokenPipeError, SystemExit, json.JSONDecodeError):
            pass
        self.proc.wait(timeout=30)


def matmul_peak(dtype_name: str, n: int = 2048, reps: int = 8) -> list[float]:
    """n×n 행렬곱의 GFLOP/s를 ``reps``번 잽니다 (이 프로세스, torch의 기본 스레드 수)."""
    import torch

    dtype = getattr(torch, dtype_name)
    a, b = torch.randn(n, n, dtype=dtype), torch.randn(n, n, dtype=dtype)
    torch.mm(a, b)
    rates = []
    for _ in range(reps):
        start = time.perf_counter()
        torch.mm(a, b)
        rates.append(2 * n**3 / (time.perf_counter() - start) / 1e9)
    return rates


def note_layers():
    """노트의 모델에서 곱셈-덧셈이 있는 층들: [(이름, 층, 한 장의 입력 모양, 한 장의 곱셈-덧셈 수)]."""
    import torch
    from torch import nn

    from aelib.model import Autoencoder

    found = []

    def hook(name):
        def record(module, inputs, output):
            if isinstance(module, nn.Linear):
                macs = module.in_features * module.out_features
            elif isinstance(module, nn.ConvTranspose2d):
                macs = inputs[0][0].numel() * module.weight[0].numel()  # 입력 원소 × (출력 채널 × 3 × 3)
            else:
                macs = output[0].numel() * module.weight[0].numel()  # 출력 원소 × (입력 채널 × 3 × 3)
            found.append((name, module, tuple(inputs[0].shape[1:]), macs))
        return record

    model = Autoencoder()
    hooks = [m.register_forward_hook(hook(name)) for name, m in model.named_modules()
             if isinstance(m, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d))]
    with torch.no_grad():
        model(torch.zeros(1, 1, 32, 32))
    for handle in hooks:
        handle.remove()
    return found


def training_flop_per_image() -> float:
    """노트의 모델 한 장의 훈련 FLOP: 순전파 곱셈-덧셈 × 2 × 3 (순전파 1 + 역전파 2)."""
    return 2 * sum(macs for *_, macs in note_layers()) * 3


def layer_profile(args) -> None:
    """층마다 순전파와 역전파(입력·가중치 기울기)의 시간과 GFLOP/s: 빠른 CPU 커널과 PyTorch 커널을 번갈아."""
    import torch

    from aelib.cpu_kernels import fast_forward
    from aelib.train import tune_cpu_allocator

    tune_cpu_allocator()
    torch.manual_seed(0)

    def median_ms(fn, reps):
        for _ in range(5):
            fn()
        times = []
        for _ in range(reps):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1e3)
        return statistics.median(times)

    layers = note_layers()
    rows, totals = [], {"fast": [0.0, 0.0], "torch": [0.0, 0.0]}
    for name, layer, shape, macs in layers:
        row = [name, type(layer).__name__]
        for kind in ("fast", "torch"):
            # 모델 안에서처럼: 빠른 커널의 층 사이 활성값은 channels_last, 첫 층은 입력 기울기가 필요 없음
            x = torch.rand(BATCH, *shape)
            if kind == "fast" and x.dim() == 4:
                x = x.contiguous(memory_format=torch.channels_last)
            x.requires_grad_(name != "encoder.model.0")
            forward = (fast_forward(layer) if kind == "fast" else None) or layer
            grad = torch.randn_like(forward(x))
            fwd = median_ms(lambda: forward(x), args.layer_reps)
            both = median_ms(lambda: torch.autograd.grad(forward(x), [x, *layer.parameters()] if x.requires_grad
                                                         else list(layer.parameters()), grad), args.layer_reps)
            totals[kind][0] += fwd
            totals[kind][1] += both - fwd
            row += [fwd, both - fwd]
        rows.append((row, 2 * macs * BATCH * (3 if name != "encoder.model.0" else 2)))  # 첫 층: 입력 기울기 없음
    print(f"층마다의 시간 (배치 {BATCH}, 중앙값 {args.layer_reps}번, ms; GFLOP/s = 그 층의 FLOP ÷ 시간)")
    print("| 층 | 종류 | 빠른 커널 순전파 | 역전파 | GFLOP/s (전체) | PyTorch 커널 순전파 | 역전파 | GFLOP/s (전체) |")
    print("|---|---|---|---|---|---|---|---|")
    for (name, kind, f_fwd, f_bwd, t_fwd, t_bwd), flop in rows:
        print(f"| {name} | {kind} | {f_fwd:.2f} | {f_bwd:.2f} | {flop / (f_fwd + f_bwd) / 1e6:.0f} "
              f"| {t_fwd:.2f} | {t_bwd:.2f} | {flop / (t_fwd + t_bwd) / 1e6:.0f} |")
    flop_step = training_flop_per_image() * BATCH
    for kind, (fwd, bwd) in totals.items():
        print(f"{kind}: 층 합계 순전파 {fwd:.1f} ms + 역전파 {bwd:.1f} ms = {fwd + bwd:.1f} ms "
              f"({flop_step / (fwd + bwd) / 1e6:.0f} GFLOP/s); 한 스텝과의 차이는 ReLU·편향·BCE·Adam·층 사이의 캐시")
    peak = max(matmul_peak("float32"))
    print(f"fp32 행렬곱 최고 {peak:.0f} GFLOP/s → 한 스텝 하한 {flop_step / peak / 1e6:.1f} ms (부하 {loadavg():.1f}, "
          f"torch {torch.__version__})")


def loadavg() -> float:
    try:
        return float(Path("/proc/loadavg").read_text().split()[0])
    except OSError:
        return float("nan")


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(q * (len(values) - 1))))]


def run(args) -> None:
    from aelib.data import locate, raw_folder

    started = time.perf_counter()
    raw = raw_folder(locate())
    paths = [p for p in args.paths.split(",") if p]
    unknown = [p for p in paths if p not in LABELS]
    if unknown:
        raise SystemExit(f"알 수 없는 경로 / unknown path: {unknown}; 가능한 값 / choose from {list(LABELS)}")
    if args.no_keras and "keras" in paths:
        paths.remove("keras")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE.parent), os.environ.get("PYTHONPATH")]))}
    workers: dict[str, Worker] = {}
    if "keras" in paths:
        py = keras_python()
        if py is None:
            paths.remove("keras")
        else:
            workers["keras"] = Worker("keras", [str(py), str(HERE / "keras_book_model.py"), str(raw)], env)
    for p in paths:
        if p != "keras":
            workers[p] = Worker(p, [sys.executable, __file__, "--worker", p], env)
    paths = [p for p in paths if p in workers]

    print("준비 운동 / warm-up ...", file=sys.stderr, flush=True)
    for p in paths:
        workers[p].ask(op="steps", n=args.warmup)
    loads = [loadavg()]
    peaks = {"fp32": matmul_peak("float32"), "bf16": matmul_peak("bfloat16")}

    steps: dict[str, list[float]] = {p: [] for p in paths}
    round_medians: dict[str, list[float]] = {p: [] for p in paths}
    cpu: dict[str, list[float]] = {p: [] for p in paths}
    for r in range(args.rounds):
        order = paths[r % len(paths):] + paths[: r % len(paths)]  # 라운드마다 순서를 돌림
        for p in order:
            answer = workers[p].ask(op="steps", n=args.steps)
            ms = answer["ms"]
            cpu[p].append(answer["cpu_ms"])
            steps[p] += ms
            round_medians[p].append(statistics.median(ms))
            loads.append(loadavg())
        print(f"  스텝 라운드 {r + 1}/{args.rounds}: " + ", ".join(
            f"{p} {round_medians[p][-1]:.1f}" for p in paths) + " ms", file=sys.stderr, flush=True)
    epochs: dict[str, list[float]] = {p: [] for p in paths}
    rss: dict[str, float] = {}
    for e in range(args.epochs):
        order = paths[e % len(paths):] + paths[: e % len(paths)]
        for p in order:
            r = workers[p].ask(op="epoch")
            epochs[p].append(r["seconds"])
            rss[p] = r["rss_mib"]
            loads.append(loadavg())
            print(f"  에포크 {e + 1}/{args.epochs} {p}: {r['seconds']:.1f} s", file=sys.stderr, flush=True)
    peaks["fp32"] += matmul_peak("float32")
    peaks["bf16"] += matmul_peak("bfloat16")
    loads.append(loadavg())
    versions = {p: workers[p].info.get("versions", "") for p in paths}
    for w in workers.values():
        w.close()

    flop_epoch = training_flop_per_image() * 60_000
    print_table(paths, steps, round_medians, cpu, epochs, args)
    ref = "keras" if "keras" in paths else None
    peak32, peak16 = max(peaks["fp32"]), max(peaks["bf16"])
    print()
    print(f"산술 하한 / arithmetic bound: 에포크당 훈련 {flop_epoch / 1e12:.1f} TFLOP ÷ 이 컴퓨터에서 잰 행렬곱 최고 속도")
    print(f"  fp32 {peak32:.0f} GFLOP/s (잰 값 {min(peaks['fp32']):.0f}–{peak32:.0f}) → ≥ {flop_epoch / peak32 / 1e9:.1f} s/에포크"
          f" = {flop_epoch / peak32 / 1e9 / 600 * 1e3:.1f} ms/스텝")
    print(f"  bf16 {peak16:.0f} GFLOP/s (잰 값 {min(peaks['bf16']):.0f}–{peak16:.0f}) → ≥ {flop_epoch / peak16 / 1e9:.1f} s/에포크"
          f" = {flop_epoch / peak16 / 1e9 / 600 * 1e3:.1f} ms/스텝")
    for p in paths:
        eff = flop_epoch / 600 / (statistics.median(steps[p]) / 1e3) / 1e9
        print(f"  {LABELS[p]}: 스텝 중앙값에서 {eff:.0f} GFLOP/s 유효")
    print()
    print(f"부하 / load (1분 loadavg, 측정 중): {min(loads):.1f}–{max(loads):.1f} (이 벤치마크 자신이 약 2); "
          f"CPU {os.cpu_count()}개; " + "; ".join(dict.fromkeys(versions.values())))
    if rss:
        print("최대 메모리 / max RSS: " + ", ".join(f"{p} {rss[p]:.0f} MiB" for p in paths if p in rss))
    cmd = " ".join(["python", "benchmarks/train_speed.py", *sys.argv[1:]])
    print(f"명령 / command: {cmd}   (전체 {time.perf_counter() - started:.0f} s)")
    if ref is None:
        print("(Keras 줄 없음: 비율은 aelib fp32 기준)")


def print_table(paths, steps, round_medians, cpu, epochs, args) -> None:
    ref = "keras" if "keras" in paths else paths[0]
    ref_step = statistics.median(steps[ref])
    ref_epoch = statistics.median(epochs[ref]) if epochs[ref] else None
    print()
    print(f"훈련 속도 (배치 {BATCH}, 스텝 {args.rounds}라운드 × {args.steps}스텝, 준비 운동 {args.warmup}스텝; "
          f"비율 = {LABELS[ref].split(' (')[0]}의 시간 ÷ 경로의 시간, 1보다 크면 더 빠름)")
    head = ("| 경로 | ms/스텝 중앙값 (p10–p90) | 라운드 중앙값 범위 | CPU ms/스텝 | s/에포크 (스텝×600) | 비율 (스텝) "
            "| 진짜 한 에포크 s | 비율 (에포크) |")
    print(head)
    print("|" + "---|" * 8)
    for p in paths:
        s = steps[p]
        med = statistics.median(s)
        row = [LABELS[p], f"{med:.1f} ({pct(s, 0.1):.1f}–{pct(s, 0.9):.1f})",
               f"{min(round_medians[p]):.1f}–{max(round_medians[p]):.1f}", f"{statistics.median(cpu[p]):.0f}",
               f"{med * 600 / 1e3:.1f}",
               f"{ref_step / med:.2f}"]
        if epochs[p]:
            row += [", ".join(f"{x:.1f}" for x in epochs[p]),
                    f"{ref_epoch / statistics.median(epochs[p]):.2f}" if ref_epoch else "—"]
        else:
            row += ["—", "—"]
        print("| " + " | ".join(row) + " |")


# ---------------------------------------------------------------- bf16 정확도
def accuracy(args) -> None:
    """같은 시드에서 3 에포크씩 훈련해 에포크별 검증 BCE를 나란히: fp32(기본), bf16(선택), fp32 PyTorch 커널."""
    import torch

    from aelib.data import load_fashion_mnist
    from aelib.model import Autoencoder
    from aelib.train import fit, seed_everything

    train_set, test_set = load_fashion_mnist("train"), load_fashion_mnist("test")
    runs = {"aelib fp32 (기본)": ("fp32", "fast"), "aelib bf16 (선택)": ("bf16", "fast"),
            "aelib fp32, PyTorch 커널": ("fp32", "torch")}
    final = {}
    print(f"검증 BCE (테스트 1만 장, 시드 0, 배치 {BATCH}, Adam 1e-3, torch {torch.__version__})")
    print("| 경로 | " + " | ".join(f"에포크 {e + 1}" for e in range(args.accuracy_epochs)) + " | 훈련+검증 s |")
    print("|---|" + "---|" * (args.accuracy_epochs + 1))
    for label, (precision, kernels) in runs.items():
        seed_everything(0)
        model = Autoencoder()
        start = time.perf_counter()
        history = fit(model, train_set, test_set, epochs=args.accuracy_epochs, precision=precision,
                      kernels=kernels, progress=False, device="cpu")
        final[label] = history.val["bce"][-1]
        print(f"| {label} | " + " | ".join(f"{v:.4f}" for v in history.val["bce"])
              + f" | {time.perf_counter() - start:.0f} |", flush=True)
    fp32, bf16 = final["aelib fp32 (기본)"], final["aelib bf16 (선택)"]
    def diff(a, b):  # 반올림한 뒤의 −0.0000을 +0.0000으로
        return f"{round(a - b, 4) + 0.0:+.4f}"

    print(f"{args.accuracy_epochs} 에포크 뒤: bf16 − fp32 = {diff(bf16, fp32)}; "
          f"fp32 − PyTorch 커널 = {diff(fp32, final['aelib fp32, PyTorch 커널'])} (부하 {loadavg():.1f})")


def main() -> None:
    from aelib.tools import cli  # 인자 오류를 한국어·영어로, 종료 코드 2

    parser = cli.ArgumentParser(prog="python benchmarks/train_speed.py", description=__doc__.splitlines()[0])
    parser.add_argument("--paths", default="keras," + ",".join(TORCH_PATHS),
                        help="쉼표로 구분: " + ", ".join(LABELS))
    parser.add_argument("--rounds", type=int, default=4, help="스텝 라운드 수 (경로를 번갈아)")
    parser.add_argument("--steps", type=int, default=40, help="라운드마다 경로별로 재는 스텝 수")
    parser.add_argument("--warmup", type=int, default=10, help="재기 전 경로별 준비 운동 스텝 수")
    parser.add_argument("--epochs", type=int, default=1, help="경로별 진짜 한 에포크를 몇 번 잴지 (0이면 안 잼)")
    parser.add_argument("--no-keras", action="store_true", help="Keras 줄을 빼고 가상환경도 만들지 않음")
    parser.add_argument("--accuracy", action="store_true", help="fp32와 bf16의 검증 BCE를 비교 (몇 분)")
    parser.add_argument("--accuracy-epochs", type=int, default=3)
    parser.add_argument("--layers", action="store_true", help="층마다 순전파·역전파 시간과 GFLOP/s (빠른 커널, PyTorch 커널)")
    parser.add_argument("--layer-reps", type=int, default=30)
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        torch_worker(args.worker)
    elif args.layers:
        layer_profile(args)
    elif args.accuracy:
        accuracy(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
