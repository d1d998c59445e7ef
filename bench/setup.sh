#!/usr/bin/env bash
# Builds and installs everything bench/run.py needs, from crates.io and PyPI only.
# Idempotent: a second run only checks that everything is up to date.
set -euo pipefail
cd "$(dirname "$0")"

# The Rego peers decide from juris's catalog and data-holding types.
python3 sync_catalog.py

# Generator and parse floor (serde, serde_json).
cargo build --release --locked --manifest-path tools/Cargo.toml
# regorus peer: interpreter and RVM. A cold build takes ~6 minutes on 2 cores.
cargo build --release --locked --manifest-path regorus-runner/Cargo.toml

# OPA peer: the Go OPA engine embedded in a Python package. Its metadata asks for
# Python 3.14, but the wheel is a ctypes wrapper that runs on 3.11.
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
.venv/bin/pip install --quiet --disable-pip-version-check --ignore-requires-python \
    opa-golib-python-bindings==0.4.4

echo "bench/setup.sh: ready; run python3 bench/run.py --sizes 1000,10000,100000"
