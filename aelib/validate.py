"""입력 확인: aelib의 공개 함수가 일을 시작하기 전에 잘못된 입력을 알아듣게 거절합니다.

함수마다 확인 하나, 한 줄로 부를 수 있게 만들었습니다. 통과하면 값을 (안전하게 바꿀 수 있으면 바꿔서)
돌려주고, 아니면 ``aelib.errors``의 오류를 냅니다: 한국어 줄 다음에 영어 줄, 인자 이름, 받은 값, 고치는 방법.
``widget=True``이면 같은 오류를 탐색 위젯용 자식(``ExplorerValueError``이기도 한 것)으로 냅니다.

값 확인은 싸게 합니다: 큰 이미지 텐서도 ``torch.aminmax`` 한 번(NaN·무한대·범위를 함께 봄)이면 됩니다.
"""

import math
import numbers
import operator
import os
from pathlib import Path

import numpy as np
import torch

from .errors import (FOR_WIDGET, ArgumentError, ImageValueError, LabelError, LatentValueError, ModelError, PathError,
                     ShapeError, TrainingSettingsError)

IMAGE_SHAPE = (1, 32, 32)
NUM_CLASSES = 10  # 표 3-3
SLACK = 1e-6  # [0, 1] 확인에서 허용하는 반올림 오차


def fail(kind, korean: str, english: str, widget: bool = False):
    """``kind`` 오류(위젯이면 위젯용 자식)를 만들어 냅니다."""
    raise (FOR_WIDGET[kind] if widget else kind)(korean, english)


def describe(x) -> str:
    """오류 메시지에 넣을 짧은 설명: 텐서·배열은 자료형과 모양, 그 밖에는 repr (길면 자름)."""
    if isinstance(x, torch.Tensor):
        return f"{x.dtype} 텐서, 모양 {tuple(x.shape)}"
    if isinstance(x, np.ndarray):
        return f"numpy {x.dtype} 배열, 모양 {x.shape}"
    text = repr(x)
    return text if len(text) <= 60 else text[:57] + "..."


def describe_en(x) -> str:
    if isinstance(x, torch.Tensor):
        return f"a {x.dtype} tensor of shape {tuple(x.shape)}"
    if isinstance(x, np.ndarray):
        return f"a numpy {x.dtype} array of shape {x.shape}"
    return describe(x)


def _num(v: float) -> str:
    return f"{v:.6g}"


# ---------------------------------------------------------------------------- 이미지


def image_values(x: torch.Tensor, name: str = "images", widget: bool = False) -> torch.Tensor:
    """이미지 텐서의 자료형과 값: 실수 자료형, NaN·무한대 없음, 값은 [0, 1]. 모양은 보지 않습니다."""
    kind = ImageValueError
    if not isinstance(x, torch.Tensor):
        fail(kind, f"{name}은(는) torch 텐서여야 합니다. 받은 값: {describe(x)}. torch.as_tensor({name})로 바꾸세요.",
             f"{name} must be a torch tensor, got {describe_en(x)}. Convert it with torch.as_tensor({name}).", widget)
    if not x.is_floating_point():
        if x.dtype == torch.uint8:
            fix_ko, fix_en = f"{name}.float() / 255로 [0, 1] 실수로 바꾸세요", f"convert it with {name}.float() / 255"
        else:
            fix_ko, fix_en = f"{name}.float()로 바꾸고 값이 [0, 1]인지 확인하세요", f"convert it with {name}.float() and keep values in [0, 1]"
        fail(kind, f"{name}의 자료형이 {x.dtype}입니다: 모델은 [0, 1] 범위의 실수(float32) 이미지를 받습니다. {fix_ko}.",
             f"{name} has dtype {x.dtype}: the model takes float32 images with values in [0, 1]; {fix_en}.", widget)
    if x.numel() == 0:
        return x
    lo, hi = value_range(x)  # NaN이 있으면 둘 다 NaN, 무한대는 그대로 보임
    if math.isnan(lo) or math.isnan(hi) or math.isinf(lo) or math.isinf(hi):
        flat = x.detach()
        nans, infs = int(torch.isnan(flat).sum()), int(torch.isinf(flat).sum())
        fail(kind, f"{name}에 NaN {nans}개, 무한대 {infs}개가 있습니다: 이미지 값은 유한해야 합니다. "
                   "이미지를 만든 계산(0으로 나누기 등)을 확인하세요.",
             f"{name} contains {nans} NaN and {infs} infinite value(s): image values must be finite. "
             "Check the computation that produced them (e.g. a division by zero).", widget)
    if lo < -SLACK or hi > 1.0 + SLACK:
        if lo >= 0.0 and 1.0 < hi <= 255.0 + SLACK:
            fix_ko = f"최댓값 {_num(hi)}: 0–255 이미지입니다. 255로 나누세요 ({name} / 255)"
            fix_en = f"maximum {_num(hi)}: these are 0–255 images. Divide by 255 ({name} / 255)"
        elif lo >= -1.0 - SLACK and hi <= 1.0 + SLACK:
            fix_ko = f"최솟값 {_num(lo)}: [−1, 1]로 정규화한 이미지입니다. ({name} + 1) / 2로 바꾸세요"
            fix_en = f"minimum {_num(lo)}: these images are normalised to [-1, 1]. Use ({name} + 1) / 2"
        else:
            fix_ko = f"값의 범위가 {_num(lo)} ~ {_num(hi)}입니다. [0, 1]로 옮기세요 (예: aelib.data.load_fashion_mnist의 이미지)"
            fix_en = (f"values range from {_num(lo)} to {_num(hi)}. Rescale them to [0, 1] "
                      "(as the images from aelib.data.load_fashion_mnist)")
        fail(kind, f"{name}의 값은 [0, 1] 범위여야 합니다 (흰 바탕 0, 옷 1). {fix_ko}.",
             f"{name} values must lie in [0, 1] (background 0, clothing 1); {fix_en}.", widget)
    return x


