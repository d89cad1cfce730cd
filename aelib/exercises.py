"""연습문제 채점: 직접 쓴 함수를 aelib의 정답과 무작위 입력에서 비교하고, 틀리면 흔한 실수를 알려 줍니다.

노트북의 연습문제마다 ``check_…`` 함수가 하나 있습니다. 채점은 세 가지 중 하나를 출력합니다.

- ``정답입니다 ✓`` — 무작위 입력 여러 개에서 모양·값·기울기가 정답과 같음
- ``아직 풀지 않았습니다`` — 함수가 ``NotImplementedError``를 내거나 ``None``/``...``을 돌려줌
- ``틀렸습니다 ✗`` — 가장 그럴듯한 실수를 한국어와 영어로 (예: 평균 대신 합, 시그모이드 두 번)

연습문제를 건너뛰어도 뒤의 셀은 돌아갑니다: ``solution_or_reference``는 직접 쓴 함수가 정답이면 그것을,
아니면 aelib의 정답을 돌려주며 어느 쪽을 쓰는지 알려 줍니다. 채점 결과는 소수를 출력하지 않으므로
다른 컴퓨터에서도 같은 글자가 나옵니다.
"""

import math
from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F
from torch import nn

from . import corruption, illustrations
from .vae import kl_to_standard_normal

CORRECT, UNSOLVED, WRONG = "correct", "unsolved", "wrong"

