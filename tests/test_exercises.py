"""연습문제 채점: 정답은 통과하고, 흔한 실수는 그 이름으로 진단되며, 풀지 않은 답은 "아직 풀지 않았습니다"."""

import pytest
import torch
import torch.nn.functional as F

from aelib import exercises as E


# ---------------------------------------------------------------- 흔한 실수 (픽스처)


def conv_no_plus_one(n, kernel_size=3, stride=2, padding=1):
    return (n + 2 * padding - kernel_size) // stride


def conv_true_division(n, kernel_size=3, stride=2, padding=1):
    return (n + 2 * padding - kernel_size) / stride + 1


def conv_no_padding(n, kernel_size=3, stride=2, padding=1):
    return (n - kernel_size) // stride + 1


def conv_halving(n, kernel_size=3, stride=2, padding=1):
    return n // stride


def conv_renamed(n, k=3, s=2, p=1):
    return (n + 2 * p - k) // s + 1


class EncoderNoRelu(E.EncoderLayers):
    def forward(self, x):
        return self.fc(self.conv3(self.conv2(self.conv1(x))).flatten(1))


class EncoderReluAtEnd(E.EncoderLayers):
    def forward(self, x):
        return F.relu(E.ReferenceEncoder.forward(self, x))


class EncoderFlattenAll(E.EncoderLayers):
    def forward(self, x):
        x = F.relu(self.conv3(F.relu(self.conv2(F.relu(self.conv1(x))))))
        return self.fc(x.reshape(-1, 2048 * 3))


class EncoderDetached(E.EncoderLayers):
    def forward(self, x):
        return E.ReferenceEncoder.forward(self, x).detach()


def transposed_no_output_padding(n, kernel_size=3, stride=2, padding=1, output_padding=1):
    return (n - 1) * stride - 2 * padding + kernel_size


class DecoderSigmoid(E.DecoderLayers):
    def forward(self, z):
        return torch.sigmoid(E.ReferenceDecoder.forward(self, z))


class DecoderNoRelu(E.DecoderLayers):
    def forward(self, z):
        h = self.fc(z).reshape(-1, 128, 4, 4)
        return self.out(self.up3(self.up2(self.up1(h))))


def bce_sum(x_hat, x):
    return -(x * torch.log(x_hat) + (1 - x) * torch.log(1 - x_hat)).sum()


def bce_no_minus(x_hat, x):
    return (x * torch.log(x_hat) + (1 - x) * torch.log(1 - x_hat)).mean()


def bce_swapped(x_hat, x):
    return -(x_hat * torch.log(x) + (1 - x_hat) * torch.log(1 - x)).mean()


def eval_no_eval(model, images, batch_size=100):
    with torch.no_grad():
        total = sum(F.binary_cross_entropy_with_logits(model(b), b, reduction="sum").item()
                    for b in images.split(batch_size))
    return total / images.numel()


def eval_grad_enabled(model, images, batch_size=100):
    model.eval()
    total = sum(F.binary_cross_entropy_with_logits(model(b), b, reduction="sum").item() for b in images.split(batch_size))
    return total / images.numel()


def eval_mean_of_means(model, images, batch_size=100):
    model.eval()
    with torch.no_grad():
        means = [F.binary_cross_entropy_with_logits(model(b), b).item() for b in images.split(batch_size)]
    return sum(means) / len(means)


def eval_drop_last(model, images, batch_size=100):
    model.eval()
    with torch.no_grad():
        means = [F.binary_cross_entropy_with_logits(model(images[i:i + batch_size]), images[i:i + batch_size]).item()
                 for i in range(0, len(images) - batch_size + 1, batch_size)]
    return sum(means) / max(len(means), 1) if means else float("nan")


def eval_sigmoid_twice(model, images, batch_size=100):
    model.eval()
    with torch.no_grad():
        total = sum(F.binary_cross_entropy_with_logits(torch.sigmoid(model(b)), b, reduction="sum").item()
                    for b in images.split(batch_size))
    return total / images.numel()


def eval_tensor(model, images, batch_size=100):
    model.eval()
    total = torch.zeros(())
    with torch.no_grad():
        for start in range(0, len(images), batch_size):
            batch = images[start:start + batch_size]
            total = total + F.binary_cross_entropy_with_logits(model(batch), batch, reduction="sum")
    return total / images.numel()  # 텐서 그대로 (숫자가 아님)


def pad_one_side(images):
    return F.pad(images, (0, 4, 0, 4))


def pad_too_much(images):
    return F.pad(images, (4, 4, 4, 4))


def pad_ones(images):
    return F.pad(images, (2, 2, 2, 2), value=1.0)


def interpolate_no_endpoint(z_a, z_b, steps):
    t = torch.arange(steps).unsqueeze(1) / steps
    return (1 - t) * z_a + t * z_b


def interpolate_reversed(z_a, z_b, steps):
    return E.interpolate(z_b, z_a, steps)


