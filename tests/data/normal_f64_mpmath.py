#!/usr/bin/env python3
"""Oracle for detkern's f64 normal sampler: the exact Box-Muller values (mpmath, 200 bits)
correctly rounded to f64, for the first pairs of one Philox4x32-10 stream.

Pair p of `Philox::new(KEY).with_stream(STREAM).fill_normal::<f64>` reads words 4p..4p+4, the
four words of Philox block p: a = w0 | w1 << 32, b = w2 | w3 << 32,
u = ((a >> 11) + 1) 2^-53, t = (b >> 11) 2^-52, z0 = sqrt(-2 ln u) cos(pi t),
z1 = sqrt(-2 ln u) sin(pi t). Philox is written out here (Random123 philox4x32_R, R = 10), so
the file also checks the words. One line per pair: a b z0 z1 (hex; z as f64 bit patterns).

Regenerate: python3 tests/data/normal_f64_mpmath.py > tests/data/normal_f64_mpmath.txt
(`N=1000000 python3 ... ` measures more pairs; the test reads whatever the file holds).
"""
import os
import struct

from mpmath import cospi, log, mp, mpf, sinpi, sqrt
from mpmath.libmp import to_float

KEY = 0x0DE7_4E11
STREAM = 77
N = int(os.environ.get("N", "4096"))
M0, M1, W0, W1 = 0xD2511F53, 0xCD9E8D57, 0x9E3779B9, 0xBB67AE85
MASK = 0xFFFFFFFF


def philox(ctr, key):
    c, k = list(ctr), list(key)
    for r in range(10):
        if r:
            k = [(k[0] + W0) & MASK, (k[1] + W1) & MASK]
        p0, p1 = M0 * c[0], M1 * c[2]
        c = [(p1 >> 32) ^ c[1] ^ k[0], p1 & MASK, (p0 >> 32) ^ c[3] ^ k[1], p0 & MASK]
    return c


def bits(x):
    """The f64 bit pattern of x rounded to nearest."""
    return struct.unpack("<Q", struct.pack("<d", to_float(x._mpf_, rnd="n")))[0]


mp.prec = 200
key = [KEY & MASK, KEY >> 32]
print(f"# key {KEY:#x} stream {STREAM}: a b z0 z1")
for p in range(N):
    w = philox([p & MASK, p >> 32, STREAM & MASK, STREAM >> 32], key)
    a, b = w[0] | w[1] << 32, w[2] | w[3] << 32
    u = mpf((a >> 11) + 1) / 2**53
    t = mpf(b >> 11) / 2**52
    r = sqrt(-2 * log(u))
    print(f"{a:016x} {b:016x} {bits(r * cospi(t)):016x} {bits(r * sinpi(t)):016x}")
