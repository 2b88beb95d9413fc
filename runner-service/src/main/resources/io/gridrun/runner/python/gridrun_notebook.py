"""Runs a notebook step headless: gridrun's parameters cell first, every cell with nbclient, the
executed notebook and its HTML (nbconvert, images embedded) into the step's outputs as
notebook.ipynb and notebook.html. Why the step failed goes to $GRIDRUN_REASON_FILE.

    python3 gridrun_notebook.py <notebook.ipynb>
"""

import json
import keyword
import os
import sys

OUTPUTS = os.environ.get("GRIDRUN_OUTPUTS", "/gridrun/outputs")
REASON = os.environ.get("GRIDRUN_REASON_FILE", "/gridrun/reason")


def fail(reason, code=1):
    with open(REASON, "w", encoding="utf-8") as f:
        f.write(reason)
    print("gridrun: " + reason, file=sys.stderr, flush=True)
    sys.exit(code)


def parameters():
    with open(os.environ.get("GRIDRUN_PARAMS_FILE", "/gridrun/params.json"), encoding="utf-8") as f:
        info = json.load(f)
    merged = dict(info.get("pipeline") or {})
    merged.update(info.get("step_parameters") or {})
    return merged


def parameters_cell(nbformat, values):
    lines = ["# Parameters of this run, injected by gridrun (as in /gridrun/params.json)"]
    for name, value in values.items():
        if name.isidentifier() and not keyword.iskeyword(name):
            lines.append("%s = %r" % (name, value))
        else:
            lines.append("# %r is not a Python name: gridrun.param(%r)" % (name, name))
    cell = nbformat.v4.new_code_cell("\n".join(lines))
    cell.metadata["tags"] = ["injected-parameters"]
    return cell


def write_html(notebook):
    try:
        from nbconvert import HTMLExporter
    except ImportError:
        print("gridrun: environment lacks nbconvert: no notebook.html", file=sys.stderr)
        return
    exporter = HTMLExporter()
    exporter.embed_images = True
    body, _ = exporter.from_notebook_node(notebook)
    with open(os.path.join(OUTPUTS, "notebook.html"), "w", encoding="utf-8") as f:
        f.write(body)


def failed_cell(notebook):
    """(number among the notebook's own cells, from 1; the error output) of the failing cell."""
    own = 0
    for cell in notebook.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            continue
        own += 1
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            if output.get("output_type") == "error":
                return own, output
    return None, None


def main():
    if len(sys.argv) != 2:
        fail("usage: gridrun_notebook.py <notebook.ipynb>", 2)
    try:
        import nbformat
        from nbclient import NotebookClient
        from nbclient.exceptions import CellExecutionError
    except ImportError:
        fail("environment lacks nbclient")
    path = sys.argv[1]
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as e:  # noqa: BLE001 - any unreadable notebook
        fail("notebook %s could not be read: %s" % (path, e))
    notebook.cells.insert(0, parameters_cell(nbformat, parameters()))
    os.makedirs(OUTPUTS, exist_ok=True)
    kernel = notebook.metadata.get("kernelspec", {}).get("name") or "python3"
    client = NotebookClient(
        notebook,
        timeout=None,
        kernel_name=kernel,
        resources={"metadata": {"path": os.getcwd()}},
    )
    reason = None
    try:
        client.execute()
    except CellExecutionError as e:
        number, output = failed_cell(notebook)
        name = output.get("ename") if output else getattr(e, "ename", "Error")
        value = output.get("evalue") if output else getattr(e, "evalue", str(e))
        reason = "cell %s failed: %s: %s" % (number if number else "?", name, value)
    except Exception as e:  # noqa: BLE001 - the kernel could not start, and the like
        reason = "the notebook could not run: %s: %s" % (type(e).__name__, e)
    print("gridrun: executed notebook: notebook.ipynb, notebook.html in the outputs", flush=True)
    # what ran, up to the failing cell when one failed
    nbformat.write(notebook, os.path.join(OUTPUTS, "notebook.ipynb"))
    write_html(notebook)
    if reason:
        fail(reason)


if __name__ == "__main__":
    main()
