# nbgrader 설정: 이 폴더(또는 이 파일을 복사한 강좌 폴더)에서 `nbgrader generate_assignment`/`autograde`를
# 실행하면 읽힙니다. 학생용은 `./course student`와 같고 (aelib.student.configure_nbgrader),
# 풀이 글(태그 solution)은 지우며, 셀 하나의 실행 시간 제한은 04의 훈련이 들어가는 30분입니다.
from aelib.student import configure_nbgrader

c = get_config()  # noqa: F821 (nbgrader가 넣어 주는 이름)
configure_nbgrader(c)
