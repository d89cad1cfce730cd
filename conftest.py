"""모든 테스트(단위 테스트와 노트북 nbval)에 걸리는 훅: 맨 위에 스택 한 줄, 노트북이 다르면 스택부터 안내."""


def pytest_report_header(config):
    from aelib.stack import describe

    return describe()


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """노트북 비교가 실패했고 스택이 잠금 파일과 다르면, 그것부터 알려 줍니다."""
    from aelib.stack import matches_lock, unlocked_failure_hint

    failed = terminalreporter.stats.get("failed", [])
    if any(r.nodeid.split("::")[0].endswith(".ipynb") for r in failed) and not matches_lock():
        terminalreporter.write_sep("=", "스택 / stack")
        terminalreporter.write_line(unlocked_failure_hint())
