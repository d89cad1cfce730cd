"""명령줄 도구의 인자 읽기: 오류는 한국어 줄 다음에 영어 줄, 사용법 오류는 종료 코드 2, 역추적(traceback) 없음.

    parser = cli.ArgumentParser(description="... / ...")
    args = parser.parse_args(argv)
    with parser.checking():          # 일을 시작하기 전의 확인: AelibError → 사용법 오류(종료 코드 2)
        out = paths.output_dir(args.out)
    ...
    if __name__ == "__main__":
        cli.run(main)                # 일하는 중의 AelibError → 두 줄 메시지, 종료 코드 1
"""

import argparse
import contextlib
import re
import sys

from ..errors import AelibError

USAGE_ERROR = 2
WORK_ERROR = 1
INTERRUPTED = 130

# argparse의 영어 메시지 → 한국어 (앞에서부터 처음 맞는 것)
_KOREAN = [
    (r"the following arguments are required: (.*)", r"꼭 주어야 하는 인자가 없습니다: \1"),
    (r"unrecognized arguments: (.*)", r"알 수 없는 인자입니다: \1"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", r"인자 \1: 고를 수 없는 값 \2입니다 (\3 중 하나)"),
    (r"argument (\S+): expected one argument", r"인자 \1: 값이 하나 필요합니다"),
    (r"argument (\S+): expected at least one argument", r"인자 \1: 값이 하나 이상 필요합니다"),
    (r"argument (\S+): invalid (\w+) value: (.*)", r"인자 \1: \2 값이 아닙니다: \3"),
    (r"argument (\S+): ignored explicit argument (.*)", r"인자 \1: 값을 받지 않는데 \2이(가) 붙었습니다"),
    (r"argument (\S+): not allowed with argument (.*)", r"인자 \1은(는) \2와 함께 쓸 수 없습니다"),
    (r"ambiguous option: (\S+) could match (.*)", r"\1은(는) 여러 옵션(\2) 중 어느 것인지 모호합니다"),
]


def korean(message: str) -> str:
    """argparse의 영어 오류 메시지를 한국어로 (모르는 메시지는 영어 그대로 붙여서)."""
    for pattern, replacement in _KOREAN:
        m = re.fullmatch(pattern, message)
        if m:
            return m.expand(replacement)
    return f"인자가 잘못되었습니다: {message}"


class ArgumentParser(argparse.ArgumentParser):
    """argparse와 같지만 오류를 한국어·영어 두 줄로 알리고 종료 코드 2로 끝냅니다 (역추적 없음)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        if "prog" not in kwargs and kwargs.get("module"):
            kwargs["prog"] = f"python -m {kwargs['module']}"
        kwargs.pop("module", None)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="이 도움말 / show this help and exit")

    def error(self, message: str):  # argparse가 부름
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: 오류: {korean(message)}\n{self.prog}: error: {message}\n")

    def refuse(self, korean_text: str, english_text: str):
        """일을 시작하기 전에 알아챈 사용법 오류: 두 줄 메시지, 종료 코드 2."""
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: 오류: {korean_text}\n{self.prog}: error: {english_text}\n")

    @contextlib.contextmanager
    def checking(self):
        """이 블록 안의 ``AelibError``는 사용법 오류입니다 (아직 아무 일도 하지 않았음): 종료 코드 2."""
        try:
            yield
        except AelibError as exc:
            self.refuse(exc.korean, exc.english)


def run(main, argv=None) -> None:
    """``main(argv)``을 실행하고, 일하는 중의 ``AelibError``는 두 줄 메시지와 종료 코드 1로, Ctrl-C는 130으로."""
    try:
        main(argv)
    except AelibError as exc:
        print(f"오류: {exc.korean}\nerror: {exc.english}", file=sys.stderr)
        sys.exit(WORK_ERROR)
    except KeyboardInterrupt:
        print("중단했습니다. 쓰던 파일은 남기지 않았습니다 / interrupted; no half-written file was left",
              file=sys.stderr)
        sys.exit(INTERRUPTED)
