"""훈련 함수 하나: Adam + 모델의 손실, 텐서에서 바로 배치, tqdm 진행 막대, 에포크별 기록."""

import contextlib
import ctypes
import inspect
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.utils.data import TensorDataset
from tqdm.auto import tqdm

from . import validate
from .cpu_kernels import fast_cpu_kernels
from .errors import ShapeError, TrainingSettingsError



def choose_device() -> torch.device:
    """쓸 수 있는 가속기를 고릅니다: cuda, 그다음 mps, 없으면 cpu."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def seed_everything(seed: int) -> None:
    """가중치 초기화와 잡음을 재현할 수 있게 난수 시드를 정합니다. ``seed``: 정수 (bool·실수·문자열은 거절)."""
    torch.manual_seed(validate.seed(seed, kind=TrainingSettingsError))


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
    """메모리에 있는 텐서에서 (이미지, 레이블) 배치를 잘라 냅니다. ``generator``가 있으면 섞어서.

    인자는 부를 때 곧바로 확인합니다 (``TensorDataset``, 1 이상의 정수 ``batch_size``, ``torch.Generator`` 또는 None);
    텐서의 내용(이미지 값 등)은 보지 않습니다."""
    if not isinstance(dataset, TensorDataset) or not dataset.tensors:
        raise TrainingSettingsError(f"batches의 dataset은 텐서가 하나 이상 있는 TensorDataset이어야 합니다. "
                                    f"받은 값: {validate.describe(dataset)}.",
                                    f"batches: dataset must be a TensorDataset holding at least one tensor, "
                                    f"got {validate.describe_en(dataset)}.")
    batch_size = validate.integer(batch_size, "batch_size", minimum=1)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TrainingSettingsError(f"batches의 generator는 torch.Generator 또는 None이어야 합니다 (섞지 않음). "
                                    f"받은 값: {validate.describe(generator)}. "
                                    "예: torch.Generator().manual_seed(0).",
                                    f"batches: generator must be a torch.Generator or None (no shuffling), "
                                    f"got {validate.describe_en(generator)}; e.g. torch.Generator().manual_seed(0).")
    return _batches(dataset, batch_size, generator)


def _batches(dataset: TensorDataset, batch_size: int, generator: torch.Generator | None):
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
    (같은 수식, CPU에서 더 빠름).

    거절: 파라미터가 없거나 모두 얼어 있는 모델(``ModelError``·``TrainingSettingsError``), 0 이하·NaN인 ``lr``,
    bool이 아닌 ``fused`` (``TrainingSettingsError``)."""
    check_trainable(model, "adam")
    lr = validate.real(lr, "lr", positive=True)
    if not isinstance(fused, (bool, np.bool_)):
        raise TrainingSettingsError(f"adam의 fused는 True 또는 False여야 합니다. 받은 값: {validate.describe(fused)}.",
                                    f"adam: fused must be True or False, got {validate.describe_en(fused)}.")
    return torch.optim.Adam(model.parameters(), lr=lr, fused=bool(fused) or None)


def check_trainable(model, function: str) -> nn.Module:
    """훈련할 수 있는 모델: ``nn.Module``, 파라미터가 있고 모두 얼어 있지 않음, float32, meta 장치가 아님."""
    if not isinstance(model, nn.Module):
        raise TrainingSettingsError(f"{function}의 model은 torch.nn.Module이어야 합니다 (Autoencoder, VAE, "
                                    f"ClothingClassifier). 받은 값: {type(model).__name__}.",
                                    f"{function}: model must be a torch.nn.Module (Autoencoder, VAE, "
                                    f"ClothingClassifier), got {type(model).__name__}.")
    if not any(True for _ in model.parameters()):
        raise TrainingSettingsError(f"{function}: model({type(model).__name__})에 훈련할 파라미터가 없습니다.",
                                    f"{function}: model ({type(model).__name__}) has no parameters to train.")
    return validate.checked_model(model, function, trainable=True)


