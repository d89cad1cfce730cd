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
from torchvision.datasets.mnist import read_image_file, read_label_file
from torchvision.datasets.utils import check_integrity, extract_archive

from .tools.cache import ROOT as CACHE_ROOT
from .errors import ArgumentError, DataCorruptError, DataNotFoundError, ImageValueError, PathError

SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")
DEFAULT_ROOT = CACHE_ROOT  # 데이터의 기본 폴더 (AELIB_DATA가 없을 때)

# 압축을 푼 파일의 md5 (데비안 파일에서 측정, 레이블은 원본 저장소와 바이트 단위로 같음).
RAW_MD5 = {
    "train-images-idx3-ubyte": "f4a8712d7a061bf5bd6d2ca38dc4d50a",
    "train-labels-idx1-ubyte": "9018921c3c673c538a1fc5bad174d6f9",
    "t10k-images-idx3-ubyte": "8181f5470baa50b63fa0f6fddb340f0a",
    "t10k-labels-idx1-ubyte": "15d484375f8d13e6eb1aabb0c3f46965",
}
SPLIT_SIZES = {"train": 60_000, "test": 10_000}
SPLIT_FILES = {"train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
               "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")}
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049  # IDX 형식의 첫 4바이트: uint8 3차원(이미지), uint8 1차원(레이블)
IMAGE_SIZE = 32  # 책처럼 28×28 주위에 0을 2픽셀씩 덧대어 32×32


def data_root(root: str | os.PathLike | None = None) -> Path:
    """데이터 폴더: 인자, ``AELIB_DATA``, ``~/.cache/aelib`` 순서."""
    where = "root" if root else "AELIB_DATA"
    value = root or os.environ.get("AELIB_DATA") or DEFAULT_ROOT
    try:
        return Path(value).expanduser()
    except TypeError:
        raise ArgumentError(f"root는 데이터 폴더의 경로(문자열 또는 Path)여야 합니다. 받은 값: {value!r}.",
                            f"root must be the data folder's path (str or Path), got {value!r}.") from None
    except RuntimeError:  # "~없는사용자/…"
        raise PathError(f"{where} {str(value)!r}의 ~를 집 폴더로 바꿀 수 없습니다 (그런 사용자가 없음). 전체 경로를 주세요.",
                        f"Cannot expand ~ in {where} {str(value)!r} (no such user); give a full path.") from None


def raw_folder(root: Path) -> Path:
    """torchvision이 압축 푼 파일을 찾는 곳 (``root``: 데이터 폴더, 문자열 또는 Path)."""
    return data_root(root) / "FashionMNIST" / "raw" if not isinstance(root, Path) else root / "FashionMNIST" / "raw"


def _needed(split: str | None) -> tuple[str, ...]:
    """``split``에 필요한 압축 푼 파일 이름 (None이면 넷 모두)."""
    return SPLIT_FILES[split] if split in SPLIT_FILES else tuple(RAW_MD5)


def _raw_files_present(root: Path, split: str | None = None) -> bool:
    return all((raw_folder(root) / name).is_file() for name in _needed(split))


def _missing_files(root: Path, split: str | None) -> tuple[list[str], list[str]]:
    """(필요한데 없는 파일, 있는 파일): 일부만 있을 때 무엇이 빠졌는지 말하려고."""
    names = _needed(split)
    have = [n for n in RAW_MD5 if (raw_folder(root) / n).is_file()]
    return [n for n in names if n not in have], have


def _extract_system_copy(root: Path, system_dir: Path) -> bool:
    """데비안 .gz 파일이 있으면 ``root``에 풀고 md5를 확인합니다. 없으면 False."""
    sources = {name: system_dir / f"{name}.gz" for name in RAW_MD5}
    if not all(p.is_file() for p in sources.values()):
        return False
    target = raw_folder(root)
    _make_folder(target)
    for name, gz in sources.items():
        out = target / name
        if os.path.lexists(out):  # 이미 있는 것(사용자의 파일·폴더 포함)은 바꾸지 않음: 없는 파일만 채움
            continue
        with tempfile.TemporaryDirectory(dir=target) as tmpdir:
            try:
                tmp = Path(extract_archive(str(gz), tmpdir))
            except OSError as exc:
                if exc.errno in _DISK_ERRNOS:  # 디스크가 가득 참·권한: 패키지는 멀쩡함
                    from .tools.atomic import write_failed

                    raise write_failed(out, exc) from exc
                raise _bad_system_copy(gz, type(exc).__name__) from exc
            except EOFError as exc:  # 깨진 gzip
                raise _bad_system_copy(gz, type(exc).__name__) from exc
            if check_integrity(str(tmp), RAW_MD5[name]):
                tmp.replace(out)
                continue
            raise _bad_system_copy(gz, "md5 mismatch")
    return True


