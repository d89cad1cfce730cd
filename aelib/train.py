"""훈련 함수 하나: Adam + 모델의 손실, 텐서에서 바로 배치, tqdm 진행 막대, 에포크별 기록."""

import contextlib
import ctypes
import sys
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.utils.data import TensorDataset
from tqdm.auto import tqdm

from . import validate
from .cpu_kernels import fast_cpu_kernels
from .errors import TrainingSettingsError


def choose_device() -> torch.device:
    """쓸 수 있는 가속기를 고릅니다: cuda, 그다음 mps, 없으면 cpu."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int) -> None:
    """가중치 초기화와 잡음을 재현할 수 있게 난수 시드를 정합니다."""
    torch.manual_seed(seed)


def use_bf16(precision: str) -> bool:
    """"fp32"(기본) 또는 "bf16"(autocast, 선택). bf16은 bfloat16 행렬곱이 빠른 CPU(AMX·AVX512_BF16)에서 빠르고
    검증 BCE는 거의 같습니다 (``benchmarks/train_speed.py --accuracy``); 배포 가중치와 노트북은 fp32입니다."""
    if precision not in ("bf16", "fp32"):
        raise TrainingSettingsError(f"precision은 'fp32' 또는 'bf16'이어야 합니다. 받은 값: {precision!r}.",
                                    f"precision must be 'fp32' or 'bf16', got {precision!r}.")
    return precision == "bf16"


_allocator_tuned = False


def tune_cpu_allocator() -> None:
    """glibc malloc이 매 스텝 큰 버퍼를 mmap/munmap하지 않게 합니다 (리눅스 전용, 한 번만)."""
    global _allocator_tuned
    if _allocator_tuned or not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # musl 등 glibc가 아닌 경우
        return
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3
    libc.mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024)  # 32 MiB 아래는 힙에서 재사용
    libc.mallopt(M_TRIM_THRESHOLD, 1024 * 1024 * 1024)  # 해제한 메모리를 운영체제에 곧바로 돌려주지 않음
    _allocator_tuned = True


def batches(dataset: TensorDataset, batch_size: int, generator: torch.Generator | None = None):
    """메모리에 있는 텐서에서 (이미지, 레이블) 배치를 잘라 냅니다. ``generator``가 있으면 섞어서."""
    tensors = dataset.tensors
    n = len(tensors[0])
    order = torch.randperm(n, generator=generator) if generator is not None else None
    for start in range(0, n, batch_size):
        if order is None:
            yield tuple(t[start : start + batch_size] for t in tensors)
        else:
            idx = order[start : start + batch_size]
            yield tuple(t[idx] for t in tensors)


def adam(model: nn.Module, lr: float, fused: bool = False) -> torch.optim.Adam:
    """``fit``의 옵티마이저 (Adam). ``fused=True``는 파라미터마다 따로 하던 계산을 커널 하나로
    (같은 수식, CPU에서 더 빠름)."""
    return torch.optim.Adam(model.parameters(), lr=lr, fused=fused or None)


def make_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, precision: str = "fp32",
                    device_type: str = "cpu"):
    """훈련 한 스텝(손실 → 역전파 → Adam)을 하는 함수. ``fit``과 벤치마크(``benchmarks/``)가 같은 코드를 씁니다.

    돌려준 함수는 배치 ``[이미지, 레이블]``을 받아 손실 사전(첫 항목이 최적화한 값)을 돌려줍니다.
    """
    autocast = (lambda: torch.autocast(device_type=device_type, dtype=torch.bfloat16)) if use_bf16(precision) \
        else contextlib.nullcontext

    def train_step(batch):
        with autocast():
            losses = model.losses(*batch)
        optimizer.zero_grad(set_to_none=True)
        next(iter(losses.values())).backward()
        optimizer.step()
        return losses

    return train_step


@dataclass
class History:
    """에포크마다의 훈련·검증 손실. ``train["bce"][e]``는 e+1번째 에포크의 평균, ``steps["bce"][i]``는 i+1번째 스텝
    (배치 하나)의 훈련 손실."""

    train: dict[str, list[float]] = field(default_factory=dict)
    val: dict[str, list[float]] = field(default_factory=dict)
    interrupted: bool = False
    steps: dict[str, list[float]] = field(default_factory=dict)

    @property
    def epochs(self) -> int:
        return len(next(iter(self.train.values()), []))

    def add(self, split: str, losses: dict[str, float]) -> None:
        for name, value in losses.items():
            getattr(self, split).setdefault(name, []).append(value)

    def to_dict(self) -> dict:
        return {"train": self.train, "val": self.val, "interrupted": self.interrupted, "steps": self.steps}

    @classmethod
    def from_dict(cls, d: dict) -> "History":
        return cls(train=dict(d["train"]), val=dict(d["val"]), interrupted=d.get("interrupted", False),
                   steps=dict(d.get("steps", {})))


@torch.no_grad()
def evaluate(model: nn.Module, dataset: TensorDataset, batch_size: int = 500, device=None) -> dict[str, float]:
    """데이터셋 전체에 대한 평균 손실 (fp32, 훈련 모드 끔): ``{손실 이름: 값}``.

    ``dataset``: ``TensorDataset``(이미지 (N, 1, 32, 32) 실수 [0, 1], 레이블 (N,) 0–9), N ≥ 1.
    잘못된 데이터셋·배치 크기·장치는 계산 전에 ``TrainingSettingsError``/``ImageValueError``로 거절합니다.
    """
    validate.checked_model(model, "evaluate", needs=("losses",))
    validate.dataset(dataset, "dataset")
    batch_size = validate.integer(batch_size, "batch_size", minimum=1)
    device = validate.device(device) if device is not None else next(model.parameters()).device
    was_training = model.training
    model.eval()
    totals: dict[str, float] = {}
    n = 0
    for batch in batches(dataset, batch_size):
        batch = [t.to(device) for t in batch]
        for name, value in model.losses(*batch).items():
            totals[name] = totals.get(name, 0.0) + value.item() * len(batch[0])
        n += len(batch[0])
    model.train(was_training)
    return {name: total / n for name, total in totals.items()}


def fit(
    model: nn.Module,
    train_set: TensorDataset,
    val_set: TensorDataset | None = None,
    *,
    epochs: int = 3,
    batch_size: int = 100,
    lr: float = 1e-3,
    seed: int = 0,
    device=None,
    precision: str = "fp32",
    kernels: str = "fast",
    progress: bool = True,
    history: History | None = None,
) -> History:
    """모델을 Adam으로 ``epochs``번 훈련하고 에포크마다의 손실 기록을 돌려줍니다.

    모델의 ``losses(이미지, 레이블)``이 돌려주는 사전의 첫 항목을 최소화합니다. Ctrl-C(KeyboardInterrupt)로
    멈추면 그때까지의 모델과 기록을 그대로 두고 ``history.interrupted``를 True로 돌려줍니다.

    약속: ``train_set``/``val_set``은 ``TensorDataset``(이미지 (N, 1, 32, 32) float [0, 1], 레이블 (N,) 0–9),
    N ≥ 1; ``epochs`` ≥ 0 정수, ``batch_size`` ≥ 1 정수, ``lr`` > 0 유한한 실수, ``device``는 이 컴퓨터에 있는 장치.
    어긋나면 훈련을 시작하기 전에 (모델을 건드리지 않고) ``TrainingSettingsError``, ``ImageValueError``,
    ``ShapeError``, ``LabelError`` 중 하나를 냅니다 (``aelib.validate.training_settings``).

    ``kernels``: "fast"(기본)이면 CPU에서 합성곱을 같은 수식의 더 빠른 커널로 계산하고 (``aelib.cpu_kernels``,
    결과는 float 반올림 오차 안에서 같음) Adam도 한 번에 계산하는 ``fused=True``로 씁니다. "torch"는 PyTorch의
    기본 커널과 Adam 그대로 (배포한 가중치를 만든 방식). GPU에서는 둘 다 PyTorch 그대로입니다.
    ``precision="bf16"``은 autocast(bfloat16)로 훈련합니다 (파라미터는 fp32, 선택 사항).

    훈련은 ``device``(기본: CUDA → MPS → CPU)에서 하고, 끝나면 모델을 원래 장치(보통 CPU)로 돌려놓습니다:
    노트북이 찍는 평가 숫자와 그림은 GPU가 있는 컴퓨터에서도 CPU에서 계산됩니다.
    """
    device, epochs, batch_size, lr, seed = validate.training_settings(
        model, train_set, val_set, epochs=epochs, batch_size=batch_size, lr=lr, seed=seed, device_=device,
        precision=precision, kernels=kernels, history=history, history_type=History)
    device = device or choose_device()
    home = next(model.parameters()).device
    if device.type == "cpu":
        tune_cpu_allocator()
    history = history or History()
    model.to(device).train()
    fast = kernels == "fast" and device.type == "cpu"
    optimizer = adam(model, lr, fused=fast)
    torch.manual_seed(seed)  # 모델 안의 잡음(VAE 등)을 재현 가능하게
    shuffle = torch.Generator().manual_seed(seed)
    steps = -(-len(train_set) // batch_size)
    train_step = make_train_step(model, optimizer, precision, device.type)
    try:
        with fast_cpu_kernels(model) if fast else contextlib.nullcontext():
            for epoch in range(1, epochs + 1):
                sums: dict[str, float] = {}
                seen = 0
                # 다시 그리기는 에포크마다 많아야 25번: 노트북에서 위젯 메시지가 쌓여 넘치지 않게 (nbval도 통과)
                bar = tqdm(total=steps, desc=f"에포크 {epoch}/{epochs}", disable=not progress,
                           miniters=max(1, steps // 25), mininterval=0.2)
                try:
                    for batch in batches(train_set, batch_size, shuffle):
                        batch = [t.to(device, non_blocking=True) for t in batch]
                        losses = train_step(batch)
                        seen += len(batch[0])
                        for name, value in losses.items():
                            value = value.item()
                            sums[name] = sums.get(name, 0.0) + value * len(batch[0])
                            history.steps.setdefault(name, []).append(value)
                        bar.set_postfix({name: f"{total / seen:.4f}" for name, total in sums.items()}, refresh=False)
                        bar.update()
                    history.add("train", {name: total / seen for name, total in sums.items()})
                    if val_set is not None:
                        val = evaluate(model, val_set, device=device)
                        history.add("val", val)
                        bar.set_postfix({**{n: f"{t / seen:.4f}" for n, t in sums.items()},
                                         **{f"val_{n}": f"{v:.4f}" for n, v in val.items()}})
                finally:
                    bar.close()
    except KeyboardInterrupt:
        history.interrupted = True
        print(f"훈련을 멈췄습니다 ({history.epochs}개 에포크 완료). 모델과 기록은 그대로 남아 있습니다.\n"
              f"Training interrupted after {history.epochs} complete epoch(s); model and history are kept.")
    finally:
        model.to(home).eval()
    return history
