"""함께 배포하는 사전 훈련 가중치: 만들기(훈련)와 불러오기.

가중치를 다시 만드는 명령 (README에도 있음)::

    python -m aelib.pretrained autoencoder   # 2차원 오토인코더, 3 에포크, 시드 0
    python -m aelib.pretrained classifier    # 판정용 의류 분류기, 3 에포크, 시드 0
    python -m aelib.pretrained vae           # 2차원 VAE, β=500, Adam 5e-4, 5 에포크, 시드 0
    python -m aelib.pretrained autoencoder_4   # 잠재 크기 4 (8, 16, 32도 같은 꼴), 1 에포크, 시드 0
    python -m aelib.pretrained denoising_32    # 잡음 제거 오토인코더, 잠재 32, σ ~ U(0, 0.5), 1 에포크
"""

import os
import sys
from pathlib import Path

from .checkpoint import load_checkpoint, save_checkpoint
from .classifier import ClothingClassifier
from .data import load_fashion_mnist
from .denoising import DenoisingAutoencoder
from .errors import ArgumentError, ExistingWorkError, PathError
from .model import Autoencoder
from .tools import cli, paths
from .train import fit, seed_everything
from .vae import VAE

WEIGHTS_DIR = Path(__file__).parent / "weights"

# 이름 → (모델을 만드는 함수, 훈련 설정). 책의 설정: 배치 100, Adam 1e-3, 3 에포크.
RECIPES = {
    "autoencoder": (lambda: Autoencoder(latents=2), dict(epochs=3, batch_size=100, lr=1e-3, seed=0)),
    "classifier": (ClothingClassifier, dict(epochs=3, batch_size=100, lr=1e-3, seed=0)),
    # 책의 VAE 설정: β = 500 (픽셀 평균 BCE에 곱함), Adam 5e-4, 5 에포크, 배치 100
    "vae": (lambda: VAE(latents=2, beta=500.0), dict(epochs=5, batch_size=100, lr=5e-4, seed=0)),
    # 2차원을 넘어서: 잠재 크기만 바꾼 같은 모델, 같은 배치·학습률·시드, 1 에포크 (잠재 크기 2는 위의 autoencoder;
    # 그 훈련 기록의 1 에포크 값과 견줌)
    **{f"autoencoder_{n}": ((lambda n=n: Autoencoder(latents=n)), dict(epochs=1, batch_size=100, lr=1e-3, seed=0))
       for n in (4, 8, 16, 32)},
    "denoising_32": (lambda: DenoisingAutoencoder(latents=32, max_sigma=0.5),
                     dict(epochs=1, batch_size=100, lr=1e-3, seed=0)),
}

# 잠재 크기 → 사전 훈련 모델 이름
AUTOENCODER_BY_LATENTS = {2: "autoencoder", 4: "autoencoder_4", 8: "autoencoder_8",
                          16: "autoencoder_16", 32: "autoencoder_32"}


def weights_path(name: str) -> Path:
    """배포한 가중치 파일의 경로 (``name``은 ``RECIPES``의 이름)."""
    return WEIGHTS_DIR / f"{check_name(name)}.pt"


def check_name(name) -> str:
    """사전 훈련 모델의 이름: ``RECIPES``에 있는 문자열 (목록·None 등은 알아듣게 거절)."""
    if not isinstance(name, str) or name not in RECIPES:
        raise ArgumentError(f"사전 훈련 모델 이름은 {sorted(RECIPES)} 중 하나여야 합니다. 받은 값: {name!r}.",
                            f"name must be one of {sorted(RECIPES)}, got {name!r}.")
    return name


def check_progress(progress, function: str) -> bool:
    """진행 막대를 보일지: True 또는 False."""
    if not isinstance(progress, bool):
        raise ArgumentError(f"{function}의 progress는 True(진행 막대) 또는 False여야 합니다. 받은 값: {progress!r}.",
                            f"{function}: progress must be True (show a progress bar) or False, got {progress!r}.")
    return progress


