"""채점이 학생이 실제로 쓰는 여러 모양의 답을 올바르게 가르는지: 맞는 변형은 통과하고, 뒤의 셀에서 깨질 답은
"정답"이 아니며, 끝나지 않는 답은 시간 제한으로, 채점기의 오류는 학생의 잘못으로 보이지 않습니다."""

import signal
import sys
import time

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from torch import nn

from aelib import exercises as E
from aelib.exercises import _core


def ok(key, answer):
    feedback = E.diagnose(key, answer)
    assert feedback.ok, feedback.message


def wrong(key, answer, mistake):
    feedback = E.diagnose(key, answer)
    assert feedback.status == E.WRONG and feedback.mistake == mistake, feedback.message
    return feedback


# ---------------------------------------------------------------- 맞는 변형


def pad_into_zeros(images):
    out = torch.zeros(len(images), 1, 32, 32, dtype=images.dtype)
    out[:, :, 2:30, 2:30] = images
    return out


def pad_into_float32_zeros(images):
    out = torch.zeros(len(images), 1, 32, 32)  # 문제는 "같은 dtype으로"
    out[:, :, 2:30, 2:30] = images
    return out


class EncoderRebuiltFc(E.EncoderLayers):
    """자기 층을 만들고 물려받은 ``self.fc``를 다시 만든 답 (선언 순서가 쓰인 순서와 다름)."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 32, 3, 2, 1), nn.ReLU(), nn.Conv2d(32, 64, 3, 2, 1), nn.ReLU(),
                                      nn.Conv2d(64, 128, 3, 2, 1), nn.ReLU())
        self.fc = nn.Linear(2048, 2)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


class DecoderRebuiltOut(E.DecoderLayers):
    def __init__(self):
        super().__init__()
        self.ups = nn.Sequential(nn.ConvTranspose2d(128, 128, 3, 2, 1, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(128, 64, 3, 2, 1, 1), nn.ReLU(),
                                 nn.ConvTranspose2d(64, 32, 3, 2, 1, 1), nn.ReLU())
        self.out = nn.Conv2d(32, 1, 3, padding=1)

    def forward(self, z):
        return self.out(self.ups(self.fc(z).reshape(-1, 128, 4, 4)))


def evaluate_numpy_float32(model, images, batch_size=100):
    model.eval()
    sums = []
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            batch = images[start:start + batch_size]
            sums.append(F.binary_cross_entropy_with_logits(model(batch), batch, reduction="sum").numpy())
    return np.sum(sums) / images.numel()  # np.float32: 뒤의 셀은 숫자로 비교·출력하므로 돌아감


def evaluate_all_at_once(model, images, batch_size=100):
    model.eval()
    with torch.no_grad():
        return F.binary_cross_entropy_with_logits(model(images), images).item()


def evaluate_grad_left_off(model, images, batch_size=100):
    model.eval()
    torch.set_grad_enabled(False)
    total = 0.0
    for start in range(0, len(images), batch_size):
        batch = images[start:start + batch_size]
        total += F.binary_cross_entropy_with_logits(model(batch), batch, reduction="sum").item()
    return total / images.numel()


def reparam_float64_noise(mean, log_var):
    return mean + torch.exp(0.5 * log_var) * torch.from_numpy(np.random.randn(*mean.shape))


def reparam_pairs_share(mean, log_var):
    n = mean.shape[0]
    eps = torch.randn((n + 1) // 2, *mean.shape[1:], dtype=mean.dtype).repeat_interleave(2, 0)[:n]
    return mean + torch.exp(0.5 * log_var) * eps


def noise_shared_along_width(x, sigma):
    return (x + sigma * torch.randn(*x.shape[:-1], 1, dtype=x.dtype)).clamp(0, 1)


def noise_per_image(x, sigma):
    return (x + sigma * torch.randn(x.shape[0], 1, 1, 1, dtype=x.dtype)).clamp(0, 1)


def interpolate_transposed(z_a, z_b, steps):
    return torch.stack([torch.linspace(z_a[i], z_b[i], steps, dtype=z_a.dtype) for i in range(len(z_a))])


def transposed_float(n, kernel_size=3, stride=2, padding=1, output_padding=1):
    return (n - 1) * stride - 2 * padding + kernel_size + output_padding / 1


def conv_math_floor(n, kernel_size=3, stride=2, padding=1):
    import math
    return math.floor((n + 2 * padding - kernel_size) / stride) + 1


def conv_int_division(n, kernel_size=3, stride=2, padding=1):
    return int((n + 2 * padding - kernel_size) / stride) + 1  # 분자가 음수가 아니면 내림과 같음


class EncoderOwnLayers(E.EncoderLayers):
    """__init__에서 층을 새로 만든 답 (물려받은 층은 쓰지 않음)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(64, 128, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(2048, 2))

    def forward(self, x):
        return self.net(x)


