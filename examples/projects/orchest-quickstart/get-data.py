"""Data loading: a small regression data set, made deterministically (no download)."""
import random

import orchest

size = orchest.get_pipeline_param("data_size", 200)
rng = random.Random(42)
xs = [rng.uniform(-3.0, 3.0) for _ in range(size)]
ys = [2.5 * x - 1.0 + rng.gauss(0.0, 0.8) for x in xs]
split = int(0.8 * size)
data = {
    "train": (xs[:split], ys[:split]),
    "test": (xs[split:], ys[split:]),
}
print("loaded %d points (%d for training)" % (size, split))
orchest.output(data)  # unnamed: the models read it from get_inputs()["unnamed"][0]
