"""Executes a notebook with nbclient, its kernel started in a chosen folder.

usage: execute_notebook.py NOTEBOOK WORKING_DIR TIMEOUT_SECONDS

The report starts each kernel in the executed copy's own folder, as JupyterLab does: links a cell
writes are relative to it, and tslab resolves imports from there (node_modules is found by walking
up). The notebook file is updated in place with its outputs.
"""
import sys

import nbformat
from nbclient import NotebookClient


def main() -> int:
    path, cwd, timeout = sys.argv[1], sys.argv[2], int(sys.argv[3])
    nb = nbformat.read(path, as_version=4)
    # record_timing off: executed notebooks are committed, and timestamps would change every file on every build.
    client = NotebookClient(nb, timeout=timeout, record_timing=False, resources={"metadata": {"path": cwd}})
    try:
        client.execute()
    finally:
        nbformat.write(nb, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