# 실수의 이름 → (한국어, 영어). 채점 결과의 ``mistake``가 이 이름 중 하나입니다.
MISTAKES = {
    "no_plus_one": ("마지막의 `+ 1`을 빠뜨렸습니다: 커널이 놓이는 첫 자리도 세어야 합니다.",
                    "Missing the final + 1: count the kernel's first position too."),
    "no_padding": ("패딩을 빠뜨렸습니다: 한 변에 패딩이 양쪽으로 붙으므로 `n + 2·padding`입니다.",
                   "Padding is missing: it is added on both sides, n + 2·padding."),
    "padding_once": ("패딩을 한쪽만 더했습니다: 양쪽에 붙으므로 `2·padding`입니다.",
                     "Padding counted once; it is added on both sides (2·padding)."),
    "true_division": ("나눗셈 `/`를 썼습니다: 스트라이드로 나눈 몫만 쓰므로 `//`입니다 (결과는 정수).",
                      "Used true division /; the size uses floor division // and is an integer."),
    "ceil": ("올림을 했습니다: 커널이 이미지 밖으로 나가는 자리는 버리므로 내림(`//`)입니다.",
             "Rounded up; positions where the kernel leaves the image are dropped, so round down (//)."),
    "halving": ("`n // stride`는 이 층(3×3, 패딩 1)에서만 맞는 지름길입니다. 공식 ⌊(n + 2p − k)/s⌋ + 1을 쓰세요.",
                "n // stride only works for this layer; use the formula floor((n + 2p − k)/s) + 1."),
    "missing_output_padding": ("`output_padding`을 빠뜨렸습니다: 4에서 8이 아니라 7이 나옵니다. 공식 끝에 "
                               "`+ output_padding`을 더하세요.",
                               "Missing output_padding: 4 becomes 7 instead of 8. Add + output_padding."),
    "transposed_padding_sign": ("패딩의 부호가 반대입니다: 전치 합성곱에서는 패딩만큼 가장자리를 잘라 내므로 "
                                "`− 2·padding`입니다.",
                                "Padding has the wrong sign: a transposed convolution crops it, − 2·padding."),
    "transposed_no_minus_one": ("`(n − 1)·stride`가 아니라 `n·stride`를 썼습니다: 도장 n개의 첫 자리는 "
                                "0, s, …, (n − 1)·s입니다.",
                                "Used n·stride instead of (n − 1)·stride."),
    "shape": ("출력의 모양이 다릅니다.", "The output has the wrong shape."),
    "missing_relu": ("층 사이의 ReLU를 빠뜨렸습니다: 합성곱 층마다 뒤에 ReLU가 있어야 합니다.",
                     "A ReLU between layers is missing: each convolution is followed by a ReLU."),
    "relu_at_end": ("마지막 Linear 뒤에도 ReLU를 씌웠습니다: 잠재 공간의 좌표는 음수도 될 수 있어야 합니다.",
                    "ReLU after the last Linear: latent coordinates must be able to be negative."),
    "sigmoid_in_forward": ("디코더가 시그모이드를 씌웠습니다: `forward`는 로짓을 돌려주고, 손실 "
                           "(`binary_cross_entropy_with_logits`)이 시그모이드를 한 번 더 씌우므로 두 번이 됩니다.",
                           "The decoder applies a sigmoid: forward returns logits, and the loss "
                           "(binary_cross_entropy_with_logits) applies the sigmoid again — twice in total."),
    "relu_at_output": ("마지막 Conv2d 뒤에 ReLU를 씌웠습니다: 로짓은 음수(배경)도 되어야 합니다.",
                       "ReLU after the output Conv2d: logits must be able to be negative (background)."),
    "detached": ("기울기가 흐르지 않습니다: `.detach()`, `.item()`, `.data`, `torch.no_grad()`를 쓰지 마세요.",
                 "No gradient flows: avoid .detach(), .item(), .data and torch.no_grad()."),
    "sum_not_mean": ("평균 대신 합을 썼습니다: 값이 정답의 {factor}배입니다. `.sum()` 대신 `.mean()`을 쓰세요.",
                     "Sum instead of mean: the value is {factor}× the reference. Use .mean() instead of .sum()."),
    "sign": ("부호가 반대입니다: 손실 앞의 마이너스를 빠뜨렸거나 한 번 더 붙였습니다.",
             "Wrong sign: the leading minus is missing or doubled."),
    "swapped_arguments": ("예측과 정답의 자리가 바뀌었습니다: log 안에는 예측 x̂가, 밖에는 정답 x가 들어갑니다.",
                          "Prediction and target are swapped: log takes the prediction x̂, the weight is the target x."),
    "sigmoid_twice": ("시그모이드를 두 번 씌웠습니다: 로짓에 시그모이드를 씌운 값을 `*_with_logits` 손실에 넣으면 "
                      "한 번 더 씌워집니다.",
                      "Sigmoid applied twice: a *_with_logits loss applies the sigmoid itself."),
    "no_zero_grad": ("`optimizer.zero_grad()`를 빠뜨렸습니다: 기울기가 스텝마다 쌓입니다.",
                     "Missing optimizer.zero_grad(): gradients accumulate from step to step."),
    "no_step": ("가중치가 바뀌지 않았습니다: `loss.backward()` 다음에 `optimizer.step()`을 부르세요.",
                "The weights did not change: call optimizer.step() after loss.backward()."),
    "not_a_number": ("파이썬 숫자를 돌려주세요: 손실 텐서에 `.item()`을 쓰면 됩니다.",
                     "Return a Python number: use .item() on the loss tensor."),
    "endpoints": ("끝점이 빠졌습니다: 첫 점은 z_a, 마지막 점은 정확히 z_b여야 합니다 (`steps`개, 양 끝 포함).",
                  "Endpoints missing: the first point must be z_a and the last exactly z_b (steps points)."),
    "reversed": ("방향이 반대입니다: z_a에서 시작해 z_b에서 끝나야 합니다.",
                 "Wrong direction: start at z_a and end at z_b."),
    "counts_not_shares": ("개수를 돌려주었습니다: 점의 수로 나누어 비율(합 1)로 만드세요.",
                          "Returned counts: divide by the number of points so that the shares sum to 1."),
    "farthest": ("가장 먼 임베딩을 골랐습니다: 거리의 `argmin`을 쓰세요.",
                 "Picked the farthest embedding: use argmin of the distances."),
    "index_not_label": ("임베딩의 번호를 레이블처럼 썼습니다: `labels[번호]`로 레이블을 찾으세요.",
                        "Used the embedding's index as its label: look it up with labels[index]."),
    "log_var_as_std": ("로그 분산을 표준편차처럼 썼습니다: 표준편차는 `torch.exp(0.5 * log_var)`입니다.",
                       "Log-variance used as the standard deviation: std = torch.exp(0.5 * log_var)."),
    "variance_as_std": ("분산을 표준편차처럼 썼습니다: `exp(log_var)`는 분산 σ²이고, 표준편차는 "
                        "`exp(0.5 * log_var)`입니다.",
                        "Variance used as the standard deviation: exp(log_var) is σ², std = exp(0.5 * log_var)."),
    "no_noise": ("잡음 ε을 더하지 않았습니다: z = 평균 + 표준편차 · ε, ε ~ N(0, I)입니다.",
                 "No noise: z = mean + std · ε with ε ~ N(0, I)."),
    "noise_not_normal": ("잡음이 표준정규분포가 아닙니다: `torch.randn_like(mean)`을 쓰세요 (`rand`는 균등분포).",
                         "The noise is not standard normal: use torch.randn_like(mean) (rand is uniform)."),
    "in_place": ("제자리 연산(`+=`, `.add_()`, `.exp_()` 등)이 자동 미분을 깨뜨렸습니다: 새 텐서를 만드는 연산을 쓰세요.",
                 "An in-place operation (+=, .add_(), .exp_(), …) broke autograd: use out-of-place operations."),
    "kl_wrong_sign": ("KL의 부호가 반대입니다: KL은 0 이상이어야 합니다. 앞의 −½을 확인하세요.",
                      "KL has the wrong sign: it must be ≥ 0. Check the leading −½."),
    "kl_no_half": ("½을 빠뜨렸습니다: 값이 정답의 2배입니다.", "The factor ½ is missing: the value is twice the reference."),
    "kl_log_var_as_log_std": ("`log_var`를 log σ처럼 썼습니다: 분산은 `exp(log_var)`이고, `exp(log_var)²`이 아닙니다.",
                              "log_var used as log σ: the variance is exp(log_var), not exp(log_var)²."),
    "kl_sum_over_batch": ("입력마다의 KL (모양 (N,))이 아니라 배치 전체를 더했습니다: 잠재 차원(dim=1)으로만 더하세요.",
                          "Summed over the whole batch; return one KL per input (shape (N,)), summing over dim=1 only."),
    "kl_mean_over_latents": ("잠재 차원으로 더하지 않고 평균을 냈습니다: 대각 정규분포의 KL은 차원마다의 KL의 합입니다.",
                             "Averaged over latent dimensions; the KL of a diagonal Gaussian is the sum over them."),
    "no_clamp": ("픽셀 값이 [0, 1]을 벗어났습니다: 잡음을 더한 뒤 `.clamp(0, 1)`로 자르세요.",
                 "Pixel values leave [0, 1]: clamp with .clamp(0, 1) after adding the noise."),
    "input_modified": ("입력 이미지를 제자리에서 바꿨습니다 (`x += …`, `x.add_(…)`): 원본이 망가집니다. 새 텐서를 돌려주세요.",
                       "The input images were modified in place (x += …): return a new tensor and keep the original."),
    "same_noise": ("모든 이미지에 같은 잡음을 더했습니다: 잡음은 픽셀마다, 이미지마다 새로 뽑습니다 (`torch.randn_like(x)`).",
                   "The same noise was added to every image; draw fresh noise per pixel and image (torch.randn_like(x))."),
    "per_image": ("배치 전체의 값 하나를 돌려주었습니다: 이미지마다 하나씩 (모양 (N,)) 계산하세요 (`.flatten(1).mean(dim=1)`).",
                  "Returned one value for the whole batch; compute one per image, shape (N,) (.flatten(1).mean(dim=1))."),
    "psnr_factor_20": ("평균제곱오차에 20·log10을 썼습니다: 20은 제곱근(RMSE)에 쓰는 계수이고, MSE에는 10·log10입니다.",
                       "Used 20·log10 with the mean squared error; 20 goes with the RMSE, 10·log10 with the MSE."),
    "psnr_rmse": ("제곱근(RMSE)에 10·log10을 썼습니다: 값이 정답의 절반입니다. MSE를 그대로 쓰세요.",
                  "Used 10·log10 of the RMSE: the value is half the reference. Use the MSE."),
    "psnr_natural_log": ("자연로그를 썼습니다: 데시벨은 상용로그 `torch.log10`입니다.",
                         "Used the natural log; decibels use the base-10 log, torch.log10."),
    "values": ("값이 정답과 다릅니다.", "The values differ from the reference."),
    "error": ("실행 중 오류가 났습니다: {error}", "The code raised an error: {error}"),
}


