#!/usr/bin/env python3
"""Generates kernels/src/math/tables.rs: every constant that defines detkern's elementary
functions (tables, reduction constants, polynomial coefficients), from mpmath at 200 bits.

Run: python3 tools/math-tables/gen.py > kernels/src/math/tables.rs
The output is committed; changing any value is a value-breaking change (docs/DETERMINISM.md).
"""
import re
import struct
import mpmath as mp

mp.mp.prec = 200


def rn(v):
    """Round an mpf to the nearest double (ties to even)."""
    return float(mp.mpf(v))  # mpmath converts with round-to-nearest


def bits(d):
    return struct.unpack("<Q", struct.pack("<d", d))[0]


def trunc_bits(v, nbits):
    """v truncated to nbits significant bits (a double)."""
    e = mp.floor(mp.log(abs(v), 2))
    q = mp.mpf(2) ** (e - nbits + 1)
    return rn(mp.floor(v / q) * q)


def f32_from_bits(b):
    return struct.unpack("<f", struct.pack("<I", b))[0]


out = []


def emit_scalar(name, doc, d):
    out.append(f"/// {doc} (`{d.hex()}`).")
    out.append(f"pub(crate) const {name}: f64 = f64::from_bits({bits(d):#018x});")


def emit_array(name, doc, vals):
    out.append(f"/// {doc}")
    out.append(f"pub(crate) const {name}: [f64; {len(vals)}] = [")
    for d in vals:
        out.append(f"    f64::from_bits({bits(d):#018x}), // {d.hex()}")
    out.append("];")


def emit_poly(name, doc, coeffs):
    emit_array(name, doc + " Lowest degree first.", coeffs)


LN2 = mp.log(2)

# ---------------------------------------------------------------- exp
N = 128
out.append("// ---- exp: x = k ln2/128 + r, exp(x) = 2^(k>>7) * 2^((k&127)/128) * exp(r)")
emit_scalar("EXP_INV_LN2_N", "128 / ln 2, rounded to nearest", rn(N / LN2))
emit_scalar("EXP_SHIFTER", "1.5 * 2^52: adding it rounds to an integer (ties to even)", 1.5 * 2**52)
c_hi = trunc_bits(LN2 / N, 38)
emit_scalar("EXP_LN2_N_HI", "ln 2 / 128 truncated to 38 bits (k * it is exact for |k| < 2^15)", c_hi)
emit_scalar("EXP_LN2_N_LO", "ln 2 / 128 - EXP_LN2_N_HI, rounded to nearest", rn(LN2 / N - mp.mpf(c_hi)))
hi = [rn(mp.mpf(2) ** (mp.mpf(j) / N)) for j in range(N)]
lo = [rn(mp.mpf(2) ** (mp.mpf(j) / N) - mp.mpf(h)) for j, h in enumerate(hi)]
emit_array("EXP_TABLE_HI", "2^(j/128) rounded to nearest, j = 0..127.", hi)
emit_array("EXP_TABLE_LO", "2^(j/128) - EXP_TABLE_HI[j], rounded to nearest.", lo)
emit_poly("EXP_POLY", "exp(r) = 1 + r + r^2 * (c[0] + r c[1] + r^2 c[2] + r^3 c[3]): Taylor 1/2!, 1/3!, 1/4!, 1/5!.",
          [rn(1 / mp.factorial(k)) for k in range(2, 6)])

# ---------------------------------------------------------------- exp, fast path of f32 exp
FN = 16
out.append("// ---- exp fast path: x = k ln2/16 + r, exp(x) = 2^(k>>4) * 2^((k&15)/16) * exp(r)")
emit_scalar("EXPF_INV_LN2_N", "16 / ln 2, rounded to nearest", rn(FN / LN2))
fhi = rn(LN2 / FN)
emit_scalar("EXPF_LN2_N_HI", "ln 2 / 16, rounded to nearest", fhi)
emit_scalar("EXPF_LN2_N_LO", "ln 2 / 16 - EXPF_LN2_N_HI, rounded to nearest", rn(LN2 / FN - mp.mpf(fhi)))
out.append("/// bits(RN(2^(j/16))) - j * 2^48, j = 0..15: adding `k << 48` (k = 16 q + j) to entry `j` gives")
out.append("/// the bits of RN(2^(j/16)) * 2^q.")
out.append("pub(crate) const EXPF_TABLE: [u64; 16] = [")
for j in range(FN):
    t = rn(mp.mpf(2) ** (mp.mpf(j) / FN))
    out.append(f"    {(bits(t) - (j << 48)) % 2**64:#018x}, // {t.hex()} - {j} * 2^48")
