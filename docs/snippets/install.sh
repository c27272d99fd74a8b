# From a checkout of the repository (the package is not on PyPI yet):
python3 -m venv .venv
.venv/bin/pip install -e '.[conformance]'   # contracts, models and the conformance kit
.venv/bin/pip install -e '.[runtime]'       # the reference runtime (add redis / celery as needed)
