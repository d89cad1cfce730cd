"""잘못된 입력 1: root·AELIB_DATA에 사용자가 둔 Fashion-MNIST 파일의 내용이 틀림 (작은 가짜 파일로)."""

import struct

import numpy as np
import pytest

from aelib.data import load_fashion_mnist, locate, raw_folder
from aelib.errors import AelibError, ArgumentError, DataCorruptError, PathError

N = 10_000  # 테스트 분할의 크기


def write_test_split(root, n_images=N, n_labels=None, rows=28, cols=28, labels=None, image_magic=2051,
                     cut=0, extra=b""):
    """torchvision 형식의 가짜 테스트 분할 (이미지는 모두 0)을 root/FashionMNIST/raw/에 씁니다."""
    raw = raw_folder(root)
    raw.mkdir(parents=True, exist_ok=True)
    n_labels = n_images if n_labels is None else n_labels
    images = struct.pack(">IIII", image_magic, n_images, rows, cols) + bytes(n_images * rows * cols) + extra
    (raw / "t10k-images-idx3-ubyte").write_bytes(images[: len(images) - cut])
    y = np.arange(n_labels) % 10 if labels is None else np.asarray(labels)
    (raw / "t10k-labels-idx1-ubyte").write_bytes(struct.pack(">II", 2049, n_labels) + y.astype(np.uint8).tobytes())
    for name in ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"):  # locate()가 네 파일을 찾으므로
        (raw / name).touch()
    return raw


def load(root):
    return load_fashion_mnist("test", root, download=False, system_dir=root / "no-system-copy")


def snapshot(raw):
    return {p.name: p.read_bytes() for p in sorted(raw.iterdir())}


def test_a_well_formed_user_copy_still_loads(tmp_path):
    write_test_split(tmp_path)
    ds = load(tmp_path)
    images, labels = ds.tensors
    assert images.shape == (N, 1, 32, 32) and labels.bincount().tolist() == [1000] * 10


@pytest.mark.parametrize("bad_labels, found", [
    (np.r_[np.arange(N - 1) % 10, 12], "[12]"),
    (np.r_[np.arange(N - 2) % 10, 10, 255], "[10, 255]"),
])
def test_labels_outside_table_3_3(tmp_path, bad_labels, found):
    raw = write_test_split(tmp_path, labels=bad_labels)
    before = snapshot(raw)
    with pytest.raises(DataCorruptError) as err:
        load(tmp_path)
    message = str(err.value)
    assert f"레이블 값 {found}" in message and f"label values {found}" in message and "0–9" in message
    assert str(raw) in message and snapshot(raw) == before  # 어느 폴더인지 말하고, 파일은 그대로


@pytest.mark.parametrize("n_labels", [N - 1, N + 5])
def test_image_and_label_counts_differ(tmp_path, n_labels):
    raw = write_test_split(tmp_path, n_labels=n_labels)
    with pytest.raises(DataCorruptError) as err:
        load(tmp_path)
    assert f"이미지 {N}장과 레이블 {n_labels}개" in str(err.value)
    assert f"{N} images but {n_labels} labels" in str(err.value)
    assert (raw / "t10k-labels-idx1-ubyte").stat().st_size == 8 + n_labels


@pytest.mark.parametrize("rows, cols", [(32, 32), (28, 27), (64, 64)])
def test_header_with_another_image_size(tmp_path, rows, cols):
    write_test_split(tmp_path, rows=rows, cols=cols)
    with pytest.raises(DataCorruptError) as err:
        load(tmp_path)
    assert f"{rows}×{cols}" in str(err.value) and "28×28" in str(err.value)
    assert "images" in err.value.english


@pytest.mark.parametrize("kwargs, ko, en", [
    (dict(cut=100), "잘렸거나", "truncated"),
    (dict(extra=b"\0" * 7), "덧붙은", "padded"),
    (dict(image_magic=2049), "IDX 이미지 파일이 아님", "not an IDX image file"),
    (dict(n_images=100), "이미지 100장", "100 images"),
])
def test_other_broken_user_files(tmp_path, kwargs, ko, en):
    write_test_split(tmp_path, **kwargs)
    with pytest.raises(DataCorruptError) as err:
        load(tmp_path)
    assert ko in err.value.korean and en in err.value.english
    assert isinstance(err.value, AelibError) and isinstance(err.value, ValueError)


def test_environment_variable_copy_is_checked_too(tmp_path, monkeypatch):
    write_test_split(tmp_path, labels=np.r_[np.arange(N - 1) % 10, 42])
    monkeypatch.setenv("AELIB_DATA", str(tmp_path))
    with pytest.raises(DataCorruptError, match=r"\[42\]"):
        load_fashion_mnist("test", download=False, system_dir=tmp_path / "no-system-copy")


def test_data_root_under_a_file_is_named(tmp_path):
    blocker = tmp_path / "notes.txt"
    blocker.write_text("학생의 파일")
    with pytest.raises(PathError) as err:
        locate(blocker / "data", download=False)
    assert str(blocker) in str(err.value) and "파일입니다" in str(err.value) and "is a file" in str(err.value)
    assert isinstance(err.value, OSError) and blocker.read_text() == "학생의 파일"


@pytest.mark.parametrize("split", ["validation", "Train", 0])
def test_unknown_split_names_the_value(split):
    with pytest.raises(ArgumentError) as err:
        load_fashion_mnist(split)
    assert repr(split) in str(err.value) and "'train' 또는 'test'" in str(err.value)


@pytest.mark.parametrize("per_class", [0, -3, 2.5])
def test_class_subset_needs_a_positive_count(per_class):
    from torch.utils.data import TensorDataset
    import torch

    from aelib.data import class_subset

    ds = TensorDataset(torch.zeros(20, 1, 32, 32), torch.arange(20) % 10)
    with pytest.raises(ArgumentError, match="per_class"):
        class_subset(ds, per_class)


@pytest.mark.parametrize("name", ["ae", "VAE", None])
def test_unknown_pretrained_name(name):
    from aelib.pretrained import load_pretrained

    with pytest.raises(ArgumentError) as err:
        load_pretrained(name)
    assert repr(name) in str(err.value) and "autoencoder" in str(err.value)