out.append("];")
# Near-minimax fit (Chebyshev) of (e^r - 1 - r) / r^2 on |r| <= ln2/32 (1 + 2^-30); with these
# coefficients rounded to double, |1 + r + r^2 Q(r) - e^r| / e^r < 1.9e-14 (2^-45.6).
fh = LN2 / 64 * (1 + mp.mpf(2) ** -30) * 2
fpoly = mp.chebyfit(lambda r: mp.mpf(1) / 2 if r == 0 else (mp.exp(r) - 1 - r) / r**2, [-fh, fh], 4)
emit_poly("EXPF_POLY", "exp(r) = 1 + r + r^2 (c0 + r c1 + r^2 c2 + r^3 c3) on |r| <= ln2/32 (error < 2^-45.6).",
          [rn(c) for c in reversed(fpoly)])

# ---------------------------------------------------------------- exp, f32 evaluation (AVX-512)
def rn32(v):
    """Round an mpf to the nearest f32 (ties to even), returned as a Python float (exact)."""
    with mp.workprec(24):
        r = +mp.mpf(v)
    return float(r)


def bits32(f):
    return struct.unpack("<I", struct.pack("<f", f))[0]


def hex32(f):
    """The hexadecimal form of an f32 value, without the trailing zeros of the double's."""
    return re.sub(r"\.?0+p", "p", f.hex())


def emit_scalar32(name, doc, f):
    out.append(f"/// {doc} (`{hex32(f)}`).")
    out.append(f"pub(crate) const {name}: f32 = f32::from_bits({bits32(f):#010x});")


N32 = 32
out.append("// ---- exp in f32 arithmetic: x = k ln2/32 + r, exp(x) = 2^(k>>5) * 2^((k&31)/32) * exp(r)")
emit_scalar32("EXP32_SHIFTER", "1.5 * 2^23: adding it rounds an f32 below 2^22 in magnitude to an integer", rn32(mp.mpf(3) * 2**22))
emit_scalar32("EXP32_INV_LN2_N", "32 / ln 2, rounded to the nearest f32", rn32(N32 / LN2))
l_hi = rn32(LN2 / N32)
emit_scalar32("EXP32_LN2_N_HI", "ln 2 / 32, rounded to the nearest f32", l_hi)
emit_scalar32("EXP32_LN2_N_LO", "ln 2 / 32 - EXP32_LN2_N_HI, rounded to the nearest f32", rn32(LN2 / N32 - mp.mpf(l_hi)))
emit_scalar32("EXP32_C3", "1/6, rounded to the nearest f32", rn32(mp.mpf(1) / 6))
emit_scalar32("EXP32_C4", "1/24, rounded to the nearest f32", rn32(mp.mpf(1) / 24))
out.append("/// bits(RN32(2^(j/32))) - j * 2^18, j = 0..31: adding `k << 18` (k = 32 q + j, the low bits of")
out.append("/// `k`) to entry `j` gives the bits of RN32(2^(j/32)) * 2^q.")
out.append("pub(crate) const EXP32_TABLE: [u32; 32] = [")
t_hi = []
for j in range(N32):
    t = rn32(mp.mpf(2) ** (mp.mpf(j) / N32))
    t_hi.append(t)
    out.append(f"    {(bits32(t) - (j << 18)) % 2**32:#010x}, // {hex32(t)} - {j} * 2^18")
out.append("];")
out.append("/// bits(RN32(2^(j/32) / RN32(2^(j/32)) - 1)), j = 0..31: the relative error of the table's entry `j`.")
out.append("pub(crate) const EXP32_TABLE_C: [u32; 32] = [")
for j in range(N32):
    c = rn32(mp.mpf(2) ** (mp.mpf(j) / N32) / mp.mpf(t_hi[j]) - 1)
    out.append(f"    {bits32(c):#010x}, // {hex32(c)}")
out.append("];")

