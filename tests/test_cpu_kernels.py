"""빠른 CPU 커널(aelib.cpu_kernels)이 PyTorch의 층과 같은 값·같은 기울기를 내는지.

기준은 float64로 계산한 같은 층입니다: 빠른 커널은 fp32 반올림 오차 안에서 그 값과 같아야 합니다.
"""

import contextlib
import copy

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from aelib.classifier import ClothingClassifier
from aelib.cpu_kernels import fast_cpu_kernels, fast_forward
from aelib.denoising import DenoisingAutoencoder
from aelib.model import Autoencoder
from aelib.train import adam, evaluate, fit, make_train_step, seed_everything
from aelib.vae import VAE

# (층, 입력 모양): 노트의 디코더 층 셋과 출력 층, 인코더 층, 그리고 다른 stride·padding의 전치 합성곱
LAYERS = [
    (lambda: nn.ConvTranspose2d(128, 128, 3, stride=2, padding=1, output_padding=1), (4, 128, 4, 4)),
    (lambda: nn.ConvTranspose2d(128, 64, 3, stride=2, padding=1, output_padding=1), (4, 128, 8, 8)),
    (lambda: nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), (4, 64, 16, 16)),
    (lambda: nn.ConvTranspose2d(8, 5, 4, stride=3, padding=2, output_padding=2), (3, 8, 7, 6)),
    (lambda: nn.ConvTranspose2d(6, 4, 3, stride=1, padding=0, bias=False), (2, 6, 5, 5)),
    (lambda: nn.Conv2d(32, 1, 3, stride=1, padding=1), (4, 32, 32, 32)),
    (lambda: nn.Conv2d(7, 1, 3, stride=1, padding=1, bias=False), (3, 7, 6, 9)),
    (lambda: nn.Conv2d(1, 32, 3, stride=2, padding=1), (4, 1, 32, 32)),
    (lambda: nn.Conv2d(32, 64, 3, stride=2, padding=1), (4, 32, 16, 16)),
    (lambda: nn.Linear(2048, 2), (4, 2048)),
]


def assert_close_to(reference: torch.Tensor, value: torch.Tensor, rtol: float = 2e-5, what: str = ""):
    """최댓값에 비례한 오차: |값 − 기준| ≤ rtol × max|기준|."""
    assert value.shape == reference.shape, what
    scale = reference.abs().max().item() or 1.0
    error = (value.double() - reference).abs().max().item()
    assert error <= rtol * scale, f"{what}: 오차 {error:.3g} > {rtol} × {scale:.3g}"


@pytest.mark.parametrize("make, shape", LAYERS)
def test_each_layer_matches_float64(make, shape):
    torch.manual_seed(0)
    layer = make()
    x = torch.rand(shape)
    reference = copy.deepcopy(layer).double()
    x64 = x.double().requires_grad_()
    y64 = reference(x64)
    grad = torch.randn(y64.shape)
    y64.backward(grad.double())

    forward = fast_forward(layer)
    assert forward is not None
    x32 = x.clone().requires_grad_()
    y = forward(x32)
    y.backward(grad)
    assert y.dtype == torch.float32
    assert_close_to(y64, y)
    assert_close_to(x64.grad, x32.grad)
    for (name, p64), p in zip(reference.named_parameters(), layer.parameters()):
        assert_close_to(p64.grad, p.grad, what=name)


def test_frozen_weights_get_no_gradient():
    """가중치를 얼린 층(requires_grad=False)은 입력 기울기만 (미세 조정처럼)."""
    for make, shape in (LAYERS[2], LAYERS[5]):
        layer = make().requires_grad_(False)
        x = torch.rand(shape, requires_grad=True)
        fast_forward(layer)(x).sum().backward()
        reference = x.grad.clone()
        x.grad = None
        layer(x).sum().backward()
        assert_close_to(x.grad.double(), reference)
        assert all(p.grad is None for p in layer.parameters())


def test_layers_it_does_not_know_are_left_alone():
    assert fast_forward(nn.Conv2d(4, 4, 3, groups=2)) is None
    assert fast_forward(nn.Conv2d(4, 4, 3, dilation=2)) is None
    assert fast_forward(nn.Conv2d(4, 4, 3, padding="same")) is None
    assert fast_forward(nn.Conv2d(4, 4, 3, padding=1, padding_mode="reflect")) is None
    assert fast_forward(nn.MaxPool2d(2)) is None


def full_model_grads(model, x):
    model.zero_grad()
    loss = model.losses(x)["bce"]
    loss.backward()
    return loss.detach(), [p.grad.clone() for p in model.parameters()]