class EncoderViewReshape(E.EncoderLayers):
    def forward(self, x):
        for conv in (self.conv1, self.conv2, self.conv3):
            x = torch.relu(conv(x))
        return self.fc(x.view(x.size(0), -1))


class DecoderOwnSequential(E.DecoderLayers):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(self.up1, nn.ReLU(), self.up2, nn.ReLU(), self.up3, nn.ReLU(), self.out)

    def forward(self, z):
        return self.body(self.fc(z).view(-1, 128, 4, 4))


def bce_safe_log(x_hat, x):
    eps = 1e-7
    return -(x * torch.log(x_hat + eps) + (1 - x) * torch.log(1 - x_hat + eps)).mean()


def bce_eps_1e5(x_hat, x):
    return -(x * torch.log(x_hat + 1e-5) + (1 - x) * torch.log(1 - x_hat + 1e-5)).mean()


def bce_clamped(x_hat, x):
    x_hat = x_hat.clamp(1e-6, 1 - 1e-6)
    return -(x * x_hat.log() + (1 - x) * (1 - x_hat).log()).mean()


def bce_torch(x_hat, x):
    return F.binary_cross_entropy(x_hat, x)


def eval_split(model, images, batch_size=100):
    model.eval()
    with torch.no_grad():
        total = sum(F.binary_cross_entropy_with_logits(model(b), b, reduction="sum") for b in images.split(batch_size))
    return float(total / images.numel())


def eval_weighted_means(model, images, batch_size=100):
    model.eval()
    with torch.inference_mode():
        parts = [(F.binary_cross_entropy_with_logits(model(b), b).item(), len(b)) for b in images.split(batch_size)]
    return sum(v * n for v, n in parts) / sum(n for _, n in parts)


def interpolate_lerp(z_a, z_b, steps):
    t = torch.linspace(0, 1, steps, dtype=z_a.dtype)[:, None]
    return torch.lerp(z_a, z_b, t)


def interpolate_stack(z_a, z_b, steps):
    return torch.stack([z_a + (z_b - z_a) * i / (steps - 1) for i in range(steps)])


def shares_numpy(points, z, labels):
    nearest = labels[torch.cdist(points, z).argmin(dim=1)].numpy()
    return np.bincount(nearest, minlength=10) / len(points)


def shares_float64(points, z, labels):
    d = ((points[:, None, :] - z[None, :, :]) ** 2).sum(-1)
    return torch.bincount(labels[d.argmin(1)], minlength=10).double() / points.shape[0]


def reparam_sqrt(mean, log_var):
    return mean + log_var.exp().sqrt() * torch.randn_like(mean)


def reparam_randn_shape(mean, log_var):
    return mean + torch.exp(log_var / 2) * torch.randn(mean.shape, dtype=mean.dtype)


def kl_var(mean, log_var):
    var = torch.exp(log_var)
    return 0.5 * torch.sum(mean**2 + var - log_var - 1, dim=-1)


def noise_randn_shape(x, sigma):
    return torch.clip(x + sigma * torch.randn(x.shape, dtype=x.dtype), 0.0, 1.0)


