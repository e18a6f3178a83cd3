//! Lane-by-lane tests of every token's vocabulary against plain scalar arithmetic.

extern crate std;
use super::Lanes;
use crate::path::Kernel;
use crate::test_gen::Gen;
use crate::{Float, Isa, Path};
use std::vec::Vec;

const MAXW: usize = 16;

/// Results of every vocabulary operation on one register's worth of inputs.
#[derive(Debug, PartialEq)]
struct OpResults<T> {
    width: usize,
    regs: usize,
    roundtrip: [T; MAXW],
    splat: [T; MAXW],
    add: [T; MAXW],
    fma: [T; MAXW],
    fma1: [T; MAXW],
    max: [T; MAXW],
    min: [T; MAXW],
    any_nan: bool,
    halving: T,
}

struct RunOps<'a, T>(&'a [T; MAXW], &'a [T; MAXW], &'a [T; MAXW]);

impl<T: Float> Kernel<T> for RunOps<'_, T> {
    type Out = OpResults<T>;
    fn run<S: Lanes<T>>(self, s: S) -> OpResults<T> {
        use super::Regs;
        let (a, b, c) = (s.load(self.0), s.load(self.1), s.load(self.2));
        let mut out = OpResults {
            width: S::W,
            regs: S::Acc::filled(a).as_ref().len(),
            roundtrip: [T::POS_ZERO; MAXW],
            splat: [T::POS_ZERO; MAXW],
            add: [T::POS_ZERO; MAXW],
            fma: [T::POS_ZERO; MAXW],
            fma1: core::array::from_fn(|i| s.fma1(self.0[i], self.1[i], self.2[i])),
            max: [T::POS_ZERO; MAXW],
            min: [T::POS_ZERO; MAXW],
            any_nan: s.any(s.flag_nan(s.no_nan(), a)),
            halving: s.halving_sum(a),
        };
        s.store(a, &mut out.roundtrip);
        s.store(s.splat(self.2[0]), &mut out.splat);
        s.store(s.add(a, b), &mut out.add);
        s.store(s.fma(a, b, c), &mut out.fma);
        s.store(s.max(a, b), &mut out.max);
        s.store(s.min(a, b), &mut out.min);
        out
    }
}

fn same<T: Float>(x: T, y: T) -> bool {
    x.to_bits_u64() == y.to_bits_u64() || (x.is_nan() && y.is_nan())
}

fn check_type<T: Float + core::ops::Add<Output = T>>(
    specials: &[T],
    from_bits: impl Fn(u64) -> T,
    mul_add: impl Fn(T, T, T) -> T,
) -> Vec<Isa> {
    let mut g = Gen(0x2545_f491_4f6c_dd1d);
    let mut ran = Vec::new();
    for isa in Isa::supported() {
        let path = Path::new(isa).unwrap();
        for round in 0..3000 {
            let mut pick = || {
                let r = g.next();
                if round % 3 == 0 {
                    specials[(r % specials.len() as u64) as usize]
                } else {
                    from_bits(r)
                }
            };
            let a: [T; MAXW] = core::array::from_fn(|_| pick());
            let b: [T; MAXW] = core::array::from_fn(|_| pick());
            let c: [T; MAXW] = core::array::from_fn(|_| pick());
            let r = T::dispatch(path, RunOps(&a, &b, &c));
            let w = r.width;
            assert_eq!(r.regs * w, T::LANES, "{isa}: registers x width != LANES");
            for i in 0..w {
                let ctx = || {
                    std::format!(
                        "{isa} {} lane {i}: a={:?} b={:?} c={:?}",
                        T::NAME,
                        a[i],
                        b[i],
                        c[i]
                    )
                };
                assert!(same(r.roundtrip[i], a[i]), "load/store {}", ctx());
                assert!(same(r.splat[i], c[0]), "splat {}", ctx());
                assert!(same(r.add[i], a[i] + b[i]), "add {}", ctx());
                assert!(same(r.fma[i], mul_add(a[i], b[i], c[i])), "fma {}", ctx());
                if !a[i].is_nan() && !b[i].is_nan() {
                    assert!(same(r.max[i], T::max_total(a[i], b[i])), "max {}", ctx());
                    assert!(same(r.min[i], T::min_total(a[i], b[i])), "min {}", ctx());
                }
            }
            for i in 0..MAXW {
                let want = mul_add(a[i], b[i], c[i]);
                assert!(same(r.fma1[i], want), "{isa} fma1 {:?}", (a[i], b[i], c[i]));
            }
            assert_eq!(
                r.any_nan,
                a[..w].iter().any(|x| x.is_nan()),
                "{isa}: NaN flags"
            );
            let mut h: Vec<T> = a[..w].to_vec();
            let mut half = w / 2;
            while half >= 1 {
                for j in 0..half {
                    h[j] = h[j] + h[j + half];
                }
                half /= 2;
            }
            assert!(same(r.halving, h[0]), "{isa}: halving sum of {:?}", &a[..w]);
        }
        ran.push(isa);
    }
    ran
}