def shares_counts(points, z, labels):
    return torch.bincount(labels[torch.cdist(points, z).argmin(1)], minlength=10)


def shares_farthest(points, z, labels):
    return torch.bincount(labels[torch.cdist(points, z).argmax(1)], minlength=10) / len(points)


def shares_index(points, z, labels):
    return torch.bincount(torch.cdist(points, z).argmin(1) % 10, minlength=10) / len(points)


def reparam_log_var_as_std(mean, log_var):
    return mean + log_var * torch.randn_like(mean)


def reparam_variance(mean, log_var):
    return mean + torch.exp(log_var) * torch.randn_like(mean)


def reparam_no_noise(mean, log_var):
    return mean + 0 * log_var


def reparam_uniform(mean, log_var):
    return mean + torch.exp(0.5 * log_var) * torch.rand_like(mean)


def reparam_in_place(mean, log_var):
    std = torch.exp(0.5 * log_var)
    std.mul_(torch.randn_like(mean))  # exp가 저장한 출력을 바꿈 → backward에서 오류
    return mean + std


def reparam_detached(mean, log_var):
    return (mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)).detach()


def kl_wrong_sign(mean, log_var):
    return 0.5 * (1 + log_var - mean.square() - log_var.exp()).sum(dim=1)


def kl_no_half(mean, log_var):
    return -(1 + log_var - mean.square() - log_var.exp()).sum(dim=1)


def kl_log_std(mean, log_var):
    return -0.5 * (1 + 2 * log_var - mean.square() - log_var.exp().square()).sum(dim=1)


def kl_batch_sum(mean, log_var):
    return -0.5 * (1 + log_var - mean.square() - log_var.exp()).sum()


def kl_mean_dims(mean, log_var):
    return -0.5 * (1 + log_var - mean.square() - log_var.exp()).mean(dim=1)


def kl_in_place(mean, log_var):
    var = log_var.exp()
    var.sub_(log_var + 1)  # exp가 저장한 출력을 바꿈 → backward에서 오류
    return 0.5 * (mean.square() + var).sum(dim=1)


def noise_no_clamp(x, sigma):
    return x + sigma * torch.randn_like(x)


def noise_variance(x, sigma):
    return (x + sigma**2 * torch.randn_like(x)).clamp(0, 1)


def noise_uniform(x, sigma):
    return (x + sigma * torch.rand_like(x)).clamp(0, 1)


def noise_in_place(x, sigma):
    x += sigma * torch.randn_like(x)
    return x.clamp_(0, 1)


def noise_same_for_all(x, sigma):
    return (x + sigma * torch.randn_like(x[:1])).clamp(0, 1)


def psnr_batch(clean, other):
    return 10 * torch.log10(1 / (clean - other).square().mean())


def psnr_20(clean, other):
    return 20 * torch.log10(1 / (clean - other).square().flatten(1).mean(1))


def psnr_rmse(clean, other):
    return 10 * torch.log10(1 / (clean - other).square().flatten(1).mean(1).sqrt())


def psnr_ln(clean, other):
    return 10 * torch.log(1 / (clean - other).square().flatten(1).mean(1))


def psnr_negative(clean, other):
    return 10 * torch.log10((clean - other).square().flatten(1).mean(1))


WRONG_ANSWERS = [
    ("1.1", pad_one_side, "pad_one_side"),
    ("1.1", pad_too_much, "pad_amount"),
    ("1.1", pad_ones, "not_zero"),
    ("2.1", conv_no_plus_one, "no_plus_one"),
    ("2.1", conv_true_division, "true_division"),
    ("2.1", conv_no_padding, "no_padding"),
    ("2.1", conv_halving, "halving"),
    ("2.1", conv_renamed, "keywords"),
    ("2.3", EncoderNoRelu, "missing_relu"),
    ("2.3", EncoderReluAtEnd, "relu_at_end"),
    ("2.3", EncoderFlattenAll, "error"),
    ("2.3", EncoderDetached, "detached"),
    ("3.1", transposed_no_output_padding, "missing_output_padding"),
    ("3.3", DecoderSigmoid, "sigmoid_in_forward"),
    ("3.3", DecoderNoRelu, "missing_relu"),
    ("4.1", bce_sum, "sum_not_mean"),
    ("4.1", bce_no_minus, "sign"),
    ("4.1", bce_swapped, "swapped_arguments"),
    ("4.3", eval_no_eval, "no_eval"),
    ("4.3", eval_grad_enabled, "grad_enabled"),
    ("4.3", eval_mean_of_means, "mean_of_batch_means"),
    ("4.3", eval_drop_last, "dropped_last"),
    ("4.3", eval_sigmoid_twice, "sigmoid_twice"),
    ("4.3", eval_tensor, "not_a_number"),
    ("5.1", interpolate_no_endpoint, "endpoints"),
    ("5.1", interpolate_reversed, "reversed"),
    ("6.1", shares_counts, "counts_not_shares"),
    ("6.1", shares_farthest, "farthest"),
    ("6.1", shares_index, "index_not_label"),
    ("7.1", reparam_log_var_as_std, "log_var_as_std"),
    ("7.1", reparam_variance, "variance_as_std"),
    ("7.1", reparam_no_noise, "no_noise"),
    ("7.1", reparam_uniform, "noise_not_normal"),
    ("7.1", reparam_in_place, "in_place"),
    ("7.1", reparam_detached, "detached"),
    ("7.2", kl_wrong_sign, "kl_wrong_sign"),
    ("7.2", kl_no_half, "kl_no_half"),
    ("7.2", kl_log_std, "kl_log_var_as_log_std"),
    ("7.2", kl_batch_sum, "kl_sum_over_batch"),
    ("7.2", kl_mean_dims, "kl_mean_over_latents"),
    ("7.2", kl_in_place, "in_place"),
    ("8.1", noise_no_clamp, "no_clamp"),
    ("8.1", noise_variance, "variance_as_std"),
    ("8.1", noise_uniform, "noise_not_normal"),
    ("8.1", noise_in_place, "input_modified"),
    ("8.1", noise_same_for_all, "same_noise"),
    ("8.2", psnr_batch, "per_image"),
    ("8.2", psnr_20, "psnr_factor_20"),
    ("8.2", psnr_rmse, "psnr_rmse"),
    ("8.2", psnr_ln, "psnr_natural_log"),
    ("8.2", psnr_negative, "psnr_sign"),
]


