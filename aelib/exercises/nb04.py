"""노트북 04의 연습문제: 4.1 BCE를 직접, 4.2 예측 (완벽한 재구성의 BCE), 4.3 검증 손실을 배치로 재기."""

import math
import numbers

import torch
import torch.nn.functional as F
from torch import nn

from ._core import StudentError, Unsolved, Wrong, call, register, register_prediction, same, tensor, value

MISTAKES_41 = {
    "sum_not_mean": ("평균 대신 합을 썼습니다: 값이 정답의 {factor}배입니다.",
                     "Sum instead of mean: the value is {factor}× the reference."),
    "sign": ("부호가 반대입니다: 손실 앞의 마이너스를 빠뜨렸거나 한 번 더 붙였습니다.",
             "Wrong sign: the leading minus is missing or doubled."),
    "swapped_arguments": ("예측과 정답의 자리가 바뀌었습니다: log 안에는 예측 x̂가, 밖에는 정답 x가 들어갑니다.",
                          "Prediction and target are swapped: log takes the prediction x̂, the weight is the target x."),
    "scalar": ("숫자 하나(스칼라)여야 합니다: 모든 픽셀의 평균을 내세요.",
               "Expected a scalar: average over all pixels."),
}

MISTAKES_43 = {
    "not_a_number": ("파이썬 숫자(float)를 돌려주세요: 뒤의 셀은 숫자로 비교하고 출력합니다.",
                     "Return a Python float; the next cell compares and prints it as a number."),
    "no_eval": ("모델을 평가 모드로 두지 않았습니다 (`model.eval()`): 드롭아웃 같은 층이 훈련 때처럼 움직입니다.",
                "The model is not in evaluation mode (model.eval()); layers such as dropout act as in training."),
    "grad_enabled": ("평가하는 동안 기울기를 기록했습니다: `torch.no_grad()` 안에서 계산하면 메모리와 시간을 아낍니다.",
                     "Gradients were recorded during evaluation; compute inside torch.no_grad()."),
    "mean_of_batch_means": ("배치마다의 평균을 다시 평균했습니다: 마지막 배치가 작으면 그 배치의 이미지가 더 무겁게 "
                            "셈해집니다. 픽셀 전체의 평균이 되도록 배치마다 크기를 생각하세요.",
                            "Averaged the batch means: a smaller last batch then weighs more per image. "
                            "Weight each batch by its size so the result is the mean over all pixels."),
    "dropped_last": ("마지막의 작은 배치를 빠뜨렸습니다: 모든 이미지를 재야 합니다.",
                     "The last, smaller batch was skipped; every image must be measured."),
    "sigmoid_twice": ("시그모이드를 두 번 씌웠습니다: 모델의 출력은 로짓이고 `*_with_logits` 손실이 시그모이드를 씌웁니다.",
                      "Sigmoid applied twice: the model returns logits and a *_with_logits loss applies the sigmoid."),
    "ignored_batch_size": ("`batch_size`장씩 나누어 넣지 않았습니다: 모델에 한 번에 {largest}장이 들어갔습니다 "
                           "(batch_size={batch_size}). 이미지가 많으면 메모리가 모자랍니다.",
                           "Images were not fed batch_size at a time: the model saw {largest} images at once "
                           "(batch_size={batch_size}); with many images memory runs out."),
}