def psnr_mse_loss(clean, other):
    mse = F.mse_loss(other, clean, reduction="none").mean(dim=(1, 2, 3))
    return -10 * torch.log10(mse)


CORRECT_VARIANTS = [
    ("1.1", lambda images: F.pad(images, [2] * 4)),
    ("1.1", lambda images: torch.nn.ZeroPad2d(2)(images)),
    ("1.1", pad_into_zeros),
    ("2.1", conv_math_floor),
    ("2.1", conv_int_division),
    ("2.3", EncoderOwnLayers),
    ("2.3", EncoderRebuiltFc),
    ("3.3", DecoderRebuiltOut),
    ("4.3", evaluate_numpy_float32),
    ("2.3", EncoderViewReshape),
    ("3.3", DecoderOwnSequential),
    ("4.1", bce_safe_log),
    ("4.1", bce_clamped),
    ("4.1", bce_eps_1e5),
    ("4.1", bce_torch),
    ("4.3", eval_split),
    ("4.3", eval_weighted_means),
    ("5.1", interpolate_lerp),
    ("5.1", interpolate_stack),
    ("6.1", shares_numpy),
    ("6.1", shares_float64),
    ("7.1", reparam_sqrt),
    ("7.1", reparam_randn_shape),
    ("7.2", kl_var),
    ("8.1", noise_randn_shape),
    ("8.2", psnr_mse_loss),
]


@pytest.mark.parametrize("key, answer", CORRECT_VARIANTS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(CORRECT_VARIANTS)])
def test_correct_variants_pass(key, answer):
    ok(key, answer)


# ---------------------------------------------------------------- "정답"이면 뒤의 셀이 돌아가야 함


def reparam_seeded(mean, log_var):
    torch.manual_seed(0)
    return mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)


_FIXED = torch.Generator().manual_seed(1)


def reparam_fixed_generator(mean, log_var):
    g = torch.Generator().manual_seed(1)
    return mean + torch.exp(0.5 * log_var) * torch.randn(mean.shape, generator=g)


def reparam_one_eps_per_row(mean, log_var):
    return mean + torch.exp(0.5 * log_var) * torch.randn(mean.shape[0], 1)


def reparam_one_eps_per_batch(mean, log_var):
    return mean + torch.exp(0.5 * log_var) * torch.randn(1, mean.shape[1])


def reparam_float32_only(mean, log_var):
    return mean + torch.exp(0.5 * log_var) * torch.randn(mean.shape)


def noise_seeded(x, sigma):
    torch.manual_seed(0)
    return (x + sigma * torch.randn_like(x)).clamp(0, 1)


def noise_hard_coded_shape(x, sigma):
    return (x + sigma * torch.randn(64, 1, 32, 32)).clamp(0, 1)


def interpolate_float32_only(z_a, z_b, steps):
    return torch.lerp(z_a, z_b, torch.linspace(0, 1, steps)[:, None])


def interpolate_float32_result(z_a, z_b, steps):
    t = torch.linspace(0, 1, steps)[:, None]
    return ((1 - t) * z_a + t * z_b).float()


def shares_no_minlength(points, z, labels):
    return torch.bincount(labels[torch.cdist(points, z).argmin(1)]) / len(points)


def shares_2d(points, z, labels):
    return (torch.bincount(labels[torch.cdist(points, z).argmin(1)], minlength=10) / len(points))[None]


class EncoderSqueeze(E.EncoderLayers):
    def forward(self, x):
        return E.ReferenceEncoder.forward(self, x).squeeze()


class DecoderFixedBatch(E.DecoderLayers):
    def forward(self, z):
        h = self.fc(z).reshape(3, 128, 4, 4)
        for up in (self.up1, self.up2, self.up3):
            h = F.relu(up(h))
        return self.out(h)


def transposed_renamed(n, k=3, s=2, p=1, op=1):
    return (n - 1) * s - 2 * p + k + op