def value_range(x: torch.Tensor) -> tuple[float, float]:
    """(최솟값, 최댓값), NaN이 있으면 NaN. 작은 CPU 텐서(배치)는 numpy로: 스레드 하나라서 다른 프로그램이 CPU를
    쓰는 중에도 배치 하나에 0.1 ms 안팎 (torch.aminmax는 두 스레드가 서로를 기다리느라 10 ms까지 걸렸음)."""
    t = x.detach()
    small = t.numel() < 1_000_000  # 큰 텐서(데이터셋 전체)는 torch의 한 번 훑기가 더 빠름
    if small and t.device.type == "cpu" and t.dtype in (torch.float16, torch.float32, torch.float64):
        try:
            a = t.numpy()
            return float(a.min()), float(a.max())
        except (RuntimeError, ValueError):  # numpy가 못 읽는 보폭 등
            pass
    lo, hi = torch.aminmax(t)
    return float(lo), float(hi)


def image_shape_message(x) -> tuple[str, str]:
    shape = tuple(x.shape) if isinstance(x, torch.Tensor) else type(x).__name__
    return (
        f"인코더 입력은 (N, 1, 32, 32) 이미지 배치여야 합니다. 받은 모양: {shape}. "
        "28×28 이미지는 aelib.data.pad_to_32로 32×32로 만드세요.",
        f"The encoder expects a batch of images shaped (N, 1, 32, 32), got {shape}. "
        "Pad 28×28 images with aelib.data.pad_to_32.",
    )


def image_batch(x, name: str = "images", widget: bool = False, allow_empty: bool = True) -> torch.Tensor:
    """모델의 이미지 약속: 텐서 (N, 1, 32, 32), 실수 자료형, 값은 유한한 [0, 1]. 그대로 돌려줍니다."""
    if not isinstance(x, torch.Tensor) or x.ndim != 4 or tuple(x.shape[1:]) != IMAGE_SHAPE:
        fail(ShapeError, *image_shape_message(x), widget)
    if not allow_empty and len(x) == 0:
        fail(ShapeError, f"{name}에 이미지가 하나도 없습니다 (모양 {tuple(x.shape)}).",
             f"{name} holds no images (shape {tuple(x.shape)}).", widget)
    return image_values(x, name, widget)


def plot_images(images, name: str = "images") -> torch.Tensor:
    """그림용 이미지: 텐서·numpy 배열 (N, 1, 32, 32) 또는 (N, H, W), [0, 1] 실수. CPU 텐서로 돌려줍니다."""
    if isinstance(images, np.ndarray):
        images = torch.from_numpy(images)
    if not isinstance(images, torch.Tensor):
        fail(ImageValueError, f"{name}은(는) 이미지 텐서여야 합니다. 받은 값: {describe(images)}.",
             f"{name} must be an image tensor, got {describe_en(images)}.")
    images = images.detach().cpu()
    if images.ndim == 4 and images.shape[1] == 1:
        pass
    elif images.ndim != 3:
        fail(ShapeError, f"{name}의 모양은 (N, 1, H, W) 또는 (N, H, W)여야 합니다. 받은 모양: {tuple(images.shape)}. "
                         "이미지 한 장이면 images[None]처럼 배치 차원을 붙이세요.",
             f"{name} must be shaped (N, 1, H, W) or (N, H, W), got {tuple(images.shape)}. "
             "For a single image add the batch dimension, e.g. images[None].")
    return image_values(images, name)


# ---------------------------------------------------------------------------- 잠재 공간의 점


def _as_real_tensor(z, name: str, what_ko: str, what_en: str, widget: bool) -> torch.Tensor:
    """텐서·numpy 배열·목록 → 실수 텐서. 정수와 float64는 float32로 (값이 그대로인 변환), 나머지는 거절."""
    kind = LatentValueError
    if isinstance(z, torch.Tensor):
        t = z
    else:
        try:
            a = np.asarray(z)
        except (ValueError, TypeError) as exc:  # 길이가 다른 목록 등
            fail(kind, f"{name}을(를) {what_ko} 배열로 바꿀 수 없습니다: {describe(z)} ({type(exc).__name__}). "
                       f"같은 길이의 숫자 목록이나 텐서를 주세요.",
                 f"{name} cannot be turned into an array of {what_en}: {describe_en(z)} ({type(exc).__name__}). "
                 "Pass a tensor or equally long lists of numbers.", widget)
        if a.dtype.kind not in "iuf":
            fail(kind, f"{name}은(는) 실수 {what_ko}여야 합니다. 받은 값: {describe(z)} (자료형 {a.dtype}).",
                 f"{name} must hold real numbers ({what_en}), got {describe_en(z)} (dtype {a.dtype}).", widget)
        t = torch.from_numpy(np.ascontiguousarray(a))
    if t.dtype == torch.bool or t.is_complex():
        fail(kind, f"{name}의 자료형 {t.dtype}은(는) 잠재 공간의 좌표가 될 수 없습니다. 실수 텐서를 주세요.",
             f"{name} has dtype {t.dtype}, which cannot be a latent coordinate. Pass a real-valued tensor.", widget)
    return t.to(torch.float32)


