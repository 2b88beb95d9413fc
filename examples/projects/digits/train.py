"""Fits an SVM for this run's C and gamma; logs accuracy and fit time; saves a confusion matrix."""
import json
import os
import time

import gridrun
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score, confusion_matrix  # noqa: E402
from sklearn.svm import SVC  # noqa: E402

C = float(gridrun.param("C"))
gamma = float(gridrun.param("gamma"))
kernel = gridrun.param("kernel", "rbf")

split = np.load(os.path.join(os.environ.get("GRIDRUN_DATA", "/data"), "digits", "split.npz"))
model = SVC(C=C, gamma=gamma, kernel=kernel)
start = time.perf_counter()
model.fit(split["x_train"], split["y_train"])
fit_seconds = time.perf_counter() - start
predicted = model.predict(split["x_test"])
accuracy = accuracy_score(split["y_test"], predicted)
print("C=%g gamma=%g kernel=%s accuracy=%.4f fit %.3f s" % (C, gamma, kernel, accuracy, fit_seconds))
gridrun.log_metrics(accuracy=round(float(accuracy), 4), fit_seconds=round(fit_seconds, 4))

matrix = confusion_matrix(split["y_test"], predicted)
figure, axes = plt.subplots(figsize=(6, 6))
ConfusionMatrixDisplay(matrix).plot(ax=axes, colorbar=False)
axes.set_title("C=%g gamma=%g: accuracy %.3f" % (C, gamma, accuracy))
figure.savefig(gridrun.output_path("confusion.png"), dpi=80)

# for the report step, in this run's working copy
per_class = (matrix.diagonal() / matrix.sum(axis=1)).round(4).tolist()
with open("results.json", "w") as f:
    json.dump({"accuracy": accuracy, "fit_seconds": fit_seconds, "per_class": per_class}, f)
