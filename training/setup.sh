#!/usr/bin/env bash
# Installs the Python side of training from Debian packages (PyPI is not reachable here).
# Use /usr/bin/python3: the pyenv shim cannot see Debian's packages.
set -euo pipefail
pkgs=(python3-torch python3-torchvision python3-onnx python3-numpy python3-pil python3-scipy)
missing=()
for p in "${pkgs[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if ((${#missing[@]})); then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
/usr/bin/python3 -c 'import torch, torchvision, onnx, numpy, PIL; print("torch", torch.__version__, "torchvision", torchvision.__version__, "onnx", onnx.__version__)'