@dataclass
class Feedback:
    """채점 결과: ``status``는 correct/unsolved/wrong, ``mistake``는 ``MISTAKES``의 이름 (틀렸을 때)."""

    exercise: str
    status: str
    message: str
    mistake: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == CORRECT

    def __str__(self) -> str:
        return self.message


class _Wrong(Exception):
    def __init__(self, mistake: str, detail: str = "", **fmt):
        super().__init__(mistake)
        self.mistake, self.detail, self.fmt = mistake, detail, fmt


class _Unsolved(Exception):
    pass


def _value(out):
    """``None``/``...``은 아직 풀지 않은 것."""
    if out is None or out is Ellipsis:
        raise _Unsolved
    return out


def _same(a, b, rtol=1e-4, atol=1e-5) -> bool:
    a, b = torch.as_tensor(a, dtype=torch.float64), torch.as_tensor(b, dtype=torch.float64)
    return a.shape == b.shape and torch.allclose(a, b, rtol=rtol, atol=atol)


def _tensor(out, expected_shape=None):
    out = _value(out)
    if not isinstance(out, torch.Tensor):
        raise _Wrong("shape", f"텐서가 아니라 {type(out).__name__}을(를) 돌려주었습니다 / returned a "
                              f"{type(out).__name__}, not a tensor")
    if expected_shape is not None and tuple(out.shape) != tuple(expected_shape):
        raise _Wrong("shape", f"받은 모양 {tuple(out.shape)}, 정답의 모양 {tuple(expected_shape)} / got "
                              f"{tuple(out.shape)}, expected {tuple(expected_shape)}")
    return out


@dataclass
class Exercise:
    key: str  # "1.1"
    title: str
    hint: str
    grade: Callable  # answer → 통과하면 None, 아니면 _Wrong / _Unsolved
    reference: object


EXERCISES: dict[str, Exercise] = {}


def diagnose(key: str, answer) -> Feedback:
    """연습문제 ``key``에 대한 ``answer``의 채점 결과 (출력하지 않음)."""
    ex = EXERCISES[key]
    head = f"연습문제 {key} ({ex.title}): "
    try:
        if answer is None or answer is Ellipsis:
            raise _Unsolved
        with torch.random.fork_rng():  # 채점이 노트북의 난수 흐름을 바꾸지 않게
            torch.manual_seed(0)
            ex.grade(answer)
    except (_Unsolved, NotImplementedError):
        return Feedback(key, UNSOLVED, head + "아직 풀지 않았습니다. / Not yet solved.\n힌트: " + ex.hint)
    except _Wrong as w:
        return _wrong(key, head, w.mistake, w.detail, ex.hint, **w.fmt)
    except RuntimeError as e:
        if "inplace" in str(e) or "in-place" in str(e):
            return _wrong(key, head, "in_place", "", ex.hint)
        return _wrong(key, head, "error", "", ex.hint, error=_first_line(e))
    except Exception as e:  # 학생 코드의 어떤 오류든 추적 정보 대신 한 줄로
        return _wrong(key, head, "error", "", ex.hint, error=_first_line(e))
    return Feedback(key, CORRECT, head + "정답입니다 ✓ / Correct.")


def _first_line(e: Exception) -> str:
    text = str(e).strip().splitlines()
    return f"{type(e).__name__}: {text[0] if text else ''}".rstrip(": ")


def _wrong(key, head, mistake, detail, hint, **fmt) -> Feedback:
    ko, en = MISTAKES[mistake]
    lines = [head + "틀렸습니다 ✗", "  " + ko.format(**fmt), "  (" + en.format(**fmt) + ")"]
    if detail:
        lines.append("  " + detail)
    lines.append("힌트: " + hint)
    return Feedback(key, WRONG, "\n".join(lines), mistake)


def check(key: str, answer) -> None:
    """채점 결과를 출력합니다 (노트북의 채점 셀이 부르는 함수)."""
    print(diagnose(key, answer).message)


def solution_or_reference(answer, key: str):
    """직접 쓴 ``answer``가 정답이면 그것을, 아니면 aelib의 정답을 돌려주며 어느 쪽인지 알려 줍니다."""
    if diagnose(key, answer).ok:
        print(f"연습문제 {key}: 직접 쓴 답을 씁니다 ✓")
        return answer
    print(f"연습문제 {key}를 아직 풀지 않았거나 틀려서, 여기서는 aelib의 정답을 씁니다.\n"
          f"(Exercise {key} is not solved yet: using the reference from aelib.)")
    return EXERCISES[key].reference