def make_train_step(model: nn.Module, optimizer: torch.optim.Optimizer, precision: str = "fp32",
                    device_type: str = "cpu"):
    """훈련 한 스텝(손실 → 역전파 → Adam)을 하는 함수. ``fit``과 벤치마크(``benchmarks/``)가 같은 코드를 씁니다.

    돌려준 함수는 배치 ``[이미지, 레이블]``을 받아 손실 사전(첫 항목이 최적화한 값)을 돌려줍니다.
    """
    validate.checked_model(check_trainable(model, "make_train_step"), "make_train_step", needs=("losses",))
    if not isinstance(optimizer, torch.optim.Optimizer):
        raise TrainingSettingsError(f"make_train_step의 optimizer는 torch.optim.Optimizer여야 합니다 (예: adam(model, 1e-3)). "
                                    f"받은 값: {validate.describe(optimizer)}.",
                                    f"make_train_step: optimizer must be a torch.optim.Optimizer "
                                    f"(e.g. adam(model, 1e-3)), "
                                    f"got {validate.describe_en(optimizer)}.")
    bf16 = use_bf16(precision)
    if not isinstance(device_type, str):
        raise TrainingSettingsError(f"make_train_step의 device_type은 장치 종류 이름이어야 합니다 (\"cpu\", \"cuda\", \"mps\"). "
                                    f"받은 값: {validate.describe(device_type)}.",
                                    f"make_train_step: device_type must be a device type name (\"cpu\", \"cuda\", "
                                    f"\"mps\"), got {validate.describe_en(device_type)}.")
    device_type = validate.device(device_type).type
    autocast = (lambda: torch.autocast(device_type=device_type, dtype=torch.bfloat16)) if bf16 \
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

    def __post_init__(self):
        for split in ("train", "val", "steps"):
            record = getattr(self, split)
            if not isinstance(record, dict) or not all(isinstance(k, str) and isinstance(v, list)
                                                       for k, v in record.items()):
                raise TrainingSettingsError(f"History의 {split}은(는) {{손실 이름: 값의 목록}} 사전이어야 합니다 "
                                            f"(예: {{\"bce\": [0.27, 0.26]}}). 받은 값: {validate.describe(record)}.",
                                            f"History: {split} must be a {{loss name: list of values}} dict "
                                            f"(e.g. {{\"bce\": [0.27, 0.26]}}), got {validate.describe_en(record)}.")
        if not isinstance(self.interrupted, (bool, np.bool_)):
            raise TrainingSettingsError(f"History의 interrupted는 True 또는 False여야 합니다. 받은 값: {self.interrupted!r}.",
                                        f"History: interrupted must be True or False, got {self.interrupted!r}.")

    @property
    def epochs(self) -> int:
        return len(next(iter(self.train.values()), []))

    def add(self, split: str, losses: dict[str, float]) -> None:
        """에포크 하나의 손실들을 ``split``("train" 또는 "val")에 덧붙입니다."""
        if split not in ("train", "val"):
            raise TrainingSettingsError(f"History.add의 split은 \"train\" 또는 \"val\"이어야 합니다. 받은 값: {split!r}.",
                                        f"History.add: split must be \"train\" or \"val\", got {split!r}.")
        if not isinstance(losses, Mapping) or not all(isinstance(name, str) for name in losses):
            raise TrainingSettingsError(f"History.add의 losses는 {{손실 이름: 값}} 사전이어야 합니다. "
                                        f"받은 값: {validate.describe(losses)}.",
                                        f"History.add: losses must be a {{loss name: value}} dict, "
                                        f"got {validate.describe_en(losses)}.")
        for name, value in losses.items():
            getattr(self, split).setdefault(name, []).append(value)

    def to_dict(self) -> dict:
        return {"train": self.train, "val": self.val, "interrupted": self.interrupted, "steps": self.steps}

    @classmethod
    def from_dict(cls, d: dict) -> "History":
        """``to_dict``의 결과(체크포인트의 "history")에서 되살립니다. "train"과 "val" 사전이 있어야 합니다."""
        if not isinstance(d, Mapping) or not all(isinstance(d.get(k), Mapping) for k in ("train", "val")) \
                or not isinstance(d.get("steps", {}), Mapping):
            shown = sorted(map(str, d)) if isinstance(d, Mapping) else validate.describe(d)
            raise TrainingSettingsError(f"History.from_dict에는 History.to_dict()의 결과처럼 \"train\"과 \"val\" 사전이 "
                                        f"있는 사전이 필요합니다. 받은 값: {shown}.",
                                        f"History.from_dict needs a dict with \"train\" and \"val\" dicts, as made by "
                                        f"History.to_dict(); got {shown}.")
        return cls(train=dict(d["train"]), val=dict(d["val"]), interrupted=d.get("interrupted", False),
                   steps=dict(d.get("steps", {})))


