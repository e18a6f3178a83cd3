//! `detkern::exact`: every path and pool size against the scalar reference, against an
//! independent big-integer oracle (num-bigint), split/permute/merge invariance, the byte format,
//! the special-value policy, and a 10^8-element sum (scaled by `DETKERN_TEST_SCALE`).

mod common;

use common::{
    SplitMix, configs, hostile_finite_f32, hostile_finite_f64, pools, same32, same64, scaled,
};
use detkern::exact::{self, BYTES, ExactSum};
use detkern::{Config, Error};
use detkern_kernels::exact_reference as reference;
use ndarray::{ArrayView1, s};
use num_bigint::{BigInt, Sign};
use proptest::prelude::*;
use proptest::test_runner::Config as PtConfig;

// ------------------------------------------------------------------ the oracle (tests only)

/// Exact value of a finite `f64` as a big integer in units of `2^-2148`.
fn big(x: f64) -> BigInt {
    assert!(x.is_finite());
    let bits = x.to_bits();
    let exp = ((bits >> 52) & 0x7ff) as i64;
    let frac = bits & ((1u64 << 52) - 1);
    let (m, e) = if exp == 0 {
        (frac, -1074)
    } else {
        (frac | 1 << 52, exp - 1075)
    };
    let v = BigInt::from(m) << (e + 2148) as usize;
    if x.is_sign_negative() { -v } else { v }
}

/// Rounds `v · 2^-2148` to nearest-even with `p` significand bits, smallest unit `2^min_unit`,
/// largest exponent `emax`; returns the IEEE bits (sign, biased exponent, fraction) as `u64`.
fn oracle_round(v: &BigInt, p: u32, min_unit: i64, emax: i64) -> u64 {
    let neg = v.sign() == Sign::Minus;
    let sign = if neg {
        1u64 << (p + (if p == 24 { 8 } else { 11 }) - 1)
    } else {
        0
    };
    let mag = v.magnitude().clone();
    if mag.bits() == 0 {
        return 0; // exact zero: +0
    }
    let top = mag.bits() as i64 - 1 - 2148; // exponent of the leading bit
    let unit = (top - (p as i64 - 1)).max(min_unit);
    let shift = (unit + 2148) as usize;
    let mut q = &mag >> shift;
    let r = &mag - (&q << shift);
    let twice = &r << 1usize;
    let ulp = num_bigint::BigUint::from(1u8) << shift;
    let odd = q.bit(0);
    if twice > ulp || (twice == ulp && odd) {
        q += 1u8;
    }
    let mut unit = unit;
    if q.bits() > p as u64 {
        q >>= 1usize;
        unit += 1;
    }
    let qv = q.iter_u64_digits().next().unwrap_or(0);
    let frac_bits = p - 1;
    let exp_all_ones = if p == 24 { 0xffu64 } else { 0x7ff };
    if q.bits() == p as u64 && unit + p as i64 - 1 > emax {
        return sign | exp_all_ones << frac_bits; // overflow: infinity
    }
    if q.bits() < p as u64 {
        return sign | qv; // subnormal (or zero)
    }
    let biased = (unit + frac_bits as i64 + emax) as u64;
    sign | biased << frac_bits | (qv & ((1 << frac_bits) - 1))
}

fn oracle_f32(terms: &[f64]) -> f32 {
    let v: BigInt = terms.iter().map(|&t| big(t)).sum();
    f32::from_bits(oracle_round(&v, 24, -149, 127) as u32)
}

fn oracle_f64(terms: &[BigInt]) -> f64 {
    let v: BigInt = terms.iter().sum();
    f64::from_bits(oracle_round(&v, 53, -1074, 1023))
}

fn oracle_sum32(x: &[f32]) -> f32 {
    oracle_f32(&x.iter().map(|&v| f64::from(v)).collect::<Vec<_>>())
}

fn oracle_dot32(a: &[f32], b: &[f32]) -> f32 {
    // Products of two f32 are exact in f64.
    let p: Vec<f64> = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| f64::from(x) * f64::from(y))
        .collect();
    oracle_f32(&p)
}

fn oracle_sum64(x: &[f64]) -> f64 {
    oracle_f64(&x.iter().map(|&v| big(v)).collect::<Vec<_>>())
}

fn oracle_dot64(a: &[f64], b: &[f64]) -> f64 {
    // big(x) · big(y) is in units of 2^-4296: shift back by 2148 (exact: both are multiples).
    let p: Vec<BigInt> = a
        .iter()
        .zip(b)
        .map(|(&x, &y)| (big(x) * big(y)) >> 2148usize)
        .collect();
    oracle_f64(&p)
}