def _non_finite_rows(t: torch.Tensor) -> tuple[int, list]:
    """(N, d) 텐서에서 NaN·무한대가 있는 줄의 수와 처음 세 줄의 번호 (없으면 0, [])."""
    finite = torch.isfinite(t)
    if bool(finite.all()):
        return 0, []
    bad = (~finite).any(dim=1).nonzero().flatten()
    return len(bad), bad[:3].tolist()


def latent_points(z, latents: int | None, name: str = "z", widget: bool = False, min_points: int = 1) -> torch.Tensor:
    """잠재 공간의 점들 (N, latents) → float32 텐서 (장치는 그대로, 텐서가 아니면 CPU).

    받는 것: 실수·정수 텐서, numpy 배열, 숫자 목록 (float64와 정수는 값 그대로 float32로 바꿈).
    ``latents=None``이면 잠재 크기는 무엇이든 받습니다 (N, d).
    거절: bool·복소수·문자열, 모양이 (N, latents)가 아닌 것, 점이 ``min_points``개보다 적은 것, NaN·무한대.
    """
    t = _as_real_tensor(z, name, "좌표", "coordinates", widget)
    if latents is None and t.ndim == 2 and t.shape[1] >= 1:
        latents = t.shape[1]  # 어떤 잠재 크기든 받는 함수 (bounds 등)
    if t.ndim != 2 or t.shape[1] != latents:
        latents = "d" if latents is None else latents
        hint_ko = " 점 하나라면 z.reshape(1, -1)처럼 배치 차원을 붙이세요." if t.ndim == 1 and len(t) == latents else ""
        hint_en = " For a single point add the batch dimension, e.g. z.reshape(1, -1)." if hint_ko else ""
        fail(ShapeError, f"{name}은(는) (N, {latents}) 잠재 벡터 배치여야 합니다 (잠재 크기 {latents}). "
                         f"받은 모양: {tuple(t.shape)}.{hint_ko}",
             f"{name} must be latent vectors shaped (N, {latents}) (latent size {latents}), "
             f"got shape {tuple(t.shape)}.{hint_en}", widget)
    if len(t) < min_points:
        fail(ShapeError, f"{name}에 점이 {len(t)}개 있습니다: {min_points}개 이상 필요합니다.",
             f"{name} holds {len(t)} point(s); at least {min_points} are needed.", widget)
    bad, first = _non_finite_rows(t)
    if bad:
        fail(LatentValueError, f"{name}의 점 {bad}개에 NaN 또는 무한대가 있습니다 (번호 {first} …). "
                               "잠재 공간의 점은 유한한 실수여야 합니다: 그 점을 빼거나 만든 계산을 확인하세요.",
             f"{bad} point(s) of {name} contain NaN or infinity (rows {first} ...). "
             "Latent points must be finite: drop them or check the computation that made them.", widget)
    return t


def spread_points(z, function: str, name: str = "z", min_points: int = 2, widget: bool = False) -> torch.Tensor:
    """통계(평균·분산·공분산·주성분)를 낼 임베딩 (N, d): 유한한 실수, 점이 ``min_points``개 이상, 그리고 모두 같은
    점이 아님 (분산이 0이면 비율·표준화가 NaN·무한대가 됨). float64는 그대로 두고 텐서로 돌려줍니다."""
    t = z if isinstance(z, torch.Tensor) else _as_real_tensor(z, name, "좌표", "coordinates", widget)
    if t.dtype not in (torch.float32, torch.float64):
        t = _as_real_tensor(t, name, "좌표", "coordinates", widget)
    t = t.detach().cpu()
    if t.ndim != 2 or t.shape[1] < 1:
        fail(ShapeError, f"{function}의 {name}은(는) (N, d) 임베딩이어야 합니다. 받은 모양: {tuple(t.shape)}.",
             f"{function} needs {name} shaped (N, d), got shape {tuple(t.shape)}.", widget)
    if len(t) < min_points:
        fail(ShapeError, f"{function}의 {name}에 점이 {len(t)}개 있습니다: 통계를 내려면 {min_points}개 이상 필요합니다.",
             f"{function}: {name} holds {len(t)} point(s); at least {min_points} are needed for statistics.", widget)
    bad, first = _non_finite_rows(t)
    if bad:
        fail(LatentValueError, f"{function}의 {name}에서 점 {bad}개에 NaN 또는 무한대가 있습니다 (번호 {first} …): "
                               "통계가 NaN이 됩니다. 그 점을 빼거나 임베딩을 만든 모델(발산한 훈련?)을 확인하세요.",
             f"{function}: {bad} point(s) of {name} contain NaN or infinity (rows {first} ...), "
             "so the statistics would be NaN. Drop them or check the model that made them (diverged training?).",
             widget)
    if bool((t == t[0]).all()):
        fail(LatentValueError, f"{function}의 {name}은(는) {len(t)}개가 모두 같은 점입니다 (분산 0): 비율과 표준화가 "
                               "0으로 나누기가 되어 NaN·무한대가 됩니다. 서로 다른 이미지의 임베딩을 주세요 "
                               "(모두 같다면 인코더가 망가졌을 수 있습니다).",
             f"{function}: all {len(t)} points of {name} are identical (zero variance), so ratios and "
             "standardisation would divide by zero (NaN/inf). Pass embeddings of different images "
             "(if they are all equal, the encoder may be broken).", widget)
    return t


