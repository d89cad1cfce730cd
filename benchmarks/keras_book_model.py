"""책의 Keras 오토인코더를 훈련해 스텝·에포크 시간을 재는 작업자 (train_speed.py가 Keras 가상환경에서 실행).

층은 노트와 같습니다: Conv2D 32·64·128 (3×3, 스트라이드 2, same, ReLU) → Flatten → Dense(2) /
Dense(2048) → Reshape(4, 4, 128) → Conv2DTranspose 128·64·32 (3×3, 스트라이드 2, same, ReLU) →
Conv2D(1, 3×3, sigmoid). Adam, 이진 크로스 엔트로피, 배치 100, 32×32로 덧댄 Fashion-MNIST.

torch도 aelib도 쓰지 않습니다. 표준 입력으로 JSON 명령을 한 줄씩 받고 JSON 한 줄로 답합니다:
{"op": "steps", "n": 50} → 스텝마다의 ms, {"op": "epoch"} → 한 에포크 fit의 초, {"op": "quit"}.
"""

import json
import os
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402

from worker_protocol import max_rss_mib, reply  # noqa: E402  (이 폴더의 모듈)


def load_images(raw_dir: str) -> np.ndarray:
    """idx 파일 → (60000, 32, 32, 1) float32 [0, 1] (책처럼 0을 2픽셀씩 덧댐)."""
    with open(os.path.join(raw_dir, "train-images-idx3-ubyte"), "rb") as f:
        data = np.frombuffer(f.read(), dtype=np.uint8, offset=16)
    x = data.reshape(-1, 28, 28).astype("float32") / 255.0
    x = np.pad(x, ((0, 0), (2, 2), (2, 2)), constant_values=0.0)
    return np.expand_dims(x, -1)


def build_model():
    import keras
    from keras import layers

    encoder_input = layers.Input(shape=(32, 32, 1), name="encoder_input")
    x = layers.Conv2D(32, (3, 3), strides=2, activation="relu", padding="same")(encoder_input)
    x = layers.Conv2D(64, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2D(128, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Flatten()(x)
    encoder_output = layers.Dense(2, name="encoder_output")(x)
    encoder = keras.Model(encoder_input, encoder_output)

    decoder_input = layers.Input(shape=(2,), name="decoder_input")
    x = layers.Dense(2048)(decoder_input)
    x = layers.Reshape((4, 4, 128))(x)
    x = layers.Conv2DTranspose(128, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(64, (3, 3), strides=2, activation="relu", padding="same")(x)
    x = layers.Conv2DTranspose(32, (3, 3), strides=2, activation="relu", padding="same")(x)
    decoder_output = layers.Conv2D(1, (3, 3), strides=1, activation="sigmoid", padding="same",
                                   name="decoder_output")(x)
    decoder = keras.Model(decoder_input, decoder_output)

    autoencoder = keras.Model(encoder_input, decoder(encoder_output))
    autoencoder.compile(optimizer="adam", loss="binary_crossentropy")
    return autoencoder


def main() -> None:
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(0)
    x_train = load_images(sys.argv[1])
    model = build_model()
    rng = np.random.default_rng(0)

    class StepTimer(keras.callbacks.Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.ends.append(time.perf_counter())

    timer = StepTimer()
    reply({"ready": True, "versions": f"TensorFlow {tf.__version__}, Keras {keras.__version__}",
           "params": int(model.count_params()), "threads": os.cpu_count()})
    for line in sys.stdin:
        cmd = json.loads(line)
        if cmd["op"] == "steps":  # n+1 스텝을 돌려 연속한 스텝 끝 사이의 n개 간격을 잽니다
            idx = rng.choice(len(x_train), (cmd["n"] + 1) * 100, replace=False)
            x = x_train[idx]
            timer.ends = []
            cpu = time.process_time()
            model.fit(x, x, batch_size=100, epochs=1, shuffle=False, verbose=0, callbacks=[timer])
            ms = [(b - a) * 1e3 for a, b in zip(timer.ends, timer.ends[1:])]
            cpu_ms = (time.process_time() - cpu) * 1e3 / (cmd["n"] + 1)  # 스텝 n+1개 (fit 준비 포함)
            reply({"ms": ms, "cpu_ms": cpu_ms, "rss_mib": max_rss_mib()})
        elif cmd["op"] == "epoch":  # 책의 fit 그대로 한 에포크 (섞기 포함), 벽시계 시간
            start = time.perf_counter()
            model.fit(x_train, x_train, batch_size=100, epochs=1, shuffle=True, verbose=0)
            reply({"seconds": time.perf_counter() - start, "rss_mib": max_rss_mib()})
        elif cmd["op"] == "quit":
            return


if __name__ == "__main__":
    main()
