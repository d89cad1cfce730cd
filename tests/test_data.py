import gzip
import shutil

import pytest
import torch
from torchvision.datasets import FashionMNIST

from aelib import labels
from aelib.data import RAW_MD5, SYSTEM_DIR, class_subset, load_fashion_mnist, locate, raw_folder
from aelib.errors import DataCorruptError, DataNotFoundError


def test_train_images_are_padded_floats_in_unit_range(train_set):
    images, y = train_set.tensors
    assert images.shape == (60_000, 1, 32, 32) and images.dtype == torch.float32
    assert float(images.min()) == 0.0 and float(images.max()) == 1.0
    # 2픽셀 테두리는 덧댄 0
    assert images[:, :, :2].abs().sum() == 0 and images[:, :, :, -2:].abs().sum() == 0
    assert y.dtype == torch.int64 and y.bincount().tolist() == [6000] * 10


def test_test_split_and_known_first_labels(train_set, test_set):
    images, y = test_set.tensors
    assert images.shape == (10_000, 1, 32, 32) and y.bincount().tolist() == [1000] * 10
    # 원본 저장소의 첫 레이블: 학습 9(앵클 부츠), 0, 0, 3 / 테스트 9, 2, 1, 1
    assert train_set.tensors[1][:4].tolist() == [9, 0, 0, 3]
    assert y[:4].tolist() == [9, 2, 1, 1]


def test_pixels_match_torchvision_reading(test_set, tmp_path):
    root = locate()
    raw = FashionMNIST(str(root), train=False, download=False).data
    assert torch.equal((test_set.tensors[0][:, 0, 2:30, 2:30] * 255).round().to(torch.uint8), raw)


def test_debian_copy_is_extracted_where_torchvision_looks(tmp_path):
    if not SYSTEM_DIR.is_dir():
        pytest.skip("데비안 dataset-fashion-mnist 없음 / Debian package not installed")
    root = locate(tmp_path, download=False)
    assert root == tmp_path
    assert sorted(p.name for p in raw_folder(tmp_path).iterdir()) == sorted(RAW_MD5)
    # torchvision 자신의 확인이 통과해야 download=False로 읽힘
    assert FashionMNIST(str(tmp_path), train=True, download=False)._check_exists()


def test_aelib_data_environment_variable_is_used(tmp_path, monkeypatch):
    locate(tmp_path, download=False)
    monkeypatch.setenv("AELIB_DATA", str(tmp_path))
    ds = load_fashion_mnist("test", download=False, system_dir=tmp_path / "nowhere")
    assert len(ds) == 10_000


def test_missing_data_names_the_three_fixes(tmp_path):
    with pytest.raises(DataNotFoundError) as err:
        load_fashion_mnist("train", tmp_path / "empty", download=False, system_dir=tmp_path / "nowhere")
    message = str(err.value)
    assert "찾지 못했습니다" in message and "not found" in message
    for fix in ("apt-get install dataset-fashion-mnist", "AELIB_DATA", "인터넷", "online"):
        assert fix in message
    assert isinstance(err.value, FileNotFoundError)


def test_corrupt_raw_files_give_a_clear_error_and_are_kept(tmp_path):
    locate(tmp_path, download=False)
    images = raw_folder(tmp_path) / "t10k-images-idx3-ubyte"
    images.write_bytes(images.read_bytes()[:1000])  # 잘린 파일
    with pytest.raises(DataCorruptError) as err:
        load_fashion_mnist("test", tmp_path, download=False, system_dir=tmp_path / "nowhere")
    assert "깨졌습니다" in str(err.value) and "corrupt" in str(err.value)
    assert images.stat().st_size == 1000  # 사용자의 파일을 지우지 않음


def test_corrupt_system_copy_is_refused(tmp_path):
    if not SYSTEM_DIR.is_dir():
        pytest.skip("데비안 dataset-fashion-mnist 없음 / Debian package not installed")
    fake = tmp_path / "system"
    shutil.copytree(SYSTEM_DIR, fake)
    with gzip.open(fake / "t10k-labels-idx1-ubyte.gz", "wb") as f:
        f.write(b"not fashion mnist")
    with pytest.raises(DataCorruptError, match="md5"):
        locate(tmp_path / "root", download=False, system_dir=fake)
    assert not (raw_folder(tmp_path / "root") / "t10k-labels-idx1-ubyte").exists()


def test_unknown_split_is_refused():
    with pytest.raises(ValueError, match="split"):
        load_fashion_mnist("validation")


def test_class_subset_takes_each_class(test_set):
    small = class_subset(test_set, 5)
    assert len(small) == 50 and small.tensors[1].bincount().tolist() == [5] * 10


def test_table_3_3_is_complete_and_korean():
    assert [c.id for c in labels.CLASSES] == list(range(10))
    assert labels.KOREAN_NAMES == ["티셔츠/탑", "바지", "풀오버", "드레스", "코트", "샌들", "셔츠", "스니커즈", "가방", "앵클 부츠"]
    assert labels.ENGLISH_NAMES[9] == "Ankle boot" and len(set(labels.COLORS)) == 10
