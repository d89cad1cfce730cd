"""노트북 07의 연습문제: 7.1 재매개변수화 트릭, 7.2 대각 정규분포의 KL, 7.3 예측 (σ = 2인 분포의 KL)."""

import math

import torch

from ..vae import kl_to_standard_normal
from ._core import Wrong, call, register, register_prediction, same, tensor

MISTAKES_71 = {
    "log_var_as_std": ("로그 분산을 표준편차처럼 썼습니다: `log_var`는 log σ²입니다.",
                       "Log-variance used as the standard deviation: log_var is log σ²."),
    "variance_as_std": ("분산을 표준편차처럼 썼습니다: `exp(log_var)`는 분산 σ²입니다.",
                        "Variance used as the standard deviation: exp(log_var) is σ²."),
    "no_noise": ("잡음 ε을 더하지 않았습니다: z는 평균에서 표준편차만큼 퍼져야 합니다.",
                 "No noise: z must spread around the mean by the standard deviation."),
    "noise_not_normal": ("잡음이 표준정규분포가 아닙니다 (`rand`는 0~1의 균등분포).",
                         "The noise is not standard normal (rand is uniform on [0, 1))."),
    "fixed_seed": ("부를 때마다 같은 z가 나옵니다: 함수 안에서 시드(`manual_seed`)이나 고정된 생성기를 쓰면 "
                   "훈련 내내 같은 잡음이 됩니다. 잡음은 부를 때마다 새로 뽑습니다.",
                   "Every call gives the same z: a seed or a fixed generator inside the function repeats the "
                   "same noise all through training. Draw fresh noise on every call."),
    "shared_across_dims": ("잠재 차원들이 잡음 하나를 함께 씁니다: ε은 차원마다 따로 뽑아야 합니다 (모양이 mean과 같게).",
                           "All latent dimensions share one noise value; draw ε per dimension (same shape as mean)."),
    "shared_across_batch": ("배치의 여러 입력이 같은 잡음을 함께 씁니다: ε은 입력마다 따로 뽑습니다 (모양이 mean과 같게).",
                            "Several inputs in the batch share the same noise; draw ε per input (same shape as mean)."),
    "dtype": ("입력이 {given}인데 결과가 {got}입니다: 잡음의 dtype을 mean에 맞추세요.",
              "The input is {given} but the result is {got}; give the noise mean's dtype."),
}

MISTAKES_72 = {
    "kl_wrong_sign": ("KL의 부호가 반대입니다: KL은 0 이상이어야 합니다.",
                      "KL has the wrong sign: it must be ≥ 0."),
    "kl_no_half": ("½을 빠뜨렸습니다: 값이 정답의 2배입니다.", "The factor ½ is missing: the value is twice the reference."),
    "kl_log_var_as_log_std": ("`log_var`를 log σ처럼 썼습니다: 분산은 `exp(log_var)`입니다.",
                              "log_var used as log σ: the variance is exp(log_var)."),
    "kl_sum_over_batch": ("입력마다의 KL (모양 (N,))이 아니라 배치 전체를 모았습니다: 잠재 차원으로만 더하세요.",
                          "Reduced over the whole batch; return one KL per input (shape (N,)), summing over latents only."),
    "kl_mean_over_latents": ("잠재 차원으로 더하지 않고 평균을 냈습니다: 대각 정규분포의 KL은 차원마다의 KL의 합입니다.",
                             "Averaged over latent dimensions; the KL of a diagonal Gaussian is the sum over them."),
}


