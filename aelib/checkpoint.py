"""체크포인트 저장·불러오기: 가중치와 함께 잠재 크기, 에폭, 검증 손실, 버전을 기록합니다."""

import os
import platform
from pathlib import Path

import torch
from torch import nn

from . import __version__
from .errors import CheckpointError
from .train import History

FORMAT = "aelib-checkpoint/1"


def save_checkpoint(path, model: nn.Module, history: History | None = None, **extra) -> Path:
    """모델 가중치와 메타데이터를 ``path``에 저장합니다 (폴더는 만들어 줌)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    meta = {
        "format": FORMAT,
        "model_class": type(model).__name__,
        "latents": model.latents,
        "epochs": history.epochs if history else 0,
        "val": {k: v[-1] for k, v in history.val.items()} if history and history.val else {},
        "history": history.to_dict() if history else None,
        "versions": {"aelib": __version__, "torch": str(torch.__version__), "python": platform.python_version()},
        **extra,
    }
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    tmp = path.with_suffix(path.suffix + ".part")
    torch.save({"meta": meta, "state_dict": state}, tmp)
    os.replace(tmp, path)  # 중간에 멈춰도 이전 파일을 잃지 않음
    return path


def read_checkpoint(path) -> dict:
    """체크포인트 파일을 읽어 ``{"meta", "state_dict"}``를 돌려줍니다."""
    path = Path(path)
    if not path.is_file():
        raise CheckpointError(f"체크포인트 파일이 없습니다: {path}", f"No checkpoint file at {path}")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise CheckpointError(
            f"{path}는 읽을 수 없는 체크포인트입니다 ({type(exc).__name__}).",
            f"{path} is not a readable checkpoint ({type(exc).__name__}).",
        ) from exc
    if not isinstance(ckpt, dict) or ckpt.get("meta", {}).get("format") != FORMAT:
        raise CheckpointError(
            f"{path}는 aelib 체크포인트가 아닙니다 (aelib.save_checkpoint로 저장한 파일이 필요합니다).",
            f"{path} is not an aelib checkpoint (save one with aelib.save_checkpoint).",
        )
    return ckpt


def load_checkpoint(path, model: nn.Module) -> dict:
    """``model``에 가중치를 넣고 메타데이터를 돌려줍니다. 다른 모델의 체크포인트면 이유를 알려 줍니다."""
    ckpt = read_checkpoint(path)
    meta = ckpt["meta"]
    expected = (type(model).__name__, getattr(model, "latents", None))
    found = (meta["model_class"], meta["latents"])
    if found != expected:
        raise CheckpointError(
            f"{path}는 {found[0]}(잠재 크기 {found[1]})의 체크포인트인데, "
            f"불러올 모델은 {expected[0]}(잠재 크기 {expected[1]})입니다.",
            f"{path} holds {found[0]} weights with {found[1]} latents, "
            f"but the model is {expected[0]} with {expected[1]} latents.",
        )
    try:
        model.load_state_dict(ckpt["state_dict"])
    except RuntimeError as exc:
        raise CheckpointError(
            f"{path}의 가중치 모양이 모델과 맞지 않습니다: {str(exc).splitlines()[0]}",
            f"The weights in {path} do not fit the model: {str(exc).splitlines()[0]}",
        ) from exc
    model.eval()
    return meta