def reveal(key: str, prediction, actual) -> None:
    """"예측하고 실행하기": 적어 둔 예측과 실제 값을 나란히 보여 줍니다."""
    if prediction is None or prediction is Ellipsis:
        print(f"연습문제 {key}: 아직 풀지 않았습니다 (예측을 적지 않았습니다). / Not yet solved (no prediction).\n"
              f"실제 값 / actual: {actual}")
    elif prediction == actual:
        print(f"연습문제 {key}: 예측 {prediction} — 실제 {actual}. 맞았습니다 ✓")
    else:
        print(f"연습문제 {key}: 예측 {prediction} — 실제 {actual}. 다릅니다: 아래 풀이와 힌트를 다시 보세요.")


def _register(key, title, hint, reference):
    def wrap(grade):
        EXERCISES[key] = Exercise(key, title, hint, grade, reference)
        return grade
    return wrap


def _match(answer_fn, cases, candidates: dict[str, Callable], reference: Callable, close=None) -> None:
    """모든 경우에 정답과 같으면 통과. 아니면 답이 모든 경우에 일치하는 흔한 실수를 찾습니다."""
    close = close or (lambda a, b: a == b)
    outs = [_value(answer_fn(*c)) for c in cases]
    refs = [reference(*c) for c in cases]
    if all(close(o, r) for o, r in zip(outs, refs)):
        return
    for mistake, wrong_fn in candidates.items():
        try:
            if all(close(o, wrong_fn(*c)) for o, c in zip(outs, cases)):
                raise _Wrong(mistake)
        except (ZeroDivisionError, ValueError, TypeError):
            continue
    bad = next(i for i, (o, r) in enumerate(zip(outs, refs)) if not close(o, r))
    raise _Wrong("values", f"입력 {cases[bad]}: 받은 값 {outs[bad]!r}, 정답 {refs[bad]!r} / "
                           f"input {cases[bad]}: got {outs[bad]!r}, expected {refs[bad]!r}")


# ---------------------------------------------------------------- 01 소개


def conv_output_size(n: int, kernel_size: int = 3, stride: int = 2, padding: int = 1) -> int:
    """정답: 합성곱 출력의 한 변 ⌊(n + 2p − k)/s⌋ + 1."""
    return illustrations.conv_output_size(n, kernel_size, stride, padding)


def _conv_cases():
    g = torch.Generator().manual_seed(1)
    cases = [(32, 3, 2, 1), (16, 3, 2, 1), (7, 3, 2, 1), (28, 3, 2, 1)]
    while len(cases) < 60:
        n, k, s, p = (int(torch.randint(lo, hi, (1,), generator=g)) for lo, hi in ((1, 65), (1, 8), (1, 4), (0, 4)))
        if n + 2 * p >= k:
            cases.append((n, k, s, p))
    return cases


@_register("1.1", "합성곱 출력의 크기", "한 변 n에 패딩을 양쪽으로 붙이고, 커널이 놓일 수 있는 자리를 스트라이드 간격으로 "
           "셉니다: ⌊(n + 2·padding − kernel_size) / stride⌋ + 1.", conv_output_size)
def _grade_conv_output_size(fn):
    outs = [_value(fn(*c)) for c in _conv_cases()[:4]]
    if any(isinstance(o, float) or (isinstance(o, torch.Tensor) and o.is_floating_point()) for o in outs):
        raise _Wrong("true_division")
    _match(fn, _conv_cases(), {
        "no_plus_one": lambda n, k, s, p: (n + 2 * p - k) // s,
        "no_padding": lambda n, k, s, p: (n - k) // s + 1,
        "padding_once": lambda n, k, s, p: (n + p - k) // s + 1,
        "ceil": lambda n, k, s, p: -(-(n + 2 * p - k) // s) + 1,
        "halving": lambda n, k, s, p: n // s,
    }, conv_output_size, close=lambda o, r: int(o) == r)


# ---------------------------------------------------------------- 02 인코더


class EncoderLayers(nn.Module):
    """연습문제 2.1의 층들 (노트의 인코더와 같은 층, 이름만 붙임). ``forward``를 쓰는 것이 연습문제입니다."""

    def __init__(self, latents: int = 2):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, kernel_size=3, stride=2, padding=1)
        self.conv2 = nn.Conv2d(32, 64, kernel_size=3, stride=2, padding=1)
        self.conv3 = nn.Conv2d(64, 128, kernel_size=3, stride=2, padding=1)
        self.fc = nn.Linear(2048, latents)


class ReferenceEncoder(EncoderLayers):
    """정답: conv → ReLU 세 번, 펼치기, Linear."""

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.relu(self.conv2(x))
        x = F.relu(self.conv3(x))
        return self.fc(x.flatten(start_dim=1))


def _grade_module(cls, ref_cls, make_input, variants: list[tuple[str, Callable]]):
    """학생의 모듈을 만들고, 같은 가중치의 정답 모듈과 출력·기울기를 비교합니다."""
    student = _value(cls)()
    ref = ref_cls()
    ref.load_state_dict(student.state_dict())
    x = make_input()
    out = _tensor(student(x), None)
    expected = ref(x)
    if tuple(out.shape) != tuple(expected.shape):
        raise _Wrong("shape", f"받은 모양 {tuple(out.shape)}, 정답 {tuple(expected.shape)} / got {tuple(out.shape)}, "
                              f"expected {tuple(expected.shape)}")
    if not _same(out, expected):
        for mistake, variant in variants:
            if _same(out, variant(ref, x)):
                raise _Wrong(mistake)
        raise _Wrong("values")
    if not out.requires_grad:
        raise _Wrong("detached")
    out.square().sum().backward()
    if any(p.grad is None for p in student.parameters()):
        raise _Wrong("detached")