def losses_arguments(model) -> tuple[int, int | None]:
    """``model.losses``가 받는 위치 인자의 수 (꼭 필요한 수, 가장 많은 수 또는 제한 없으면 None)."""
    try:
        parameters = inspect.signature(model.losses).parameters.values()
    except (TypeError, ValueError):  # 서명을 알 수 없는 함수: 무엇이든 받는다고 봄
        return 1, None
    least, most = 0, 0
    for p in parameters:
        if p.kind == p.VAR_POSITIONAL:
            most = None
        elif p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            least += p.default is p.empty
            most = None if most is None else most + 1
    return least, most


def matching_dataset(model, dataset: TensorDataset, name: str, function: str) -> TensorDataset:
    """이 모델의 ``losses``가 받는 데이터셋인지: 텐서 수(이미지만, 또는 이미지와 레이블), 레이블을 쓰는 모델이면
    (N,) 모양의 레이블. int32 등 다른 정수 자료형의 레이블은 int64로 바꾼 새 데이터셋을 돌려줍니다
    (``validate.dataset``이 먼저 값을 확인한 데이터셋)."""
    count = len(dataset.tensors)
    least, most = losses_arguments(model)
    model_name = type(model).__name__
    if count < least or (most is not None and count > most):
        if least >= 2:
            wants_ko, wants_en = "TensorDataset(이미지, 레이블): 레이블이 필요합니다", \
                "TensorDataset(images, labels): it needs the labels"
        elif most == 2:
            wants_ko, wants_en = "TensorDataset(이미지) 또는 TensorDataset(이미지, 레이블) (레이블은 쓰지 않음)", \
                "TensorDataset(images) or TensorDataset(images, labels) (the labels are not used)"
        elif most == 1:
            wants_ko, wants_en = "TensorDataset(이미지) (레이블 없이)", "TensorDataset(images) without labels"
        else:
            wants_ko = f"텐서 {least}개 이상{'' if most is None else f' {most}개 이하'}의 TensorDataset"
            wants_en = f"a TensorDataset of at least {least}{'' if most is None else f' and at most {most}'} tensors"
        held_ko = "이미지만" if count == 1 else f"텐서가 {count}개"
        held_en = "only images" if count == 1 else f"{count} tensors"
        raise TrainingSettingsError(f"{function}: {name}에 {held_ko} 있습니다. {model_name}.losses가 받는 데이터셋은 "
                                    f"{wants_ko}. aelib.data.load_fashion_mnist(...)의 데이터셋이 그 꼴입니다.",
                                    f"{function}: {name} holds {held_en}; {model_name}.losses takes {wants_en}. "
                                    "The datasets from aelib.data.load_fashion_mnist(...) have that form.")
    if count < 2:
        return dataset
    labels = dataset.tensors[1]
    if least >= 2 and labels.ndim != 1:  # 레이블을 쓰는 모델 (크로스 엔트로피는 (N,) 번호를 받음)
        raise ShapeError(f"{function}: {name}의 레이블은 (N,) 모양이어야 합니다 (이미지마다 번호 하나). "
                         f"받은 모양: {tuple(labels.shape)}. labels.reshape(-1)로 펴세요.",
                         f"{function}: the labels of {name} must be shaped (N,), one class number per image; "
                         f"got shape {tuple(labels.shape)}. Flatten them with labels.reshape(-1).")
    if labels.dtype != torch.int64 and not labels.is_floating_point() and labels.dtype != torch.bool:
        # numpy에서 온 int32·uint8 레이블: 값(0–9)은 확인했으니 int64로 (크로스 엔트로피가 받는 자료형)
        return TensorDataset(dataset.tensors[0], labels.long(), *dataset.tensors[2:])
    return dataset


