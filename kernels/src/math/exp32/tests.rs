//! The `f32` evaluation of `exp`: every operation of every token lane by lane against the
//! one-lane `Scalar` implementation (and that against plain Rust arithmetic); the error of
//! `z + e` and the certified results over a sample of every argument range (one lane); the
//! driver with flagged lanes anywhere in its blocks.

extern crate std;
use super::*;
use crate::lanes::Scalar;
use crate::math::reference;
use crate::test_gen::Gen;
use std::vec::Vec;

const MAXW: usize = 16;

const SPECIALS: [f32; 12] = [
    0.0,
    -0.0,
    1.0,
    -78.0,
    88.7,
    f32::INFINITY,
    f32::NEG_INFINITY,
    f32::NAN,
    1e-45,
    f32::MAX,
    -1.5,
    12582912.0,
];

/// Operands of one register (lane `i` of every operand is element `i`) and the operands the
/// same in every lane.
#[derive(Clone, Copy)]
struct Inputs {
    a: [f32; MAXW],
    b: [f32; MAXW],
    c: [f32; MAXW],
    i: [u32; MAXW],
    j: [u32; MAXW],
    k: f32,
    lo: f32,
    shift: u32,
}

impl Inputs {
    fn new(g: &mut Gen, round: usize) -> Inputs {
        let float = |g: &mut Gen| {
            let r = g.next();
            match round % 3 {
                0 => SPECIALS[(r % SPECIALS.len() as u64) as usize],
                1 => f32::from_bits(r as u32),
                _ => (r >> 40) as f32 / (1u64 << 20) as f32 - 8.0,
            }
        };
        Inputs {
            a: core::array::from_fn(|_| float(g)),
            b: core::array::from_fn(|_| float(g)),
            c: core::array::from_fn(|_| float(g)),
            i: core::array::from_fn(|_| g.next() as u32),
            j: core::array::from_fn(|_| g.next() as u32),
            k: float(g),
            lo: -((g.next() % 100) as f32),
            shift: (g.next() % 32) as u32,
        }
    }

    /// The inputs of lane `n` moved to lane 0 (what the one-lane token sees).
    fn lane(&self, n: usize) -> Inputs {
        let rot = |v: &[f32; MAXW]| core::array::from_fn(|q| v[(q + n) % MAXW]);
        let rot_u = |v: &[u32; MAXW]| core::array::from_fn(|q| v[(q + n) % MAXW]);
        Inputs {
            a: rot(&self.a),
            b: rot(&self.b),
            c: rot(&self.c),
            i: rot_u(&self.i),
            j: rot_u(&self.j),
            ..*self
        }
    }
}

const TABLE32: [u32; 32] = {
    let mut t = [0u32; 32];
    let mut k = 0;
    while k < 32 {
        t[k] = 0x0123_4567u32.rotate_left(k as u32) ^ (k as u32 * 0x0101_0101);
        k += 1;
    }
    t
};