def _encoder_without(ref, x, relu_at=(1, 2, 3), end_relu=False):
    h = x
    for i, conv in enumerate((ref.conv1, ref.conv2, ref.conv3), start=1):
        h = conv(h)
        h = F.relu(h) if i in relu_at else h
    out = ref.fc(h.flatten(start_dim=1))
    return F.relu(out) if end_relu else out


@_register("2.1", "인코더의 forward", "conv1 → ReLU → conv2 → ReLU → conv3 → ReLU → 펼치기 "
           "(`x.flatten(start_dim=1)`: 배치 차원은 남김) → fc.", ReferenceEncoder)
def _grade_encoder(cls):
    _grade_module(cls, ReferenceEncoder, lambda: torch.rand(3, 1, 32, 32), [
        ("relu_at_end", lambda r, x: _encoder_without(r, x, end_relu=True)),
        ("missing_relu", lambda r, x: _encoder_without(r, x, relu_at=())),
        *[("missing_relu", lambda r, x, i=i: _encoder_without(r, x, relu_at=tuple({1, 2, 3} - {i})))
          for i in (1, 2, 3)],
    ])


# ---------------------------------------------------------------- 03 디코더


def transposed_output_size(n: int, kernel_size: int = 3, stride: int = 2, padding: int = 1,
                           output_padding: int = 1) -> int:
    """정답: 전치 합성곱 출력의 한 변 (n − 1)·s − 2p + k + output_padding."""
    return illustrations.conv_transpose_output_size(n, kernel_size, stride, padding, output_padding)


def _transposed_cases():
    g = torch.Generator().manual_seed(3)
    cases = [(4, 3, 2, 1, 1), (8, 3, 2, 1, 1), (16, 3, 2, 1, 1), (2, 3, 2, 1, 0)]
    while len(cases) < 60:
        n, k, s, p = (int(torch.randint(lo, hi, (1,), generator=g)) for lo, hi in ((1, 33), (1, 8), (1, 4), (0, 3)))
        op = int(torch.randint(0, s, (1,), generator=g))
        cases.append((n, k, s, p, op))
    return cases


@_register("3.1", "전치 합성곱 출력의 크기", "도장 n개를 s칸 간격으로 찍으면 캔버스는 (n − 1)·s + k, 여기에 "
           "output_padding을 더하고 양쪽 패딩 2·p를 잘라 냅니다.", transposed_output_size)
def _grade_transposed(fn):
    _match(fn, _transposed_cases(), {
        "missing_output_padding": lambda n, k, s, p, op: (n - 1) * s - 2 * p + k,
        "transposed_padding_sign": lambda n, k, s, p, op: (n - 1) * s + 2 * p + k + op,
        "transposed_no_minus_one": lambda n, k, s, p, op: n * s - 2 * p + k + op,
    }, transposed_output_size, close=lambda o, r: int(o) == r)


class DecoderLayers(nn.Module):
    """연습문제 3.3의 층들 (노트의 디코더와 같은 층, 이름만 붙임). ``forward``를 쓰는 것이 연습문제입니다."""

    def __init__(self, latents: int = 2):
        super().__init__()
        self.fc = nn.Linear(latents, 2048)
        self.up1 = nn.ConvTranspose2d(128, 128, kernel_size=3, stride=2, padding=1, output_padding=1)
        self.up2 = nn.ConvTranspose2d(128, 64, kernel_size=3, stride=2, padding=1, output_padding=1)
        self.up3 = nn.ConvTranspose2d(64, 32, kernel_size=3, stride=2, padding=1, output_padding=1)
        self.out = nn.Conv2d(32, 1, kernel_size=3, stride=1, padding=1)


class ReferenceDecoder(DecoderLayers):
    """정답: Linear → (N, 128, 4, 4) → 전치 합성곱 + ReLU 세 번 → Conv2d, 로짓을 돌려줌."""

    def forward(self, z):
        h = self.fc(z).reshape(-1, 128, 4, 4)
        h = F.relu(self.up1(h))
        h = F.relu(self.up2(h))
        h = F.relu(self.up3(h))
        return self.out(h)


def _decoder_variant(ref, z, relu=True, end=None):
    h = ref.fc(z).reshape(-1, 128, 4, 4)
    for up in (ref.up1, ref.up2, ref.up3):
        h = F.relu(up(h)) if relu else up(h)
    out = ref.out(h)
    return end(out) if end else out


@_register("3.3", "디코더의 forward", "fc → `reshape(-1, 128, 4, 4)` → (up → ReLU) 세 번 → out. 마지막에 시그모이드는 "
           "씌우지 않습니다: 디코더는 로짓을 돌려줍니다.", ReferenceDecoder)
def _grade_decoder(cls):
    _grade_module(cls, ReferenceDecoder, lambda: torch.randn(3, 2), [
        ("sigmoid_in_forward", lambda r, z: _decoder_variant(r, z, end=torch.sigmoid)),
        ("relu_at_output", lambda r, z: _decoder_variant(r, z, end=F.relu)),
        ("missing_relu", lambda r, z: _decoder_variant(r, z, relu=False)),
    ])


# ---------------------------------------------------------------- 04 훈련


