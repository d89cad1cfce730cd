"""Fashion-MNIST를 네트워크 없이 불러와 32×32 텐서로 메모리에 올립니다.

파일을 찾는 순서:
1. 인자 ``root`` 또는 환경 변수 ``AELIB_DATA`` (torchvision 형식: ``ROOT/FashionMNIST/raw/``)
2. 데비안 패키지 ``dataset-fashion-mnist``의 ``/usr/share/datasets/fashion-mnist/*.gz``
   → ``ROOT/FashionMNIST/raw/``에 압축을 풀고 md5를 확인합니다.
3. 인터넷이 되면 torchvision의 다운로드.
"""

import os
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.data import TensorDataset
from torchvision.datasets import FashionMNIST
from torchvision.datasets.utils import check_integrity, extract_archive

from .errors import DataCorruptError, DataNotFoundError

SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")
DEFAULT_ROOT = Path.home() / ".cache" / "aelib"

# 압축을 푼 파일의 md5 (데비안 파일에서 측정, 레이블은 원본 저장소와 바이트 단위로 같음).
RAW_MD5 = {
    "train-images-idx3-ubyte": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
    "train-labels-idx1-ubyte": "9018921c3c673c538a1fc5bad174d6f9",
    "t10k-images-idx3-ubyte": "8181f5470baa50b63fa0f6fddb340f0a",
    "t10k-labels-idx1-ubyte": "15d484375f8d13e6eb1aabb0c3f46965",
}
SPLIT_SIZES = {"train": 60_000, "test": 10_000}
IMAGE_SIZE = 32  # 책처럼 28×28 주위에 0을 2픽셀씩 덧대어 32×32


def data_root(root: str | os.PathLike | None = None) -> Path:
    """데이터 폴더: 인자, ``AELIB_DATA``, ``~/.cache/aelib`` 순서."""
    return Path(root or os.environ.get("AELIB_DATA") or DEFAULT_ROOT).expanduser()


def raw_folder(root: Path) -> Path:
    """torchvision이 압축 푼 파일을 찾는 곳."""
    return root / "FashionMNIST" / "raw"


def _raw_files_present(root: Path) -> bool:
    return all((raw_folder(root) / name).is_file() for name in RAW_MD5)


def _extract_system_copy(root: Path, system_dir: Path) -> bool:
    """데비안 .gz 파일이 있으면 ``root``에 풀고 md5를 확인합니다. 없으면 False."""
    sources = {name: system_dir / f"{name}.gz" for name in RAW_MD5}
    if not all(p.is_file() for p in sources.values()):
        return False
    target = raw_folder(root)
    target.mkdir(parents=True, exist_ok=True)
    for name, gz in sources.items():
        out = target / name
        if out.is_file() and check_integrity(str(out), RAW_MD5[name]):
            continue
        with tempfile.TemporaryDirectory(dir=target) as tmpdir:
            try:
                tmp = Path(extract_archive(str(gz), tmpdir))
            except (OSError, EOFError) as exc:  # 깨진 gzip
                raise _bad_system_copy(gz, type(exc).__name__) from exc
            if check_integrity(str(tmp), RAW_MD5[name]):
                tmp.replace(out)
                continue
            raise _bad_system_copy(gz, "md5 mismatch")
    return True


def _bad_system_copy(gz: Path, detail: str) -> DataCorruptError:
    return DataCorruptError(
        f"{gz}의 내용이 Fashion-MNIST와 다릅니다 ({detail}). "
        "`sudo apt-get install --reinstall dataset-fashion-mnist`로 다시 설치하세요.",
        f"{gz} does not hold Fashion-MNIST ({detail}). "
        "Reinstall it with `sudo apt-get install --reinstall dataset-fashion-mnist`.",
    )


