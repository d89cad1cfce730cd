"""체크포인트 저장·불러오기: 가중치와 함께 잠재 크기, 에포크, 검증 손실, 버전을 기록합니다."""

import os
import platform
import re
from pathlib import Path

import torch
from torch import nn

from . import __version__, validate
from .errors import CheckpointError, CheckpointPathError, ExistingWorkError
from .tools import atomic
from .train import History

FORMAT = "aelib-checkpoint/1"
FORMAT_NAME, FORMAT_VERSION = FORMAT.split("/")[0], int(FORMAT.split("/")[1])
RESERVED = ("format", "model_class", "latents", "epochs", "val", "history", "versions")  # extra가 덮을 수 없는 이름


def save_checkpoint(path, model: nn.Module, history: History | None = None, *, force: bool = False, **extra) -> Path:
    """모델 가중치와 메타데이터를 ``path``(파일 경로, 없는 폴더는 만들어 줌)에 저장하고 그 경로를 돌려줍니다.

    ``model``: ``latents`` 속성이 있는 ``nn.Module``, ``history``: ``History`` 또는 None, ``extra``: 숫자·문자열·
    목록·사전처럼 ``torch.load(weights_only=True)``로 다시 읽히는 값.
    같은 폴더의 임시 파일에 쓰고, 다시 읽어 확인한 뒤에야 이름을 바꿉니다: 중간에 멈추거나 실패해도
    반쯤 쓴 파일이 남지 않고, 이미 있던 체크포인트는 망가진 것으로 바뀌지 않습니다.
    쓸 수 없는 경로(폴더, 부모가 파일, 권한 없음)는 ``CheckpointPathError``, NaN 가중치나 다시 읽을 수 없는
    ``extra``는 ``CheckpointError``로, 아무것도 쓰기 전에 거절합니다.
    그 자리에 aelib 체크포인트가 아닌 파일(노트북, 메모, 다른 프로그램의 가중치)이 있으면 ``force=True``가 아닌 한
    덮어쓰지 않고 ``ExistingWorkError``로 거절합니다 (aelib 체크포인트는 새것으로 바꿈).
    """
    if not isinstance(model, nn.Module):
        raise CheckpointError(f"model은 torch.nn.Module이어야 합니다. 받은 값: {type(model).__name__}.",
                              f"model must be a torch.nn.Module, got {type(model).__name__}.")
    if history is not None and not isinstance(history, History):
        raise CheckpointError(f"history는 aelib.train.History(또는 None)여야 합니다. 받은 값: {type(history).__name__}.",
                              f"history must be an aelib.train.History (or None), got {type(history).__name__}.")
    validate.checked_model(model, "save_checkpoint", kind=CheckpointError)
    state = {k: v.detach().cpu() for k, v in model.state_dict().items()}
    broken = _non_finite(state)
    if broken:
        raise CheckpointError(
            f"가중치에 NaN 또는 무한대가 있어 저장하지 않았습니다 ({', '.join(broken[:3])} …): 훈련이 발산했습니다. "
            "학습률(lr)을 낮춰 다시 훈련하세요. 이미 있는 체크포인트는 그대로입니다.",
            f"Not saved: the weights contain NaN or infinity ({', '.join(broken[:3])} ...); training diverged. "
            "Train again with a lower learning rate (lr). Any existing checkpoint is left as it was.",
        )
    taken = sorted(set(extra) & set(RESERVED))
    if taken:
        raise CheckpointError(
            f"추가 정보의 이름 {taken}은(는) 체크포인트가 스스로 기록하는 항목이라 쓸 수 없습니다 "
            f"(예약된 이름: {', '.join(RESERVED)}). 다른 이름을 쓰세요 (예: note=...).",
            f"The extra metadata names {taken} are recorded by the checkpoint itself and cannot be set "
            f"(reserved: {', '.join(RESERVED)}). Use other names (e.g. note=...).",
        )
    path = validate.writable_file(path, "path", kind=CheckpointPathError)
    if path.exists() and not force and not _is_checkpoint(path):
        raise ExistingWorkError(
            f"{path}에 aelib 체크포인트가 아닌 파일이 이미 있어 덮어쓰지 않았습니다. 다른 파일 이름을 주거나, "
            "정말 바꿔도 되면 save_checkpoint(..., force=True)로 부르세요.",
            f"{path} already holds a file that is not an aelib checkpoint; it was not overwritten. Give another "
            "file name, or call save_checkpoint(..., force=True) to replace it.")
    meta = {
        "format": FORMAT,
        "model_class": type(model).__name__,
        "latents": getattr(model, "latents", None),
        "epochs": history.epochs if history else 0,
        "val": {k: v[-1] for k, v in history.val.items()} if history and history.val else {},
        "history": history.to_dict() if history else None,
        "versions": {"aelib": __version__, "torch": str(torch.__version__), "python": platform.python_version()},
        **extra,
    }
    # 같은 폴더의 임시 파일에 쓰고, 다시 읽어 확인한 뒤에야 이름을 바꿈 (aelib.tools.atomic)
    with atomic.atomic_file(path, "wb", kind=CheckpointPathError, check=lambda tmp: _check_written(tmp, path)) as f:
        torch.save({"meta": meta, "state_dict": state}, f)
    return path


