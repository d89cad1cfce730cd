"""스택(설치된 버전) 정책: 잠금 파일 ↔ requirements.txt ↔ 두 번째 스택, 그리고 찍는 숫자가 스택에 흔들리지 않는지."""

import copy
import re
from pathlib import Path

import pytest
import torch
from packaging.requirements import Requirement
from packaging.version import Version

from aelib import measures as M
from aelib import stack
from aelib.pretrained import load_pretrained

from .test_setup_files import requirements

ROOT = Path(__file__).resolve().parents[1]


def _pins(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text().splitlines():
        spec = line.split("#")[0].split(";")[0].strip()
        if "==" in spec:
            req = Requirement(spec)
            out.setdefault(stack._norm(req.name), str(next(iter(req.specifier)).version))
    return out


def test_lock_pins_every_requirement_within_its_lower_bound():
    pins = _pins(ROOT / "requirements-lock.txt")
    for name, lower in requirements().items():
        name = stack._norm(name)
        assert name in pins, f"requirements-lock.txt에 {name}이 없습니다: ./course lock으로 다시 만드세요"
        assert Version(pins[name]) >= Version(lower), f"{name}: 잠금 {pins[name]} < 하한 {lower}"


def test_oldest_stack_is_exactly_the_lower_bounds():
    """requirements.txt의 하한 = CI가 두 번째 스택(requirements-oldest.txt)에서 실제로 검사한 버전."""
    pins = _pins(ROOT / "requirements-oldest.txt")
    for name, lower in requirements().items():
        assert Version(pins[stack._norm(name)]) == Version(lower), f"{name}: 두 번째 스택 {pins[stack._norm(name)]} ≠ 하한 {lower}"
    assert Version(pins["torch"]).minor != Version(_pins(ROOT / "requirements-lock.txt")["torch"]).minor


def test_stack_line_names_the_packages_and_the_verdict(tmp_path):
    line = stack.describe()
    for name in ("python", "torch", "torchvision", "numpy", "matplotlib", "ipywidgets"):
        assert name in line
    assert "잠금 파일과 같음" in line or "잠금 파일과 다름" in line
    fake = tmp_path / "lock.txt"
    fake.write_text("torch==0.0.1\nnumpy==0.0.1 ; python_version < '3'\n")
    assert stack.locked_versions(fake) == {"torch": "0.0.1"}  # 이 파이썬에 해당하지 않는 줄은 뺌
    assert "torch" in stack.differences(path=fake)
    assert "잠금 파일과 다름" in stack.describe(fake) and "torch" in stack.describe(fake)
    assert not stack.matches_lock(tmp_path / "missing.txt")
    hint = stack.unlocked_failure_hint()
    assert "./course setup" in hint and "locked stack" in hint


def test_local_build_tags_do_not_count_as_a_different_version(tmp_path):
    fake = tmp_path / "lock.txt"
    fake.write_text(f"torch=={torch.__version__.split('+')[0]}\n")
    assert stack.differences(path=fake) == {}


# ---------------------------------------------------------------- 찍는 숫자가 스택에 흔들리지 않는지


@pytest.fixture(scope="module")
def measured(train_set, test_set):
    model, _ = load_pretrained("autoencoder")
    classifier, _ = load_pretrained("classifier")
    return model, classifier, train_set.tensors[0][:3000], test_set.tensors[0][:1000]


class _Float64Encoder(torch.nn.Module):
    """같은 가중치를 float64로 인코딩하는 모델 (디코더는 그대로): 임베딩의 마지막 비트만 다른 "다른 스택"."""

    def __init__(self, model):
        super().__init__()
        self.model, self.latents = model, model.latents
        # float64 인코더는 등록하지 않음: 이 모델의 파라미터는 float32뿐이라 aelib의 모델 검사(float32만)를 지나고,
        # 정밀도 바꾸기는 encode 안에서만 일어남
        object.__setattr__(self, "encoder64", copy.deepcopy(model.encoder).double())

    def encode(self, x):
        return self.encoder64(x.double()).float()

    def decode(self, z):
        return self.model.decode(z)

    def reconstruct(self, x):
        return self.decode(self.encode(x))


def _printed(model, classifier, train, test) -> str:
    """노트북 06–08이 찍는 측정 표 (상자와 맞춘 혼합, 바닥과 재구성 포함)."""
    ref = M.reference(model, classifier, train, test, seed=0, feature_images=1000)
    columns = {s: M.measure(model, classifier, ref, s, n=1000, seed=0) for s in ("box", "mixture")}
    return M.table(columns, ref.floor, ref.recon)


@pytest.mark.slow  # about 2 minutes: the measure table three times (2 threads, 1 thread, float64 encoder)
def test_printed_measure_table_is_the_same_with_one_thread_and_in_float64(measured):
    """다른 스택을 흉내: 스레드 수(합의 순서)나 정밀도가 바뀌어 임베딩의 마지막 비트가 달라져도 같은 글자."""
    model, classifier, train, test = measured
    reference = _printed(model, classifier, train, test)
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        one_thread = _printed(model, classifier, train, test)
    finally:
        torch.set_num_threads(threads)
    wide = _Float64Encoder(model)
    with torch.no_grad():
        z32, z64 = model.encode(test[:200]), wide.encode(test[:200])
    assert not torch.equal(z32, z64), "float64 인코더가 같은 비트를 내면 이 테스트는 아무것도 재지 않습니다"
    assert (z32 - z64).abs().max() < 1e-3
    assert one_thread == reference
    assert _printed(wide, classifier, train, test) == reference
    assert re.search(r"\| \d+\.\d\d \[\d+\.\d\d, \d+\.\d\d\] \|", reference), "총변동 거리는 소수 둘째 자리와 구간으로 찍습니다"