// ------------------------------------------------------------------ inputs

/// Vectors of hostile values in three modes: as drawn; with exact cancellation (the second half
/// mirrors the first, negated, plus one value); mostly values within a few binades (the fast
/// block path) with rare outliers.
fn vector<T: Copy + std::fmt::Debug + std::ops::Neg<Output = T> + 'static>(
    elem: BoxedStrategy<T>,
    narrow: BoxedStrategy<T>,
    max_len: usize,
) -> impl Strategy<Value = Vec<T>> {
    (0..=max_len, 0u8..3).prop_flat_map(move |(n, mode)| {
        let pool = if mode == 2 {
            narrow.clone()
        } else {
            elem.clone()
        };
        (
            proptest::collection::vec(pool, n),
            proptest::collection::vec(elem.clone(), 2),
        )
            .prop_map(move |(mut v, extra)| {
                if mode == 1 {
                    let h = v.len() / 2;
                    for i in 0..h {
                        let j = v.len() - 1 - i;
                        v[j] = -v[i];
                    }
                }
                if mode == 2 && v.len() > 3 {
                    let n = v.len();
                    v[n / 3] = extra[0];
                    v[2 * n / 3] = extra[1];
                }
                v
            })
    })
}

fn narrow_f32() -> BoxedStrategy<f32> {
    prop_oneof![4 => -1.0f32..1.0, 1 => 1.0e3f32..1.0e4].boxed()
}

fn narrow_f64() -> BoxedStrategy<f64> {
    (-1.0f64..1.0).boxed()
}

fn pt_config(cases: u32) -> PtConfig {
    let default = PtConfig::default(); // PROPTEST_CASES, if set
    PtConfig {
        cases: (scaled(cases as usize) as u32).min(default.cases),
        failure_persistence: None,
        ..default
    }
}

/// Every path × pool size gives the reference's bits (and the same state bytes).
fn check_sum32(x: &[f32]) {
    let want = reference::sum_f32(x);
    let mut bytes = None;
    for c in configs() {
        for (n, pool) in pools().iter().filter(|(n, _)| [1, 3, 16].contains(n)) {
            let mut acc = ExactSum::<f32>::new();
            pool.install(|| c.try_exact_add(&mut acc, x)).unwrap();
            let got = acc.finish();
            assert!(
                same32(got, want),
                "{:?} {n}t: {got:e} vs reference {want:e}",
                c.isa()
            );
            let b = acc.to_bytes();
            assert_eq!(
                bytes.get_or_insert_with(|| b.clone()),
                &b,
                "{:?} {n}t state",
                c.isa()
            );
        }
    }
    // The exact state of the (block-summing) f32 path equals that of the widened values added
    // one at a time by the f64 path: bytes 7.. (specials, layout, limbs; byte 6 is the kind).
    let wide: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
    let mut acc = ExactSum::<f64>::new();
    acc.add(&wide);
    let (b32, b64) = (bytes.unwrap(), acc.to_bytes());
    assert!(
        b32[7..] == b64[7..],
        "f32 state differs from the f64 state of the same values"
    );
}

fn check_sum64(x: &[f64]) {
    let want = reference::sum_f64(x);
    for c in configs() {
        for (n, pool) in pools().iter().filter(|(n, _)| [1, 3].contains(n)) {
            let got = pool.install(|| c.exact_sum(x));
            assert!(
                same64(got, want),
                "{:?} {n}t: {got:e} vs reference {want:e}",
                c.isa()
            );
        }
    }
}

fn check_dot32(a: &[f32], b: &[f32]) {
    let want = reference::dot_f32(a, b);
    for c in configs() {
        let got = pools()[1].1.install(|| c.exact_dot(a, b));
        assert!(
            same32(got, want),
            "{:?}: {got:e} vs reference {want:e}",
            c.isa()
        );
    }
}

fn check_dot64(a: &[f64], b: &[f64]) {
    let want = reference::dot_f64(a, b);
    for c in configs() {
        let got = pools()[1].1.install(|| c.exact_dot(a, b));
        assert!(
            same64(got, want),
            "{:?}: {got:e} vs reference {want:e}",
            c.isa()
        );
    }
}

// ------------------------------------------------------------------ paths vs reference

