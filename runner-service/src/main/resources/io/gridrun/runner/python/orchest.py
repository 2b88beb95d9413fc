"""The Orchest SDK as gridrun provides it (on PYTHONPATH in every step, nothing to install), so that
steps written for Orchest run unchanged:

    import orchest
    orchest.get_step_param("alpha", default=0.1)
    orchest.get_pipeline_param("data_size")
    step_params, pipeline_params = orchest.get_params()
    orchest.output(data, name="model")      # once per step; pickled into the run's working area
    inputs = orchest.get_inputs()           # {"model": ..., "unnamed": [...]} from incoming steps

Outputs are stored in the run's working copy (GRIDRUN_ORCHEST_TRANSFER, default
/project/.orchest-transfer/<step uuid>), never in /data and never across runs. Calls that made sense
only in Orchest's interactive sessions (services, updating parameters) raise OrchestUnsupported
naming the call.
"""

import json
import os
import pickle

__all__ = [
    "get_step_param",
    "get_pipeline_param",
    "get_params",
    "output",
    "output_to_disk",
    "get_inputs",
    "OrchestUnsupported",
]

_UNNAMED = "unnamed"


class OrchestUnsupported(RuntimeError):
    """A call of Orchest's SDK that gridrun does not offer in a job."""


def _run_info():
    with open(os.environ.get("GRIDRUN_PARAMS_FILE", "/gridrun/params.json"), encoding="utf-8") as f:
        return json.load(f)


def get_step_param(name, default=None):
    """A parameter of this step, or default."""
    return dict(_run_info().get("step_parameters") or {}).get(name, default)


def get_pipeline_param(name, default=None):
    """A parameter of the pipeline, or default."""
    return dict(_run_info().get("pipeline") or {}).get(name, default)


def get_params():
    """(step parameters, pipeline parameters), as Orchest returned them."""
    info = _run_info()
    return dict(info.get("step_parameters") or {}), dict(info.get("pipeline") or {})


def _transfer_root():
    return os.environ.get("GRIDRUN_ORCHEST_TRANSFER", "/project/.orchest-transfer")


def _step_uuid():
    return os.environ.get("ORCHEST_STEP_UUID") or os.environ.get("GRIDRUN_STEP_ID")


def output(data, name=None):
    """Passes data (anything picklable) to the downstream steps, under name or unnamed.

    As in Orchest, a step has one output: a second call replaces the first.
    """
    if name is not None and not isinstance(name, str):
        raise TypeError("orchest.output: name must be a string or None, not %r" % (name,))
    if name == _UNNAMED:
        raise ValueError("orchest.output: the name %r is reserved for unnamed outputs" % _UNNAMED)
    directory = os.path.join(_transfer_root(), _step_uuid())
    os.makedirs(directory, exist_ok=True)
    temp = os.path.join(directory, "output.pickle.part")
    with open(temp, "wb") as f:
        pickle.dump({"name": name, "data": data}, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temp, os.path.join(directory, "output.pickle"))


def output_to_disk(data, name=None, serialization=None):
    """Orchest's older spelling of output()."""
    output(data, name=name)


def _incoming():
    raw = os.environ.get("GRIDRUN_ORCHEST_INCOMING", "")
    return [uuid for uuid in raw.split(",") if uuid]


def get_inputs(ignore_failure=False, verbose=False):
    """The outputs of this step's incoming steps: named ones by name, the rest under "unnamed" in
    the order of the step's incoming connections."""
    inputs = {_UNNAMED: []}
    for uuid in _incoming():
        path = os.path.join(_transfer_root(), uuid, "output.pickle")
        if not os.path.exists(path):
            if verbose:
                print("orchest: step %s passed no output" % uuid)
            continue
        with open(path, "rb") as f:
            entry = pickle.load(f)
        name = entry.get("name")
        if name is None:
            inputs[_UNNAMED].append(entry.get("data"))
        elif name in inputs:
            raise ValueError(
                "orchest.get_inputs: two incoming steps output the name %r; names must be unique"
                % name
            )
        else:
            inputs[name] = entry.get("data")
    return inputs


def _unsupported(call, why):
    def refuse(*args, **kwargs):
        raise OrchestUnsupported(
            "orchest.%s is not supported by gridrun: %s (see docs/orchest.md)" % (call, why)
        )

    refuse.__name__ = call.split(".")[-1]
    return refuse


_INTERACTIVE = "parameters of a job's run are fixed when the job is created"
update_params = _unsupported("update_params", _INTERACTIVE)
update_step_param = _unsupported("update_step_param", _INTERACTIVE)
update_pipeline_param = _unsupported("update_pipeline_param", _INTERACTIVE)
_SERVICES = "gridrun runs no services next to a pipeline"
get_service = _unsupported("get_service", _SERVICES)
get_services = _unsupported("get_services", _SERVICES)
output_to_memory = _unsupported(
    "output_to_memory", "data passes on disk only; use orchest.output(data, name)"
)


class _Namespace:
    def __init__(self, **members):
        self.__dict__.update(members)


# Orchest's submodules, for `from orchest import transfer` / `orchest.transfer.output(...)`
transfer = _Namespace(
    output=output,
    output_to_disk=output_to_disk,
    output_to_memory=output_to_memory,
    get_inputs=get_inputs,
)
parameters = _Namespace(
    get_step_param=get_step_param,
    get_pipeline_param=get_pipeline_param,
    get_params=get_params,
    update_params=update_params,
    update_step_param=update_step_param,
    update_pipeline_param=update_pipeline_param,
)
services = _Namespace(get_service=get_service, get_services=get_services)