def test_whole_model_matches_float64_and_is_restored_afterwards():
    """노트의 오토인코더 한 스텝: 손실과 모든 기울기가 float64 계산과 같고, 블록을 나오면 층이 원래대로."""
    torch.manual_seed(0)
    model = Autoencoder()
    x = torch.rand(20, 1, 32, 32)
    exact = copy.deepcopy(model).double()
    x64 = x.double()
    h = exact.decoder.fc(exact.encoder.model(x64)).reshape(-1, 128, 4, 4)
    loss64 = F.binary_cross_entropy_with_logits(exact.decoder.model(h), x64)
    loss64.backward()

    state = {k: v.clone() for k, v in model.state_dict().items()}
    with fast_cpu_kernels(model):
        assert {type(m).__name__ for m in model.modules() if "forward" in vars(m)} == {"Conv2d", "ConvTranspose2d", "Linear"}
        assert sum(m.inplace for m in model.modules() if isinstance(m, nn.ReLU)) == 6  # 합성곱 뒤의 ReLU 여섯
        loss, grads = full_model_grads(model, x)
    assert not any("forward" in vars(m) for m in model.modules())
    assert not any(m.inplace for m in model.modules() if isinstance(m, nn.ReLU))
    assert loss.item() == pytest.approx(loss64.item(), rel=1e-6)
    for (name, p64), grad in zip(exact.named_parameters(), grads):
        assert_close_to(p64.grad, grad, rtol=1e-4, what=name)
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in state.items())


def test_bf16_autocast_keeps_fp32_parameters_and_close_gradients():
    torch.manual_seed(0)
    model = Autoencoder()
    x = torch.rand(20, 1, 32, 32)
    _, fp32 = full_model_grads(copy.deepcopy(model), x)
    model.zero_grad()
    with fast_cpu_kernels(model), torch.autocast("cpu", dtype=torch.bfloat16):
        z = model.encoder(x)
        hidden = model.decoder.model[:-1](model.decoder.fc(z).reshape(-1, 128, 4, 4))
        loss = model.losses(x)["bce"]
    loss.backward()
    # 잠재 벡터와 로짓은 fp32 (Linear와 채널 하나짜리 합성곱), 가운데의 큰 합성곱만 bf16
    assert z.dtype == torch.float32 and hidden.dtype == torch.bfloat16
    with fast_cpu_kernels(model), torch.autocast("cpu", dtype=torch.bfloat16):
        assert model(x).dtype == torch.float32
    assert loss.dtype == torch.float32
    for p, ref in zip(model.parameters(), fp32):
        assert p.dtype == p.grad.dtype == torch.float32
        # bf16은 유효 숫자 약 3자리: 기울기 방향이 fp32와 거의 같음
        assert F.cosine_similarity(p.grad.flatten(), ref.flatten(), dim=0) > 0.95


def test_fit_with_fast_kernels_follows_the_torch_kernels(train_set):
    """같은 시드로 30 스텝: 빠른 커널과 PyTorch 기본 커널의 평균 손실과 훈련된 모델의 손실이 허용 오차 안에서 같음.

    (가중치 하나하나는 비교하지 않습니다: 기울기가 0에 가까운 파라미터는 Adam이 반올림 차이를 키웁니다.)
    """
    data = torch.utils.data.TensorDataset(train_set.tensors[0][:3000], train_set.tensors[1][:3000])
    runs = {}
    for kernels in ("fast", "torch"):
        seed_everything(0)
        model = Autoencoder()
        history = fit(model, data, epochs=1, kernels=kernels, progress=False)
        runs[kernels] = (history.train["bce"][0], model)
    assert runs["fast"][0] == pytest.approx(runs["torch"][0], abs=1e-4)
    after = [evaluate(runs[k][1], data)["bce"] for k in ("fast", "torch")]
    assert after[0] == pytest.approx(after[1], abs=1e-3)
    assert not any("forward" in vars(m) for m in runs["fast"][1].modules())


@pytest.mark.parametrize("make", [lambda: VAE(latents=2, beta=500.0), ClothingClassifier,
                                  lambda: DenoisingAutoencoder(latents=32, max_sigma=0.5)])
def test_fast_kernels_also_train_the_other_models(make):
    """VAE(잡음 포함), 분류기(합성곱 + 최대 풀링), 잡음 제거 오토인코더: 세 스텝의 손실이 PyTorch 기본 커널과 같음."""
    x, labels = torch.rand(10, 1, 32, 32), torch.arange(10)
    runs = []
    for fast in (True, False):
        torch.manual_seed(0)
        model = make()
        step = make_train_step(model, adam(model, 1e-3, fused=fast))
        with fast_cpu_kernels(model) if fast else contextlib.nullcontext():
            runs.append([{k: v.item() for k, v in step([x, labels]).items()} for _ in range(3)])
    for fast, plain in zip(*runs):
        assert fast == pytest.approx(plain, rel=1e-4)