def _non_finite(state: dict) -> list[str]:
    """NaN·무한대가 있는 실수 가중치의 이름 (저장할 때와 불러올 때 같은 확인)."""
    return [k for k, v in state.items() if v.is_floating_point() and not bool(torch.isfinite(v).all())]


def _is_checkpoint(path: Path) -> bool:
    """``path``가 aelib 체크포인트(더 새 형식 포함)인지."""
    try:
        read_checkpoint(path)
    except CheckpointError as exc:
        return "aelib이 저장한" in exc.korean  # 더 새로운 aelib의 체크포인트
    return True


def _check_written(tmp: Path, path: Path) -> None:
    """방금 쓴 임시 파일을 ``read_checkpoint``와 같은 방법으로 읽어 봅니다."""
    try:
        torch.load(tmp, map_location="cpu", weights_only=True)
    except Exception as exc:
        raise CheckpointError(
            f"{path}에 저장하지 않았습니다: 저장한 내용을 다시 읽을 수 없습니다 ({type(exc).__name__}). "
            "추가 정보(extra)에는 숫자·문자열·목록·사전만 넣으세요 (Path는 str(path)로).",
            f"Not saved to {path}: what was written cannot be read back ({type(exc).__name__}). "
            "Put only numbers, strings, lists and dicts into the extra metadata (str(path) for paths).",
        ) from exc