def bce(x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """정답: 픽셀마다의 이진 크로스 엔트로피 −[x log x̂ + (1 − x) log(1 − x̂)]의 평균."""
    return -(x * torch.log(x_hat) + (1 - x) * torch.log(1 - x_hat)).mean()


@_register("4.1", "이진 크로스 엔트로피를 직접", "−[x·log x̂ + (1 − x)·log(1 − x̂)]를 픽셀마다 계산해 `.mean()`으로 "
           "평균합니다 (`torch.log` 사용).", bce)
def _grade_bce(fn):
    for shape in ((1, 1, 32, 32), (4, 1, 32, 32)):
        x = torch.rand(shape)
        x_hat = (0.02 + 0.96 * torch.rand(shape)).requires_grad_()
        out = _tensor(fn(x_hat, x))
        expected = F.binary_cross_entropy(x_hat, x)
        if out.numel() != 1:
            raise _Wrong("shape", f"숫자 하나(스칼라)여야 합니다. 받은 모양 {tuple(out.shape)} / expected a scalar")
        out = out.reshape(())
        if not _same(out, expected):
            ratio = (out / expected).item()
            for factor in (1024, x.numel()):
                if math.isclose(ratio, factor, rel_tol=1e-3):
                    raise _Wrong("sum_not_mean", factor=f"{factor:,}")
            if _same(out, -expected):
                raise _Wrong("sign")
            if _same(out, F.binary_cross_entropy(x, x_hat.detach())):
                raise _Wrong("swapped_arguments")
            raise _Wrong("values")
        if not out.requires_grad:
            raise _Wrong("detached")
        (grad,) = torch.autograd.grad(out, x_hat)
        (ref_grad,) = torch.autograd.grad(expected, x_hat)
        if not _same(grad, ref_grad):
            raise _Wrong("values", "기울기가 정답과 다릅니다 / the gradient differs")


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, x: torch.Tensor) -> float:
    """정답: 훈련 한 스텝 (기울기 비우기 → 손실 → 역전파 → 가중치 갱신), 손실 값을 돌려줌."""
    optimizer.zero_grad()
    loss = F.binary_cross_entropy_with_logits(model(x), x)
    loss.backward()
    optimizer.step()
    return loss.item()