def finite_vector(v, size: int | None, name: str, widget: bool = False) -> torch.Tensor:
    """길이 ``size``(None이면 1 이상 아무 길이)의 유한한 실수 벡터 (예: 상자의 lo, hi, 점 하나) → float32."""
    t = None if isinstance(v, numbers.Real) else _as_real_tensor(v, name, "좌표", "coordinates", widget).reshape(-1)
    if t is None or (len(t) != size if size is not None else len(t) == 0):
        count = size if size is not None else "1개 이상의"
        fail(ShapeError, f"{name}은(는) 실수 {count}개여야 합니다. 받은 값: {describe(v)}.",
             f"{name} must be {size if size is not None else 'one or more'} real numbers, got {describe_en(v)}.",
             widget)
    if not bool(torch.isfinite(t).all()):
        fail(LatentValueError, f"{name}에 NaN 또는 무한대가 있습니다: {t.tolist()}. 유한한 실수를 주세요.",
             f"{name} contains NaN or infinity: {t.tolist()}. Pass finite numbers.", widget)
    return t


# ---------------------------------------------------------------------------- 레이블


def class_labels(labels, n: int | None = None, name: str = "labels", widget: bool = False) -> np.ndarray:
    """표 3-3의 레이블 (N,) → int64 numpy 배열. 정수(또는 정수 값의 실수), 0–9, 개수는 ``n``과 같아야 합니다."""
    try:
        a = np.asarray(labels.detach().cpu() if isinstance(labels, torch.Tensor) else labels)
    except (ValueError, TypeError) as exc:
        fail(LabelError, f"{name}을(를) 숫자 배열로 바꿀 수 없습니다: {describe(labels)} ({type(exc).__name__}).",
             f"{name} cannot be turned into an array of numbers: {describe_en(labels)} ({type(exc).__name__}).", widget)
    if a.ndim == 0 or (a.ndim > 1 and a.size != a.shape[0]):
        fail(ShapeError, f"{name}은(는) 레이블 번호의 1차원 목록 (N,)이어야 합니다. 받은 모양: {a.shape}.",
             f"{name} must be a 1-D list of label numbers (N,), got shape {a.shape}.", widget)
    a = a.reshape(-1)
    if n is not None and len(a) != n:
        fail(ShapeError, f"레이블 수({len(a)})와 임베딩 수({n})가 다릅니다: {name}에는 임베딩마다 레이블이 하나씩 필요합니다.",
             f"The number of labels ({len(a)}) differs from the number of embeddings ({n}): "
             f"{name} needs one label per embedding.", widget)
    if a.dtype.kind not in "iuf" or a.dtype == np.bool_:
        fail(LabelError, f"{name}은(는) 표 3-3의 번호(0–9 정수)여야 합니다. 받은 자료형: {a.dtype}.",
             f"{name} must be Table 3-3 class numbers (integers 0–9), got dtype {a.dtype}.", widget)
    if a.dtype.kind == "f" and len(a) and not np.all(np.isfinite(a) & (a == np.round(a))):
        bad = a[~(np.isfinite(a) & (a == np.round(a)))][:3].tolist()
        fail(LabelError, f"{name}에 정수가 아닌 값이 있습니다: {bad}. 레이블은 표 3-3의 번호 0–9입니다.",
             f"{name} contains non-integer values: {bad}. Labels are Table 3-3 class numbers 0–9.", widget)
    a = a.astype(np.int64)
    if len(a) and (a.min() < 0 or a.max() >= NUM_CLASSES):
        bad = sorted(set(a[(a < 0) | (a >= NUM_CLASSES)].tolist()))[:5]
        fail(LabelError, f"{name}에 표 3-3에 없는 번호가 있습니다: {bad}. 레이블은 0–9입니다 "
                         "(0 티셔츠/탑 … 9 앵클 부츠).",
             f"{name} contains numbers outside Table 3-3: {bad}. Labels are 0–9 (0 T-shirt/top ... 9 Ankle boot).",
             widget)
    return a


def class_number(c, name: str = "class", widget: bool = False) -> int:
    """클래스 번호 하나: 0–9의 정수."""
    if isinstance(c, (bool, np.bool_)) or not isinstance(c, (numbers.Integral, torch.Tensor, np.integer)):
        fail(LabelError, f"{name}은(는) 표 3-3의 번호(0–9 정수)여야 합니다. 받은 값: {describe(c)}.",
             f"{name} must be a Table 3-3 class number (integer 0–9), got {describe_en(c)}.", widget)
    c = int(c)
    if not 0 <= c < NUM_CLASSES:
        fail(LabelError, f"{name} {c}은(는) 표 3-3에 없는 번호입니다: 0–9 중에서 고르세요.",
             f"{name} {c} is not in Table 3-3: choose a number 0–9.", widget)
    return c