def _not_found(root: Path, system_dir: Path, reason: str) -> DataNotFoundError:
    return DataNotFoundError(
        f"Fashion-MNIST 파일을 찾지 못했습니다 ({root}/FashionMNIST/raw/, {system_dir}/; {reason}). "
        "해결 방법 셋 중 하나: (1) `sudo apt-get install dataset-fashion-mnist` "
        "(2) `AELIB_DATA=/경로` 로 torchvision 형식의 데이터 폴더 지정 (3) 인터넷에 연결한 뒤 다시 실행.",
        f"Fashion-MNIST files not found ({root}/FashionMNIST/raw/, {system_dir}/; {reason}). "
        "Fix one of: (1) `sudo apt-get install dataset-fashion-mnist` "
        "(2) set `AELIB_DATA=/path` to a torchvision-style data folder (3) go online and run again.",
    )


def locate(
    root: str | os.PathLike | None = None,
    *,
    download: bool = True,
    system_dir: str | os.PathLike = SYSTEM_DIR,
) -> Path:
    """torchvision이 읽을 수 있는 데이터 폴더를 준비하고 그 경로를 돌려줍니다."""
    root, system_dir = data_root(root), Path(system_dir)
    if _raw_files_present(root) or _extract_system_copy(root, system_dir):
        return root
    if not download:
        raise _not_found(root, system_dir, "download=False")
    try:
        FashionMNIST(str(root), train=True, download=True)
        FashionMNIST(str(root), train=False, download=True)
    except Exception as exc:  # 네트워크 없음, 미러 실패 등
        raise _not_found(root, system_dir, f"download failed: {type(exc).__name__}") from exc
    return root


def pad_to_32(images_uint8: torch.Tensor) -> torch.Tensor:
    """(N, 28, 28) uint8 → (N, 1, 32, 32) float32, 값은 [0, 1]."""
    x = images_uint8.unsqueeze(1).float().div_(255.0)
    return F.pad(x, (2, 2, 2, 2), value=0.0)


def load_fashion_mnist(
    split: str = "train",
    root: str | os.PathLike | None = None,
    *,
    download: bool = True,
    system_dir: str | os.PathLike = SYSTEM_DIR,
) -> TensorDataset:
    """Fashion-MNIST 한 부분(``"train"`` 6만 장 또는 ``"test"`` 1만 장)을 텐서로 불러옵니다.

    돌려주는 ``TensorDataset``의 텐서: 이미지 (N, 1, 32, 32) float32 [0, 1], 레이블 (N,) int64.
    """
    if split not in SPLIT_SIZES:
        raise ValueError(f"split은 'train' 또는 'test'여야 합니다 / split must be 'train' or 'test': {split!r}")
    folder = locate(root, download=download, system_dir=system_dir)
    try:
        ds = FashionMNIST(str(folder), train=(split == "train"), download=False)
        images, labels = ds.data, ds.targets
    except Exception as exc:
        raise _corrupt(folder, exc) from exc
    if images.shape != (SPLIT_SIZES[split], 28, 28) or labels.shape != (SPLIT_SIZES[split],):
        raise _corrupt(folder, f"shape {tuple(images.shape)}")
    return TensorDataset(pad_to_32(images), labels.long())


def _corrupt(folder: Path, detail) -> DataCorruptError:
    return DataCorruptError(
        f"{raw_folder(folder)}의 Fashion-MNIST 파일이 깨졌습니다 ({detail}). "
        "그 폴더의 파일을 지우고 다시 실행하면 새로 준비합니다.",
        f"The Fashion-MNIST files in {raw_folder(folder)} are corrupt ({detail}). "
        "Delete the files in that folder and run again to prepare them anew.",
    )


def class_subset(dataset: TensorDataset, per_class: int) -> TensorDataset:
    """각 클래스에서 앞쪽 ``per_class``개씩 고른 작은 데이터셋 (테스트와 그림용)."""
    images, labels = dataset.tensors
    idx = torch.cat([torch.nonzero(labels == c).flatten()[:per_class] for c in range(10)])
    return TensorDataset(images[idx], labels[idx])
