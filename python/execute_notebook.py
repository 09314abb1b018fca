"""Executes a notebook with nbclient, its kernel started in a chosen folder.

usage: execute_notebook.py NOTEBOOK WORKING_DIR TIMEOUT_SECONDS

tslab resolves imports from the kernel's working folder, so the report runs every notebook from
notebooks/ (where node_modules is found by walking up) while the executed copy is written beside
the report. The notebook file is updated in place with its outputs.
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