# ---------------------------------------------------------------- ln
OFF = 0x3F338000
LN_N = 128
out.append("// ---- ln: x = 2^k z, z in [OFF, 2 OFF), ln x = k ln2 - ln(c) + log1p(z c - 1)")
off = f32_from_bits(OFF)
emit_scalar("LN_OFF", "the start of the reduced interval of z (the f32 0x3f338000)", off)
invc, logc_hi, logc_lo = [], [], []
for i in range(LN_N):
    a = f32_from_bits(OFF + (i << 16))
    b = f32_from_bits(OFF + ((i + 1) << 16))
    if a <= 1.0 < b:
        c = 1.0
    else:
        center = (mp.mpf(a) + mp.mpf(b)) / 2
        c = rn(mp.nint((1 / center) * 2**30) / 2**30)  # a multiple of 2^-30: z * c - 1 is exact
    lc = -mp.log(mp.mpf(c))
    h = rn(lc)
    invc.append(c)
    logc_hi.append(h)
    logc_lo.append(rn(lc - mp.mpf(h)))
emit_array("LN_INVC", "c_i ~ 1 / (centre of subinterval i), a multiple of 2^-30; exactly 1 on the subinterval holding 1.", invc)
emit_array("LN_LOGC_HI", "-ln(c_i) rounded to nearest.", logc_hi)
emit_array("LN_LOGC_LO", "-ln(c_i) - LN_LOGC_HI[i], rounded to nearest.", logc_lo)
l2hi = trunc_bits(LN2, 44)
emit_scalar("LN_LN2_HI", "ln 2 truncated to 44 bits (k * it is exact for |k| < 2^9)", l2hi)
emit_scalar("LN_LN2_LO", "ln 2 - LN_LN2_HI, rounded to nearest", rn(LN2 - mp.mpf(l2hi)))
emit_poly("LN_POLY", "log1p(r) = r + r^2 * (c[0] + r c[1] + ... + r^5 c[5]): Taylor -1/2, 1/3, -1/4, 1/5, -1/6, 1/7.",
          [rn(mp.mpf((-1) ** (k + 1)) / k) for k in range(2, 8)])

# ---------------------------------------------------------------- erf
out.append("// ---- erf / erfc (internal double precision, about 2^-33 relative)")
g = lambda t: mp.erf(mp.sqrt(t)) / mp.sqrt(t) if t != 0 else 2 / mp.sqrt(mp.pi)
c, err = mp.chebyfit(g, [0, 1], 10, error=True)
assert err < 1e-12, err
emit_poly("ERF_SMALL", f"erf(u) = u * P(u^2) for |u| < 1 (Chebyshev fit, max abs error {mp.nstr(err, 3)}).",
          [rn(v) for v in reversed(c)])
S_LO, S_HI = 1 / mp.mpf(10.5), mp.mpf(1)
hfun = lambda w: (lambda s: mp.erfc(1 / s) * mp.exp(1 / s**2) / s)(S_LO + (S_HI - S_LO) * (w + 1) / 2)
c, err = mp.chebyfit(hfun, [-1, 1], 17, error=True)
assert err < 1e-10, err
emit_scalar("ERFC_W_SCALE", "w = s * ERFC_W_SCALE + ERFC_W_SHIFT maps s = 1/|u| in [1/10.5, 1] onto [-1, 1]", rn(2 / (S_HI - S_LO)))
emit_scalar("ERFC_W_SHIFT", "see ERFC_W_SCALE", rn(-(S_HI + S_LO) / (S_HI - S_LO)))
emit_poly("ERFC_BIG", f"erfc(u) = exp(-u^2) * s * Q(w), s = 1/u, for 1 <= u <= 10.5 (Chebyshev fit of u erfc(u) exp(u^2), max abs error {mp.nstr(err, 3)}).",
          [rn(v) for v in reversed(c)])

# ---------------------------------------------------------------- tanh / gelu
out.append("// ---- tanh, gelu")
emit_poly("TANH_SMALL", "tanh(x) = x + x^3 * (c[0] + x^2 c[1]) for |x| < 2^-10: Taylor -1/3, 2/15.",
          [rn(mp.mpf(-1) / 3), rn(mp.mpf(2) / 15)])
emit_scalar("FRAC_1_SQRT_2", "1/sqrt(2) rounded to nearest", rn(1 / mp.sqrt(2)))
emit_scalar("GELU_TANH_C", "sqrt(2/pi) rounded to nearest", rn(mp.sqrt(2 / mp.pi)))
emit_scalar("GELU_TANH_A", "0.044715 rounded to nearest", rn(mp.mpf("0.044715")))

print("//! Every constant that defines detkern's elementary functions. GENERATED by")
print("//! `python3 tools/math-tables/gen.py > kernels/src/math/tables.rs` (mpmath, 200 bits); do not")
print("//! edit. Changing any value is value-breaking (`docs/DETERMINISM.md`).")
print("#![allow(clippy::excessive_precision, clippy::unreadable_literal)]")
print()
print("\n".join(out))