proptest! {
    #![proptest_config(pt_config(96))]

    #[test]
    fn sum_f32_every_path_is_the_reference(x in vector(hostile_finite_f32(), narrow_f32(), 2100)) {
        check_sum32(&x);
        prop_assert!(same32(reference::sum_f32(&x), oracle_sum32(&x)));
    }

    #[test]
    fn sum_f64_every_path_is_the_reference(x in vector(hostile_finite_f64(), narrow_f64(), 300)) {
        check_sum64(&x);
        prop_assert!(same64(reference::sum_f64(&x), oracle_sum64(&x)));
    }

    #[test]
    fn dot_every_path_is_the_reference(
        a in vector(hostile_finite_f32(), narrow_f32(), 200),
        seed in any::<u64>(),
    ) {
        let mut r = SplitMix(seed);
        let b: Vec<f32> = a.iter().map(|_| f32::from_bits(r.next_u64() as u32)).map(|v| if v.is_finite() { v } else { 1.5 }).collect();
        check_dot32(&a, &b);
        prop_assert!(same32(reference::dot_f32(&a, &b), oracle_dot32(&a, &b)));
        let (a64, b64): (Vec<f64>, Vec<f64>) = a.iter().zip(&b).map(|(&x, &y)| {
            (f64::from(x) * f64::from_bits(r.next_u64() >> 2 | 1 << 62), f64::from(y))
        }).unzip();
        let a64: Vec<f64> = a64.into_iter().map(|v| if v.is_finite() { v } else { -3.0 }).collect();
        check_dot64(&a64, &b64);
        prop_assert!(same64(reference::dot_f64(&a64, &b64), oracle_dot64(&a64, &b64)));
    }
}

/// Random (seeded) vectors across block sizes on every path, long enough for the block path,
/// the parallel leaves and strided gathers; lengths around the 512-element block.
#[test]
fn sum_f32_lengths_around_blocks_and_leaves() {
    let mut r = SplitMix(7);
    for &n in &[
        0, 1, 511, 512, 513, 1023, 1024, 1025, 4097, 65535, 65536, 65537, 200_003,
    ] {
        let x: Vec<f32> = (0..n)
            .map(|i| {
                let v = (r.next_u64() >> 40) as f32 * 1e-7 - 0.8;
                if i % 4099 == 17 { v * 1e-12 } else { v }
            })
            .collect();
        check_sum32(&x);
        let strided = ArrayView1::from(&x[..]).slice_move(s![..;-1]);
        let rev: Vec<f32> = x.iter().rev().copied().collect();
        assert_eq!(exact::sum(strided).to_bits(), exact::sum(&rev).to_bits());
        assert!(same32(exact::sum(&x), oracle_sum32(&x)), "n = {n}");
    }
}

/// A block at the edge of the fast path's exponent window: 511 values of the largest 24-bit
/// significand and one value whose exponent is 20 (inside) or 21 (outside) binades lower. The
/// exact sum then needs 53 (54) bits, so a block summed in `f64` past the window would lose the
/// last bit; `check_sum32` compares the whole exact state with the one-term-at-a-time `f64` path.
#[test]
fn block_window_edge() {
    for gap in [19u32, 20, 21, 22] {
        for top in [150u32, 30, 200] {
            let big = f32::from_bits(top << 23 | 0x7f_ffff);
            let mut x = vec![big; 512];
            x[300] = f32::from_bits((top - gap) << 23 | 1);
            let want = oracle_sum32(&x);
            assert_eq!(reference::sum_f32(&x).to_bits(), want.to_bits());
            check_sum32(&x);
            // The sum needs more than 24 bits: check the f64 result too.
            let wide: Vec<f64> = x.iter().map(|&v| f64::from(v)).collect();
            assert_eq!(exact::sum(&wide).to_bits(), oracle_sum64(&wide).to_bits());
        }
    }
}

// ------------------------------------------------------------------ oracle on hostile cases

