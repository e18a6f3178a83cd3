//! `x[i] / d` for a slice and one divisor on the AVX2, AVX-512 and NEON paths, without a
//! division instruction per element: the quotient from the precomputed reciprocal, corrected
//! once by its exact remainder (Markstein's correction). It is the IEEE quotient, proven below
//! for the dividends and divisors it takes; the others (and any register holding one) use the
//! division instruction. So every element has the bits of `x[i] / d` on every path
//! (`docs/DETERMINISM.md`, "Division by a common divisor").

use super::exp32::F32Lanes;

/// Divisors the correction takes: `[2^-16, 2^16]`.
const D_RANGE: (f32, f32) = (1.0 / 65536.0, 65536.0);
/// Dividends the correction takes: `[2^-64, 2^64]` (false for zeros, negatives, NaN).
const Y_RANGE: (f32, f32) = (
    1.0 / 18_446_744_073_709_551_616.0,
    18_446_744_073_709_551_616.0,
);

/// `x[i] = x[i] / d` by the division instruction (the plain loop): the scalar and SSE2 paths,
/// and whatever [`div_assign`] does not correct.
pub(super) fn divide_plain(x: &mut [f32], d: f32) {
    x.iter_mut().for_each(|v| *v /= d);
}

/// `x[i] = x[i] / d` (IEEE `f32` division, round to nearest even) for every element.
///
/// With `ρ = RN(1/d)` and `ρ_lo = RN(1/d - ρ)` (from the `f64` quotient `1/d`, exact to
/// `2^-53`), each register of dividends `y` all in [`Y_RANGE`], for `d` in [`D_RANGE`], gets
///
/// 1. `q = fma(y, ρ, y ρ_lo)`: `y (ρ + ρ_lo)` is `Q = y/d` to `2^-47 Q`, so `q` is `RN(Q)` or,
///    where `Q` lies within `2^-23 ulp(Q)` of the midpoint `m` between its two neighbours, the
///    other neighbour;
/// 2. `r = fma(q, -d, y)`: the remainder `y - q d`, exact (a multiple of `ulp(q) ulp(d)` below
///    `2^24` of them, and that unit is at least `2^-142`);
/// 3. `q' = fma(r, ρ, q)`, returned. `q + r ρ = Q + (Q - q)(d ρ - 1)` with
///    `|d ρ - 1| <= D 2^-25` (`D` the significand of `d`, in `[1, 2)`). `Q = y/d` is never a
///    midpoint, and `y - m d` is a nonzero multiple of `ulp(Q)/2 · ulp(d)`, so
///    `δ = |Q - m| >= 2^-24 ulp(Q) / D`. If `q = RN(Q)`, `|Q - q| <= ulp(Q)/2 - δ` and the error
///    `(ulp(Q)/2) D 2^-25` is below `δ` because `D^2 < 4`; otherwise `|Q - q| = ulp(Q)/2 + δ`
///    and the error is below `δ` because `D^2 < 4 - D 2^-23`. Either way `q + r ρ` is on `Q`'s
///    side of `m` and rounds to `RN(Q)`. All values are normal (`Q` in `[2^-80, 2^80]`).
///
/// Other registers, other divisors and the tail use IEEE division.
#[inline(always)]
pub(super) fn div_assign<S: F32Lanes>(s: S, x: &mut [f32], d: f32) {
    if !(D_RANGE.0..=D_RANGE.1).contains(&d) {
        divide_plain(x, d);
        return;
    }
    let rho = 1.0 / d;
    let rho_lo = (1.0 / f64::from(d) - f64::from(rho)) as f32;
    let (rho, rho_lo, neg_d, dv) = (s.splat(rho), s.splat(rho_lo), s.splat(-d), s.splat(d));
    let (lo, hi) = (s.splat(Y_RANGE.0), s.splat(Y_RANGE.1));
    let every = u32::MAX >> (32 - S::W);
    let mut regs = x.chunks_exact_mut(S::W);
    for c in &mut regs {
        let y = s.load(c);
        let in_range = s.le_where(s.ge(y, lo), y, hi);
        let quotient = if s.flags(in_range) == every {
            let q = s.fma(y, rho, s.mul(y, rho_lo));
            let r = s.fma(q, neg_d, y);
            s.fma(r, rho, q)
        } else {
            s.div(y, dv)
        };
        s.store(quotient, c);
    }
    divide_plain(regs.into_remainder(), d);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lanes::Scalar;
    use crate::test_gen::Gen;

    /// Divisors with the largest and smallest significands, powers of two, the range's ends.
    const DIVISORS: [f32; 9] = [
        1.0,
        1.5,
        3.0,
        1.999_999_9,
        1.000_000_1,
        4095.7,
        1.0 / 65536.0,
        65536.0,
        0.3,
    ];

    fn check(d: f32, ys: impl Iterator<Item = f32>) {
        let mut x: std::vec::Vec<f32> = ys.collect();
        let want: std::vec::Vec<u32> = x.iter().map(|&y| (y / d).to_bits()).collect();
        div_assign(Scalar, &mut x, d);
        for (g, w) in x.iter().zip(&want) {
            assert_eq!(g.to_bits(), *w, "{:e} / {d:e}", f32::from_bits(*w) * d);
        }
    }

    /// `y` in `[1, 2)` whose quotient by `d = D 2^-23` (`D` odd) is `M/2^j ± 1/(D 2^j)` with
    /// `M/2^j` a rounding midpoint (`M` odd, 25 bits): the quotients nearest to a midpoint there
    /// are, `2^-24 ulp / D` away. `Y 2^j ≡ ±1 (mod D)`, `Y` the significand of `y`.
    fn near_ties(d_sig: u64) -> impl Iterator<Item = f32> {
        [24u32, 25].into_iter().flat_map(move |j| {
            // 2^-j mod D: the inverse of 2 is (D + 1) / 2.
            let inv = (0..j).fold(1u64, |v, _| v * d_sig.div_ceil(2) % d_sig);
            [inv, d_sig - inv].into_iter().flat_map(move |y0| {
                (0..)
                    .map(move |t| y0 + t * d_sig)
                    .skip_while(|&y| y < 1 << 23)
                    .take_while(|&y| y < 1 << 24)
                    .filter(move |&y| {
                        let n = y << j;
                        let m = if n % d_sig == 1 { n - 1 } else { n + 1 } / d_sig;
                        m % 2 == 1 && (1u64 << 24..1u64 << 25).contains(&m)
                    })
                    .map(|y| y as f32 / (1u64 << 23) as f32)
            })
        })
    }

    /// The correction on the one-lane token: random dividends over the whole range, and the
    /// dividends whose quotients lie nearest to a rounding midpoint, for many divisors.
    #[test]
    fn corrected_quotient_is_the_ieee_quotient() {
        let mut g = Gen(0x51_7CC1_B727_220A);
        let span = Y_RANGE.1.to_bits() - Y_RANGE.0.to_bits();
        for d in DIVISORS {
            check(
                d,
                (0..20_000).map(|_| f32::from_bits(Y_RANGE.0.to_bits() + g.next() as u32 % span)),
            );
        }
        let mut ties = 0;
        for _ in 0..300 {
            let d_sig = (1u64 << 23) | (g.next() & 0x7f_ffff) | 1;
            let d = d_sig as f32 / (1u64 << 23) as f32;
            let ys: std::vec::Vec<f32> = near_ties(d_sig).collect();
            ties += ys.len();
            check(d, ys.iter().flat_map(|&y| [y, y * 1024.0, y / 1024.0]));
        }
        assert!(ties > 300, "{ties} near-ties");
    }

    /// Every dividend in `[1, 4)` (every significand, two binades of quotient) on every path of
    /// this CPU, for divisors with significands next to 1 and 2, where the bound of step 3 is
    /// tightest (about 35 s in release mode here: `cargo test --release -p detkern-kernels --lib
    /// every_significand -- --ignored`).
    #[test]
    #[ignore = "exhaustive over 2^24 dividends per divisor"]
    fn every_significand_for_extreme_divisors() {
        let ys: std::vec::Vec<f32> = (1.0f32.to_bits()..4.0f32.to_bits())
            .map(f32::from_bits)
            .collect();
        for k in 0..64u32 {
            for d in [
                f32::from_bits(0x3fff_ffff - k),
                f32::from_bits(0x3f80_0001 + k),
            ] {
                let want: std::vec::Vec<u32> = ys.iter().map(|&y| (y / d).to_bits()).collect();
                for isa in crate::Isa::supported() {
                    let mut got = ys.clone();
                    crate::Path::new(isa).unwrap().div_assign_f32(&mut got, d);
                    let bad = got.iter().zip(&want).filter(|(g, w)| g.to_bits() != **w);
                    assert_eq!(bad.count(), 0, "{isa:?}, divisor {d:e}");
                }
            }
        }
    }
}
