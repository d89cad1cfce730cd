"""견고함 2 — 쓰는 파일은 통째로 새것이거나 손대지 않은 옛것: 진짜로 가득 찬 디스크(RLIMIT_FSIZE)와
읽기 전용 폴더(root의 권한 무시를 뺀 자식 프로세스)에서."""

import os
import shutil
from pathlib import Path

import pytest

from aelib.errors import PathError
from aelib.tools import atomic

from .robust_helpers import ROOT, can_drop_root_override, leftovers, run_python

DISK_FULL = ("디스크가 가득", "disk is full")


def test_atomic_write_replaces_whole_or_not_at_all(tmp_path):
    target = tmp_path / "a.txt"
    atomic.write_text(target, "첫째")
    with pytest.raises(RuntimeError):
        with atomic.atomic_file(target, "w", encoding="utf-8") as f:
            f.write("반쯤")
            raise RuntimeError("중간에 멈춤")
    assert target.read_text(encoding="utf-8") == "첫째" and leftovers(tmp_path) == []
    atomic.write_bytes(target, b"second")
    assert target.read_bytes() == b"second"
    assert oct(target.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


def test_full_disk_keeps_the_old_file(tmp_path):
    target = tmp_path / "big.bin"
    target.write_bytes(b"old")
    code = ("from aelib.tools import atomic; from aelib.errors import PathError\n"
            f"try:\n    atomic.write_bytes({str(target)!r}, b'x' * 200_000)\n"
            "except PathError as e:\n    print(e)\n")
    done = run_python(["-c", code], file_limit=50_000)
    assert any(w in done.stdout for w in DISK_FULL), done.stdout + done.stderr
    assert "File too large" in done.stdout
    assert target.read_bytes() == b"old" and leftovers(tmp_path) == []


def test_onnx_export_on_a_full_disk_keeps_the_shipped_file(tmp_path):
    shipped = ROOT / "aelib" / "weights" / "autoencoder_decoder.onnx"
    copy = tmp_path / shipped.name
    shutil.copy(shipped, copy)
    before = copy.read_bytes()
    code = ("import sys; from pathlib import Path; from aelib.explorer import onnx_export as m; from aelib.tools import cli\n"
            f"m.WEIGHTS_DIR = Path({str(tmp_path)!r})\n"
            "cli.run(m.main, ['autoencoder'])\n")
    done = run_python(["-c", code], file_limit=len(before) // 4)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert any(w in done.stderr for w in DISK_FULL) and str(copy) in done.stderr, done.stderr
    assert copy.read_bytes() == before and leftovers(tmp_path) == []
    assert shipped.read_bytes() == before  # 배포 파일은 건드리지 않음


def test_student_edition_on_a_full_disk_leaves_no_half_notebook(tmp_path):
    out = tmp_path / "class"
    out.mkdir()
    old = out / "04_training.ipynb"
    old.write_text("이전 판", encoding="utf-8")
    done = run_python(["-m", "aelib.student", str(ROOT / "notebooks" / "04_training.ipynb"), "--out", str(out),
                       "--force"], file_limit=20_000)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert any(w in done.stderr for w in DISK_FULL), done.stderr
    assert old.read_text(encoding="utf-8") == "이전 판" and leftovers(out) == []


@pytest.mark.slow
def test_handout_on_a_full_disk_leaves_no_half_html(tmp_path):
    out = tmp_path / "handouts"
    done = run_python(["-m", "aelib.handouts", str(ROOT / "notebooks" / "01_introduction.ipynb"), "--out", str(out)],
                      file_limit=300_000)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert any(w in done.stderr for w in DISK_FULL), done.stderr
    assert not list(out.glob("*.html")) and leftovers(out) == []


def test_checkpoint_on_a_full_disk_keeps_the_old_checkpoint(tmp_path):
    path = tmp_path / "ae.pt"
    code = ("import torch; from aelib.model import Autoencoder; from aelib.checkpoint import save_checkpoint\n"
            "from aelib.errors import CheckpointPathError\n"
            f"save_checkpoint({str(path)!r}, Autoencoder())\n"
            "import resource; resource.setrlimit(resource.RLIMIT_FSIZE, (100_000, 100_000))\n"
            f"try:\n    save_checkpoint({str(path)!r}, Autoencoder(latents=4))\n"
            "except CheckpointPathError as e:\n    print(e)\n")
    done = run_python(["-c", code])
    assert any(w in done.stdout for w in DISK_FULL), done.stdout + done.stderr
    from aelib.checkpoint import read_checkpoint

    assert read_checkpoint(path)["meta"]["latents"] == 2 and leftovers(tmp_path) == []


@pytest.mark.skipif(not Path("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz").is_file(),
                    reason="데비안 dataset-fashion-mnist 없음")
def test_full_disk_while_unpacking_is_not_a_corrupt_package(tmp_path):
    code = ("from aelib.data import locate\nfrom aelib.errors import PathError, DataCorruptError\n"
            f"try:\n    locate({str(tmp_path)!r}, download=False)\n"
            "except PathError as e:\n    print('PathError', e)\n"
            "except DataCorruptError as e:\n    print('DataCorruptError', e)\n")
    done = run_python(["-c", code], file_limit=1_000_000)
    assert done.stdout.startswith("PathError"), done.stdout + done.stderr
    assert any(w in done.stdout for w in DISK_FULL) and "reinstall" not in done.stdout.lower()


@pytest.mark.skipif(not can_drop_root_override(), reason="setpriv가 없어 root의 권한 무시를 뺄 수 없음")
def test_read_only_folder_refuses_checkpoint_and_writes(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "old.pt").write_bytes(b"old")
    locked.chmod(0o555)
    code = ("from aelib.model import Autoencoder; from aelib.checkpoint import save_checkpoint\n"
            "from aelib.tools import atomic; from aelib.errors import PathError\n"
            f"for f in (lambda: save_checkpoint({str(locked / 'new.pt')!r}, Autoencoder()),\n"
            f"          lambda: atomic.write_text({str(locked / 'old.pt')!r}, 'x')):\n"
            "    try:\n        f()\n    except PathError as e:\n        print(type(e).__name__, e)\n")
    try:
        done = run_python(["-c", code], unprivileged=True)
    finally:
        locked.chmod(0o755)
    assert done.stdout.count("PathError") == 2, done.stdout + done.stderr
    assert "권한" in done.stdout and "permission" in done.stdout
    assert sorted(p.name for p in locked.iterdir()) == ["old.pt"] and (locked / "old.pt").read_bytes() == b"old"


def test_write_failure_is_a_path_error():
    with pytest.raises(PathError) as err:
        atomic.write_text("/proc/aelib-no/x.txt", "x")
    assert "다른 경로" in err.value.korean and "another path" in err.value.english