def load_pretrained(name: str = "autoencoder"):
    """배포된 가중치를 넣은 모델(평가 모드)과 메타데이터를 돌려줍니다. ``name``: "autoencoder", "classifier", "vae"."""
    check_name(name)
    model = RECIPES[name][0]()
    meta = load_checkpoint(weights_path(name), model)
    return model, meta


def train_model(name: str, progress: bool = True):
    """``name``의 설정 그대로 훈련한 (모델, 기록) — 저장하지 않음 (노트북의 "직접 훈련하기"용)."""
    check_name(name)
    check_progress(progress, "train_model")
    make_model, recipe = RECIPES[name]
    train_set, test_set = load_fashion_mnist("train"), load_fashion_mnist("test")
    seed_everything(recipe["seed"])
    model = make_model()
    # 배포한 가중치는 PyTorch 기본 커널로 만들었습니다: 같은 명령이 같은 숫자를 내도록 그대로 씁니다
    # (빠른 CPU 커널은 float 반올림 오차 안에서만 같음)
    return model, fit(model, train_set, test_set, progress=progress, kernels="torch", **recipe)


def train_pretrained(name: str, out: Path | None = None, progress: bool = True, force: bool = False) -> Path:
    """``name``의 설정 그대로 훈련해 가중치를 저장합니다. 저장할 곳은 훈련을 시작하기 전에 확인합니다.

    ``out``(기본: ``aelib/weights/NAME.pt``)에 이미 파일이 있으면 ``force=True``일 때만 덮어씁니다
    (아니면 훈련 전에 ``ExistingWorkError``)."""
    check_name(name)
    check_progress(progress, "train_pretrained")
    if not isinstance(force, bool):
        raise ArgumentError(f"train_pretrained의 force는 True(덮어씀) 또는 False여야 합니다. 받은 값: {force!r}.",
                            f"train_pretrained: force must be True (overwrite) or False, got {force!r}.")
    if out is not None and not isinstance(out, (str, os.PathLike)):
        raise PathError(f"train_pretrained의 out은 파일 경로(문자열 또는 Path) 또는 None이어야 합니다. 받은 값: {out!r}.",
                        f"train_pretrained: out must be a file path (str or Path) or None, got {out!r}.")
    target = paths.output_file(weights_path(name) if out is None else out, "out")
    if target.exists() and not force:
        raise ExistingWorkError(f"train_pretrained: out {target}이(가) 이미 있습니다: 훈련하지 않았고 덮어쓰지 않았습니다. "
                                "다른 out을 주거나, 덮어써도 되면 force=True를 주세요.",
                                f"train_pretrained: out {target} already exists; nothing was trained or overwritten. "
                                "Pass another out, or force=True to replace it.")
    recipe = RECIPES[name][1]
    model, history = train_model(name, progress)
    if history.interrupted:
        raise SystemExit("훈련이 중단되어 저장하지 않았습니다 / interrupted, nothing saved")
    return save_checkpoint(
        target, model, history,
        recipe=recipe, command=f"python -m aelib.pretrained {name}",
    )


def main(argv=None) -> None:
    parser = cli.ArgumentParser(module="aelib.pretrained",
                                description="배포용 사전 훈련 가중치를 만듭니다 / build the shipped weights")
    parser.add_argument("name", choices=sorted(RECIPES))
    parser.add_argument("--out", help="저장할 곳 (기본: aelib/weights/NAME.pt) / where to save")
    parser.add_argument("--force", action="store_true", help="--out에 있는 파일을 덮어씀 / replace an existing --out file")
    args = parser.parse_args(argv)
    with parser.checking():  # 훈련(몇 분)을 시작하기 전에 저장할 곳부터
        if args.out is not None:
            paths.output_file(args.out, "--out", force=args.force)
    # 명령은 기본 경로(배포 가중치)를 다시 만드는 것이 일: --out이 없으면 덮어씀, --out은 위에서 --force로 확인함
    path = train_pretrained(args.name, args.out, force=args.out is None or args.force)
    print(f"저장 / saved: {path}", file=sys.stderr)


if __name__ == "__main__":
    cli.run(main)
