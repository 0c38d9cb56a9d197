"""Helpers shared by the trainers in training/swap and training/xray (device/threads setup, JSON-lines
logging, version stamps, stop-on-signal, AMP context, default worker count)."""