@pytest.mark.parametrize("key", sorted(E.EXERCISES))
def test_reference_passes(key):
    feedback = E.diagnose(key, E.EXERCISES[key].reference)
    assert feedback.ok, feedback.message
    assert "정답입니다 ✓" in feedback.message


@pytest.mark.parametrize("key, answer, mistake", WRONG_ANSWERS, ids=[f"{k}-{m}" for k, _, m in WRONG_ANSWERS])
def test_typical_mistake_is_named(key, answer, mistake):
    feedback = E.diagnose(key, answer)
    assert feedback.status == E.WRONG and feedback.mistake == mistake, feedback.message
    korean, english = E.mistakes(key)[mistake]
    assert "틀렸습니다" in feedback.message and "힌트" in feedback.message
    assert korean.split(":")[0].split("{")[0] in feedback.message
    assert english.split(":")[0].split("{")[0] in feedback.message
    assert "Traceback" not in feedback.message


def test_sum_instead_of_mean_names_the_factor_1024():
    assert "1,024배" in E.diagnose("4.1", bce_sum).message


def test_missing_output_padding_says_seven_instead_of_eight():
    message = E.diagnose("3.1", transposed_no_output_padding).message
    assert "7" in message and "8" in message


def unfinished_raise(*args, **kwargs):
    raise NotImplementedError()


def unfinished_ellipsis(*args, **kwargs):
    ...


class EncoderUnfinished(E.EncoderLayers):
    def forward(self, x):
        raise NotImplementedError()


@pytest.mark.parametrize("key", sorted(E.EXERCISES))
@pytest.mark.parametrize("answer", [unfinished_raise, unfinished_ellipsis, None, ...], ids=["raise", "body", "None", "dots"])
def test_unfinished_is_not_yet_solved(key, answer, capsys):
    if key in ("2.3", "3.3") and answer in (unfinished_raise, unfinished_ellipsis):
        answer = EncoderUnfinished if key == "2.3" else type("D", (E.DecoderLayers,), {"forward": unfinished_raise})
    feedback = E.diagnose(key, answer)
    assert feedback.status == E.UNSOLVED, feedback.message
    assert "아직 풀지 않았습니다" in feedback.message
    assert E.check(key, answer) == 0.0
    assert "아직 풀지 않았습니다" in capsys.readouterr().out


def test_fallback_uses_reference_and_says_so(capsys):
    fn = E.solution_or_reference(unfinished_raise, "2.1")
    assert fn is E.conv_output_size
    assert "aelib의 정답" in capsys.readouterr().out
    mine = E.solution_or_reference(E.conv_output_size, "2.1")
    assert mine is E.conv_output_size and "직접 쓴 답" in capsys.readouterr().out


def test_grading_does_not_change_the_notebook_random_stream():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    E.diagnose("7.1", E.reparameterize)
    assert torch.equal(torch.rand(3), expected)


def test_reveal_reports_unsolved_and_match(capsys):
    assert E.reveal("2.2", None, 25) == 0.0
    assert "아직 풀지 않았습니다" in capsys.readouterr().out
    assert E.reveal("2.2", 25, 25) == 1.0
    assert "맞았습니다 ✓" in capsys.readouterr().out
    assert E.reveal("2.2", 24, 25) == 0.0
    assert "다릅니다" in capsys.readouterr().out
