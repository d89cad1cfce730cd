import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from aelib.fonts import use_korean_font  # noqa: E402
from aelib.labels import KOREAN_NAMES  # noqa: E402


def test_korean_text_and_minus_sign_render_without_missing_glyphs():
    assert use_korean_font() == "NanumGothic"
    fig, ax = plt.subplots()
    ax.plot([-3, -1, 2], [-2, 0, 1])
    ax.set_title("잠재 공간 " + ", ".join(KOREAN_NAMES))
    ax.set_xlabel("−1.5 보다 작은 값")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.canvas.draw()
    plt.close(fig)
    missing = [str(w.message) for w in caught if "missing from" in str(w.message)]
    assert missing == []
    assert matplotlib.rcParams["axes.unicode_minus"] is True
