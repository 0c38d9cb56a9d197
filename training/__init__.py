import os

# numpy's OpenBLAS starts one spinning thread per core. Beside torch's own threads (and in every
# DataLoader worker) that made a 3×3 inverse take 4 ms instead of 3 µs and a 50 k-pixel mean 3 ms
# instead of 0.1 ms: the blend synthesis spent most of its time waiting for cores. The samples are
# tiny, so one BLAS thread per process is always right here. Set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