def index_in(i, size: int, name: str, widget: bool = False, what_ko: str = "", what_en: str = "") -> int:
    """0 ≤ i < size인 정수 번호 (bool과 2.5 같은 실수는 거절)."""
    try:
        if isinstance(i, (bool, np.bool_)):
            raise TypeError
        i = operator.index(i)
    except TypeError:
        fail(ShapeError, f"{name}은(는) 정수 번호여야 합니다. 받은 값: {describe(i)}.",
             f"{name} must be an integer index, got {describe_en(i)}.", widget)
    if not 0 <= i < size:
        fail(ShapeError, f"{name} {i}: 없는 번호입니다{what_ko}. 0–{size - 1} 중에서 고르세요.",
             f"{name} {i} does not exist{what_en}; choose 0–{size - 1}.", widget)
    return i


# ---------------------------------------------------------------------------- 숫자 설정


def integer(v, name: str, minimum: int | None = None, kind=TrainingSettingsError, widget: bool = False) -> int:
    """정수 하나 (bool과 실수는 거절), ``minimum`` 이상."""
    try:
        if isinstance(v, (bool, np.bool_)):
            raise TypeError
        v = operator.index(v)
    except TypeError:
        hint = f" int({v!r})처럼 정수로 주세요." if isinstance(v, numbers.Real) else ""
        fail(kind, f"{name}은(는) 정수여야 합니다. 받은 값: {describe(v)}.{hint}",
             f"{name} must be an integer, got {describe_en(v)}.{' Pass an int, e.g. int(...).' if hint else ''}", widget)
    if minimum is not None and v < minimum:
        fail(kind, f"{name}은(는) {minimum} 이상이어야 합니다. 받은 값: {v}.",
             f"{name} must be at least {minimum}, got {v}.", widget)
    return v


SEED_RANGE = (-(2**63), 2**64 - 1)  # torch.manual_seed·Generator.manual_seed가 받는 범위


def seed(v, name: str = "seed", kind=ArgumentError, widget: bool = False) -> int:
    """난수 시드: 정수 (bool·실수·문자열·None은 거절, numpy 정수는 int로), torch가 받는 범위(−2⁶³ … 2⁶⁴ − 1) 안."""
    v = integer(v, name, kind=kind, widget=widget)
    if not SEED_RANGE[0] <= v <= SEED_RANGE[1]:
        fail(kind, f"{name} {v}은(는) 범위 밖입니다: 시드는 −2⁶³ … 2⁶⁴ − 1 사이의 정수여야 합니다 (예: 0, 42).",
             f"{name} {v} is out of range: a seed must be an integer between -2**63 and 2**64 - 1 (e.g. 0 or 42).",
             widget)
    return v


def count(n, name: str, minimum: int, maximum: int, why_ko: str, why_en: str, kind=ArgumentError) -> int:
    """개수 하나: ``minimum`` 이상 ``maximum`` 이하의 정수 (상한은 메모리를 지키려고; 까닭은 ``why_ko``/``why_en``)."""
    n = integer(n, name, minimum=minimum, kind=kind)
    if n > maximum:
        fail(kind, f"{name}={n:,}은(는) 너무 큽니다: {why_ko} {maximum:,} 이하로 주세요.",
             f"{name}={n:,} is too large: {why_en} Use at most {maximum:,}.")
    return n


def real(v, name: str, positive: bool = False, minimum: float | None = None, kind=TrainingSettingsError,
         widget: bool = False) -> float:
    """유한한 실수 하나 (``positive``면 > 0, ``minimum``이 있으면 그 이상)."""
    scalar_tensor = isinstance(v, torch.Tensor) and v.numel() == 1 and not v.is_complex()
    if isinstance(v, (bool, np.bool_)) or not (isinstance(v, numbers.Real) or scalar_tensor):
        fail(kind, f"{name}은(는) 실수여야 합니다. 받은 값: {describe(v)}.",
             f"{name} must be a real number, got {describe_en(v)}.", widget)
    v = float(v)
    if not math.isfinite(v):
        fail(kind, f"{name}은(는) 유한한 실수여야 합니다 (NaN·무한대 불가). 받은 값: {v}.",
             f"{name} must be finite (no NaN or infinity), got {v}.", widget)
    if positive and v <= 0:
        fail(kind, f"{name}은(는) 0보다 커야 합니다. 받은 값: {v:g}.", f"{name} must be greater than 0, got {v:g}.", widget)
    if minimum is not None and v < minimum:
        fail(kind, f"{name}은(는) {minimum:g} 이상이어야 합니다. 받은 값: {v:g}.",
             f"{name} must be at least {minimum:g}, got {v:g}.", widget)
    return v


