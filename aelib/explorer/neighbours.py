"""2차원 점의 최근접 거리를 격자 칸으로 빠르게: 메모리와 시간이 N에 비례합니다.

점들을 한 변 ``cell``인 칸에 나누고, 질의 점마다 둘레 3×3 칸의 점하고만 비교합니다 (numpy로 한꺼번에).
찾은 거리가 ``cell`` 이하면 3×3 칸 밖에 더 가까운 점이 있을 수 없으므로 정확합니다. 그보다 먼 질의 점(데이터에서
멀리 떨어진 점)은 칸을 4배로 키워 다시 찾습니다. 결과는 ``aelib.problems.self_nn_distances``와 같은 값(float64)입니다.
"""

import numpy as np
import torch

BLOCK = 1  # 둘레 칸 수: 3×3
TARGET_PER_CELL = 4  # 점이 있는 칸 하나에 평균으로 두려는 점 수
CHUNK = 16384  # 한 번에 다루는 질의 점 수 (메모리 상한)


def _first_cell(points: np.ndarray) -> float:
    n = len(points)
    span = np.maximum(points.max(axis=0) - points.min(axis=0), 1e-9)
    cell = float(np.sqrt(span[0] * span[1] * TARGET_PER_CELL / n))
    for _ in range(2):  # 무리가 촘촘하면 칸을 줄여, 점이 있는 칸마다 평균 TARGET_PER_CELL개쯤
        ij = np.floor((points - points.min(axis=0)) / cell).astype(np.int64)
        occupied = len(np.unique(ij[:, 0] * (int(ij[:, 1].max()) + 1) + ij[:, 1]))
        cell *= float(np.sqrt(TARGET_PER_CELL / (n / occupied)))
    # 칸 수는 4N 이하 (메모리가 N에 비례하도록)
    return max(cell, float(np.sqrt(span[0] * span[1] / (4 * n))))


def _pass(points, queries, self_ids, cell) -> np.ndarray:
    """3×3 칸 안에서 찾은 최근접 거리, 정확하다고 보장할 수 없으면 inf."""
    origin = points.min(axis=0) - (BLOCK + 0.5) * cell  # 반 칸 더: 가장자리 점이 반올림으로 밖에 떨어지지 않게
    pij = np.floor((points - origin) / cell).astype(np.int64)
    nx, ny = int(pij[:, 0].max()) + 1 + BLOCK, int(pij[:, 1].max()) + 1 + BLOCK
    key = pij[:, 0] * ny + pij[:, 1]
    order = np.argsort(key, kind="stable")
    counts = np.bincount(key, minlength=nx * ny)
    starts = np.cumsum(counts) - counts
    qij = np.floor((queries - origin) / cell).astype(np.int64)
    out = np.full(len(queries), np.inf)
    inside = (qij[:, 0] >= BLOCK) & (qij[:, 0] < nx - BLOCK) & (qij[:, 1] >= BLOCK) & (qij[:, 1] < ny - BLOCK)
    for s in range(0, len(queries), CHUNK):
        idx = s + np.flatnonzero(inside[s:s + CHUNK])
        if not len(idx):
            continue
        qkey = qij[idx, 0] * ny + qij[idx, 1]
        best = np.full(len(idx), np.inf)
        qx, qy = queries[idx, 0], queries[idx, 1]
        for di in range(-BLOCK, BLOCK + 1):
            for dj in range(-BLOCK, BLOCK + 1):
                k = qkey + di * ny + dj
                cnt, lo = counts[k], starts[k]
                total = int(cnt.sum())
                if total == 0:
                    continue
                has = np.flatnonzero(cnt)
                first = np.cumsum(cnt) - cnt  # 질의 점마다 짝의 시작 위치
                rows = np.repeat(np.arange(len(idx)), cnt)
                cand = order[np.repeat(lo - first, cnt) + np.arange(total)]
                d2 = (qx[rows] - points[cand, 0]) ** 2 + (qy[rows] - points[cand, 1]) ** 2
                if self_ids is not None:
                    d2[cand == self_ids[idx][rows]] = np.inf
                best[has] = np.minimum(best[has], np.minimum.reduceat(d2, first[has]))
        out[idx] = np.sqrt(best)
    out[~(out <= BLOCK * cell)] = np.inf  # 3×3 칸 밖에 더 가까운 점이 있을 수 있음
    return out


