//! Exact software fused multiply-add: `a * b + c` with a single rounding to nearest-even.
//!
//! Used wherever the contract requires a fused operation and the path has no FMA instruction
//! (the scalar and SSE2 paths). Both functions are exact emulations, tested against the
//! platform's correctly rounded `mul_add` on random and special inputs.

/// `a * b + c` rounded once, for `f32`.
///
/// The product is exact in `f64` (24 + 24 < 53 bits). The sum is rounded to odd in `f64` (53 ≥ 24 + 2
/// bits), so the final rounding to `f32` equals one rounding of the exact value.
pub fn fma_f32(a: f32, b: f32, c: f32) -> f32 {
    let p = a as f64 * b as f64;
    let c = c as f64;
    let s = p + c;
    if !s.is_finite() || s == 0.0 {
        // Infinite or NaN operands propagate as in a fused operation (the product is exact, so
        // it overflows only if an operand is infinite); a zero sum is exact.
        return s as f32;
    }
    // TwoSum: `err` is exactly `p + c - s`.
    let bv = s - p;
    let err = (p - (s - bv)) + (c - bv);
    if err == 0.0 || s.to_bits() & 1 == 1 {
        return s as f32;
    }
    // Round to odd: step to the odd neighbour on the side of the exact value.
    let toward_larger_magnitude = (err > 0.0) == (s > 0.0);
    let bits = if toward_larger_magnitude {
        s.to_bits() + 1
    } else {
        s.to_bits() - 1
    };
    f64::from_bits(bits) as f32
}

const F64_FRAC: u64 = (1 << 52) - 1;

/// Splits a finite nonzero `f64` into sign, integer significand and exponent:
/// `|x| = m * 2^e` with `m < 2^53`.
fn unpack(x: f64) -> (bool, u128, i32) {
    let bits = x.to_bits();
    let sign = bits >> 63 == 1;
    let exp = ((bits >> 52) & 0x7ff) as i32;
    let frac = bits & F64_FRAC;
    if exp == 0 {
        (sign, frac as u128, -1074)
    } else {
        (sign, (frac | (1 << 52)) as u128, exp - 1075)
    }
}

/// `v >> d`, with the lowest bit set if any nonzero bit was shifted out.
fn shr_sticky(v: u128, d: u32) -> u128 {
    if d == 0 {
        v
    } else if d >= 128 {
        (v != 0) as u128
    } else {
        (v >> d) | ((v & ((1u128 << d) - 1)) != 0) as u128
    }
}

/// `a * b + c` rounded once, for `f64`, by exact integer arithmetic.
pub fn fma_f64(a: f64, b: f64, c: f64) -> f64 {
    if !a.is_finite() || !b.is_finite() {
        // The product is ±Inf or NaN exactly as in a fused operation.
        return a * b + c;
    }
    if !c.is_finite() {
        // A finite product plus ±Inf or NaN is that operand.
        return c;
    }
    if a == 0.0 || b == 0.0 {
        // The product is an exact (signed) zero.
        return a * b + c;
    }
    if c == 0.0 {
        // The exact sum is the exact nonzero product: one rounding of it, with its own sign.
        return a * b;
    }

    let (sa, ma, ea) = unpack(a);
    let (sb, mb, eb) = unpack(b);
    let (sc, mc, ec) = unpack(c);
    let sp = sa != sb;
    let mp = ma * mb; // < 2^106, exact

    // Place both magnitudes with their top bit at bit 125 (two bits of headroom for a carry).
    let bitlen = |m: u128| 128 - m.leading_zeros() as i32;
    let shift_p = 126 - bitlen(mp);
    let shift_c = 126 - bitlen(mc);
    let (p, mut ep) = (mp << shift_p, ea + eb - shift_p);
    let (z, mut ez) = (mc << shift_c, ec - shift_c);

    // Align to the larger exponent; lost bits become a sticky lowest bit.
    let (p, z, e) = if ep >= ez {
        let d = (ep - ez) as u32;
        ez = ep;
        (p, shr_sticky(z, d), ez)
    } else {
        let d = (ez - ep) as u32;
        ep = ez;
        (shr_sticky(p, d), z, ep)
    };

    let (s, sign) = if sp == sc {
        (p + z, sp)
    } else if p >= z {
        (p - z, sp)
    } else {
        (z - p, sc)
    };
    if s == 0 {
        // Exact cancellation is +0 under round-to-nearest.
        return 0.0;
    }

    // Round s * 2^e to the f64 grid: quantum 2^q, q = max(E - 52, -1074) for exponent E.
    let top = 127 - s.leading_zeros() as i32;
    let big_e = top + e;
    let mut q = (big_e - 52).max(-1074);
    let drop = q - e;
    let mut m: u128 = if drop <= 0 {
        s << (-drop) as u32
    } else if drop >= 128 {
        0 // s < 2^127 <= half a quantum: rounds to zero
    } else {
        let kept = s >> drop;
        let rem = s & ((1u128 << drop) - 1);
        let half = 1u128 << (drop - 1);
        if rem > half || (rem == half && kept & 1 == 1) {
            kept + 1
        } else {
            kept
        }
    };
    if m == 1 << 53 {
        m = 1 << 52;
        q += 1;
    }
    let sign_bit = (sign as u64) << 63;
    if m < 1 << 52 {
        // Subnormal (q == -1074) or zero.
        return f64::from_bits(sign_bit | m as u64);
    }
    let biased = q + 52 + 1023;
    if biased >= 0x7ff {
        return f64::from_bits(sign_bit | 0x7ff0_0000_0000_0000);
    }
    f64::from_bits(sign_bit | (biased as u64) << 52 | (m as u64 & F64_FRAC))
}

