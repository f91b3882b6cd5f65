"""Packaging: pyproject.toml says everything except one thing it cannot say.

The repository's data/ folder (the 5,000-digit MNIST sample and the 100 digit images) is
shipped inside the package as course_utils/_data, so that an installation without the
course folder (a wheel, `pip install git+...`) still finds it. A clone or an editable
install reads data/ directly; see course_utils.data.find_data_dir.
"""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["course_utils*"]), "course_utils._data"],
    package_dir={"course_utils._data": "data"},
    package_data={
        "course_utils._data": [
            "README.md",
            "SHA256SUMS",
            "mnist-sample/*.gz",
            "mnist-images/*/*.png",
        ]
    },
)