_DISK_ERRNOS = {28, 122, 27, 13, 1, 30}  # ENOSPC, EDQUOT, EFBIG, EACCES, EPERM, EROFS


def _make_folder(target: Path, create: bool = True) -> None:
    """데이터 폴더를 만듭니다 (``create=False``면 만들 수 있는지만 봄). 안 되면 어느 경로가 왜 안 되는지 알려 줍니다."""
    blocker = next((p for p in [target, *target.parents] if p.exists() and not p.is_dir()), None)
    try:
        if blocker is not None:
            raise NotADirectoryError(20, "Not a directory", str(blocker))
        if create:
            target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        why_ko = f"{blocker}이(가) 폴더가 아니라 파일입니다" if blocker else f"{type(exc).__name__}: {exc.strerror}"
        why_en = f"{blocker} is a file, not a folder" if blocker else f"{type(exc).__name__}: {exc.strerror}"
        raise PathError(
            f"데이터 폴더 {target}을(를) 만들 수 없습니다 ({why_ko}). "
            "root 인자나 AELIB_DATA를 쓰기 권한이 있는 폴더로 바꾸세요.",
            f"Cannot create the data folder {target} ({why_en}). "
            "Point root or AELIB_DATA to a folder you may write to.",
        ) from exc


def _bad_system_copy(gz: Path, detail: str) -> DataCorruptError:
    return DataCorruptError(
        f"{gz}의 내용이 Fashion-MNIST와 다릅니다 ({detail}). "
        "`sudo apt-get install --reinstall dataset-fashion-mnist`로 다시 설치하세요.",
        f"{gz} does not hold Fashion-MNIST ({detail}). "
        "Reinstall it with `sudo apt-get install --reinstall dataset-fashion-mnist`.",
    )


def _not_found(root: Path, system_dir: Path, reason: str, missing: list[str] | None = None) -> DataNotFoundError:
    if missing:  # 일부만 있음: 빠진 파일을 이름으로
        ko = f"{raw_folder(root)}에 Fashion-MNIST 파일이 일부만 있습니다. 빠진 파일: {', '.join(missing)} ({reason}). "
        en = f"{raw_folder(root)} holds only part of Fashion-MNIST. Missing: {', '.join(missing)} ({reason}). "
        return DataNotFoundError(
            ko + "빠진 파일을 그 폴더에 넣거나, `sudo apt-get install dataset-fashion-mnist` 또는 인터넷에 연결한 뒤 "
                 "다시 실행하세요.",
            en + "Put the missing files into that folder, or run `sudo apt-get install dataset-fashion-mnist`, "
                 "or go online and run again.")
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
    split: str | None = None,
) -> Path:
    """torchvision이 읽을 수 있는 데이터 폴더를 준비하고 그 경로를 돌려줍니다.

    ``split``("train"·"test")을 주면 그 부분의 파일만 있으면 됩니다 (훈련 파일이 없어도 테스트는 읽음).
    """
    root, system_dir = data_root(root), Path(system_dir)
    _make_folder(raw_folder(root), create=False)  # 부모가 파일이면 어디서 막혔는지 먼저 알림
    if _raw_files_present(root, split) or _extract_system_copy(root, system_dir):
        return root
    missing, have = _missing_files(root, split)
    if not download:
        raise _not_found(root, system_dir, "download=False", missing if have else None)
    try:
        for train in ((split == "train",) if split in SPLIT_FILES else (True, False)):
            FashionMNIST(str(root), train=train, download=True)
    except Exception as exc:  # 네트워크 없음, 미러 실패 등
        raise _not_found(root, system_dir, f"download failed: {type(exc).__name__}", missing if have else None) from exc
    return root


