"""aelib이 받은 것을 두는 캐시 폴더 (데이터, MathJax, onnxruntime-web, 즉석 ONNX). 가벼운 모듈이라 명령줄 도구가
torch를 읽기 전에 써도 됩니다."""

from pathlib import Path

ROOT = Path.home() / ".cache" / "aelib"
