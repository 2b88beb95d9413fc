"""gridrun's helper for Python steps, on PYTHONPATH in every step (nothing to install).

    import gridrun
    lr = gridrun.param("lr")              # a pipeline or step parameter of this run
    gridrun.params()                      # all of them: {"lr": 0.1, "epochs": 5}
    gridrun.log_metrics(loss=0.2, acc=0.9)  # into the step's metrics file (merged with earlier calls)
    gridrun.output_path("model.pkl")      # a path in the step's outputs: kept as an artifact
"""

import json
import os

__all__ = ["param", "params", "log_metrics", "output_path", "run_info"]

_MISSING = object()


def _params_file():
    return os.environ.get("GRIDRUN_PARAMS_FILE", "/gridrun/params.json")


def _metrics_file():
    return os.environ.get("GRIDRUN_METRICS_FILE", "/gridrun/metrics.json")


def run_info():
    """The whole params.json: job, run, index, step, pipeline and step_parameters."""
    with open(_params_file(), encoding="utf-8") as f:
        return json.load(f)


def params():
    """The run's parameters: the pipeline's, then the step's (a step parameter wins)."""
    info = run_info()
    merged = dict(info.get("pipeline") or {})
    merged.update(info.get("step_parameters") or {})
    return merged


def param(name, default=_MISSING):
    """One parameter; KeyError naming the known ones when absent and no default is given."""
    values = params()
    if name in values:
        return values[name]
    if default is not _MISSING:
        return default
    raise KeyError("no parameter %r (this run has: %s)" % (name, ", ".join(sorted(values)) or "none"))


def _plain(value):
    if isinstance(value, (bool, int, float, str)):
        return value
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError("metric values must be numbers, strings or booleans, not %r" % (value,))


def log_metrics(**metrics):
    """Records metrics of this step (merged with those logged before); returns them all."""
    path = _metrics_file()
    current = {}
    if os.path.exists(path):
        try:
            with open(path, encoding="utf-8") as f:
                current = json.load(f)
        except ValueError:
            current = {}
    for key, value in metrics.items():
        current[key] = _plain(value)
    temp = path + ".part"
    with open(temp, "w", encoding="utf-8") as f:
        json.dump(current, f)
    os.replace(temp, path)
    return dict(current)


def output_path(name=""):
    """A path in this step's outputs directory (kept after the step as an artifact)."""
    root = os.environ.get("GRIDRUN_OUTPUTS", "/gridrun/outputs")
    path = os.path.join(root, name)
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    return path
