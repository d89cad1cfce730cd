"""명령줄 도구가 일을 시작하기 전에 보는 경로들: 읽을 노트북, 쓸 폴더, 덮어쓰면 안 되는 파일."""

import json
import os
from pathlib import Path

from ..errors import ExistingWorkError, NotebookError, PathError


def _as_path(value, name: str, example: str = "학생용") -> Path:
    if value is None or not str(value).strip():
        raise PathError(f"{name}이(가) 빈 경로입니다: 이름을 주세요 (예: {name} {example}).",
                        f"{name} is an empty path: give a name (e.g. {name} {example}).")
    return Path(os.fspath(value)).expanduser()


def notebook(path) -> "object":
    """노트북 파일 하나를 읽어 nbformat 노트북으로: 없음·폴더·권한 없음·잘린 JSON·노트북이 아닌 JSON을 거절."""
    import nbformat

    path = _as_path(path, "notebook")
    if not path.exists():
        raise NotebookError(f"노트북 파일이 없습니다: {path}", f"No notebook file at {path}")
    if path.is_dir():
        raise NotebookError(f"{path}은(는) 폴더입니다: .ipynb 파일을 주세요 (예: {path}/*.ipynb).",
                            f"{path} is a folder: give .ipynb files (e.g. {path}/*.ipynb).")
    try:
        text = path.read_text(encoding="utf-8")
    except PermissionError:
        raise PathError(f"{path}을(를) 읽을 권한이 없습니다.", f"No permission to read {path}.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise NotebookError(f"{path}을(를) 읽을 수 없습니다 ({type(exc).__name__}).",
                            f"Cannot read {path} ({type(exc).__name__}).") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotebookError(
            f"{path}은(는) 온전한 노트북이 아닙니다: JSON이 {exc.lineno}번째 줄에서 깨졌습니다 ({exc.msg}). "
            "잘린 노트북이면 git이나 백업에서 되살리고, 노트북이 아니면 .ipynb 파일을 주세요.",
            f"{path} is not a whole notebook: its JSON breaks at line {exc.lineno} ({exc.msg}). "
            "If the notebook was truncated, restore it from git or a backup; otherwise pass an .ipynb file.") from None
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list) or "nbformat" not in data:
        raise NotebookError(f"{path}은(는) JSON이지만 주피터 노트북이 아닙니다 (cells·nbformat 항목이 없음).",
                            f"{path} is JSON but not a Jupyter notebook (no cells/nbformat).")
    try:
        return nbformat.reads(text, as_version=4)
    except Exception as exc:  # nbformat이 읽지 못하는 옛 형식·이상한 셀
        raise NotebookError(f"{path}을(를) 노트북으로 읽을 수 없습니다 ({type(exc).__name__}: {exc}).",
                            f"Cannot read {path} as a notebook ({type(exc).__name__}: {exc}).") from None


def output_dir(path, name: str = "--out", sources=()) -> Path:
    """새 파일을 쓸 폴더: 빈 경로·파일·파일인 부모·쓰기 권한 없음·원본 노트북의 폴더를 거절. 만들지는 않습니다."""
    path = _as_path(path, name)
    resolved = path.resolve()
    if any(Path(src).resolve().parent == resolved for src in sources):
        raise PathError(f"{name}이(가) 원본 노트북의 폴더와 같습니다: {path}. 다른 폴더를 고르세요 (원본을 덮어쓰지 않게).",
                        f"{name} is the folder of the source notebooks ({path}); choose another folder "
                        "so the sources are kept.")
    dangling = next((p for p in [path, *path.parents] if p.is_symlink() and not p.exists()), None)
    problem = (_dangling(dangling) if dangling is not None else None) or _folder_problem(resolved)
    if problem:
        raise PathError(f"{name} {path}에 쓸 수 없습니다: {problem[0]}. 다른 폴더를 고르세요.",
                        f"Cannot write to {name} {path}: {problem[1]}. Choose another folder.")
    return path


def _dangling(link: Path) -> tuple[str, str]:
    target = os.readlink(link)
    return (f"{link}은(는) 없는 곳({target})을 가리키는 심볼릭 링크입니다",
            f"{link} is a symbolic link to {target}, which does not exist")