/// Every operation's result bits, lane by lane (masks as 1 / 0), and `all` of a mask.
#[inline(always)]
fn run<S: F32Lanes>(s: S, inp: &Inputs) -> (Vec<(&'static str, [u32; MAXW])>, bool) {
    let (a, b, c) = (s.load(&inp.a), s.load(&inp.b), s.load(&inp.c));
    let ints = |v: &[u32; MAXW]| s.to_bits(s.load(&v.map(f32::from_bits)));
    let (i, j) = (ints(&inp.i), ints(&inp.j));
    let mut out = Vec::new();
    let mut put = |name: &'static str, v: S::V| {
        let mut d = [0.0f32; MAXW];
        s.store(v, &mut d);
        out.push((name, d.map(f32::to_bits)));
    };
    let mask = |m: S::M| {
        let bits = s.flags(m);
        let flags: [f32; MAXW] = core::array::from_fn(|n| f32::from(u8::from(bits >> n & 1 == 1)));
        s.load(&flags)
    };
    put("load/store", a);
    put("load_minus", s.load_minus(&inp.a, inp.k));
    put("splat", s.splat(inp.k));
    put("add", s.add(a, b));
    put("sub", s.sub(a, b));
    put("mul", s.mul(a, b));
    put("div", s.div(a, b));
    put("fma", s.fma(a, b, c));
    put("to_bits/bits_to_f32", s.bits_to_f32(s.to_bits(a)));
    put("add_i", s.bits_to_f32(s.add_i(i, j)));
    put("shl_i", s.bits_to_f32(s.shl_i(i, inp.shift)));
    put("lookup32", s.bits_to_f32(s.lookup32(&TABLE32, i)));
    put("ge", mask(s.ge(a, b)));
    put("eq_where", mask(s.eq_where(s.ge(a, b), b, c)));
    put("le_where", mask(s.le_where(s.ge(a, c), a, b)));
    let all = s.flags(s.ge(a, s.splat(inp.lo))) == u32::MAX >> (32 - S::W);
    (out, all)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn run_avx2(s: crate::lanes::x86::Avx2, inp: &Inputs) -> (Vec<(&'static str, [u32; MAXW])>, bool) {
    run(s, inp)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn run_avx512(
    s: crate::lanes::x86::Avx512,
    inp: &Inputs,
) -> (Vec<(&'static str, [u32; MAXW])>, bool) {
    run(s, inp)
}

#[cfg(target_arch = "aarch64")]
#[target_feature(enable = "neon")]
fn run_neon(s: crate::lanes::neon::Neon, inp: &Inputs) -> (Vec<(&'static str, [u32; MAXW])>, bool) {
    run(s, inp)
}

type Runner = fn(&Inputs) -> (Vec<(&'static str, [u32; MAXW])>, bool);

/// The tokens of this CPU with the `f32` vocabulary: name, width, runner.
fn tokens() -> Vec<(&'static str, usize, Runner)> {
    #[allow(unused_mut)]
    let mut t: Vec<(&'static str, usize, Runner)> = Vec::new();
    #[cfg(target_arch = "x86_64")]
    if crate::lanes::x86::Avx2::new().is_some() {
        t.push(("avx2", 8, |inp| {
            let s = crate::lanes::x86::Avx2::new().expect("detected before");
            // SAFETY: the token exists, so AVX2 and FMA were detected.
            unsafe { run_avx2(s, inp) }
        }));
    }
    #[cfg(target_arch = "x86_64")]
    if crate::lanes::x86::Avx512::new().is_some() {
        t.push(("avx512", 16, |inp| {
            let s = crate::lanes::x86::Avx512::new().expect("detected before");
            // SAFETY: the token exists, so AVX-512F, AVX2 and FMA were detected.
            unsafe { run_avx512(s, inp) }
        }));
    }
    #[cfg(target_arch = "aarch64")]
    t.push(("neon", 4, |inp| {
        // SAFETY: NEON is part of the aarch64 baseline.
        unsafe { run_neon(crate::lanes::neon::Neon::new(), inp) }
    }));
    t
}

/// Float results are compared as NaN where both are NaN (the payload of a NaN result is not
/// specified); everything else bit for bit.
fn same(op: &str, a: u32, b: u32) -> bool {
    let float_op = matches!(op, "load_minus" | "add" | "sub" | "mul" | "div" | "fma");
    a == b || (float_op && f32::from_bits(a).is_nan() && f32::from_bits(b).is_nan())
}

#[test]
fn every_operation_matches_scalar_lane_by_lane() {
    let mut g = Gen(0x9E37_79B9_7F4A_7C15);
    for round in 0..300 {
        let inp = Inputs::new(&mut g, round);
        for (name, w, runner) in tokens() {
            let (got, all) = runner(&inp);
            let mut all_lanes = true;
            for lane in 0..w {
                let (want, one) = run(Scalar, &inp.lane(lane));
                all_lanes &= one;
                for ((op, gv), (_, wv)) in got.iter().zip(&want) {
                    assert!(
                        same(op, gv[lane], wv[0]),
                        "{name} {op}, lane {lane}: {:#010x}, scalar {:#010x} (a {:e}, b {:e}, \
                         c {:e})",
                        gv[lane],
                        wv[0],
                        inp.a[lane],
                        inp.b[lane],
                        inp.c[lane]
                    );
                }
            }
            assert_eq!(all, all_lanes, "{name} all, round {round}");
        }
    }
}

#[test]
fn scalar_operations_are_plain_arithmetic() {
    let mut g = Gen(0x2545_F491_4F6C_DD1D);
    for round in 0..3000 {
        let inp = Inputs::new(&mut g, round);
        let (a, b, c) = (inp.a[0], inp.b[0], inp.c[0]);
        let (got, _) = run(Scalar, &inp);
        let want = [
            ("add", a + b),
            ("sub", a - b),
            ("mul", a * b),
            ("div", a / b),
            ("fma", a.mul_add(b, c)),
            ("load_minus", a - inp.k),
        ];
        for (op, w) in want {
            let v = got.iter().find(|(n, _)| *n == op).expect("listed").1[0];
            assert!(same(op, v, w.to_bits()), "{op}({a:e}, {b:e}, {c:e})");
        }
    }
}

/// Every `STRIDE`-th `f32` in `[0, X_MAX]` and in `[X_MIN, -0]`.
fn sample() -> impl Iterator<Item = f32> {
    const STRIDE: usize = 4999;
    let pos = (0..=X_MAX.to_bits()).step_by(STRIDE);
    let neg = (0x8000_0000..=X_MIN.to_bits()).step_by(STRIDE);
    pos.chain(neg).map(f32::from_bits)
}

/// [`exp_pair`] of one argument: the error of `z + e` and `|e|`, relative to `z`.
fn pair_errors(x: f32) -> (f64, f64) {
    let ([z], [e]) = exp_pair(Scalar, [x]);
    let want = reference::exp_f64(f64::from(x));
    let (z, e) = (f64::from(z), f64::from(e));
    ((z + e - want).abs() / z, e.abs() / z)
}

/// The error of `z + e` the certification tolerates, relative to `z`: the margin `2^-35` less
/// the rounding of `fma(z, ±2^-35, e)` (below `2^-37.4 z`): `2^-35.3`.
const PAIR_BOUND: f64 = 2.359e-11;
/// `|e| / z` stays below `2^-14.01`, so that `e ± 2^-35 z` is below `2^-14 z` and its rounding
/// below `2^-38 z` where it is normal.
const E_BOUND: f64 = 6.05e-5;

/// The largest errors of [`pair_errors`] over `xs`.
fn worst_pair_errors(xs: impl Iterator<Item = f32>) -> (f64, f64) {
    xs.map(pair_errors)
        .fold((0.0, 0.0), |(a, b), (c, d)| (a.max(c), b.max(d)))
}

#[test]
fn pair_is_within_its_error_bound() {
    let (err, e) = worst_pair_errors(sample());
    assert!(
        err > 0.0 && err < PAIR_BOUND,
        "error {err:e}, bound {PAIR_BOUND:e}"
    );
    assert!(e < E_BOUND, "|e| / z {e:e}, bound {E_BOUND:e}");
}

/// [`pair_is_within_its_error_bound`] for every argument in `[X_MIN, X_MAX]`: the figures
/// docs/DETERMINISM.md quotes (a few minutes in release mode: `cargo test --release -p
/// detkern-kernels --lib pair_error_over_every_argument -- --ignored --nocapture`).
#[test]
#[ignore = "exhaustive: 2^31 arguments"]
fn pair_error_over_every_argument() {
    let ranges = [(0, X_MAX.to_bits()), (0x8000_0000, X_MIN.to_bits())];
    let parts = 16u32;
    let (err, e) = std::thread::scope(|scope| {
        let jobs: Vec<_> = ranges
            .iter()
            .flat_map(|&(lo, hi)| {
                let step = (hi - lo) / parts + 1;
                (0..parts).map(move |p| (lo + p * step, hi.min(lo + p * step + step - 1)))
            })
            .map(|(lo, hi)| scope.spawn(move || worst_pair_errors((lo..=hi).map(f32::from_bits))))
            .collect();
        jobs.into_iter()
            .map(|j| j.join().expect("no panic"))
            .fold((0.0f64, 0.0f64), |(a, b), (c, d)| (a.max(c), b.max(d)))
    });
    std::println!(
        "largest error of z + e: 2^{:.2} z; largest |e|: 2^{:.2} z",
        err.log2(),
        e.log2()
    );
    assert!(
        err < PAIR_BOUND,
        "error 2^{} z exceeds the bound",
        err.log2()
    );
    assert!(e < E_BOUND, "|e| 2^{} z exceeds the bound", e.log2());
}

/// [`exp32_lanes`] of one argument.
fn one(x: f32) -> (f32, bool) {
    let ([y], [ok]) = exp32_lanes(Scalar, [x]);
    (y, ok)
}

#[test]
fn certified_lanes_are_correctly_rounded() {
    let (mut n, mut flagged) = (0usize, 0usize);
    for x in sample().chain(SPECIALS) {
        let (y, ok) = one(x);
        n += 1;
        if ok {
            assert_eq!(y.to_bits(), reference::exp(x).to_bits(), "exp({x:e})");
        } else {
            flagged += 1;
        }
    }
    // The fast evaluation is what runs: it certifies all but a few lanes.
    assert!(flagged * 256 < n, "{flagged} of {n} lanes flagged");
}

/// The arguments in `[-78, 88.7]` (`|x| >= 10^-3`) whose `exp` lies nearest to an `f32`
/// rounding midpoint (within `2^-48` relative), with their correctly rounded results: found by a
/// scan of every `f32` in the range with the reference.
const HARD: [(u32, u32); 20] = [
    (0x4031_5b33, 0x417f_a47d), // 2.7711914e0
    (0x4001_b249, 0x40f2_cd14), // 2.0265067e0
    (0x3d1a_274e, 0x3f84_e8ba), // 3.763514e-2
    (0x4288_942b, 0x70b7_a4c5), // 6.828939e1
    (0x3fe6_7199, 0x40c1_a7a6), // 1.8003417e0
    (0x41cb_f87b, 0x51dc_50be), // 2.5496328e1
    (0x40dd_70cb, 0x447d_15b0), // 6.9200187e0
    (0x4034_d02b, 0x4186_ea51), // 2.8252056e0
    (0x3c97_1aaa, 0x3f82_6206), // 1.8445332e-2
    (0x3f5b_c24c, 0x4017_016b), // 8.584335e-1
    (0xc169_12cd, 0x34fd_331b), // -1.456709e1
    (0xbbf0_edf1, 0x3f7e_1fe9), // -7.3525836e-3
    (0xbae0_e25c, 0x3f7f_8fa7), // -1.7157304e-3
    (0xbc2a_461a, 0x3f7d_5a6e), // -1.039269e-2
    (0xbbb7_0ee8, 0x3f7e_92e8), // -5.5864938e-3
    (0xc13d_6631, 0x36f2_8e33), // -1.1837449e1
    (0xbcb8_f40f, 0x3f7a_48f4), // -2.2577314e-2
    (0xc078_1533, 0x3ca9_ccb8), // -3.876294e0
    (0xbfbf_a14b, 0x3e65_2588), // -1.4971098e0
    (0xbdb3_93eb, 0x3f6a_823f), // -8.7684475e-2
];

#[test]
fn hard_cases_are_flagged_or_correctly_rounded() {
    for (x, want) in HARD {
        let x = f32::from_bits(x);
        assert_eq!(reference::exp(x).to_bits(), want, "reference exp({x:e})");
        let (y, ok) = one(x);
        assert!(
            !ok || y.to_bits() == want,
            "exp({x:e}) = {y:e} certified, want {want:#x}"
        );
    }
}

#[test]
fn lanes_outside_the_range_are_flagged() {
    let outside = [
        f32::NAN,
        f32::INFINITY,
        f32::NEG_INFINITY,
        f32::MAX,
        f32::MIN,
        88.73,
        X_MIN.next_down(),
        X_MAX.next_up(),
        100.0,
        1000.0,
        -87.4,
        -104.0,
        89.0,
    ];
    for x in outside {
        assert!(!one(x).1, "exp({x:e}) certified");
    }
}

/// The driver on the paths that use it (AVX2, AVX-512, NEON): slices of many lengths with flagged
/// lanes (NaN, out of range, hard cases) in several places of several blocks, for `exp` and
/// `exp(x - m)`, against the reference.
#[test]
fn driver_matches_the_reference() {
    for isa in [crate::Isa::Avx2, crate::Isa::Avx512, crate::Isa::Neon] {
        if let Ok(path) = crate::Path::new(isa) {
            driver_matches_the_reference_on(path);
        }
    }
}

fn driver_matches_the_reference_on(path: crate::Path) {
    let mut g = Gen(0xD1B5_4A32_D192_ED03);
    for len in [0, 1, 31, 32, 33, 100, 1023, 1024, 1025, 3001] {
        let x: Vec<f32> = (0..len)
            .map(|i| match i {
                // Runs that flag whole groups: underflowing to zero, and not.
                300..500 => f32::NEG_INFINITY,
                600..700 => -200.0 - i as f32,
                800..900 => -90.0,
                _ => match g.next() % 97 {
                    0 => SPECIALS[i % SPECIALS.len()],
                    1 => f32::from_bits(HARD[i % HARD.len()].0),
                    // Out of range, -104 (the last argument set to zero) included.
                    2 => -80.0 - (i % 30) as f32,
                    _ => (g.next() >> 40) as f32 / (1u64 << 18) as f32 - 32.0,
                },
            })
            .collect();
        let mut out = std::vec![0.0f32; len];
        path.map_f32(crate::math::Function::Exp, &x, &mut out);
        for (v, o) in x.iter().zip(&out) {
            let want = reference::exp(*v);
            assert!(
                o.to_bits() == want.to_bits() || o.is_nan() && want.is_nan(),
                "exp({v:e})"
            );
        }
        let m = 3.25f32;
        path.exp_minus_f32(&x, m, &mut out);
        for (v, o) in x.iter().zip(&out) {
            let want = reference::exp(*v - m);
            assert!(
                o.to_bits() == want.to_bits() || o.is_nan() && want.is_nan(),
                "exp({v:e} - {m})"
            );
        }
    }
}