def reparameterize(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """정답: z = 평균 + exp(½·로그 분산) · ε, ε ~ N(0, I)."""
    return mean + torch.exp(0.5 * log_var) * torch.randn_like(mean)


@register("7.1", "재매개변수화 트릭", "log_var에서 표준편차를 구하고 (σ² → σ), mean과 같은 모양의 표준정규 잡음을 "
          "부를 때마다 새로 뽑아, 평균에서 그만큼 옮기세요. 기울기가 평균과 로그 분산 모두에 흐르게 합니다.",
          reparameterize, MISTAKES_71)
def _grade_reparameterize(fn):
    n = 20000
    std = torch.tensor([2.0, 0.5, 1.0])
    mean = torch.tensor([1.0, -2.0, 0.5]).repeat(n, 1).requires_grad_()
    log_var = torch.log(std.square()).repeat(n, 1).requires_grad_()
    z = tensor(call(fn, mean, log_var), (n, 3))
    if z.dtype != mean.dtype:
        raise Wrong("dtype", given="float32", got=str(z.dtype)[6:])
    if not z.requires_grad:
        raise Wrong("detached")
    noise = (z - mean).detach()
    spread = noise.std(dim=0)
    if torch.allclose(spread, torch.zeros(3), atol=1e-6):
        if noise.abs().max() > 1e-6:
            raise Wrong("shared_across_batch")
        raise Wrong("no_noise")
    close = lambda target: bool(torch.allclose(spread, target, rtol=0.05))  # noqa: E731
    if not close(std):
        if close(log_var[0].detach().abs()):
            raise Wrong("log_var_as_std")
        if close(std.square()):
            raise Wrong("variance_as_std")
        if close(std / math.sqrt(12)):  # 균등분포 [0, 1)의 표준편차
            raise Wrong("noise_not_normal")
        raise Wrong("values", "z − 평균의 표준편차가 σ와 다릅니다 / the spread of z − mean is not σ")
    eps = noise / std
    if not (eps.mean(dim=0).abs() < 0.05).all() or (eps < 0).float().mean() < 0.4:
        raise Wrong("noise_not_normal")
    if torch.corrcoef(eps.T).abs().triu(1).max() > 0.1:
        raise Wrong("shared_across_dims")
    if min(torch.unique(noise[:, j]).numel() for j in range(3)) < 0.95 * n:  # 연속 분포: 값이 거의 겹치지 않음
        raise Wrong("shared_across_batch")
    again = tensor(call(fn, mean, log_var), (n, 3))
    if torch.equal(again.detach(), z.detach()):
        raise Wrong("fixed_seed")
    call(lambda: z.sum().backward())
    if mean.grad is None or log_var.grad is None:
        raise Wrong("detached")
    if not same(mean.grad, torch.ones_like(mean)) or not same(log_var.grad, 0.5 * noise, rtol=1e-3, atol=1e-4):
        raise Wrong("values", "기울기가 정답과 다릅니다 / the gradients differ")
    for shape, dtype in (((1, 2), torch.float32), ((4, 2), torch.float64)):
        small = tensor(call(fn, torch.zeros(shape, dtype=dtype), torch.zeros(shape, dtype=dtype)), shape)
        if small.dtype != dtype:
            raise Wrong("dtype", given=str(dtype)[6:], got=str(small.dtype)[6:])


def kl_divergence(mean: torch.Tensor, log_var: torch.Tensor) -> torch.Tensor:
    """정답: 입력마다 KL(N(평균, 분산) ‖ N(0, I)) = −½ Σ (1 + log σ² − μ² − σ²), 모양 (N,)."""
    return kl_to_standard_normal(mean, log_var)


@register("7.2", "대각 정규분포의 KL", "3.3절의 식을 한 차원씩이 아니라 텐서로 한꺼번에 쓰고, 더하는 것은 "
          "잠재 차원 쪽뿐입니다 (입력마다 KL 하나). log_var에서 σ²를 어떻게 얻는지 떠올리세요.",
          kl_divergence, MISTAKES_72)
def _grade_kl(fn):
    zero = tensor(call(fn, torch.zeros(4, 2), torch.zeros(4, 2)))
    mean = torch.randn(5, 3).requires_grad_()
    log_var = (0.8 * torch.randn(5, 3)).requires_grad_()
    out = tensor(call(fn, mean, log_var))
    expected = kl_divergence(mean, log_var)
    flat = out.reshape(-1)
    if out.numel() == 1 and (same(flat[0], expected.sum()) or same(flat[0], expected.mean())):
        raise Wrong("kl_sum_over_batch")
    if tuple(out.shape) != (5,):
        raise Wrong("shape", f"입력마다 하나 (N,) = (5,)이어야 합니다. 받은 모양 {tuple(out.shape)} / expected (5,)")
    if not same(out, expected):
        variants = {
            "kl_wrong_sign": -expected,
            "kl_no_half": 2 * expected,
            "kl_mean_over_latents": expected / 3,
            "kl_log_var_as_log_std": (-0.5 * (1 + 2 * log_var - mean.square() - (2 * log_var).exp())).sum(dim=1),
        }
        for mistake, wrong in variants.items():
            if same(out, wrong):
                raise Wrong(mistake)
        raise Wrong("values")
    if not same(zero, torch.zeros(4)):
        raise Wrong("values", "N(0, I) 자신과의 KL은 0이어야 합니다 / KL of N(0, I) to itself must be 0")
    if not out.requires_grad:
        raise Wrong("detached")
    grads = call(torch.autograd.grad, out.sum(), (mean, log_var))
    ref = torch.autograd.grad(expected.sum(), (mean, log_var))
    if not all(same(g, r) for g, r in zip(grads, ref)):
        raise Wrong("values", "기울기가 정답과 다릅니다 / the gradients differ")
    one = tensor(call(fn, torch.zeros(1, 2), torch.log(torch.full((1, 2), 4.0))), (1,))
    if not same(one, kl_divergence(torch.zeros(1, 2), torch.log(torch.full((1, 2), 4.0)))):
        raise Wrong("values", "배치 1에서 값이 다릅니다 / differs for a batch of one")


register_prediction("7.3", "σ = 2인 분포의 KL", tolerance=0.01)