def device(d) -> torch.device:
    """있는 장치만: ``None``·"cpu"·"cuda"(있을 때)·"mps"(있을 때) 또는 ``torch.device``."""
    kind = TrainingSettingsError
    try:
        dev = torch.device(d)
    except (RuntimeError, TypeError, ValueError):
        fail(kind, f"device {d!r}은(는) 알 수 없는 장치 이름입니다 (예: \"cpu\", \"cuda\", \"mps\"). "
                   "\"cpu\"를 쓰거나 device를 빼면 있는 가속기를 고릅니다.",
             f"device {d!r} is not a device name (e.g. \"cpu\", \"cuda\", \"mps\"). "
             "Use \"cpu\", or leave device out to pick an available accelerator.")
    if dev.type == "cpu":
        return dev
    if dev.type == "cuda":
        available = torch.cuda.is_available() and (dev.index is None or dev.index < torch.cuda.device_count())
    elif dev.type == "mps":
        available = bool(getattr(torch.backends, "mps", None)) and torch.backends.mps.is_available()
    elif dev.type == "meta":
        available = False
    else:
        try:
            torch.empty(1, device=dev)
            available = True
        except Exception:
            available = False
    if not available:
        fail(kind, f"device {d!r}: 이 컴퓨터에는 그 장치가 없습니다. device=\"cpu\"로 하거나 device를 빼세요 "
                   "(aelib.train.choose_device가 있는 장치를 고름).",
             f"device {d!r} is not available on this machine. Use device=\"cpu\" or leave device out "
             "(aelib.train.choose_device picks one that exists).")
    return dev


# ---------------------------------------------------------------------------- 훈련 설정


def dataset(ds, name: str = "train_set"):
    """훈련·평가용 데이터셋: ``TensorDataset(이미지 (N, 1, 32, 32) [0, 1], 레이블 (N,) 0–9)``, N ≥ 1."""
    from torch.utils.data import TensorDataset

    kind = TrainingSettingsError
    if not isinstance(ds, TensorDataset):
        fail(kind, f"{name}은(는) TensorDataset(이미지, 레이블)이어야 합니다. 받은 값: {type(ds).__name__}. "
                   "aelib.data.load_fashion_mnist(...)가 돌려주는 데이터셋을 쓰세요.",
             f"{name} must be a TensorDataset(images, labels), got {type(ds).__name__}. "
             "Use the dataset returned by aelib.data.load_fashion_mnist(...).")
    if len(ds.tensors) == 0 or len(ds) == 0:
        fail(kind, f"{name}이(가) 비어 있습니다 (0장): 훈련할 이미지가 없습니다. 데이터셋을 고른 조건을 확인하세요.",
             f"{name} is empty (0 images): there is nothing to train on. Check how the dataset was selected.")
    image_batch(ds.tensors[0], f"{name}의 이미지 / images of {name}")
    if len(ds.tensors) > 1:
        labels = ds.tensors[1]
        if isinstance(labels, torch.Tensor) and (labels.is_floating_point() or labels.dtype == torch.bool):
            fail(LabelError, f"{name}의 레이블 자료형이 {labels.dtype}입니다: 레이블은 표 3-3의 정수 번호여야 합니다. "
                             "labels.long()으로 바꾸세요.",
                 f"The labels of {name} have dtype {labels.dtype}: labels must be integer Table 3-3 class numbers. "
                 "Convert them with labels.long().")
        class_labels(labels, name=f"{name}의 레이블 / labels of {name}")
    return ds


def training_settings(model, train_set, val_set=None, *, epochs=3, batch_size=100, lr=1e-3, seed=0,
                      device_=None, precision="fp32", kernels="fast", history=None, history_type=None):
    """``fit``의 인자 확인: 하나라도 될 수 없는 값이면 훈련을 시작하기 전에 ``TrainingSettingsError``.

    돌려주는 것: (장치 또는 None, epochs, batch_size, lr, seed) — numpy 정수·실수는 파이썬 int·float로.
    장치가 None이면 고르는 것은 ``fit``이 합니다.
    """
    from torch import nn

    kind = TrainingSettingsError
    if not isinstance(model, nn.Module) or not callable(getattr(model, "losses", None)):
        fail(kind, f"model은 losses(이미지, 레이블)가 있는 aelib 모델이어야 합니다 (Autoencoder, VAE, ClothingClassifier). "
                   f"받은 값: {type(model).__name__}.",
             f"model must be an aelib model with losses(images, labels) (Autoencoder, VAE, ClothingClassifier), "
             f"got {type(model).__name__}.")
    if not any(True for _ in model.parameters()):
        fail(kind, "model에 훈련할 파라미터가 없습니다.", "model has no parameters to train.")
    checked_model(model, "fit", needs=("losses",), trainable=True)
    epochs = integer(epochs, "epochs", minimum=0)
    batch_size = integer(batch_size, "batch_size", minimum=1)
    lr = real(lr, "lr", positive=True)
    seed = integer(seed, "seed")
    if precision not in ("fp32", "bf16"):
        fail(kind, f"precision은 'fp32' 또는 'bf16'이어야 합니다. 받은 값: {precision!r}.",
             f"precision must be 'fp32' or 'bf16', got {precision!r}.")
    if kernels not in ("fast", "torch"):
        fail(kind, f"kernels는 'fast'(기본) 또는 'torch'여야 합니다. 받은 값: {kernels!r}.",
             f"kernels must be 'fast' (default) or 'torch', got {kernels!r}.")
    if history is not None and history_type is not None and not isinstance(history, history_type):
        fail(kind, f"history는 aelib.train.History(또는 None)여야 합니다. 받은 값: {type(history).__name__}.",
             f"history must be an aelib.train.History (or None), got {type(history).__name__}.")
    dev = device(device_) if device_ is not None else None
    dataset(train_set, "train_set")
    if val_set is not None:
        dataset(val_set, "val_set")
    return dev, epochs, batch_size, lr, seed


# ---------------------------------------------------------------------------- 경로