def bce(x_hat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """정답: 픽셀마다의 이진 크로스 엔트로피 −[x log x̂ + (1 − x) log(1 − x̂)]의 평균."""
    return -(x * torch.log(x_hat) + (1 - x) * torch.log(1 - x_hat)).mean()


@register("4.1", "이진 크로스 엔트로피를 직접", "1절의 식에서 픽셀 하나의 손실을 텐서 연산으로 한꺼번에 계산하고, "
          "이미지 크기와 상관없는 숫자 하나가 되도록 모든 픽셀을 모읍니다. 합과 평균 중 어느 쪽일까요?",
          bce, MISTAKES_41)
def _grade_bce(fn):
    for shape, dtype in (((1, 1, 32, 32), torch.float32), ((4, 1, 32, 32), torch.float32),
                         ((2, 1, 32, 32), torch.float64)):
        x = torch.rand(shape, dtype=dtype)
        x_hat = (0.02 + 0.96 * torch.rand(shape, dtype=dtype)).requires_grad_()
        out = tensor(call(fn, x_hat, x))
        expected = F.binary_cross_entropy(x_hat, x)
        if out.numel() != 1:
            raise Wrong("scalar", f"받은 모양 {tuple(out.shape)} / got shape {tuple(out.shape)}")
        out = out.reshape(())
        if not same(out, expected, rtol=1e-3, atol=1e-6):  # 안전한 로그의 작은 ε(1e-5 이하)은 정답
            ratio = (out / expected).item()
            for factor in (1024, x.numel()):
                if math.isclose(ratio, factor, rel_tol=1e-3):
                    raise Wrong("sum_not_mean", factor=f"{factor:,}")
            if same(out, -expected):
                raise Wrong("sign")
            if same(out, F.binary_cross_entropy(x, x_hat.detach())):
                raise Wrong("swapped_arguments")
            raise Wrong("values")
        if not out.requires_grad:
            raise Wrong("detached")
        (grad,) = call(torch.autograd.grad, out, x_hat)
        (ref_grad,) = torch.autograd.grad(expected, x_hat)
        if not same(grad, ref_grad, rtol=1e-3):
            raise Wrong("values", "기울기가 정답과 다릅니다 / the gradient differs")


register_prediction("4.2", "완벽한 재구성의 BCE", tolerance=0.002)


def evaluate_bce(model: nn.Module, images: torch.Tensor, batch_size: int = 100) -> float:
    """정답: 평가 모드와 ``no_grad``에서 배치마다 BCE의 합을 모아, 모든 픽셀의 평균 BCE (float)."""
    model.eval()
    total = 0.0
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            batch = images[start:start + batch_size]
            total += F.binary_cross_entropy_with_logits(model(batch), batch, reduction="sum").item()
    return total / images.numel()


class _TinyAutoencoder(nn.Module):
    """채점용 작은 모델 (빠름): 32×32 → 8 → 32×32 로짓, 드롭아웃이 있어 평가 모드가 값에 드러남."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Linear(1024, 8)
        self.drop = nn.Dropout(0.5)
        self.dec = nn.Linear(8, 1024)

    def forward(self, x):
        return self.dec(self.drop(torch.tanh(self.enc(x.flatten(1))))).reshape(x.shape) * 3


def _variant(model, images, batch_size, weighted=True, last=True, sigmoid=False):
    model.eval()
    values, sizes = [], []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            batch = images[start:start + batch_size]
            if not last and len(batch) < batch_size:
                continue
            logits = model(batch)
            logits = torch.sigmoid(logits) if sigmoid else logits
            values.append(F.binary_cross_entropy_with_logits(logits, batch).item())
            sizes.append(len(batch))
    if weighted:
        return sum(v * s for v, s in zip(values, sizes)) / sum(sizes)
    return sum(values) / len(values)


@register("4.3", "검증 손실을 배치로 재기", "평가할 때 모델에게 알려야 할 것 하나, 기울기에 대해 알려야 할 것 하나가 "
          "있습니다. 마지막 배치가 다른 배치보다 작을 때도 모든 픽셀의 평균이 되는지 생각해 보세요.",
          evaluate_bce, MISTAKES_43)
def _grade_evaluate(fn):
    model = _TinyAutoencoder()
    seen = {}

    def hook(module, args):
        seen["training"] = seen.get("training", False) or module.training
        seen["grad"] = seen.get("grad", False) or torch.is_grad_enabled()
        seen["largest"] = max(seen.get("largest", 0), len(args[0]) if args and hasattr(args[0], "__len__") else 0)

    model.register_forward_pre_hook(hook)
    for n, batch_size in ((250, 100), (7, 3), (5, 100)):
        images = torch.rand(n, 1, 32, 32)
        model.train()
        seen.clear()
        try:
            out = value(call(fn, model, images, batch_size=batch_size))
        except StudentError as e:
            if isinstance(e.error, TypeError) and "argument" in str(e.error):
                raise Wrong("keywords", call="evaluate_bce(model, images, batch_size=…)") from None
            raise
        if seen.get("training"):
            raise Wrong("no_eval")
        if seen.get("largest", 0) > batch_size:
            raise Wrong("ignored_batch_size", largest=seen["largest"], batch_size=batch_size)
        if isinstance(out, torch.Tensor):
            if out.requires_grad:
                raise Wrong("grad_enabled")
            raise Wrong("not_a_number")
        if isinstance(out, bool) or not isinstance(out, numbers.Real):  # 파이썬·numpy 실수 (np.float32도)
            raise Wrong("not_a_number")
        out = float(out)
        expected = evaluate_bce(model, images, batch_size)
        if math.isclose(out, expected, rel_tol=1e-4):
            if seen.get("grad"):
                raise Wrong("grad_enabled")
            continue
        for mistake, kwargs in (("mean_of_batch_means", {"weighted": False}), ("dropped_last", {"last": False}),
                                ("sigmoid_twice", {"sigmoid": True})):
            if math.isclose(out, _variant(model, images, batch_size, **kwargs), rel_tol=1e-4):
                raise Wrong(mistake)
        raise Wrong("values", f"받은 값 {out:.4f}, 정답 {expected:.4f} / got {out:.4f}, expected {expected:.4f}")
    if seen == {}:
        raise Unsolved