class _TinyAutoencoder(nn.Module):
    """채점용 작은 모델 (빠름): 32×32 → 4 → 32×32 로짓."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(1024, 4)
        self.dec = nn.Linear(4, 1024)

    def forward(self, x):
        return self.dec(torch.tanh(self.enc(x.flatten(1)))).reshape(x.shape)


def _run_steps(step_fn, steps=2):
    torch.manual_seed(4)
    model = _TinyAutoencoder()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    x = torch.rand(8, 1, 32, 32)
    losses = [step_fn(model, optimizer, x) for _ in range(steps)]
    return losses, torch.cat([p.detach().flatten() for p in model.parameters()])


def _wrong_step(zero_grad=True, step=True, sigmoid=False, reduction="mean"):
    def fn(model, optimizer, x):
        if zero_grad:
            optimizer.zero_grad()
        logits = model(x)
        if sigmoid:
            logits = torch.sigmoid(logits)
        loss = F.binary_cross_entropy_with_logits(logits, x, reduction=reduction)
        loss.backward()
        if step:
            optimizer.step()
        return loss.item()
    return fn


@_register("4.3", "훈련 한 스텝", "기울기 비우기 → 손실(`F.binary_cross_entropy_with_logits`, 모델의 출력은 로짓) → 역전파 → "
           "옵티마이저 한 걸음 → 손실 값을 `.item()`으로.", train_step)
def _grade_train_step(fn):
    losses, params = _run_steps(fn)
    for value in losses:
        _value(value)
        if isinstance(value, torch.Tensor) and value.requires_grad:
            raise _Wrong("not_a_number")
    losses = [float(v) for v in losses]
    ref_losses, ref_params = _run_steps(train_step)
    if _same(losses, ref_losses) and _same(params, ref_params):
        return
    _, start = _run_steps(lambda m, o, x: 0.0, steps=1)
    if _same(params, start):
        raise _Wrong("no_step")
    ratio = losses[0] / ref_losses[0]
    if math.isclose(ratio, 8 * 1024, rel_tol=1e-3) or math.isclose(ratio, 1024, rel_tol=1e-3):
        raise _Wrong("sum_not_mean", factor=f"{round(ratio):,}")
    for mistake, variant in {"no_zero_grad": _wrong_step(zero_grad=False),
                             "sigmoid_twice": _wrong_step(sigmoid=True)}.items():
        v_losses, v_params = _run_steps(variant)
        if _same(losses, v_losses) and _same(params, v_params):
            raise _Wrong(mistake)
    raise _Wrong("values")


# ---------------------------------------------------------------- 05 잠재 공간


def interpolate(z_a: torch.Tensor, z_b: torch.Tensor, steps: int) -> torch.Tensor:
    """정답: z_a에서 z_b까지 직선 위의 점 ``steps``개 (양 끝 포함), 모양 (steps, 2)."""
    t = torch.linspace(0.0, 1.0, steps).unsqueeze(1)
    return (1 - t) * z_a + t * z_b


@_register("5.1", "두 점을 잇는 직선", "비율 t는 `torch.linspace(0, 1, steps)`, 모양 `(steps, 1)`로 세워서 "
           "(1 − t)·z_a + t·z_b.", interpolate)
def _grade_interpolate(fn):
    for steps in (2, 5, 21):
        z_a, z_b = torch.randn(2), torch.randn(2)
        out = _tensor(fn(z_a, z_b, steps))
        expected = interpolate(z_a, z_b, steps)
        if _same(out, expected):
            continue
        if _same(out, interpolate(z_b, z_a, steps)):
            raise _Wrong("reversed")
        if out.shape == expected.shape and not (_same(out[0], z_a) and _same(out[-1], z_b)):
            raise _Wrong("endpoints")
        if out.shape != expected.shape:
            raise _Wrong("shape", f"받은 모양 {tuple(out.shape)}, 정답 {tuple(expected.shape)} / got "
                                  f"{tuple(out.shape)}, expected {tuple(expected.shape)}")
        raise _Wrong("values")


# ---------------------------------------------------------------- 06 샘플링의 문제


def nearest_label_shares(points: torch.Tensor, z: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """정답: 점마다 가장 가까운 임베딩의 레이블을 붙이고, 레이블 0–9마다 점의 비율 (10,), 합 1.
    거리는 float64로 계산합니다 (경계에서 결정이 흔들리지 않게)."""
    d = torch.cdist(torch.as_tensor(points, dtype=torch.float64), torch.as_tensor(z, dtype=torch.float64))
    nearest = torch.as_tensor(labels)[d.argmin(dim=1)]
    return torch.bincount(nearest, minlength=10).double() / len(points)


@_register("6.1", "가장 가까운 레이블로 넓이 재기", "`torch.cdist(points, z)`로 거리 행렬을 만들고 `argmin(dim=1)`로 "
           "가장 가까운 임베딩의 번호를, `labels[번호]`로 레이블을 얻은 뒤, `torch.bincount(…, minlength=10)`을 "
           "점의 수로 나눕니다.", nearest_label_shares)
def _grade_shares(fn):
    z = torch.randn(300, 2, dtype=torch.float64)
    labels = torch.randint(0, 10, (300,))
    points = torch.rand(500, 2, dtype=torch.float64) * 6 - 3
    out = _tensor(fn(points, z, labels))
    expected = nearest_label_shares(points, z, labels)
    if _same(out.flatten(), expected, atol=1e-6):
        return
    d = torch.cdist(points, z)
    if _same(out.flatten(), expected * len(points)):
        raise _Wrong("counts_not_shares")
    far = torch.bincount(labels[d.argmax(dim=1)], minlength=10).double() / len(points)
    if out.numel() == 10 and _same(out.flatten(), far, atol=1e-6):
        raise _Wrong("farthest")
    index = d.argmin(dim=1)
    by_index = torch.bincount(index % 10, minlength=10).double() / len(points)
    if out.numel() == 10 and _same(out.flatten(), by_index, atol=1e-6):
        raise _Wrong("index_not_label")
    if out.numel() != 10:
        raise _Wrong("shape", f"클래스 10개의 비율 (10,)이어야 합니다. 받은 모양 {tuple(out.shape)} / expected shape (10,)")
    raise _Wrong("values")


# ---------------------------------------------------------------- 07 VAE


def reparameterize(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """정답: z = 평균 + exp(½·로그 분산) · ε, ε ~ N(0, I)."""
    return mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)


@_register("7.1", "재매개변수화 트릭", "표준편차 σ = `torch.exp(0.5 * log_var)`, 잡음 ε = `torch.randn_like(mean)`, "
           "z = mean + σ·ε.", reparameterize)
def _grade_reparameterize(fn):
    n = 20000
    std = torch.tensor([2.0, 0.5, 1.0])
    mean = torch.tensor([1.0, -2.0, 0.5]).repeat(n, 1).requires_grad_()
    log_var = torch.log(std.square()).repeat(n, 1).requires_grad_()
    z = _tensor(fn(mean, log_var), (n, 3))
    if not z.requires_grad:
        raise _Wrong("detached")
    noise = (z - mean).detach()
    spread = noise.std(dim=0)
    if torch.allclose(spread, torch.zeros(3), atol=1e-6):
        raise _Wrong("no_noise")
    close = lambda target: bool(torch.allclose(spread, target, rtol=0.05))  # noqa: E731
    if not close(std):
        if close(log_var[0].detach().abs()):
            raise _Wrong("log_var_as_std")
        if close(std.square()):
            raise _Wrong("variance_as_std")
        if close(std / math.sqrt(12)):  # 균등분포 [0, 1)의 표준편차
            raise _Wrong("noise_not_normal")
        raise _Wrong("values", "z − 평균의 표준편차가 σ와 다릅니다 / the spread of z − mean is not σ")
    eps = noise / std
    if not (eps.mean(dim=0).abs() < 0.05).all() or (eps < 0).float().mean() < 0.4:
        raise _Wrong("noise_not_normal")
    z.sum().backward()
    if mean.grad is None or log_var.grad is None:
        raise _Wrong("detached")
    if not _same(mean.grad, torch.ones_like(mean)) or not _same(log_var.grad, 0.5 * noise, rtol=1e-3, atol=1e-4):
        raise _Wrong("values", "기울기가 정답과 다릅니다 / the gradients differ")


def kl_divergence(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """정답: 입력마다 KL(N(평균, 분산) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²), 모양 (N,)."""
    return kl_to_standard_normal(mean, log_var)


@_register("7.2", "대각 정규분포의 KL", "−½ · Σ(1 + log_var − mean² − exp(log_var)), 합은 잠재 차원으로만 "
           "(`.sum(dim=1)`) 해서 모양 (N,)을 돌려줍니다.", kl_divergence)
def _grade_kl(fn):
    zero = _tensor(fn(torch.zeros(4, 2), torch.zeros(4, 2)))
    mean = torch.randn(5, 3).requires_grad_()
    log_var = (0.8 * torch.randn(5, 3)).requires_grad_()
    out = _tensor(fn(mean, log_var))
    expected = kl_divergence(mean, log_var)
    flat = out.reshape(-1)
    if out.numel() == 1 and _same(flat[0], expected.sum()):
        raise _Wrong("kl_sum_over_batch")
    if out.numel() == 1 and _same(flat[0], expected.mean()):
        raise _Wrong("kl_sum_over_batch")
    if tuple(out.shape) != (5,):
        raise _Wrong("shape", f"입력마다 하나 (N,) = (5,)이어야 합니다. 받은 모양 {tuple(out.shape)} / expected (5,)")
    if not _same(out, expected):
        variants = {
            "kl_wrong_sign": -expected,
            "kl_no_half": 2 * expected,
            "kl_mean_over_latents": expected / 3,
            "kl_log_var_as_log_std": (-0.5 * (1 + 2 * log_var - mean.square() - (2 * log_var).exp())).sum(dim=1),
        }
        for mistake, value in variants.items():
            if _same(out, value):
                raise _Wrong(mistake)
        raise _Wrong("values")
    if not _same(zero, torch.zeros(4)):
        raise _Wrong("values", "N(0, I) 자신과의 KL은 0이어야 합니다 / KL of N(0, I) to itself must be 0")
    if not out.requires_grad:
        raise _Wrong("detached")
    grads = torch.autograd.grad(out.sum(), (mean, log_var))
    ref = torch.autograd.grad(expected.sum(), (mean, log_var))
    if not all(_same(g, r) for g, r in zip(grads, ref)):
        raise _Wrong("values", "기울기가 정답과 다릅니다 / the gradients differ")


# ---------------------------------------------------------------- 08 2차원 너머


def add_gaussian_noise(x: torch.Tensor, sigma: float) -> torch.Tensor:
    """정답: 픽셀마다 x + σ·ε (ε ~ N(0, 1)), [0, 1]로 자름. 입력은 그대로 둠 (``aelib.corruption.gaussian_noise``)."""
    return corruption.gaussian_noise(x, sigma)


@_register("8.1", "가우스 잡음으로 손상시키기", "잡음은 `torch.randn_like(x)`(픽셀마다 N(0, 1))에 σ를 곱해 더하고, "
           "픽셀 값이 0~1을 벗어나지 않게 `.clamp(0, 1)`로 자릅니다. 입력 `x`는 바꾸지 않습니다.", add_gaussian_noise)
def _grade_noise(fn):
    x = torch.full((64, 1, 32, 32), 0.5)
    original = x.clone()
    y = _tensor(fn(x, 0.2), x.shape)
    if not torch.equal(x, original):
        raise _Wrong("input_modified")
    if y.min() < 0 or y.max() > 1:
        raise _Wrong("no_clamp")
    noise = (y - 0.5).flatten()
    spread, center = noise.std().item(), noise.mean().item()
    if spread < 1e-6:
        raise _Wrong("no_noise")
    if math.isclose(spread, 0.04, rel_tol=0.1):
        raise _Wrong("variance_as_std")
    if not math.isclose(spread, 0.2, rel_tol=0.1) or abs(center) > 0.02:
        raise _Wrong("noise_not_normal")
    if torch.allclose(y[0], y[1]):
        raise _Wrong("same_noise")
    edge = _tensor(fn(torch.ones(4, 1, 32, 32), 0.3))
    if edge.max() > 1 or not math.isclose(float(edge.mean()), 1 - 0.3 / math.sqrt(2 * math.pi), abs_tol=0.02):
        raise _Wrong("values", "흰 픽셀(1)에 잡음을 더하고 자른 결과가 정답과 다릅니다 / clamping of white pixels differs")


def psnr(clean: torch.Tensor, other: torch.Tensor) -> torch.Tensor:
    """정답: 이미지마다의 PSNR(dB) = 10·log10(1 / 평균제곱오차), 모양 (N,) (``aelib.corruption.psnr``)."""
    return corruption.psnr(clean, other)


@_register("8.2", "PSNR", "이미지마다 평균제곱오차 = `(clean - other).square().flatten(1).mean(dim=1)`, "
           "PSNR = 10·log10(1 / 평균제곱오차) (`torch.log10`).", psnr)
def _grade_psnr(fn):
    clean = torch.rand(5, 1, 32, 32, dtype=torch.float64)
    other = (clean + 0.1 * torch.randn_like(clean) * torch.arange(1, 6).reshape(5, 1, 1, 1)).clamp(0, 1)
    out = _tensor(fn(clean, other))
    expected = psnr(clean, other)
    if out.numel() == 1 and not _same(out.reshape(-1), expected[:1]):
        raise _Wrong("per_image")
    if tuple(out.shape) != (5,):
        raise _Wrong("shape", f"이미지마다 하나 (5,)이어야 합니다. 받은 모양 {tuple(out.shape)} / expected (5,)")
    if _same(out, expected, rtol=1e-3):
        return
    for mistake, factor in (("psnr_factor_20", 2.0), ("psnr_rmse", 0.5), ("psnr_natural_log", math.log(10)),
                            ("sign", -1.0)):
        if _same(out, factor * expected, rtol=1e-3):
            raise _Wrong(mistake)
    raise _Wrong("values")


# ---------------------------------------------------------------- 노트북에서 부르는 이름


def _checker(key: str, name: str):
    def check_fn(answer) -> None:
        check(key, answer)
    check_fn.__name__ = name
    check_fn.__doc__ = f"연습문제 {key} ({EXERCISES[key].title})를 채점해 결과를 출력합니다."
    return check_fn


check_conv_output_size = _checker("1.1", "check_conv_output_size")
check_encoder_forward = _checker("2.1", "check_encoder_forward")
check_transposed_output_size = _checker("3.1", "check_transposed_output_size")
check_decoder_forward = _checker("3.3", "check_decoder_forward")
check_bce = _checker("4.1", "check_bce")
check_train_step = _checker("4.3", "check_train_step")
check_interpolate = _checker("5.1", "check_interpolate")
check_nearest_label_shares = _checker("6.1", "check_nearest_label_shares")
check_reparameterize = _checker("7.1", "check_reparameterize")
check_kl_divergence = _checker("7.2", "check_kl_divergence")
check_add_gaussian_noise = _checker("8.1", "check_add_gaussian_noise")
check_psnr = _checker("8.2", "check_psnr")