#[cfg(all(test, feature = "std"))]
mod tests {
    use super::*;

    /// SplitMix64: a tiny deterministic generator for test inputs.
    struct Gen(u64);
    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            z ^ (z >> 31)
        }
        /// An f64 with a random sign and significand and an exponent near `center`.
        fn f64_near(&mut self, center: i32, spread: i32) -> f64 {
            let r = self.next();
            let e = (center + (r % (2 * spread as u64 + 1)) as i32 - spread).clamp(0, 2046);
            f64::from_bits((r & (1 << 63)) | ((e as u64) << 52) | (self.next() & F64_FRAC))
        }
    }

    fn same64(x: f64, y: f64) -> bool {
        x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
    }
    fn same32(x: f32, y: f32) -> bool {
        x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
    }

    const SPECIAL64: [f64; 14] = [
        0.0,
        -0.0,
        1.0,
        -1.0,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        f64::MIN_POSITIVE,
        -f64::MIN_POSITIVE,
        5e-324,
        -5e-324,
        f64::MAX,
        f64::MIN,
        f64::EPSILON,
    ];

    #[test]
    fn f64_special_values() {
        for &a in &SPECIAL64 {
            for &b in &SPECIAL64 {
                for &c in &SPECIAL64 {
                    let (got, want) = (fma_f64(a, b, c), a.mul_add(b, c));
                    assert!(
                        same64(got, want),
                        "fma({a:e}, {b:e}, {c:e}) = {got:e}, want {want:e}"
                    );
                }
            }
        }
    }

    #[test]
    fn f64_random_exponent_neighbourhoods() {
        let mut g = Gen(1);
        // Exponent centres: overflow, normal, products near subnormal, deep subnormal.
        for &(ca, cb, cc, spread) in &[
            (1023, 1023, 1023, 60),
            (1300, 1300, 1023 + 600, 80),
            (600, 400, 1, 60),
            (500, 500, 0, 60),
            (1023, 1023, 1023 + 53, 3),
            (1, 1023, 1, 3),
            (1700, 1400, 2046, 30),
        ] {
            for _ in 0..200_000 {
                let (a, b, c) = (
                    g.f64_near(ca, spread),
                    g.f64_near(cb, spread),
                    g.f64_near(cc, spread),
                );
                let (got, want) = (fma_f64(a, b, c), a.mul_add(b, c));
                assert!(
                    same64(got, want),
                    "fma({a:e}, {b:e}, {c:e}) = {got:e}, want {want:e}"
                );
            }
        }
    }

    #[test]
    fn f64_cancellation() {
        let mut g = Gen(2);
        for _ in 0..300_000 {
            let a = g.f64_near(1023, 40);
            let b = g.f64_near(1023, 40);
            // c close to -a*b: massive cancellation, exercising the sticky bit logic.
            let p = a * b;
            let c = -f64::from_bits(p.to_bits() ^ (g.next() & 0xff));
            let (got, want) = (fma_f64(a, b, c), a.mul_add(b, c));
            assert!(
                same64(got, want),
                "fma({a:e}, {b:e}, {c:e}) = {got:e}, want {want:e}"
            );
        }
    }

    #[test]
    fn f32_special_and_random() {
        let special = SPECIAL64.map(|x| x as f32);
        let extra = [f32::MIN_POSITIVE, 1e-45, f32::MAX, 3.0e38, f32::EPSILON];
        let all: std::vec::Vec<f32> = special.iter().chain(&extra).copied().collect();
        for &a in &all {
            for &b in &all {
                for &c in &all {
                    let (got, want) = (fma_f32(a, b, c), a.mul_add(b, c));
                    assert!(
                        same32(got, want),
                        "fma({a:e}, {b:e}, {c:e}) = {got:e}, want {want:e}"
                    );
                }
            }
        }
        let mut g = Gen(3);
        for i in 0..2_000_000u32 {
            let r = g.next();
            let a = f32::from_bits(r as u32);
            let b = f32::from_bits((r >> 32) as u32);
            let c = if i % 2 == 0 {
                f32::from_bits(g.next() as u32)
            } else {
                // Near -a*b: cancellation and round-to-odd corner cases.
                -f32::from_bits(((a as f64 * b as f64) as f32).to_bits() ^ (g.next() as u32 & 3))
            };
            let (got, want) = (fma_f32(a, b, c), a.mul_add(b, c));
            assert!(
                same32(got, want),
                "fma({a:e}, {b:e}, {c:e}) = {got:e}, want {want:e}"
            );
        }
    }
}
