"""JupyterLab settings for this project, loaded by `make lab` (and the tests that drive JupyterLab).

The notebooks in notebooks/ are sources: they are saved without outputs or execution counts, so
running one and saving it (or JupyterLab's autosave) changes the committed file only where a cell
was edited. The executed copies, with their figures, are the report's (reports/<profile>/notebooks/).
"""
import os

NOTEBOOK_SOURCES = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "notebooks")


def save_notebook_sources_without_outputs(model, path, contents_manager, **kwargs):
    if model.get("type") != "notebook" or model.get("content") is None:
        return
    if os.path.dirname(contents_manager._get_os_path(path)) != NOTEBOOK_SOURCES:
        return
    for cell in model["content"]["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None


c.FileContentsManager.pre_save_hook = save_notebook_sources_without_outputs  # noqa: F821 (c is Jupyter's config)
