//! The scalar reference of the exact sums and dot products: the executable definition, written
//! independently of [`crate::exact`] (nothing is shared).
//!
//! Positive and negative terms are added, as exact natural numbers in units of `2^-2148` (the
//! weight of the smallest product of two `f64`), into two separate magnitudes; the smaller is
//! subtracted from the larger, and the difference is rounded by comparing the discarded
//! remainder with half a unit in the last place. Slow and plain on purpose.

use std::vec;
use std::vec::Vec;

/// Weight exponent of unit 1 of the naturals.
const UNIT: i32 = -2148;
/// Digits of the naturals (base `2^32`): room for `2^40` terms below `2^2048`.
const DIGITS: usize = 136;

/// A natural number in base `2^32`, least significant digit first.
#[derive(Clone, PartialEq, Eq)]
struct Natural(Vec<u32>);

impl Natural {
    fn zero() -> Natural {
        Natural(vec![0; DIGITS])
    }

    /// Adds `m · 2^shift`, one set bit of `m` at a time.
    fn add(&mut self, m: u128, shift: usize) {
        for i in (0..128).filter(|i| m >> i & 1 == 1) {
            self.add_power(shift + i);
        }
    }

    /// Adds `2^i`, rippling the carry up.
    fn add_power(&mut self, i: usize) {
        let mut k = i / 32;
        let mut carry = 1u64 << (i % 32);
        while carry != 0 {
            let v = u64::from(self.0[k]) + carry;
            self.0[k] = v as u32;
            carry = v >> 32;
            k += 1;
        }
    }

    fn less_than(&self, other: &Natural) -> bool {
        for k in (0..DIGITS).rev() {
            if self.0[k] != other.0[k] {
                return self.0[k] < other.0[k];
            }
        }
        false
    }

    /// `self - other`, for `other <= self`.
    fn minus(&self, other: &Natural) -> Natural {
        let mut out = Natural::zero();
        let mut borrow = 0i64;
        for k in 0..DIGITS {
            let mut v = i64::from(self.0[k]) - i64::from(other.0[k]) - borrow;
            borrow = 0;
            if v < 0 {
                v += 1 << 32;
                borrow = 1;
            }
            out.0[k] = v as u32;
        }
        out
    }

    fn bit(&self, i: usize) -> bool {
        self.0[i / 32] >> (i % 32) & 1 == 1
    }

    /// Index of the highest set bit, `None` for zero.
    fn top_bit(&self) -> Option<usize> {
        (0..DIGITS * 32).rev().find(|&i| self.bit(i))
    }

    /// `self` with bits `s..` cleared.
    fn low_bits(&self, s: usize) -> Natural {
        let mut out = self.clone();
        for i in s..DIGITS * 32 {
            if out.bit(i) {
                out.0[i / 32] &= !(1 << (i % 32));
            }
        }
        out
    }

    /// `2^i`.
    fn power(i: usize) -> Natural {
        let mut out = Natural::zero();
        out.0[i / 32] = 1 << (i % 32);
        out
    }

    /// Bits `s..s+n` as an integer (`n <= 64`).
    fn field(&self, s: usize, n: usize) -> u64 {
        (0..n).fold(0, |acc, i| acc | (u64::from(self.bit(s + i)) << i))
    }
}

/// A format: significand bits and the weight exponent of the smallest subnormal's unit.
struct Format {
    precision: usize,
    min_unit: i32,
}

/// The exact signed sum `positive - negative`, rounded to nearest, ties to even, in `fmt`,
/// returned as an `f64` holding the rounded value exactly (or `±Inf` past `f64`'s range).
fn round(positive: &Natural, negative: &Natural, fmt: &Format) -> f64 {
    let (mag, neg) = if positive.less_than(negative) {
        (negative.minus(positive), true)
    } else {
        (positive.minus(negative), false)
    };
    let Some(top) = mag.top_bit() else {
        return 0.0;
    };
    let top_weight = top as i32 + UNIT;
    let unit = (top_weight - (fmt.precision as i32 - 1)).max(fmt.min_unit);
    let s = (unit - UNIT) as usize; // bit index of the unit in the last place
    let mut q = if s > top {
        0
    } else {
        mag.field(s, top - s + 1)
    };
    let remainder = mag.low_bits(s);
    let half = Natural::power(s - 1);
    if half.less_than(&remainder) || (remainder == half && q % 2 == 1) {
        q += 1;
    }
    // q · 2^unit, by exact doublings and halvings (overflow goes to infinity, as IEEE rounds).
    let mut v = q as f64;
    for _ in 0..unit.max(0) {
        v *= 2.0;
    }
    for _ in 0..(-unit).max(0) {
        v *= 0.5;
    }
    if neg { -v } else { v }
}

