"""원자적 쓰기: 파일은 언제나 통째로 새것이거나 손대지 않은 옛것입니다.

같은 폴더의 임시 파일에 쓰고, ``fsync``로 디스크에 내린 뒤, ``os.replace``로 한 번에 이름을 바꿉니다.
디스크가 가득 차거나 권한이 없거나 Ctrl-C로 멈추면 임시 파일을 지우고 ``PathError``(또는 ``kind``)를 냅니다.
aelib이 쓰는 모든 파일(체크포인트, ONNX, 학생용 노트북, 배포본 HTML, 캐시)이 이 모듈을 거칩니다.
"""

import contextlib
import os
import tempfile
from pathlib import Path

from ..errors import PathError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_failed(path: Path, exc: OSError, kind=PathError):
    """쓰기에 실패한 ``OSError`` → 한국어·영어 오류 (디스크 가득 참, 파일 크기 제한, 권한, 읽기 전용)."""
    import errno

    why = exc.strerror or str(exc)
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        fix_ko = "디스크가 가득 찼거나 파일 크기 제한에 걸렸습니다: 공간을 비우거나 다른 경로를 고르세요"
        fix_en = "the disk is full or a file-size limit was hit: free some space or choose another path"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix_ko, fix_en = "쓰기 권한이 없습니다: 다른 경로를 고르세요", "no permission to write there: choose another path"
    else:
        fix_ko, fix_en = "경로를 확인하거나 다른 경로를 고르세요", "check the path or choose another path"
    return kind(
        f"{path}에 쓰지 못했습니다 ({type(exc).__name__}: {why}). {fix_ko}. 이미 있던 파일은 그대로입니다.",
        f"Could not write {path} ({type(exc).__name__}: {why}); {fix_en}. Any existing file is left as it was.",
    )


@contextlib.contextmanager
def atomic_file(path, mode: str = "wb", kind=PathError, encoding: str | None = None, check=None):
    """``with atomic_file(path) as f: ...``: 블록이 끝까지 성공해야 ``path``가 바뀝니다.

    ``check(임시 경로)``: 이름을 바꾸기 전에 쓴 내용을 확인하는 함수 (실패하면 오류를 내서 취소).
    """
    path = Path(os.fspath(path))
    tmp = None
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        tmp = Path(tmp_name)
        with os.fdopen(fd, mode, encoding=encoding if "b" not in mode else None) as f:
            os.fchmod(f.fileno(), 0o666 & ~_umask())  # mkstemp의 0600 대신 보통 파일의 권한
            yield f
            f.flush()
            os.fsync(f.fileno())
        if check is not None:
            check(tmp)
        os.replace(tmp, path)  # 한 번에 바뀜: 이전 파일 아니면 완전한 새 파일
        tmp = None
    except Exception as exc:
        cause = _os_error_in(exc)
        if cause is None or isinstance(exc, PathError):
            raise
        raise write_failed(path, cause, kind) from exc
    finally:
        if tmp is not None:  # 실패·Ctrl-C: 반쯤 쓴 임시 파일을 지움
            tmp.unlink(missing_ok=True)


def _os_error_in(exc: BaseException) -> OSError | None:
    """예외 사슬 속의 ``OSError`` (torch.save는 "File too large"를 RuntimeError로 바꿔 냄)."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, OSError):
            return exc
        seen.add(id(exc))
        exc = exc.__cause__ or exc.__context__
    return None


def write_bytes(path, data: bytes, kind=PathError) -> Path:
    with atomic_file(path, "wb", kind) as f:
        f.write(data)
    return Path(path)


def write_text(path, text: str, kind=PathError, encoding: str = "utf-8") -> Path:
    with atomic_file(path, "w", kind, encoding=encoding) as f:
        f.write(text)
    return Path(path)


def write_notebook(path, nb, kind=PathError) -> Path:
    """nbformat 노트북을 원자적으로 (``nbformat.write``와 같은 내용)."""
    import nbformat

    return write_text(path, nbformat.writes(nb) + "\n", kind)
