"""Package list for setuptools; the metadata lives in pyproject.toml.

The repository keeps short top-level folders (``federation/``, ``search/``, ``themes/``),
but a host Wagtail site already has a ``search`` app and may have its own ``themes`` or
``federation``: the distribution installs them under names of its own
(``interlink_federation``, …). setuptools' ``package_dir`` does the mapping; this file
only lists the subpackages, which ``pyproject.toml`` cannot find under a new name. The
demo project (``site/interlink_site``) is not part of the distribution.

Folders of templates, static files and message catalogues are listed as (namespace)
packages too, as setuptools asks: its data files then belong to a package it knows of,
and the build warns about nothing. ``pyproject.toml`` says which files are data.
"""

from setuptools import find_namespace_packages, setup

SKIP = ["*.__pycache__", "__pycache__"]

RENAMED = {
    "federation": "interlink_federation",
    "search": "interlink_search",
    "themes": "interlink_themes",
}

packages = find_namespace_packages(include=["interlink_blocks", "interlink_blocks.*"], exclude=SKIP)
package_dir = {}
for folder, name in RENAMED.items():
    package_dir[name] = folder
    packages += [name, *(f"{name}.{sub}" for sub in find_namespace_packages(folder, exclude=SKIP))]

setup(packages=packages, package_dir=package_dir)
