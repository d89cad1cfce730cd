"""잘못된 입력 5: 체크포인트 경로 — 어느 경로가 왜 안 되는지 말하고, 반쯤 쓴 파일이나 망가진 체크포인트를 남기지 않음."""

import errno
import os
from pathlib import Path

import pytest
import torch

from aelib import checkpoint
from aelib.checkpoint import load_checkpoint, read_checkpoint, save_checkpoint
from aelib.errors import CheckpointError, CheckpointPathError, PathError
from aelib.model import Autoencoder
from aelib.train import History


@pytest.fixture()
def saved(tmp_path):
    """이미 저장된 체크포인트 하나와 그 바이트."""
    torch.manual_seed(0)
    path = save_checkpoint(tmp_path / "ae.pt", Autoencoder(), History(train={"bce": [0.3]}))
    return path, path.read_bytes()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


def test_parent_is_a_file(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("학생의 메모")
    for target in (notes / "ae.pt", notes / "deeper" / "ae.pt"):
        with pytest.raises(CheckpointPathError) as err:
            save_checkpoint(target, Autoencoder())
        assert str(notes) in err.value.korean and "파일입니다" in err.value.korean
        assert str(notes) in err.value.english and "is a file" in err.value.english
        assert isinstance(err.value, CheckpointError) and isinstance(err.value, PathError)
        assert isinstance(err.value, OSError)
    assert notes.read_text() == "학생의 메모"


def test_path_is_a_folder(tmp_path, saved):
    path, before = saved
    with pytest.raises(CheckpointPathError) as err:
        save_checkpoint(tmp_path, Autoencoder())
    assert f"{tmp_path}은(는) 폴더입니다" in err.value.korean and "is a folder" in err.value.english
    assert str(tmp_path / "model.pt") in err.value.korean  # 고치는 방법
    assert path.read_bytes() == before


def test_not_writable_place(tmp_path):
    for target in ("/proc/aelib-test/ae.pt", "/proc/ae.pt", "/sys/ae.pt"):
        with pytest.raises(CheckpointPathError) as err:
            save_checkpoint(target, Autoencoder())
        assert target in str(err.value) or str(Path(target).parent) in str(err.value)
        assert "다른 경로" in err.value.korean and "another path" in err.value.english


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root는 권한을 무시함")
def test_read_only_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(CheckpointPathError) as err:
            save_checkpoint(folder / "ae.pt", Autoencoder())
        assert str(folder) in err.value.korean and "권한" in err.value.korean and "permission" in err.value.english
    finally:
        folder.chmod(0o700)
    assert list(folder.iterdir()) == []


def test_loading_from_a_folder_names_it(tmp_path, saved):
    path, _ = saved
    for load in (read_checkpoint, lambda p: load_checkpoint(p, Autoencoder())):
        with pytest.raises(CheckpointPathError) as err:
            load(tmp_path)
        assert f"{tmp_path}은(는) 폴더입니다" in err.value.korean and "is a folder" in err.value.english
        assert "ae.pt" in err.value.korean  # 그 안의 체크포인트를 알려 줌
    with pytest.raises(CheckpointPathError, match="파일 경로"):
        read_checkpoint(None)


@pytest.mark.parametrize("exc", [OSError(errno.ENOSPC, "No space left on device"), KeyboardInterrupt()])
def test_failure_in_the_middle_of_writing_keeps_the_old_checkpoint(saved, monkeypatch, exc):
    path, before = saved
    real_save = torch.save

    def half_save(obj, f, *args, **kwargs):
        f.write(b"PK\x03\x04 half a checkpoint")  # 반쯤 쓰고 멈춤
        raise exc

    monkeypatch.setattr(checkpoint.torch, "save", half_save)
    with pytest.raises(type(exc) if isinstance(exc, KeyboardInterrupt) else CheckpointPathError) as err:
        save_checkpoint(path, Autoencoder())
    monkeypatch.setattr(checkpoint.torch, "save", real_save)
    assert path.read_bytes() == before and leftovers(path.parent) == []
    if not isinstance(exc, KeyboardInterrupt):
        assert "No space left" in str(err.value) and str(path) in str(err.value)
    assert load_checkpoint(path, Autoencoder())["epochs"] == 1  # 이전 것이 그대로 읽힘


def test_unreadable_extra_metadata_never_replaces_the_checkpoint(saved):
    path, before = saved
    with pytest.raises(CheckpointError) as err:
        save_checkpoint(path, Autoencoder(), note=Path("/tmp/x"))  # weights_only로 다시 읽을 수 없음
    assert "다시 읽을 수 없습니다" in err.value.korean and "str(path)" in err.value.korean
    assert path.read_bytes() == before and leftovers(path.parent) == []


def test_diverged_weights_are_not_saved_over_a_good_checkpoint(saved):
    path, before = saved
    model = Autoencoder()
    with torch.no_grad():
        model.decoder.fc.weight[0, 0] = float("nan")
    with pytest.raises(CheckpointError) as err:
        save_checkpoint(path, model)
    assert "decoder.fc.weight" in err.value.korean and "lr" in err.value.korean and "NaN" in err.value.english
    assert path.read_bytes() == before


def test_wrong_arguments(tmp_path):
    with pytest.raises(CheckpointError, match="nn.Module"):
        save_checkpoint(tmp_path / "x.pt", {"weights": 1})
    with pytest.raises(CheckpointError, match="History"):
        save_checkpoint(tmp_path / "x.pt", Autoencoder(), {"train": {}})
    with pytest.raises(CheckpointPathError, match="파일 경로"):
        save_checkpoint(3.5, Autoencoder())
    assert list(tmp_path.iterdir()) == []


def test_a_refused_load_leaves_the_model_untouched(tmp_path):
    path = save_checkpoint(tmp_path / "ae.pt", Autoencoder())
    ckpt = torch.load(path, weights_only=True)
    ckpt["state_dict"]["decoder.fc.weight"] = torch.zeros(10, 2)  # 한 가중치만 모양이 다름
    torch.save(ckpt, path)
    model = Autoencoder()
    start = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(CheckpointError, match="decoder.fc.weight"):
        load_checkpoint(path, model)
    assert all(torch.equal(start[k], v) for k, v in model.state_dict().items())


def test_saving_still_works_and_keeps_normal_permissions(tmp_path):
    path = save_checkpoint(tmp_path / "new" / "deeper" / "ae.pt", Autoencoder(), note="시험")
    mask = os.umask(0)
    os.umask(mask)
    assert (path.stat().st_mode & 0o777) == (0o666 & ~mask)
    assert read_checkpoint(str(path))["meta"]["note"] == "시험" and leftovers(path.parent) == []
    save_checkpoint(path, Autoencoder())  # 덮어쓰기도 됨
    assert read_checkpoint(path)["meta"].get("note") is None