def _folder_problem(folder: Path) -> tuple[str, str] | None:
    """파일을 쓸 폴더(없으면 만들 폴더)의 문제: (한국어, 영어) 또는 None."""
    if folder.exists() and not folder.is_dir():
        return f"{folder}은(는) 폴더가 아니라 파일입니다", f"{folder} is a file, not a folder"
    existing = next(p for p in [folder, *folder.parents] if p.exists())
    if not existing.is_dir():
        return (f"{existing}이(가) 폴더가 아니라 파일이라 그 아래에 폴더를 만들 수 없습니다",
                f"{existing} is a file, not a folder, so nothing can be created below it")
    why = _cannot_write_in(existing)
    if why:
        return f"{existing}에 파일을 만들 수 없습니다 ({why})", f"cannot create files in {existing} ({why})"
    return None


def _cannot_write_in(folder: Path) -> str:
    """폴더에 정말 파일을 만들 수 있는지 빈 임시 파일로 해 봅니다 (root·읽기 전용 디스크·/proc도 정확히). 안 되면 이유."""
    import tempfile

    try:
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as exc:
        return f"{type(exc).__name__}: {exc.strerror or exc}"
    return ""


def output_file(path, name: str = "--out", force: bool = True) -> Path:
    """새로 쓸 파일: 폴더가 아니고, 폴더에 쓸 수 있고, ``force``가 아니면 아직 없는 파일. 폴더는 만들지 않습니다."""
    path = _as_path(path, name, "model.pt")
    if path.is_dir():
        raise PathError(f"{name} {path}은(는) 폴더입니다: 파일 이름까지 주세요 (예: {path / 'model.pt'}).",
                        f"{name} {path} is a folder: give a file name too (e.g. {path / 'model.pt'}).")
    problem = _folder_problem(path.resolve().parent)
    if problem is None and path.exists() and not os.access(path, os.W_OK):
        problem = f"{path}에 쓸 권한이 없습니다", f"no permission to write {path}"
    if problem:
        raise PathError(f"{name} {path}에 쓸 수 없습니다: {problem[0]}. 다른 경로를 고르세요.",
                        f"Cannot write {name} {path}: {problem[1]}. Choose another path.")
    if path.exists() and not force:
        raise ExistingWorkError(f"{name} {path}이(가) 이미 있습니다: 덮어쓰지 않았습니다. 다른 이름을 주거나, "
                                "덮어써도 되면 --force를 붙이세요.",
                                f"{name} {path} already exists and was not overwritten; give another name, "
                                "or add --force to replace it.")
    return path


def refuse_overwrite(targets, force: bool, what_ko: str = "파일", what_en: str = "files") -> None:
    """``targets`` 중 이미 있는 것이 있으면 (``force``가 아니면) 하나도 쓰기 전에 거절합니다.
    파일 자리에 폴더가 있으면 ``force``여도 거절합니다 (폴더는 파일로 바꿀 수 없음)."""
    folders = [Path(t) for t in targets if Path(t).is_dir()]
    if folders:
        raise PathError(f"{folders[0]}은(는) 폴더입니다: 그 자리에 파일을 쓸 수 없습니다. 그 폴더의 이름을 바꾸거나 "
                        "다른 출력 폴더를 고르세요.",
                        f"{folders[0]} is a folder, so no file can be written there; rename it or choose another "
                        "output folder.")
    existing = [Path(t) for t in targets if Path(t).exists()]
    if existing and not force:
        shown = ", ".join(p.name for p in existing[:4]) + (f" 외 {len(existing) - 4}개" if len(existing) > 4 else "")
        shown_en = ", ".join(p.name for p in existing[:4]) + (f" and {len(existing) - 4} more" if len(existing) > 4 else "")
        raise ExistingWorkError(
            f"{existing[0].parent}에 이미 있는 {what_ko}: {shown}. 아무것도 덮어쓰지 않았습니다. "
            "다른 폴더를 고르거나, 덮어써도 되면 --force를 붙이세요.",
            f"{existing[0].parent} already holds {what_en}: {shown_en}. Nothing was overwritten; "
            "choose another folder, or add --force to replace them.")
