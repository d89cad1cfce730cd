"""견고함 2, 두 번째 묶음: 사용자의 파일을 덮어쓰지 않음 (체크포인트, 데이터), 이상한 경로 (빈 이름, ~없는사용자,
가리키는 곳이 없는 링크, 파일 자리의 폴더), 명령의 한국어 사용법 오류 (./course, 벤치마크)."""

import gzip
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import torch
from torch.utils.data import TensorDataset

from aelib.checkpoint import load_checkpoint, save_checkpoint
from aelib.data import SYSTEM_DIR, class_subset, load_fashion_mnist, raw_folder
from aelib.errors import (AelibError, ArgumentError, CheckpointError, DataCorruptError, ExistingWorkError, LabelError,
                          PathError)
from aelib.model import Autoencoder

from .robust_helpers import ROOT, child_env, run_many
from .test_robust_commands import NOTEBOOK, refused


def both(exc_info, korean, english):
    text = str(exc_info.value)
    assert isinstance(exc_info.value, AelibError) and korean in text and english in text, text


# ---------------------------------------------------------------------------- 체크포인트


def test_save_checkpoint_never_replaces_a_file_that_is_not_a_checkpoint(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("메모", encoding="utf-8")
    with pytest.raises(ExistingWorkError) as err:
        save_checkpoint(notes, Autoencoder())
    both(err, "덮어쓰지 않았습니다", "force=True")
    assert notes.read_text(encoding="utf-8") == "메모"
    mine = tmp_path / "m.pt"
    save_checkpoint(mine, Autoencoder())
    save_checkpoint(mine, Autoencoder(), note="다시")  # 체크포인트는 새것으로
    assert load_checkpoint(mine, Autoencoder())["note"] == "다시"
    save_checkpoint(notes, Autoencoder(), force=True)
    load_checkpoint(notes, Autoencoder())


@pytest.mark.parametrize("path, korean, english", [("  ", "빈 이름", "empty name"),
                                                   ("~nosuchuser_aelib/m.pt", "~를 집 폴더로", "no such user")])
def test_save_checkpoint_refuses_empty_and_unexpandable_names(tmp_path, monkeypatch, path, korean, english):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CheckpointError) as err:
        save_checkpoint(path, Autoencoder())
    both(err, korean, english)
    assert os.listdir(tmp_path) == []


def test_load_checkpoint_refuses_nan_weights_and_leaves_the_model(tmp_path):
    path = save_checkpoint(tmp_path / "m.pt", Autoencoder())
    ckpt = torch.load(path, weights_only=True)
    key = next(iter(ckpt["state_dict"]))
    ckpt["state_dict"][key] = torch.full_like(ckpt["state_dict"][key], float("nan"))
    torch.save(ckpt, path)
    model = Autoencoder()
    before = {k: v.clone() for k, v in model.state_dict().items()}
    with pytest.raises(CheckpointError) as err:
        load_checkpoint(path, model)
    both(err, "NaN 또는 무한대", "NaN or infinity")
    assert all(torch.equal(before[k], v) for k, v in model.state_dict().items())


# ---------------------------------------------------------------------------- 데이터


@pytest.mark.skipif(not (Path(SYSTEM_DIR) / "train-images-idx3-ubyte.gz").is_file(), reason="데비안 데이터 없음")
def test_the_users_own_data_files_are_never_replaced_by_the_system_copy(tmp_path):
    raw = raw_folder(tmp_path)
    raw.mkdir(parents=True)
    for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"):
        with gzip.open(Path(SYSTEM_DIR) / f"{name}.gz") as f:
            data = bytearray(f.read())
        if "images" in name:
            data[16:20] = bytes([7, 7, 7, 7])  # 사용자가 고친 파일 (올바른 형식, 다른 내용)
        (raw / name).write_bytes(bytes(data))
    assert len(load_fashion_mnist("train", root=tmp_path, download=False)) == 60_000  # 빠진 훈련 파일만 채움
    assert (raw / "t10k-images-idx3-ubyte").read_bytes()[16:20] == bytes([7, 7, 7, 7])
    assert load_fashion_mnist("test", root=tmp_path, download=False).tensors[0][0, 0, 2, 2] == pytest.approx(7 / 255)