def pad_to_float32(images):
    return F.pad(images, (2, 2, 2, 2)).float()


def kl_batch1_wrong(mean, log_var):
    return (-0.5 * (1 + log_var - mean.square() - log_var.exp()).sum(dim=1)).squeeze()


def psnr_batch1(clean, other):
    return (10 * torch.log10(1 / (clean - other).square().flatten(1).mean(dim=1))).squeeze()


NEXT_CELLS_BREAK = [
    ("7.1", reparam_seeded, "fixed_seed"),
    ("7.1", reparam_fixed_generator, "fixed_seed"),
    ("7.1", reparam_one_eps_per_row, "shared_across_dims"),
    ("7.1", reparam_one_eps_per_batch, "shared_across_batch"),
    ("8.1", noise_seeded, "fixed_seed"),
    ("8.1", noise_hard_coded_shape, "error"),
    ("5.1", interpolate_float32_only, "dtype"),
    ("5.1", interpolate_float32_result, "dtype"),
    ("6.1", shares_no_minlength, "missing_classes"),
    ("6.1", shares_2d, "shape"),
    ("2.3", EncoderSqueeze, "shape"),
    ("3.3", DecoderFixedBatch, "error"),
    ("3.1", transposed_renamed, "keywords"),
    ("7.2", kl_batch1_wrong, "shape"),
    ("8.2", psnr_batch1, "shape"),
    ("1.1", pad_into_float32_zeros, "dtype"),
    ("4.3", evaluate_all_at_once, "ignored_batch_size"),
    ("4.3", evaluate_grad_left_off, "grad_mode_changed"),
    ("7.1", reparam_float64_noise, "dtype"),
    ("7.1", reparam_pairs_share, "shared_across_batch"),
    ("8.1", noise_shared_along_width, "same_noise"),
    ("8.1", noise_per_image, "same_noise"),
    ("5.1", interpolate_transposed, "transposed"),
    ("3.1", transposed_float, "not_int"),
]


@pytest.mark.parametrize("key, answer, mistake", NEXT_CELLS_BREAK,
                         ids=[f"{k}-{a.__name__}" for k, a, _ in NEXT_CELLS_BREAK])
def test_answers_that_break_the_next_cells_are_not_correct(key, answer, mistake):
    wrong(key, answer, mistake)


def test_numpy_where_a_tensor_is_needed_says_ndarray():
    feedback = wrong("8.2", lambda clean, other: (10 * torch.log10(1 / (clean - other).square().flatten(1).mean(1))).numpy(),
                     "not_tensor")
    assert "ndarray" in feedback.message


def test_evaluation_must_return_a_number():
    def returns_tensor(model, images, batch_size=100):
        model.eval()
        with torch.no_grad():
            return torch.tensor(E.evaluate_bce(model, images, batch_size))
    wrong("4.3", returns_tensor, "not_a_number")


# ---------------------------------------------------------------- 시간 제한, 오류, 메시지


def test_a_loop_that_never_ends_is_stopped_in_korean(monkeypatch):
    monkeypatch.setattr(_core, "TIME_LIMIT", 0.5)

    def forever(images):
        while True:
            pass

    started = time.monotonic()
    feedback = wrong("1.1", forever, "timeout")
    assert time.monotonic() - started < 5
    assert "초 안에 끝나지 않았습니다" in feedback.message


def test_a_bare_except_in_a_retry_loop_does_not_defeat_the_time_limit(monkeypatch):
    monkeypatch.setattr(_core, "TIME_LIMIT", 0.5)

    def retry_forever(images):
        out = None
        while out is None:
            try:
                sum(range(10 ** 5))
                out = F.pad(images, (2, 2, 2, 2), mode="no such mode")  # 매번 오류
            except:  # noqa: E722 — 학생이 흔히 쓰는 모양
                pass
        return out

    handler = signal.getsignal(signal.SIGALRM)
    started = time.monotonic()
    feedback = wrong("1.1", retry_forever, "timeout")
    assert time.monotonic() - started < 5 and sys.gettrace() is None
    assert signal.getsignal(signal.SIGALRM) is handler and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    assert E.diagnose("1.1", E.pad_to_32).ok  # 다음 채점은 그대로
    assert torch.is_grad_enabled()


