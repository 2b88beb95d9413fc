"""A one-feature ridge regression; the step parameter alpha is the L2 penalty."""
import orchest

alpha = orchest.get_step_param("alpha", 1.0)
data = orchest.get_inputs()["unnamed"][0]
xs, ys = data["train"]
n = len(xs)
mean_x, mean_y = sum(xs) / n, sum(ys) / n
sxx = sum((x - mean_x) ** 2 for x in xs)
sxy = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys))
slope = sxy / (sxx + alpha)
intercept = mean_y - slope * mean_x
tx, ty = data["test"]
mse = sum((intercept + slope * x - y) ** 2 for x, y in zip(tx, ty)) / len(tx)
print("ridge alpha=%s: slope %.4f, test MSE %.4f" % (alpha, slope, mse))
orchest.output({"model": "ridge", "alpha": alpha, "mse": round(mse, 6)}, name="ridge")
