"""견고함 2 — 명령줄 도구: 잘못된 입력은 일을 시작하기 전에 한국어·영어로 거절 (종료 코드 2, 역추적 없음),
학생의 작업은 덮어쓰지 않음, ./course는 모르는 명령과 설치 전 상태를 알려 줌."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest

from .robust_helpers import ROOT, can_drop_root_override, child_env, leftovers, run_many, run_python

NOTEBOOK = ROOT / "notebooks" / "01_introduction.ipynb"


def refused(done, *korean_parts, code=2):
    """종료 코드, 두 언어의 메시지, 역추적 없음."""
    assert done.returncode == code, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr, done.stderr
    assert "오류" in done.stderr and "error" in done.stderr, done.stderr
    for part in korean_parts:
        assert part in done.stderr, (part, done.stderr)
    return done.stderr


def student(*args, **kw):
    args, kw = student_call(*args, **kw)
    return run_python(args, **kw)


def student_call(*args, **kw):
    return ["-m", "aelib.student", *map(str, args)], kw


def test_argparse_errors_speak_korean_and_english():
    modules = ("aelib.student", "aelib.handouts", "aelib.pretrained", "aelib.explorer.onnx_export", "aelib.stack")
    *done, bogus_name, bogus_model = run_many([(["-m", m, "--no-such-option"], {}) for m in modules]
                                              + [(["-m", "aelib.pretrained", "bogus"], {}),
                                                 (["-m", "aelib.explorer.onnx_export", "bogus"], {})])
    for module, each in zip(modules, done):
        refused(each, "인자")
        assert f"python -m {module}" in each.stderr
    refused(bogus_name, "고를 수 없는 값 'bogus'")
    refused(bogus_model, "모르는 이름")


def test_missing_truncated_and_foreign_notebooks_are_named(tmp_path):
    truncated = tmp_path / "cut.ipynb"
    truncated.write_text(NOTEBOOK.read_text(encoding="utf-8")[:500], encoding="utf-8")
    foreign = tmp_path / "data.ipynb"
    foreign.write_text(json.dumps({"a": 1}))
    out = tmp_path / "out"
    cases = ((tmp_path / "none.ipynb", "노트북 파일이 없습니다"), (truncated, "JSON이"),
             (foreign, "주피터 노트북이 아닙니다"), (tmp_path, "폴더입니다"))
    calls = [call for src, _ in cases
             for call in (student_call(src, "--out", out), (["-m", "aelib.handouts", str(src), "--out", str(out)], {}))]
    results = iter(run_many(calls))
    for src, says in cases:
        for done in (next(results), next(results)):
            assert str(src) in refused(done, says)
    assert not out.exists()  # 아무것도 쓰지 않음


def test_unclosed_solution_names_notebook_and_cell(tmp_path):
    nb = nbformat.read(NOTEBOOK, as_version=4)
    cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    cell.source = cell.source.replace("### END SOLUTION", "")
    src = tmp_path / "broken.ipynb"
    nbformat.write(nb, src)
    number = nb.cells.index(cell) + 1
    for done in run_many([student_call(src, "--out", tmp_path / "out"),
                          (["-m", "aelib.handouts", str(src), "--edition", "student", "--out", str(tmp_path / "h")], {})]):
        text = refused(done, str(src), f"{number}번째 셀", cell.id, "END SOLUTION")
        assert f"cell {number}" in text
    assert not (tmp_path / "out").exists() and not (tmp_path / "h").exists()


def test_bad_out_folders(tmp_path):
    afile = tmp_path / "notes.txt"
    afile.write_text("메모")
    cases = [(afile, "폴더가 아니라 파일"), (afile / "sub", "폴더가 아니라 파일"), ("", "빈 경로"), ("  ", "빈 경로"),
             (ROOT / "notebooks", "원본 노트북의 폴더")]
    for (_, says), done in zip(cases, run_many([student_call(NOTEBOOK, "--out", out) for out, _ in cases])):
        refused(done, says)
    assert afile.read_text() == "메모"


@pytest.mark.skipif(not can_drop_root_override(), reason="setpriv가 없어 root의 권한 무시를 뺄 수 없음")
def test_read_only_out_folder_is_refused_before_work(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        for done in run_many([student_call(NOTEBOOK, "--out", locked / "student", unprivileged=True),
                              (["-m", "aelib.handouts", str(NOTEBOOK), "--out", str(locked)], {"unprivileged": True}),
                              (["-m", "aelib.pretrained", "autoencoder", "--out", str(locked / "m.pt")],
                               {"unprivileged": True, "timeout": 120})]):
            refused(done, str(locked), "PermissionError")
        assert list(locked.iterdir()) == []
    finally:
        locked.chmod(0o755)


def test_existing_student_work_is_never_overwritten(tmp_path):
    out = tmp_path / "class"
    out.mkdir()
    mine = out / NOTEBOOK.name
    mine.write_text("학생이 고친 노트북", encoding="utf-8")
    text = refused(student(NOTEBOOK, ROOT / "notebooks" / "02_encoder.ipynb", "--out", out), NOTEBOOK.name, "--force")
    assert "덮어쓰지 않았습니다" in text
    assert mine.read_text(encoding="utf-8") == "학생이 고친 노트북"
    assert sorted(p.name for p in out.iterdir()) == [NOTEBOOK.name]  # 02도 쓰지 않음 (모두 확인한 뒤에 씀)
    done = student(NOTEBOOK, "--out", out, "--force")
    assert done.returncode == 0, done.stderr
    assert nbformat.read(mine, as_version=4).cells and leftovers(out) == []


def test_pretrained_checks_out_before_training(tmp_path):
    existing = tmp_path / "mine.pt"
    existing.write_bytes(b"student checkpoint")
    cases = ((existing, "이미 있습니다"), (tmp_path, "폴더입니다"), ("/proc/m.pt", "/proc"))
    done = run_many([(["-m", "aelib.pretrained", "autoencoder", "--out", str(out)], {"timeout": 60}) for out, _ in cases])
    for (_, says), each in zip(cases, done):
        refused(each, says)
    assert existing.read_bytes() == b"student checkpoint"


# ---------------------------------------------------------------------------- ./course


def course(*args, cwd=ROOT, env=None):
    return subprocess.run(["bash", str(Path(cwd) / "course"), *args], capture_output=True, text=True, cwd=cwd,
                          env=env or child_env(), timeout=60)


def test_course_names_an_unknown_command():
    done = course("hnadouts")
    assert done.returncode == 2 and "'hnadouts'" in done.stderr and "unknown command" in done.stderr
    assert "./course handouts" in done.stderr  # 쓸 수 있는 명령을 보여 줌
    assert course("help").returncode == 0


def test_course_student_refuses_an_empty_folder():
    for name in ("", " "):
        done = course("student", name)
        assert done.returncode == 2 and "사용법" in done.stderr and "usage" in done.stderr
    assert course("student").returncode == 2


def test_course_before_setup_says_the_one_command_and_makes_no_venv(tmp_path):
    shutil.copy(ROOT / "course", tmp_path / "course")
    bare = shutil.which("python3", path="/usr/bin:/bin")
    if bare is None:
        pytest.skip("시스템 python3 없음")
    env = {k: v for k, v in child_env().items() if k not in ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH")}
    env["PYTHON"] = bare
    for cmd in ("handouts", "weights", "test-fast", "bench"):
        done = course(cmd, cwd=tmp_path, env=env)
        assert done.returncode == 1 and "./course setup" in done.stderr and "run ./course setup" in done.stderr
        assert "Traceback" not in done.stderr and "ModuleNotFoundError" not in done.stderr
    done = course("student", "out", cwd=tmp_path, env=env)
    assert done.returncode == 1 and "./course setup" in done.stderr
    assert sorted(os.listdir(tmp_path)) == ["course"]  # 빈 .venv를 만들지 않음


def test_handouts_rebuild_their_own_files_but_keep_edited_ones(tmp_path):
    """배포본은 만든 그대로인 HTML만 다시 만들고, 손으로 고친 HTML이나 다른 파일은 --force 없이 덮어쓰지 않음."""
    from aelib.errors import ExistingWorkError
    from aelib.handouts import render, untouched_handout

    out = tmp_path / "handouts"
    target = render(NOTEBOOK, out)
    assert untouched_handout(target)
    assert render(NOTEBOOK, out) == target  # 다시 만들기: 묻지 않음
    edited = target.read_text(encoding="utf-8").replace("</body>", "<p>교사의 메모</p></body>")
    target.write_text(edited, encoding="utf-8")
    assert not untouched_handout(target)
    with pytest.raises(ExistingWorkError, match="--force"):
        render(NOTEBOOK, out)
    text = refused(run_python(["-m", "aelib.handouts", str(NOTEBOOK), "--out", str(out)]), target.name, "--force")
    assert "edited by hand" in text
    assert target.read_text(encoding="utf-8") == edited  # 그대로
    mine = out / "02_encoder.html"
    mine.write_text("<html>내가 만든 페이지</html>", encoding="utf-8")
    with pytest.raises(ExistingWorkError):
        render(ROOT / "notebooks" / "02_encoder.ipynb", out)
    assert mine.read_text(encoding="utf-8") == "<html>내가 만든 페이지</html>"
    render(NOTEBOOK, out, force=True)
    assert untouched_handout(target) and leftovers(out) == []