def matching_history(model, history: "History", train_set: TensorDataset) -> None:
    """이어 쓸 ``history``가 이 모델의 기록인지: 손실 이름이 이 모델의 ``losses``와 같아야 합니다.
    이름은 이미지 한 장으로 손실을 한 번 계산해 얻습니다 (평가 모드, 기울기 없음; 이어서 fit이 시드를 다시 정함)."""
    recorded = set(history.train) | set(history.val) | set(history.steps)
    if not recorded:
        return
    was_training = model.training
    home = next(model.parameters()).device
    model.eval()
    try:
        with torch.no_grad():
            names = list(model.losses(*[t[:1].to(home) for t in train_set.tensors]))
    finally:
        model.train(was_training)
    if recorded != set(names):
        raise TrainingSettingsError(f"fit의 history에 있는 손실 {sorted(recorded)}이(가) 이 모델({type(model).__name__})의 "
                                    f"손실 {names}과(와) 다릅니다: 다른 모델의 기록입니다. 이 모델을 훈련한 fit이 "
                                    "돌려준 기록을 주거나 history를 빼세요 (새 기록).",
                                    f"fit: the history records losses {sorted(recorded)}, but this model "
                                    f"({type(model).__name__}) has losses {names}: it is another model's history. "
                                    "Pass the history returned by fit for this model, "
                                    "or leave history out (a new one).")


@torch.no_grad()
def evaluate(model: nn.Module, dataset: TensorDataset, batch_size: int = 500, device=None) -> dict[str, float]:
    """데이터셋 전체에 대한 평균 손실 (fp32, 훈련 모드 끔): ``{손실 이름: 값}``.

    ``dataset``: ``TensorDataset``(이미지 (N, 1, 32, 32) 실수 [0, 1], 레이블 (N,) 0–9), N ≥ 1.
    잘못된 데이터셋·배치 크기·장치는 계산 전에 ``TrainingSettingsError``/``ImageValueError``로 거절합니다.
    """
    validate.checked_model(model, "evaluate", needs=("losses",))
    if not isinstance(model, nn.Module) or not any(True for _ in model.parameters()):
        raise TrainingSettingsError(f"evaluate의 model은 파라미터가 있는 torch.nn.Module이어야 합니다 (Autoencoder, VAE, "
                                    f"ClothingClassifier). 받은 값: {type(model).__name__}.",
                                    f"evaluate: model must be a torch.nn.Module with parameters (Autoencoder, VAE, "
                                    f"ClothingClassifier), got {type(model).__name__}.")
    validate.dataset(dataset, "dataset")
    dataset = matching_dataset(model, dataset, "dataset", "evaluate")
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
    ``ShapeError``, ``LabelError`` 중 하나를 냅니다 (``aelib.validate.training_settings``). 데이터셋은 모델의
    ``losses``가 받는 꼴이어야 하고 (분류기는 레이블이 꼭 있어야 함), 이어 쓸 ``history``는 같은 손실 이름의 기록이어야
    합니다. int32·uint8 같은 다른 정수 자료형의 레이블(numpy에서 온 것)은 int64로 바꿔 씁니다.

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
    seed = validate.seed(seed, kind=TrainingSettingsError)
    if not isinstance(progress, (bool, np.bool_)):
        raise TrainingSettingsError(f"fit의 progress는 True(진행 막대) 또는 False여야 합니다. "
                                    f"받은 값: {validate.describe(progress)}.",
                                    f"fit: progress must be True (show a progress bar) or False, "
                                    f"got {validate.describe_en(progress)}.")
    train_set = matching_dataset(model, train_set, "train_set", "fit")
    if val_set is not None:
        val_set = matching_dataset(model, val_set, "val_set", "fit")
    if history is not None:
        matching_history(model, history, train_set)
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