def read_checkpoint(path) -> dict:
    """체크포인트 파일을 읽어 ``{"meta", "state_dict"}``를 돌려줍니다.

    없는 파일·깨진 파일·다른 형식은 ``CheckpointError``, 폴더이거나 읽을 권한이 없으면 ``CheckpointPathError``.
    """
    try:
        path = Path(os.fspath(path)).expanduser()
    except TypeError:
        raise CheckpointPathError(f"path는 파일 경로(문자열 또는 Path)여야 합니다. 받은 값: {path!r}.",
                                  f"path must be a file path (str or Path), got {path!r}.") from None
    if path.is_dir():
        found = sorted(p.name for p in path.glob("*.pt"))[:3]
        hint_ko = f" 그 안의 체크포인트: {', '.join(found)}" if found else ""
        hint_en = f" Checkpoints in it: {', '.join(found)}" if found else ""
        raise CheckpointPathError(
            f"{path}은(는) 폴더입니다: 체크포인트 파일의 경로를 주세요 (예: {path / 'model.pt'}).{hint_ko}",
            f"{path} is a folder: give the path of a checkpoint file (e.g. {path / 'model.pt'}).{hint_en}",
        )
    if not path.is_file():
        raise CheckpointError(f"체크포인트 파일이 없습니다: {path}", f"No checkpoint file at {path}")
    try:
        ckpt = torch.load(path, map_location="cpu", weights_only=True)
    except PermissionError as exc:
        raise CheckpointPathError(f"{path}을(를) 읽을 권한이 없습니다.", f"No permission to read {path}.") from exc
    except Exception as exc:
        raise CheckpointError(
            f"{path}는 읽을 수 없는 체크포인트입니다 ({type(exc).__name__}).",
            f"{path} is not a readable checkpoint ({type(exc).__name__}).",
        ) from exc
    marker = ckpt.get("meta", {}).get("format") if isinstance(ckpt, dict) and isinstance(ckpt.get("meta"), dict) else None
    newer = re.fullmatch(rf"{FORMAT_NAME}/(\d+)", marker) if isinstance(marker, str) else None
    if newer and int(newer.group(1)) > FORMAT_VERSION:
        raise CheckpointError(
            f"{path}는 더 새로운 aelib이 저장한 체크포인트입니다 (형식 {marker}, 이 aelib은 {FORMAT}까지 읽음). "
            "aelib을 새 버전으로 바꾸세요 (git pull 후 ./course setup).",
            f"{path} was saved by a newer aelib (format {marker}; this aelib reads up to {FORMAT}). "
            "Update aelib (git pull, then ./course setup).",
        )
    if marker != FORMAT:
        raise CheckpointError(
            f"{path}는 aelib 체크포인트가 아닙니다 (aelib.save_checkpoint로 저장한 파일이 필요합니다).",
            f"{path} is not an aelib checkpoint (save one with aelib.save_checkpoint).",
        )
    return ckpt


def load_checkpoint(path, model: nn.Module) -> dict:
    """``model``에 가중치를 넣고 메타데이터를 돌려줍니다. 다른 모델의 체크포인트면 이유를 알려 줍니다.

    확인이 모두 끝난 뒤에 가중치를 넣으므로, 실패하면 ``model``은 그대로입니다.
    """
    if not isinstance(model, nn.Module):
        raise CheckpointError(f"model은 torch.nn.Module이어야 합니다. 받은 값: {type(model).__name__}.",
                              f"model must be a torch.nn.Module, got {type(model).__name__}.")
    if any(p.device.type == "meta" for p in model.parameters()):
        validate.checked_model(model, "load_checkpoint", kind=CheckpointError)  # meta 장치: 가중치를 넣을 곳이 없음
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
    own, saved = model.state_dict(), ckpt["state_dict"]
    broken = _non_finite(saved)
    if broken:
        raise CheckpointError(
            f"{path}의 가중치에 NaN 또는 무한대가 있습니다 ({', '.join(broken[:3])} …): 발산한 훈련의 가중치입니다. "
            "불러오지 않았고 모델은 그대로입니다. 다시 훈련하거나 다른 체크포인트를 쓰세요.",
            f"The weights in {path} contain NaN or infinity ({', '.join(broken[:3])} ...), from a diverged training. "
            "Nothing was loaded; train again or use another checkpoint.")
    differ = sorted(own.keys() ^ saved.keys()) + [k for k in own if k in saved and own[k].shape != saved[k].shape]
    if differ:  # load_state_dict는 맞는 것만 먼저 넣어 버리므로, 넣기 전에 모두 확인
        detail = ", ".join(f"{k} {tuple(saved[k].shape) if k in saved else '없음/missing'}" for k in differ[:3])
        raise CheckpointError(
            f"{path}의 가중치 모양이 모델과 맞지 않습니다: {detail}",
            f"The weights in {path} do not fit the model: {detail}",
        )
    try:
        model.load_state_dict(saved)
    except RuntimeError as exc:
        raise CheckpointError(
            f"{path}의 가중치 모양이 모델과 맞지 않습니다: {str(exc).splitlines()[0]}",
            f"The weights in {path} do not fit the model: {str(exc).splitlines()[0]}",
        ) from exc
    model.eval()
    return meta