#[test]
fn every_token_matches_scalar_lane_by_lane() {
    let sp32 = [
        0.0f32,
        -0.0,
        1.0,
        -1.5,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::NAN,
        1e-45,
        -1e-40,
        f32::MAX,
        3.0e38,
    ];
    let ran32 = check_type(
        &sp32,
        |r| f32::from_bits(r as u32),
        |a: f32, b, c| a.mul_add(b, c),
    );
    let sp64 = [
        0.0f64,
        -0.0,
        1.0,
        -1.5,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NAN,
        5e-324,
        -1e-310,
        f64::MAX,
        1.5e308,
    ];
    let ran64 = check_type(&sp64, f64::from_bits, |a: f64, b, c| a.mul_add(b, c));
    assert_eq!(ran32, ran64);
    std::println!("lane vocabulary checked on: {ran32:?}");
}

/// `W` registers loaded from the rows of a 16×16 matrix, transposed and stored back.
struct RunTranspose<'a, T>(&'a [[T; MAXW]; MAXW]);

impl<T: Float> Kernel<T> for RunTranspose<'_, T> {
    type Out = (usize, [[T; MAXW]; MAXW]);
    fn run<S: Lanes<T>>(self, s: S) -> (usize, [[T; MAXW]; MAXW]) {
        let mut v: [S::V; MAXW] = core::array::from_fn(|r| s.load(&self.0[r]));
        s.transpose(&mut v[..S::W]);
        let mut out = [[T::POS_ZERO; MAXW]; MAXW];
        for (v, out) in v.iter().zip(out.iter_mut()).take(S::W) {
            s.store(*v, out);
        }
        (S::W, out)
    }
}

#[test]
fn every_token_transposes_lane_by_lane() {
    fn check<T: Float>(from_bits: impl Fn(u64) -> T) -> Vec<Isa> {
        let mut g = Gen(0x9e37_79b9_7f4a_7c15);
        let m: [[T; MAXW]; MAXW] =
            core::array::from_fn(|_| core::array::from_fn(|_| from_bits(g.next())));
        let mut ran = Vec::new();
        for isa in Isa::supported() {
            let (w, t) = T::dispatch(Path::new(isa).unwrap(), RunTranspose(&m));
            for r in 0..w {
                for c in 0..w {
                    assert!(
                        t[c][r].to_bits_u64() == m[r][c].to_bits_u64(),
                        "{isa} {}: ({r}, {c})",
                        T::NAME
                    );
                }
            }
            ran.push(isa);
        }
        ran
    }
    // Random bit patterns (NaN payloads included) must each reach their place, bit for bit.
    assert_eq!(check(|r| f32::from_bits(r as u32)), check(f64::from_bits));
}