def pad_to_32(images_uint8: torch.Tensor) -> torch.Tensor:
    """(N, 28, 28) uint8 → (N, 1, 32, 32) float32, 값은 [0, 1]."""
    if not isinstance(images_uint8, torch.Tensor) or images_uint8.dtype != torch.uint8 or images_uint8.ndim != 3:
        found = f"{images_uint8.dtype} {tuple(images_uint8.shape)}" if isinstance(images_uint8, torch.Tensor) \
            else type(images_uint8).__name__
        raise ImageValueError(
            f"pad_to_32는 Fashion-MNIST 원본 (N, 28, 28) uint8 이미지를 받습니다. 받은 값: {found}. "
            "이미 [0, 1] 실수라면 torch.nn.functional.pad(x, (2, 2, 2, 2))로 덧대세요 (255로 다시 나누지 않게).",
            f"pad_to_32 takes raw Fashion-MNIST (N, 28, 28) uint8 images, got {found}. "
            "For images already in [0, 1] use torch.nn.functional.pad(x, (2, 2, 2, 2)) (so they are not divided by 255 twice).",
        )
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

    돌려주는 ``TensorDataset``의 텐서: 이미지 (N, 1, 32, 32) float32 [0, 1], 레이블 (N,) int64 (0–9, 표 3-3).
    ``root``·``AELIB_DATA``에 사용자가 둔 파일도 데비안 사본처럼 확인합니다: IDX 형식, 이미지 28×28,
    이미지와 레이블의 수, 파일 길이, 레이블 0–9. 틀리면 파일은 그대로 두고 ``DataCorruptError``를 냅니다.
    """
    if split not in SPLIT_SIZES:
        raise ArgumentError(f"split은 'train' 또는 'test'여야 합니다. 받은 값: {split!r}.",
                            f"split must be 'train' or 'test', got {split!r}.")
    if not isinstance(download, bool):
        raise ArgumentError(f"download는 True 또는 False여야 합니다. 받은 값: {download!r}.",
                            f"download must be True or False, got {download!r}.")
    folder = locate(root, download=download, system_dir=system_dir, split=split)
    _check_headers(folder, split)
    try:
        # torchvision의 FashionMNIST(download=False)는 네 파일이 모두 있어야 하므로, 이 부분의 두 파일만 직접 읽음
        image_name, label_name = SPLIT_FILES[split]
        images = read_image_file(str(raw_folder(folder) / image_name))
        labels = read_label_file(str(raw_folder(folder) / label_name))
    except Exception as exc:
        raise _corrupt(folder, exc) from exc
    if images.shape != (SPLIT_SIZES[split], 28, 28) or labels.shape != (SPLIT_SIZES[split],):
        raise _corrupt(folder, f"shape {tuple(images.shape)}")
    lo, hi = int(labels.min()), int(labels.max())
    if lo < 0 or hi > 9:
        bad = sorted(set(labels[(labels < 0) | (labels > 9)].tolist()))[:5]
        raise _corrupt(folder, (f"{SPLIT_FILES[split][1]}: 레이블 값 {bad}, 표 3-3의 번호 0–9 밖",
                                f"{SPLIT_FILES[split][1]}: label values {bad} outside Table 3-3's 0–9"))
    return TensorDataset(pad_to_32(images), labels.long())


def _read_header(path: Path, words: int) -> tuple[list[int], int]:
    """IDX 파일 머리의 32비트 빅엔디언 정수 ``words``개와 파일 크기."""
    with open(path, "rb") as f:
        head = f.read(4 * words)
    size = path.stat().st_size
    if len(head) < 4 * words:
        return [], size
    return [int.from_bytes(head[i : i + 4], "big") for i in range(0, 4 * words, 4)], size


def _check_headers(folder: Path, split: str) -> None:
    """torchvision이 읽기 전에 두 파일의 머리(형식, 개수, 이미지 크기)와 길이를 확인합니다 (파일마다 16바이트만 읽음).

    데비안에서 푼 파일은 md5로 이미 확인했지만, 사용자가 ``root``·``AELIB_DATA``에 둔 파일은 여기서 처음 봅니다.
    """
    image_name, label_name = SPLIT_FILES[split]
    raw = raw_folder(folder)
    expected = SPLIT_SIZES[split]
    for name in (image_name, label_name):
        if not (raw / name).is_file():
            raise _corrupt(folder, (f"{name}: 파일이 아니라 폴더(또는 다른 것)입니다", f"{name}: a folder (or something else), not a file"))
    head, size = _read_header(raw / image_name, 4)
    if len(head) < 4 or head[0] != IMAGES_MAGIC:
        raise _corrupt(folder, (f"{image_name}: IDX 이미지 파일이 아님, 첫 4바이트 {head[:1]}",
                                f"{image_name}: not an IDX image file, magic {head[:1]}"))
    count, rows, cols = head[1:]
    if (rows, cols) != (28, 28):
        raise _corrupt(folder, (f"{image_name}: 머리에 적힌 이미지 크기 {rows}×{cols}, Fashion-MNIST는 28×28",
                                f"{image_name}: the header says {rows}×{cols} images, Fashion-MNIST has 28×28"))
    want = 16 + count * rows * cols
    if size != want:
        raise _corrupt(folder, (f"{image_name}: 파일 길이 {size}바이트, 머리대로면 {want}바이트 (잘렸거나 덧붙은 파일)",
                                f"{image_name}: {size} bytes, the header promises {want} (truncated or padded)"))
    head, size = _read_header(raw / label_name, 2)
    if len(head) < 2 or head[0] != LABELS_MAGIC:
        raise _corrupt(folder, (f"{label_name}: IDX 레이블 파일이 아님, 첫 4바이트 {head[:1]}",
                                f"{label_name}: not an IDX label file, magic {head[:1]}"))
    n_labels = head[1]
    if n_labels != count:
        raise _corrupt(folder, (f"이미지 {count}장과 레이블 {n_labels}개의 수가 다름",
                                f"{count} images but {n_labels} labels"))
    if size != 8 + n_labels:
        raise _corrupt(folder, (f"{label_name}: 파일 길이 {size}바이트, 머리대로면 {8 + n_labels}바이트 (잘렸거나 덧붙은 파일)",
                                f"{label_name}: {size} bytes, the header promises {8 + n_labels} (truncated or padded)"))
    if count != expected:
        raise _corrupt(folder, (f"{image_name}: 이미지 {count}장, Fashion-MNIST의 {split}은 {expected}장",
                                f"{image_name}: {count} images, Fashion-MNIST's {split} split has {expected}"))


def _corrupt(folder: Path, detail) -> DataCorruptError:
    """사용자의 파일은 건드리지 않고, 무엇이 틀렸는지와 고치는 방법을 알려 주는 오류. ``detail``: 값 또는 (한국어, 영어)."""
    detail_ko, detail_en = detail if isinstance(detail, tuple) else (detail, detail)
    return DataCorruptError(
        f"{raw_folder(folder)}의 Fashion-MNIST 파일이 깨졌습니다 ({detail_ko}). 파일은 그대로 두었습니다. "
        "그 폴더의 파일을 지우거나 다른 곳으로 옮기고 다시 실행하면 새로 준비합니다 (또는 root·AELIB_DATA를 다른 폴더로).",
        f"The Fashion-MNIST files in {raw_folder(folder)} are corrupt ({detail_en}). The files were left untouched. "
        "Delete or move the files in that folder and run again to prepare them anew (or point root/AELIB_DATA elsewhere).",
    )


def class_subset(dataset: TensorDataset, per_class: int) -> TensorDataset:
    """각 클래스에서 앞쪽 ``per_class``개(1 이상의 정수)씩 고른 작은 데이터셋 (테스트와 그림용).

    ``dataset``: ``TensorDataset``(이미지, 레이블 (N,) 0–9).
    """
    from . import validate

    per_class = validate.integer(per_class, "per_class", minimum=1, kind=ArgumentError)
    if not isinstance(dataset, TensorDataset) or len(dataset.tensors) != 2:
        raise ArgumentError(
            "class_subset의 dataset은 TensorDataset(이미지, 레이블)이어야 합니다 "
            f"(받은 값: {type(dataset).__name__}{'' if not isinstance(dataset, TensorDataset) else f', 텐서 {len(dataset.tensors)}개'}). "
            "load_fashion_mnist(...)가 돌려주는 데이터셋을 쓰세요.",
            f"class_subset needs a TensorDataset(images, labels), got {type(dataset).__name__}; "
            "use the dataset returned by load_fashion_mnist(...).")
    images, labels = dataset.tensors
    validate.class_labels(labels, len(images), "dataset의 레이블 / labels of dataset")  # 0–9 밖은 조용히 빠지지 않게
    idx = torch.cat([torch.nonzero(labels == c).flatten()[:per_class] for c in range(10)])
    return TensorDataset(images[idx], labels[idx])
