"""Splits scikit-learn's bundled digits data set (no download) into /data/digits, once for all runs."""
import os

import numpy as np
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

target = os.path.join(os.environ.get("GRIDRUN_DATA", "/data"), "digits", "split.npz")
if os.path.exists(target):
    print("split already in", target)
else:
    digits = load_digits()
    x_train, x_test, y_train, y_test = train_test_split(
        digits.data / 16.0, digits.target, test_size=0.3, random_state=0, stratify=digits.target
    )
    os.makedirs(os.path.dirname(target), exist_ok=True)
    temp = "%s.%s.npz" % (target[:-4], os.environ.get("GRIDRUN_RUN_ID", "local"))
    np.savez(temp, x_train=x_train, x_test=x_test, y_train=y_train, y_test=y_test)
    os.replace(temp, target)  # runs prepare in parallel: the file appears whole, once
    print("wrote", target, "train", len(y_train), "test", len(y_test))
