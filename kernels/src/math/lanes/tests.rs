//! Lane-by-lane tests of every token's `f64` math vocabulary: each operation of each supported
//! token, lane `i` against the one-lane `Scalar` implementation on lane `i`'s inputs, and
//! `Scalar` against plain Rust arithmetic.

extern crate std;
use super::MathLanes;
use crate::path::Token;
use crate::test_gen::Gen;
use crate::{Isa, Path};
use std::vec::Vec;

const MAXW: usize = 8;

/// One register's worth of inputs (lane `i` of every operand is element `i`).
#[derive(Clone, Copy)]
struct Inputs {
    a: [f64; MAXW],
    b: [f64; MAXW],
    c: [f64; MAXW],
    /// Bit patterns for the integer operations (passed through `bits_to_f64`).
    i: [u64; MAXW],
    j: [u64; MAXW],
    f: [f32; MAXW],
    /// Operands the same in every lane: `m` of `load_f32_minus`, the bounds of `clamp`
    /// (`lo <= hi`, not NaN), the values of `splat` and `splat_i`, the shift count.
    m: f32,
    lo: f64,
    hi: f64,
    k: f64,
    ki: u64,
    shift: u32,
}

impl Inputs {
    /// The inputs of lane `k` moved to lane 0 (what the one-lane path sees).
    fn lane(&self, k: usize) -> Inputs {
        let rot = |v: &[f64; MAXW]| core::array::from_fn(|n| v[(n + k) % MAXW]);
        let rot_u = |v: &[u64; MAXW]| core::array::from_fn(|n| v[(n + k) % MAXW]);
        Inputs {
            a: rot(&self.a),
            b: rot(&self.b),
            c: rot(&self.c),
            i: rot_u(&self.i),
            j: rot_u(&self.j),
            f: core::array::from_fn(|n| self.f[(n + k) % MAXW]),
            ..*self
        }
    }
}

/// The bits of every operation's result, lane by lane (masks as 1.0 / 0.0 through `select`).
#[derive(Debug, Default)]
struct Outputs {
    width: usize,
    lanes: Vec<(&'static str, [u64; MAXW])>,
    any: bool,
}

const TABLE128: [f64; 128] = {
    let mut t = [0.0; 128];
    let mut k = 0;
    while k < 128 {
        t[k] = k as f64 * 1.25 - 7.0;
        k += 1;
    }
    t
};

const TABLE16: [u64; 16] = {
    let mut t = [0u64; 16];
    let mut k = 0;
    while k < 16 {
        t[k] = 0x0123_4567_89ab_cdefu64.rotate_left(4 * k as u32) ^ k as u64;
        k += 1;
    }
    t
};

#[inline(always)]
fn run<S: MathLanes>(s: S, inp: &Inputs) -> Outputs {
    let (a, b, c) = (
        s.test_load_f64(&inp.a),
        s.test_load_f64(&inp.b),
        s.test_load_f64(&inp.c),
    );
    let i = s.to_bits(s.test_load_f64(&inp.i.map(f64::from_bits)));
    let j = s.to_bits(s.test_load_f64(&inp.j.map(f64::from_bits)));
    let mut out = Outputs {
        width: S::W,
        ..Outputs::default()
    };
    let mut put = |name: &'static str, v: S::V| {
        let mut d = [0.0f64; MAXW];
        s.test_store_f64(v, &mut d);
        out.lanes.push((name, d.map(f64::to_bits)));
    };
    let mask = |m: S::M| s.select(m, s.splat(1.0), s.splat(0.0));
    let ints = |v: S::I| s.bits_to_f64(v);