def test_data_names_that_are_folders_and_bad_roots_are_named(tmp_path, monkeypatch):
    for name in ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", "train-images-idx3-ubyte", "train-labels-idx1-ubyte"):
        (raw_folder(tmp_path) / name).mkdir(parents=True)
    with pytest.raises(DataCorruptError) as err:
        load_fashion_mnist("test", root=tmp_path, download=False)
    both(err, "파일이 아니라 폴더", "a folder (or something else), not a file")
    with pytest.raises(ArgumentError) as err:
        load_fashion_mnist("test", root=123)
    both(err, "데이터 폴더의 경로", "must be the data folder's path")
    monkeypatch.setenv("AELIB_DATA", "~nosuchuser_aelib/data")
    with pytest.raises(PathError) as err:
        load_fashion_mnist("test", download=False)
    both(err, "AELIB_DATA", "no such user")
    with pytest.raises(ArgumentError) as err:
        load_fashion_mnist("test", root=tmp_path, download="no")
    both(err, "True 또는 False", "True or False")


def test_class_subset_does_not_drop_unknown_labels_silently():
    with pytest.raises(LabelError) as err:
        class_subset(TensorDataset(torch.zeros(3, 1, 32, 32), torch.tensor([0, 12, 3])), 1)
    both(err, "[12]", "outside Table 3-3")
    with pytest.raises(ArgumentError) as err:
        class_subset(torch.zeros(3), 1)
    both(err, "TensorDataset(이미지, 레이블)", "TensorDataset(images, labels)")


# ---------------------------------------------------------------------------- 명령


def test_commands_refuse_dangling_links_and_folders_in_the_place_of_files(tmp_path):
    link = tmp_path / "dl"
    link.symlink_to(tmp_path / "none" / "deeper")
    taken = tmp_path / "class"
    (taken / NOTEBOOK.name).mkdir(parents=True)
    done = run_many([(["-m", "aelib.student", str(NOTEBOOK), "--out", str(link)], {}),
                     (["-m", "aelib.handouts", str(NOTEBOOK), "--out", str(link / "sub")], {}),
                     (["-m", "aelib.student", str(NOTEBOOK), "--out", str(taken), "--force"], {}),
                     (["-m", "aelib.explorer.onnx_export", "--help"], {})])
    for each in done[:2]:
        assert "심볼릭 링크" in refused(each, str(link)) and "symbolic link" in each.stderr
    assert "폴더입니다" in refused(done[2], NOTEBOOK.name) and "is a folder" in done[2].stderr
    assert done[3].returncode == 0 and "Warning" not in done[3].stderr  # runpy의 영어 경고 없음
    assert not (tmp_path / "none").exists() and (taken / NOTEBOOK.name).is_dir()


def _course(*args):
    return subprocess.run(["bash", str(ROOT / "course"), *args], capture_output=True, text=True, cwd=ROOT,
                          env=child_env(), timeout=120)


def test_course_and_benchmarks_speak_korean_on_usage_errors():
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        student, pytest_args, bench = pool.map(lambda args: _course(*args), [
            ("student", "--force"), ("test-fast", "--no-such-pytest-option"), ("bench", "--bogus")])
    assert student.returncode == 2 and "사용법: ./course student DIR" in student.stderr
    assert pytest_args.returncode == 2 and "알아듣지 못했습니다" in pytest_args.stderr
    assert "did not understand" in pytest_args.stderr
    done = bench
    assert done.returncode == 2 and "알 수 없는 인자입니다: --bogus" in done.stderr
    assert "unrecognized arguments: --bogus" in done.stderr and "Traceback" not in done.stderr