def writable_file(path, name: str = "path", kind=PathError) -> Path:
    """파일을 새로 쓸 수 있는 경로인지: 파일 자리에 폴더가 없고, 부모가 파일이 아니고, 부모 폴더에 쓸 수 있음.

    없는 부모 폴더는 만들어 줍니다 (사용자의 파일은 건드리지 않음).
    """
    try:
        text = os.fspath(path)
        path = Path(text).expanduser()
    except TypeError:
        fail(kind, f"{name}은(는) 파일 경로(문자열 또는 Path)여야 합니다. 받은 값: {describe(path)}.",
             f"{name} must be a file path (str or Path), got {describe_en(path)}.")
    except RuntimeError:  # "~없는사용자/…"
        fail(kind, f"{name} {text!r}의 ~를 집 폴더로 바꿀 수 없습니다 (그런 사용자가 없음). 전체 경로를 주세요.",
             f"Cannot expand ~ in {name} {text!r} (no such user); give a full path.")
    if not str(text).strip() or not path.name.strip():
        fail(kind, f"{name} {str(text)!r}은(는) 빈 이름입니다: 파일 이름을 주세요 (예: model.pt).",
             f"{name} {str(text)!r} is an empty name; give a file name (e.g. model.pt).")
    if path.is_dir():
        fail(kind, f"{name} {path}은(는) 폴더입니다: 파일 이름까지 주세요 (예: {path / 'model.pt'}).",
             f"{name} {path} is a folder: give a file name too (e.g. {path / 'model.pt'}).")
    for parent in path.parents:  # 가장 가까운 것부터: 파일인 부모가 있으면 폴더를 만들 수 없음
        if parent.exists():
            if not parent.is_dir():
                fail(kind, f"{name} {path}에 저장할 수 없습니다: 부모 {parent}이(가) 폴더가 아니라 파일입니다. "
                           "다른 경로를 고르세요.",
                     f"Cannot save to {name} {path}: its parent {parent} is a file, not a folder. Choose another path.")
            break
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(kind, f"{name} {path}의 폴더 {path.parent}을(를) 만들 수 없습니다 ({type(exc).__name__}: {exc.strerror}). "
                   "쓰기 권한이 있는 다른 경로를 고르세요.",
             f"Cannot create the folder {path.parent} for {name} {path} ({type(exc).__name__}: {exc.strerror}). "
             "Choose another path, one where you may write.")
    if not os.access(path.parent, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        where = path if path.exists() and not os.access(path, os.W_OK) else path.parent
        fail(kind, f"{name} {path}에 저장할 수 없습니다: {where}에 쓰기 권한이 없습니다. 다른 경로를 고르세요.",
             f"Cannot save to {name} {path}: no write permission on {where}. Choose another path.")
    return path


# ---------------------------------------------------------------------------- 모델

# 메서드 → (한국어 설명, 영어 설명, 그런 모델의 예)
MODEL_NEEDS = {
    "encode": ("이미지를 잠재 벡터로 바꾸는 encode(x)", "encode(x), images to latent vectors", "Autoencoder, VAE"),
    "decode": ("잠재 벡터를 이미지로 바꾸는 decode(z)", "decode(z), latent vectors to images", "Autoencoder, VAE"),
    "reconstruct": ("재구성하는 reconstruct(x)", "reconstruct(x)", "Autoencoder, VAE, DenoisingAutoencoder"),
    "judge": ("이미지를 분류하는 judge(images)", "judge(images), classifying images", "ClothingClassifier"),
    "losses": ("훈련 손실 losses(x, labels)", "losses(x, labels), the training losses",
               "Autoencoder, VAE, ClothingClassifier"),
    "decoder": ("디코더 층 decoder", "a decoder attribute", "Autoencoder, VAE"),
}


def checked_model(model, function: str, needs=(), trainable: bool = False, name: str = "model", kind=ModelError,
                  widget: bool = False):
    """``function``이 받을 수 있는 모델인지: 필요한 메서드(``needs``), 훈련할 파라미터(``trainable``),
    meta 장치가 아닌 실제 가중치, float32 가중치. 메시지는 함수 이름과 필요한 것을 말합니다. 모델을 그대로 돌려줍니다.
    ``function``: 함수 이름, 또는 줄마다 다른 (한국어 이름, 영어 이름)."""
    from torch import nn

    function_ko, function_en = function if isinstance(function, tuple) else (function, function)

    missing = [m for m in needs if not (callable(getattr(model, m, None)) if m != "decoder"
                                        else isinstance(getattr(model, m, None), nn.Module))]
    if missing:
        need_ko = ", ".join(MODEL_NEEDS[m][0] for m in missing)
        need_en = ", ".join(MODEL_NEEDS[m][1] for m in missing)
        example = MODEL_NEEDS[missing[0]][2]
        got = type(model).__name__
        if "judge" in missing and callable(getattr(model, "decode", None)):
            hint_ko, hint_en = " 오토인코더가 아니라 판정용 분류기를 주세요 (load_pretrained(\"classifier\")).", \
                " Pass the judging classifier, not an autoencoder (load_pretrained(\"classifier\"))."
        elif callable(getattr(model, "judge", None)):
            hint_ko, hint_en = " 분류기가 아니라 오토인코더를 주세요 (load_pretrained(\"autoencoder\")).", \
                " Pass an autoencoder, not the classifier (load_pretrained(\"autoencoder\"))."
        else:
            hint_ko = hint_en = ""
        fail(kind, f"{function_ko}의 {name}에는 {need_ko}이(가) 필요합니다 (예: {example}). 받은 값: {got}.{hint_ko}",
             f"{function_en} needs a {name} with {need_en} (e.g. {example}), got {got}.{hint_en}", widget)
    params = list(model.parameters()) if isinstance(model, nn.Module) else []
    if any(p.device.type == "meta" for p in params):
        fail(kind, f"{function_ko}의 {name}이(가) meta 장치에 있어 가중치 값이 없습니다. "
                   f"새로 만들거나 (예: Autoencoder()) {name}.to_empty(device=\"cpu\") 뒤 가중치를 불러오세요.",
             f"{function_en} got a {name} on the meta device, which holds no weight values. Create it anew "
             f"(e.g. Autoencoder()) or call {name}.to_empty(device=\"cpu\") and load weights.", widget)
    odd = sorted({str(p.dtype).replace("torch.", "") for p in params if p.is_floating_point() and p.dtype != torch.float32})
    if odd:
        fail(kind, f"{function_ko}의 {name} 가중치가 {', '.join(odd)}입니다: aelib은 float32 모델만 다룹니다. "
                   f"{name}.float()로 바꾸세요.",
             f"{function_en} got a {name} with {', '.join(odd)} weights; aelib works with float32 models. "
             f"Convert it with {name}.float().", widget)
    if trainable and params and not any(p.requires_grad for p in params):
        fail(kind, f"{function_ko}: {name}의 파라미터가 모두 얼어 있어 (requires_grad=False) 훈련할 것이 없습니다. "
                   f"{name}.requires_grad_(True)로 풀고 다시 실행하세요.",
             f"{function_en}: every parameter of {name} is frozen (requires_grad=False), so there is nothing to train. "
             f"Unfreeze it with {name}.requires_grad_(True) and run again.", widget)
    return model


# ---------------------------------------------------------------------------- 탐색 위젯


def explorer_model(model, name: str = "model") -> None:
    """탐색 위젯의 모델: ``decode(z)``가 있고 잠재 공간이 2차원 (슬라이더 z₁, z₂), meta 장치·float64가 아님."""
    if callable(getattr(model, "decode", None)):
        checked_model(model, ("탐색 위젯", "The explorer"), name=name, kind=ArgumentError, widget=True)
    if not callable(getattr(model, "decode", None)):
        fail(ArgumentError, f"{name}은(는) decode(z)가 있는 모델이어야 합니다 (Autoencoder, VAE). "
                            f"받은 값: {type(model).__name__}. aelib.pretrained.load_pretrained(...)의 모델을 쓰세요.",
             f"{name} must be a model with decode(z) (Autoencoder, VAE), got {type(model).__name__}. "
             "Use a model from aelib.pretrained.load_pretrained(...).", widget=True)
    latents = getattr(model, "latents", 2)
    if latents != 2:
        fail(ShapeError, f"{name}의 잠재 크기는 {latents}입니다: 탐색 위젯의 슬라이더는 2차원 잠재 공간(z₁, z₂)만 다룹니다. "
                         "Autoencoder(latents=2)를 쓰세요.",
             f"{name} has {latents} latents: the explorer's sliders cover a 2-D latent space (z1, z2) only. "
             "Use Autoencoder(latents=2).", widget=True)


def item(pair, name: str) -> tuple[int, int]:
    """보간 위젯의 아이템 하나: (클래스 번호 0–9, 그 클래스 안의 번호)."""
    try:
        cls, index = pair
    except (TypeError, ValueError):
        fail(ArgumentError, f"{name}은(는) (클래스 번호, 클래스 안 번호) 두 개여야 합니다 (예: {name}=(1, 0)은 첫 번째 바지). "
                            f"받은 값: {describe(pair)}.",
             f"{name} must be a pair (class number, index within the class), e.g. {name}=(1, 0) for the first "
             f"trouser; got {describe_en(pair)}.", widget=True)
    return class_number(cls, f"{name}[0]", widget=True), index


def class_item(cls, index, members: dict, side: str, names=None) -> tuple[int, int]:
    """보간의 한쪽 끝 (``class_{side}``, ``index_{side}``): 표 3-3의 클래스, 이 데이터에서 그 클래스의 몇 번째 아이템.

    ``members``: 클래스 번호 → 그 클래스 아이템들의 데이터셋 번호 배열, ``names``: 번호 → 한국어 이름 (메시지용).
    모두 위젯용 오류(``ExplorerValueError``)로 거절.
    """
    cls = class_number(cls, f"class_{side}", widget=True)
    name_of = (lambda c: f"({names[c]})") if names is not None else (lambda c: "")
    count = len(members.get(cls, ()))
    if not count:
        fail(LabelError, f"class_{side} {cls}{name_of(cls)}의 아이템이 이 데이터에 없습니다: 다른 클래스를 고르세요.",
             f"class_{side} {cls}: this data has no items of that class; choose another class.", widget=True)
    index = index_in(index, count, f"index_{side}", widget=True,
                     what_ko=f" (클래스 {cls}{name_of(cls)}의 아이템은 {count}개)",
                     what_en=f" (class {cls} has {count} items)")
    return cls, index