def nearest_distances(points, queries=None) -> np.ndarray:
    """``queries``(M, 2)마다 ``points``(N, 2) 중 가장 가까운 점까지의 거리 (M,), float64.

    ``queries``가 None이면 점마다 가장 가까운 *다른* 점까지의 거리 (``self_nn_distances``와 같은 뜻)."""
    points = np.ascontiguousarray(np.asarray(points, dtype=np.float64))
    self_ids = np.arange(len(points)) if queries is None else None
    queries = points if queries is None else np.ascontiguousarray(np.asarray(queries, dtype=np.float64))
    out = np.full(len(queries), np.inf)
    todo = np.arange(len(queries))
    cell = _first_cell(points)
    span = float(np.max(points.max(axis=0) - points.min(axis=0)))
    while len(todo):
        if cell > span:  # 칸 하나가 모든 점을 덮음: 남은 점(아주 먼 점)은 모든 점과 비교
            for s in range(0, len(todo), 256):
                t = todo[s:s + 256]
                d2 = ((queries[t, None, :] - points[None, :, :]) ** 2).sum(axis=2)
                if self_ids is not None:
                    d2[np.arange(len(t)), t] = np.inf
                out[t] = np.sqrt(d2.min(axis=1))
            break
        got = _pass(points, queries[todo], None if self_ids is None else self_ids[todo], cell)
        out[todo] = got
        todo = todo[~np.isfinite(got)]
        cell *= 4
    return out


def threshold(z, quantile: float = 0.95) -> float:
    """노트북 06의 τ (``aelib.problems.data_threshold``)와 같은 정의: 최근접 다른 임베딩까지의 거리의 백분위수.

    칸 한 번으로 거리를 다 못 찾은 점(cell보다 먼 점)은 찾은 모든 거리보다 멀므로, 백분위수가 쓰는 두 순서 통계량이
    찾은 거리 안에 있으면 그것으로 정확합니다 (보통 그러함). 아니면 모든 거리를 찾습니다."""
    points = np.ascontiguousarray(np.asarray(z, dtype=np.float64))
    n = len(points)
    d = _pass(points, points, np.arange(n), _first_cell(points))
    need = int(np.ceil(quantile * (n - 1))) + 1  # torch.quantile(선형 보간)이 쓰는 가장 큰 순서 통계량까지의 개수
    if int(np.isfinite(d).sum()) < need:
        d = nearest_distances(points)
    return float(torch.quantile(torch.from_numpy(d), quantile))


def farther_than(points, queries, radius: float) -> np.ndarray:
    """``queries``마다 가장 가까운 점이 ``radius``보다 먼지 (M,) bool: 칸 한 번(한 변 radius)으로 충분합니다."""
    points = np.ascontiguousarray(np.asarray(points, dtype=np.float64))
    queries = np.ascontiguousarray(np.asarray(queries, dtype=np.float64))
    if not radius > 0:
        return np.ones(len(queries), dtype=bool)
    span = float(np.max(points.max(axis=0) - points.min(axis=0)))
    cell = max(radius / BLOCK, span / 4000)  # 칸 수의 상한 (τ가 아주 작을 때)
    if cell > radius / BLOCK:  # 칸이 커서 3×3 칸이 반지름보다 넓음: 거리로 다시 자름
        return ~(nearest_distances(points, queries) <= radius)
    return ~(_pass(points, queries, None, cell) <= radius)