#[test]
fn hostile_cases_match_the_oracle() {
    let tiny = f32::from_bits(1);
    let cases32: Vec<Vec<f32>> = vec![
        vec![1e30, 1.0, -1e30],
        vec![f32::MAX, f32::MAX, -f32::MAX],
        vec![f32::MAX, tiny, -f32::MAX, tiny],
        vec![tiny; 1000],
        vec![1.0, f32::EPSILON / 2.0],       // tie: to even (1.0)
        vec![1.0, f32::EPSILON / 2.0, tiny], // just past the tie: up
        vec![1.0 + f32::EPSILON, f32::EPSILON / 2.0], // tie: to even (up)
        vec![-1.0, -f32::EPSILON / 2.0, tiny], // negative, just below the tie
        vec![2.0f32.powi(-126), -tiny],      // normal minus subnormal
        (0..3000)
            .map(|i| (-1.0f32).powi(i) * 2.0f32.powi(i % 250 - 140))
            .collect(),
        (0..5000)
            .map(|i| if i % 2 == 0 { 1e20 } else { -1e20 })
            .chain([3.0e-40])
            .collect(),
    ];
    for x in &cases32 {
        let want = oracle_sum32(x);
        assert_eq!(
            reference::sum_f32(x).to_bits(),
            want.to_bits(),
            "reference on {x:?}"
        );
        check_sum32(x);
    }
    let d = f64::from_bits(1);
    let cases64: Vec<Vec<f64>> = vec![
        vec![1e300, 1.0, -1e300],
        vec![f64::MAX, f64::MAX, -f64::MAX],
        vec![f64::MAX, f64::MAX],
        vec![d; 777],
        vec![1.0, f64::EPSILON / 2.0],
        vec![1.0, f64::EPSILON / 2.0, d],
        vec![1.0 + f64::EPSILON, -f64::EPSILON / 2.0, d],
        (0..4000)
            .map(|i| (-1.0f64).powi(i) * 2.0f64.powi(i % 2000 - 1070))
            .collect(),
    ];
    for x in &cases64 {
        assert_eq!(
            reference::sum_f64(x).to_bits(),
            oracle_sum64(x).to_bits(),
            "{x:?}"
        );
        check_sum64(x);
    }
    // Dot products: cancellation of huge products, products far below the smallest subnormal.
    let (a, b) = (
        vec![1e30f32, 1.0, -1e30, 1e-30],
        vec![1e8f32, 1.0, 1e8, 1e-30],
    );
    assert_eq!(
        reference::dot_f32(&a, &b).to_bits(),
        oracle_dot32(&a, &b).to_bits()
    );
    check_dot32(&a, &b);
    let (a, b) = (
        vec![1e300f64, 1.0, -1e300, d, -3.0 * d],
        vec![1e300f64, 1e-300, 1e300, d, d],
    );
    assert_eq!(
        reference::dot_f64(&a, &b).to_bits(),
        oracle_dot64(&a, &b).to_bits()
    );
    check_dot64(&a, &b);
    let (a, b) = (
        vec![f64::MAX, -f64::MAX, 2.0],
        vec![f64::MAX, f64::MAX, 0.5],
    );
    assert_eq!(exact::dot(&a, &b), 1.0); // MAX² − MAX² + 1, each product exact
}

/// 10^8 elements (scaled by `DETKERN_TEST_SCALE`), huge dynamic range and cancellation, against
/// an i128 oracle (every value is a multiple of 2^-60 below 2^62).
#[test]
fn hundred_million_elements() {
    let n = scaled(100_000_000);
    let mut r = SplitMix(2026);
    let x: Vec<f32> = (0..n)
        .map(|i| {
            let z = r.next_u64();
            let m = (z >> 40) as f32; // 24 bits
            let e = ((z >> 8) % 80) as i32 - 60; // 2^-60 .. 2^19 times a 24-bit integer
            let v = m * 2.0f32.powi(e);
            let v = if i % 1000 == 7 {
                v * 2.0f32.powi(18)
            } else {
                v
            };
            if z & 1 == 1 { -v } else { v }
        })
        .collect();
    let total: i128 = x
        .iter()
        .map(|&v| (f64::from(v) * 2.0f64.powi(60)) as i128)
        .sum();
    let want =
        f32::from_bits(oracle_round(&(BigInt::from(total) << (2148 - 60)), 24, -149, 127) as u32);
    let t = std::time::Instant::now();
    let got = exact::sum(&x);
    let dt = t.elapsed();
    assert_eq!(
        got.to_bits(),
        want.to_bits(),
        "n = {n}: {got:e} vs {want:e}"
    );
    eprintln!("exact sum of {n} f32: {got:e} in {dt:?}");
}

// ------------------------------------------------------------------ merging