def test_grade_mode_is_restored_after_a_student_switched_it_off():
    wrong("4.3", evaluate_grad_left_off, "grad_mode_changed")
    assert torch.is_grad_enabled()


def test_student_errors_are_shown_in_one_line_and_checker_errors_are_not_blamed_on_the_student(monkeypatch):
    def crashes(images):
        raise ValueError("학생의 오류")

    feedback = wrong("1.1", crashes, "error")
    assert "ValueError: 학생의 오류" in feedback.message and "Traceback" not in feedback.message

    def broken_grader(fn):
        raise KeyError("채점기 안의 실수")

    monkeypatch.setattr(E.EXERCISES["1.1"], "grade", broken_grader)
    feedback = E.diagnose("1.1", E.pad_to_32)
    assert feedback.status == E.CHECKER_ERROR and "채점기 오류" in feedback.message and "틀렸습니다" not in feedback.message
    assert E.check("1.1", E.pad_to_32) == 0.0


def test_student_stderr_and_warnings_do_not_reach_the_grade_cell(capsys):
    import sys
    import warnings

    def noisy(images):
        print("진단", file=sys.stderr)
        warnings.warn("경고")
        return F.pad(images, (2, 2, 2, 2))

    assert E.check("1.1", noisy) == 1.0
    assert capsys.readouterr().err == ""


def test_every_message_names_its_own_exercise():
    """8.1과 7.1은 같은 실수 이름을 써도 자기 연습문제의 말을 씁니다 (8.1의 말에 mean/log_var 없음)."""
    for key in ("8.1", "8.2"):
        for mistake, (korean, english) in E.mistakes(key).items():
            assert "log_var" not in korean + english and "mean" not in korean.replace("mean squared", ""), mistake
            assert "손실" not in korean or key != "8.2", mistake
    for key in E.EXERCISES:
        assert E.EXERCISES[key].mistakes, key


@pytest.mark.parametrize("prediction, actual, tolerance, expected", [
    ("0.562", 0.562, 0.002, 1.0), (" 0.56 ", 0.562, 0.002, 1.0), (0.5621, 0.562, 0.002, 1.0), (0.57, 0.562, 0.002, 0.0),
    ("293,120", 293120, 0, 1.0), (293_120.0, 293120, 0, 1.0), ("29312", 293120, 0, 0.0), ("많이", 293120, 0, 0.0),
    ((0, 1, 1), (0, 1, 1), 0, 1.0), ([0, 1, 1], (0, 1, 1), 0, 1.0), ((1, 1, 1), (0, 1, 1), 0, 0.0),
    ("가방 ", "가방", 0, 1.0), ("가방", "풀오버", 0, 0.0), (np.float64(0.14), 0.14, 0.02, 1.0),
    ("(0, 1, 1)", (0, 1, 1), 0, 1.0), ("0,1,1", (0, 1, 1), 0, 1.0), ("[0 1 1]", (0, 1, 1), 0, 1.0),
    ("(1, 1, 0)", (0, 1, 1), 0, 0.0), ("(0, 1)", (0, 1, 1), 0, 0.0), ("모름", (0, 1, 1), 0, 0.0),
])
def test_reveal_compares_numbers_with_a_tolerance_and_accepts_numeric_strings(prediction, actual, tolerance, expected,
                                                                                monkeypatch, capsys):
    monkeypatch.setitem(_core.PREDICTIONS, "9.9", _core.Prediction("9.9", "시험", tolerance))
    assert E.reveal("9.9", prediction, actual) == expected


def test_every_prediction_in_the_notebooks_is_registered():
    assert sorted(_core.PREDICTIONS) == ["1.2", "2.2", "2.4", "3.2", "4.2", "5.2", "6.2", "7.3", "8.3"]