    put("load_f64/store_f64", a);
    put("load_f32", s.load_f32(&inp.f));
    put("load_f32_minus", s.load_f32_minus(&inp.f, inp.m));
    let mut narrow = [0.0f32; MAXW];
    s.store_f32(a, &mut narrow);
    put("store_f32", s.test_load_f64(&narrow.map(f64::from)));
    put("round_f32", s.round_f32(a));
    put("splat", s.splat(inp.k));
    put("add", s.add(a, b));
    put("sub", s.sub(a, b));
    put("mul", s.mul(a, b));
    put("div", s.div(a, b));
    put("fma", s.fma(a, b, c));
    put("lt", mask(s.lt(a, b)));
    put("eq", mask(s.eq(a, b)));
    put("and_m", mask(s.and_m(s.lt(a, b), s.lt(b, c))));
    put("clamp", s.clamp(a, s.splat(inp.lo), s.splat(inp.hi)));
    put("select", s.select(s.lt(a, b), a, c));
    let any = s.any(s.lt(a, b));
    put("to_bits/bits_to_f64", ints(s.to_bits(a)));
    put("splat_i", ints(s.splat_i(inp.ki)));
    put("add_i", ints(s.add_i(i, j)));
    put("sub_i", ints(s.sub_i(i, j)));
    put("and_i", ints(s.and_i(i, j)));
    put("or_i", ints(s.or_i(i, j)));
    put("shl_i", ints(s.shl_i(i, inp.shift)));
    put("shr_i", ints(s.shr_i(i, inp.shift)));
    put("zero_in", mask(s.zero_in(i, j)));
    put("gather", s.gather(&TABLE128, i));
    put("lookup16", ints(s.lookup16(&TABLE16, i)));
    out.any = any;
    out
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn run_avx2(s: crate::lanes::x86::Avx2, inp: &Inputs) -> Outputs {
    run(s, inp)
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx512f,avx2,fma")]
fn run_avx512(s: crate::lanes::x86::Avx512, inp: &Inputs) -> Outputs {
    run(s, inp)
}

#[cfg(target_arch = "aarch64")]
#[target_feature(enable = "neon")]
fn run_neon(s: crate::lanes::neon::Neon, inp: &Inputs) -> Outputs {
    run(s, inp)
}

fn run_on(path: Path, inp: &Inputs) -> Outputs {
    match path.0 {
        Token::Scalar(s) => run(s, inp),
        #[cfg(target_arch = "x86_64")]
        Token::Sse2(s) => run(s, inp),
        // SAFETY: an `Avx2` token is created only after AVX2 and FMA were detected.
        #[cfg(target_arch = "x86_64")]
        Token::Avx2(s) => unsafe { run_avx2(s, inp) },
        // SAFETY: an `Avx512` token is created only after AVX-512F, AVX2 and FMA were detected.
        #[cfg(target_arch = "x86_64")]
        Token::Avx512(s) => unsafe { run_avx512(s, inp) },
        // SAFETY: NEON is part of the aarch64 baseline (and detected when the token is made).
        #[cfg(target_arch = "aarch64")]
        Token::Neon(s) => unsafe { run_neon(s, inp) },
    }
}

const SPECIALS: [f64; 14] = [
    0.0,
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
    1.0 / (1u128 << 126) as f64,
    3.4028235677973366e38,
    0.1,
];

fn inputs(g: &mut Gen, round: usize) -> Inputs {
    let mut f64s = || -> [f64; MAXW] {
        core::array::from_fn(|_| {
            let r = g.next();
            match round % 3 {
                0 => SPECIALS[(r % SPECIALS.len() as u64) as usize],
                // Values of ordinary size, where sums and products do not overflow.
                1 => f64::from_bits(0x3f00_0000_0000_0000 + (r % 0x0200_0000_0000_0000)),
                _ => f64::from_bits(r),
            }
        })
    };
    let (a, b, c) = (f64s(), f64s(), f64s());
    let mut words = || -> [u64; MAXW] { core::array::from_fn(|_| g.next() >> (g.next() % 64)) };
    let (i, j) = (words(), words());
    let f = core::array::from_fn(|_| {
        let r = g.next();
        if r.is_multiple_of(5) {
            SPECIALS[(r >> 8) as usize % SPECIALS.len()] as f32
        } else {
            f32::from_bits(r as u32)
        }
    });
    let bound = |r: u64| match SPECIALS[(r % SPECIALS.len() as u64) as usize] {
        v if v.is_nan() => -2.5,
        v => v,
    };
    let (p, q) = (bound(g.next()), bound(g.next()));
    Inputs {
        a,
        b,
        c,
        i,
        j,
        f,
        m: f32::from_bits(g.next() as u32),
        lo: p.min(q),
        hi: p.max(q),
        k: f64::from_bits(g.next()),
        ki: g.next(),
        shift: (g.next() % 64) as u32,
    }
}

/// Results equal bit for bit, or both NaN (NaN payloads are outside the guarantee).
fn same(x: u64, y: u64) -> bool {
    x == y || (f64::from_bits(x).is_nan() && f64::from_bits(y).is_nan())
}

#[test]
fn every_token_matches_scalar_lane_by_lane() {
    let mut g = Gen(0x9e37_79b9_7f4a_7c15);
    let scalar = Path::scalar();
    let mut ran = Vec::new();
    for isa in Isa::supported() {
        let path = Path::new(isa).unwrap();
        for round in 0..3000 {
            let inp = inputs(&mut g, round);
            let got = run_on(path, &inp);
            let w = got.width;
            let mut any = false;
            for k in 0..w {
                let one = run_on(scalar, &inp.lane(k));
                assert_eq!(one.width, 1);
                any |= one.any;
                for ((name, lanes), (_, want)) in got.lanes.iter().zip(&one.lanes) {
                    assert!(
                        same(lanes[k], want[0]),
                        "{isa} {name} lane {k}: {:#018x} vs scalar {:#018x}; a={:e} b={:e} \
                         c={:e} i={:#x} j={:#x} f={:e} m={:e} shift={}",
                        lanes[k],
                        want[0],
                        inp.a[k],
                        inp.b[k],
                        inp.c[k],
                        inp.i[k],
                        inp.j[k],
                        inp.f[k],
                        inp.m,
                        inp.shift,
                    );
                }
            }
            assert_eq!(got.any, any, "{isa} any");
        }
        ran.push(isa);
    }
    std::println!("math lane vocabulary checked on: {ran:?}");
}

#[test]
fn scalar_matches_plain_arithmetic() {
    let mut g = Gen(0x2545_f491_4f6c_dd1d);
    for round in 0..20000 {
        let inp = inputs(&mut g, round);
        let o = run_on(Path::scalar(), &inp);
        let (a, b, c, f, m) = (inp.a[0], inp.b[0], inp.c[0], inp.f[0], inp.m);
        let (i, j, n) = (inp.i[0], inp.j[0], inp.shift);
        let flag = |t: bool| if t { 1.0f64 } else { 0.0 }.to_bits();
        let (lo, hi) = (inp.lo, inp.hi);
        let clamp = if a < lo {
            lo
        } else if hi < a {
            hi
        } else {
            a
        };
        let want: [(&str, u64); 27] = [
            ("load_f64/store_f64", a.to_bits()),
            ("load_f32", f64::from(f).to_bits()),
            ("load_f32_minus", f64::from(f - m).to_bits()),
            ("store_f32", f64::from(a as f32).to_bits()),
            ("round_f32", f64::from(a as f32).to_bits()),
            ("splat", inp.k.to_bits()),
            ("add", (a + b).to_bits()),
            ("sub", (a - b).to_bits()),
            ("mul", (a * b).to_bits()),
            ("div", (a / b).to_bits()),
            ("fma", a.mul_add(b, c).to_bits()),
            ("lt", flag(a < b)),
            ("eq", flag(a == b)),
            ("and_m", flag(a < b && b < c)),
            ("clamp", clamp.to_bits()),
            ("select", if a < b { a } else { c }.to_bits()),
            ("to_bits/bits_to_f64", a.to_bits()),
            ("splat_i", inp.ki),
            ("add_i", i.wrapping_add(j)),
            ("sub_i", i.wrapping_sub(j)),
            ("and_i", i & j),
            ("or_i", i | j),
            ("shl_i", i << n),
            ("shr_i", i >> n),
            ("zero_in", flag(i & j == 0)),
            ("gather", TABLE128[(i & 127) as usize].to_bits()),
            ("lookup16", TABLE16[(i & 15) as usize]),
        ];
        assert_eq!(o.lanes.len(), 27, "every operation is listed");
        assert_eq!(o.any, a < b);
        for ((name, got), (wname, want)) in o.lanes.iter().zip(want.iter()) {
            assert_eq!(name, wname);
            assert!(
                same(got[0], *want),
                "scalar {name}: {:#018x} vs {want:#018x} (a={a:e} b={b:e} c={c:e} i={i:#x} \
                 j={j:#x} f={f:e} m={m:e} n={n})",
                got[0]
            );
        }
    }
}