proptest! {
    #![proptest_config(pt_config(64))]

    /// Any split, any permutation, any merge order: the same state bytes and bits as one shot.
    #[test]
    fn split_permute_merge_is_one_shot(
        x in vector(hostile_finite_f32(), narrow_f32(), 1500).prop_shuffle(),
        cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
        perm_seed in any::<u64>(),
    ) {
        let one = {
            let mut a = ExactSum::<f32>::new();
            a.add(&x);
            a
        };
        // Permute, cut into pieces, one state per piece.
        let mut y = x.clone();
        let mut r = SplitMix(perm_seed);
        for i in (1..y.len()).rev() {
            y.swap(i, (r.next_u64() % (i as u64 + 1)) as usize);
        }
        let mut at: Vec<usize> = cuts.iter().map(|c| c.index(y.len() + 1)).collect();
        at.sort();
        let mut states: Vec<ExactSum<f32>> = Vec::new();
        let mut start = 0;
        for &c in at.iter().chain([&y.len()]) {
            let mut s = ExactSum::new();
            s.add(&y[start..c]);
            states.push(s);
            start = c;
        }
        // Merge in a random tree order, half of them through the byte format.
        while states.len() > 1 {
            let i = (r.next_u64() % states.len() as u64) as usize;
            let b = states.swap_remove(i);
            let b = if r.next_u64() & 1 == 1 { ExactSum::from_bytes(&b.to_bytes()).unwrap() } else { b };
            let j = (r.next_u64() % states.len() as u64) as usize;
            states[j].merge(&b);
        }
        prop_assert_eq!(states[0].to_bytes(), one.to_bytes());
        prop_assert!(same32(states[0].finish(), reference::sum_f32(&x)));
    }

    #[test]
    fn merge_is_commutative_and_associative_f64(
        a in vector(hostile_finite_f64(), narrow_f64(), 100),
        b in vector(hostile_finite_f64(), narrow_f64(), 100),
        c in vector(hostile_finite_f64(), narrow_f64(), 100),
    ) {
        let st = |v: &[f64]| { let mut s = ExactSum::<f64>::new(); s.add(v); s };
        let (sa, sb, sc) = (st(&a), st(&b), st(&c));
        let mut left = sa.clone(); left.merge(&sb); left.merge(&sc);
        let mut right = sc.clone(); let mut bc = sb.clone(); bc.merge(&sa); right.merge(&bc);
        prop_assert_eq!(&left, &right);
        let all: Vec<f64> = a.iter().chain(&b).chain(&c).copied().collect();
        prop_assert!(same64(left.finish(), reference::sum_f64(&all)));
    }
}

// ------------------------------------------------------------------ specials and zeros

#[test]
fn special_value_policy() {
    let inf = f32::INFINITY;
    assert_eq!(exact::sum(&[1.0f32, inf, -5.0]), inf);
    assert_eq!(exact::sum(&[1.0f32, -inf]), -inf);
    assert!(exact::sum(&[inf, 1.0, -inf]).is_nan());
    assert!(exact::sum(&[1.0f32, f32::NAN]).is_nan());
    assert!(exact::dot(&[inf, 1.0f32], &[0.0, 1.0]).is_nan()); // Inf · 0
    assert_eq!(exact::dot(&[inf, 1.0f32], &[-2.0, 1.0]), -inf);
    assert_eq!(exact::sum(&[f32::MAX, f32::MAX]), inf); // overflow of the rounded value
    assert_eq!(exact::sum(&[-f64::MAX, -f64::MAX]), -f64::INFINITY);
    assert_eq!(exact::sum(&[f32::MAX, f32::MAX, -f32::MAX]), f32::MAX);
    // Specials survive a merge and the byte format; the finite part stays exact beside them.
    let mut a = ExactSum::<f64>::new();
    a.add(&[f64::INFINITY, 2.0]);
    let mut b = ExactSum::<f64>::from_bytes(&a.to_bytes()).unwrap();
    assert_eq!(b.finish(), f64::INFINITY);
    b.add(&[f64::NEG_INFINITY]);
    assert!(b.finish().is_nan());
    for c in configs() {
        let x = [1.0f32, f32::NAN, 2.0, inf];
        assert!(c.exact_sum(&x[..]).is_nan());
        let y: Vec<f32> = (0..2000)
            .map(|i| if i == 999 { -inf } else { i as f32 })
            .collect();
        assert_eq!(c.exact_sum(&y), -inf);
    }
}