/// Splits a finite value into `(sign, significand, weight exponent of the significand's unit)`.
fn parts64(x: f64) -> (bool, u128, i32) {
    let bits = x.to_bits();
    let biased = (bits >> 52 & 0x7ff) as i32;
    let fraction = u128::from(bits & 0x000f_ffff_ffff_ffff);
    if biased == 0 {
        (x.is_sign_negative(), fraction, -1074)
    } else {
        (x.is_sign_negative(), fraction + (1 << 52), biased - 1075)
    }
}

/// NaN if any NaN or both infinities, else the infinity if there is one.
fn special(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (mut nan, mut pos, mut neg) = (false, false, false);
    for v in values {
        nan |= v.is_nan();
        pos |= v == f64::INFINITY;
        neg |= v == f64::NEG_INFINITY;
    }
    match (nan || (pos && neg), pos, neg) {
        (true, _, _) => Some(f64::NAN),
        (false, true, _) => Some(f64::INFINITY),
        (false, _, true) => Some(f64::NEG_INFINITY),
        _ => None,
    }
}

/// Exact sum of terms `±m · 2^e`.
fn exact(terms: impl Iterator<Item = (bool, u128, i32)>, fmt: &Format) -> f64 {
    let (mut positive, mut negative) = (Natural::zero(), Natural::zero());
    for (neg, m, e) in terms {
        let side = if neg { &mut negative } else { &mut positive };
        side.add(m, (e - UNIT) as usize);
    }
    round(&positive, &negative, fmt)
}

const F32: Format = Format {
    precision: 24,
    min_unit: -149,
};
const F64: Format = Format {
    precision: 53,
    min_unit: -1074,
};

/// The correctly rounded exact sum of `x` (`docs/DETERMINISM.md`).
pub fn sum_f32(x: &[f32]) -> f32 {
    let wide: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
    match special(wide.iter().copied()) {
        Some(s) => s as f32,
        None => exact(wide.iter().map(|&v| parts64(v)), &F32) as f32,
    }
}

/// The correctly rounded exact sum of `x`.
pub fn sum_f64(x: &[f64]) -> f64 {
    match special(x.iter().copied()) {
        Some(s) => s,
        None => exact(x.iter().map(|&v| parts64(v)), &F64),
    }
}

/// The correctly rounded exact dot product of `a` and `b` (products with a non-finite factor
/// count as the IEEE product's special value). Panics if the lengths differ.
pub fn dot_f32(a: &[f32], b: &[f32]) -> f32 {
    let a: Vec<f64> = a.iter().map(|&v| f64::from(v)).collect();
    let b: Vec<f64> = b.iter().map(|&v| f64::from(v)).collect();
    dot(&a, &b, &F32) as f32
}

/// The correctly rounded exact dot product of `a` and `b`. Panics if the lengths differ.
pub fn dot_f64(a: &[f64], b: &[f64]) -> f64 {
    dot(a, b, &F64)
}

fn dot(a: &[f64], b: &[f64], fmt: &Format) -> f64 {
    assert_eq!(a.len(), b.len(), "exact reference dot: lengths differ");
    let nonfinite = a
        .iter()
        .zip(b)
        .filter(|(x, y)| !x.is_finite() || !y.is_finite())
        .map(|(x, y)| x * y);
    if let Some(s) = special(nonfinite) {
        return s;
    }
    let products = a.iter().zip(b).map(|(&x, &y)| {
        let ((sx, mx, ex), (sy, my, ey)) = (parts64(x), parts64(y));
        (sx != sy, mx * my, ex + ey)
    });
    exact(products, fmt)
}
