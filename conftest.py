"""모든 테스트(단위 테스트와 노트북 nbval)에 걸리는 훅: 맨 위에 스택 한 줄, 노트북이 다르면 스택부터 안내."""


def pytest_collection_modifyitems(config, items):
    """표시 붙이기: 노트북의 nbval 셀은 ``notebooks``, 브라우저 테스트 파일은 ``browser`` (./course test-fast가 뺌)."""
    import pytest

    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.notebooks)
        elif item.path.name.startswith("test_browser"):
            item.add_marker(pytest.mark.browser)


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