#[test]
fn zero_policy() {
    // An exact zero is +0.0, whatever the zero terms' signs; an empty sum too.
    assert_eq!(exact::sum::<f32>(&[]).to_bits(), 0);
    assert_eq!(exact::sum(&[-0.0f32, -0.0]).to_bits(), 0);
    assert_eq!(exact::sum(&[-1.5f64, 1.5]).to_bits(), 0);
    assert_eq!(exact::dot(&[-0.0f64], &[1.0]).to_bits(), 0);
    assert_eq!(reference::sum_f32(&[-0.0]).to_bits(), 0);
    // A nonzero exact value that rounds to zero keeps its sign (f32 products below 2^-150).
    let t = f32::from_bits(1);
    assert_eq!(exact::dot(&[-t], &[t]).to_bits(), (-0.0f32).to_bits());
    assert_eq!(exact::dot(&[t], &[t]).to_bits(), 0);
    assert_eq!(
        reference::dot_f32(&[-t], &[t]).to_bits(),
        (-0.0f32).to_bits()
    );
    // ... unless it is at least half the smallest subnormal: 2^-150 + 2^-298 rounds up.
    let half = 2.0f32.powi(-75);
    assert_eq!(exact::dot(&[half, t], &[half, t]), t);
}

// ------------------------------------------------------------------ the byte format and errors

#[test]
fn byte_format_round_trip_and_errors() {
    let mut a = ExactSum::<f32>::new();
    a.add(&[1.0f32, -3.5e-40, 7e30]);
    let bytes = a.to_bytes();
    assert_eq!(bytes.len(), BYTES);
    assert_eq!(&bytes[..4], b"DKXS");
    assert_eq!(ExactSum::<f32>::from_bytes(&bytes).unwrap(), a);
    // The empty state: all limbs zero.
    let e = ExactSum::<f64>::new().to_bytes();
    assert!(e[12..].iter().all(|&b| b == 0));
    assert_eq!(&e[4..12], &[1, 0, 64, 0, 136, 0, 0x80, 0xf7]);

    let err = |b: &[u8]| match ExactSum::<f32>::from_bytes(b) {
        Err(Error::InvalidArgument { op, message }) => {
            assert_eq!(op, "ExactSum::from_bytes");
            message
        }
        other => panic!("expected InvalidArgument, got {other:?}"),
    };
    assert!(err(&bytes[..100]).contains("expected 1100 bytes, got 100"));
    let mut b = bytes.clone();
    b[0] = b'X';
    assert!(err(&b).contains("magic"));
    let mut b = bytes.clone();
    b[4] = 2;
    assert!(err(&b).contains("version 2"));
    assert!(err(&ExactSum::<f64>::new().to_bytes()).contains("f64"));
    let mut b = bytes.clone();
    b[7] = 0x80;
    assert!(err(&b).contains("flags"));
    let mut b = bytes.clone();
    b[12 + 8 * 5 + 4] = 1; // limb 5 = 2^32: not carry-normalised
    assert!(err(&b).contains("normalised"));
    let mut b = bytes.clone();
    b[8] = 135;
    assert!(err(&b).contains("limb layout"));
    let msg = format!("{}", ExactSum::<f32>::from_bytes(&[]).unwrap_err());
    assert!(
        msg.starts_with("ExactSum::from_bytes: expected 1100 bytes"),
        "{msg}"
    );
}

#[test]
fn length_mismatch() {
    assert_eq!(
        exact::try_dot(&[1.0f32, 2.0], &[1.0f32]),
        Err(Error::LengthMismatch {
            op: "exact dot",
            left: 2,
            right: 1
        })
    );
    let mut acc = ExactSum::<f64>::new();
    assert!(acc.try_add_dot(&[1.0], &[] as &[f64]).is_err());
    let p = std::panic::catch_unwind(|| exact::dot(&[1.0f64], &[1.0, 2.0])).unwrap_err();
    let msg = p.downcast_ref::<String>().unwrap();
    assert!(msg.contains("left has 1 elements, right has 2"), "{msg}");
}

#[test]
fn forced_paths_and_views() {
    let x: Vec<f64> = (0..10_000)
        .map(|i| ((i * 7919) % 1000) as f64 * 1e-3 - 0.4)
        .collect();
    let strided = ArrayView1::from(&x[..]).slice_move(s![..;3]);
    let copy: Vec<f64> = strided.iter().copied().collect();
    for c in configs() {
        assert_eq!(
            c.exact_sum(strided).to_bits(),
            reference::sum_f64(&copy).to_bits()
        );
        assert_eq!(
            c.exact_dot(strided, &copy).to_bits(),
            reference::dot_f64(&copy, &copy).to_bits()
        );
    }
    assert!(Config::best().try_exact_sum(&x).is_ok());
}
