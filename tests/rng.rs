//! Random numbers: known answers, an independent cross-check, rand_chacha equality, random
//! access, element indexing, thread-count and path invariance, value stability, statistics.

mod common;

use common::{configs, pools, scaled};
use detkern::rng::{
    ChaCha, ChaChaRounds, CounterRng, Philox, PhiloxRng, Stream, philox4x32_10, sincospi,
};
use detkern::{Fingerprint, algorithm};
use rand_chacha::rand_core::{RngCore, SeedableRng};

fn hex_words(line: &str) -> Vec<u32> {
    line.split_whitespace()
        .map(|w| u32::from_str_radix(w, 16).unwrap())
        .collect()
}

/// Vectors from Python's `randomgen` 2.5.1 (an independent implementation), made by
/// `tests/data/philox_randomgen.py`.
#[test]
fn philox_matches_randomgen() {
    let data = include_str!("data/philox_randomgen.txt");
    let mut n = 0;
    for line in data.lines().filter(|l| !l.starts_with('#')) {
        let w = hex_words(line);
        let got = philox4x32_10([w[0], w[1], w[2], w[3]], [w[4], w[5]]);
        assert_eq!(got, [w[6], w[7], w[8], w[9]], "{line}");
        n += 1;
    }
    assert_eq!(n, 15);
}

#[test]
fn philox_stream_layout() {
    // Word w of stream s is word w % 4 of block w / 4 with counter [w/4, 0, s low, s high].
    let g = Philox::new(0x0123_4567_89ab_cdef).with_stream(0xfeed_face_dead_beef);
    let mut words = vec![0u32; 40];
    g.words(0, &mut words);
    for (w, &v) in words.iter().enumerate() {
        let b = philox4x32_10(
            [w as u32 / 4, 0, 0xdead_beef, 0xfeed_face],
            [0x89ab_cdef, 0x0123_4567],
        );
        assert_eq!(v, b[w % 4]);
    }
}

#[test]
fn chacha_reproduces_rand_chacha_streams() {
    let seed: [u8; 32] = core::array::from_fn(|i| (i * 7 + 3) as u8);
    for rounds in [ChaChaRounds::R8, ChaChaRounds::R12, ChaChaRounds::R20] {
        for stream in [0u64, 1, 0xdead_beef_0000_0001] {
            // rand_chacha itself: its own stream selection, then sequential words.
            macro_rules! oracle {
                ($t:ty) => {{
                    let mut r = <$t>::from_seed(seed);
                    r.set_stream(stream);
                    (0..300).map(|_| r.next_u32()).collect::<Vec<u32>>()
                }};
            }
            let oracle_words = match rounds {
                ChaChaRounds::R8 => oracle!(rand_chacha::ChaCha8Rng),
                ChaChaRounds::R12 => oracle!(rand_chacha::ChaCha12Rng),
                ChaChaRounds::R20 => oracle!(rand_chacha::ChaCha20Rng),
            };
            let g = ChaCha::new(rounds, seed).with_stream(stream);
            for first in [0usize, 1, 15, 16, 17, 100] {
                let mut got = vec![0u32; 300 - first];
                g.words(first as u64, &mut got);
                assert_eq!(
                    got,
                    oracle_words[first..],
                    "{rounds:?} stream {stream} from word {first}"
                );
            }
        }
    }
}

#[test]
fn philox_rng_seek_equals_sequential() {
    let mut seq = PhiloxRng::from_seed(*b"detkern!");
    let all: Vec<u32> = (0..203).map(|_| seq.next_u32()).collect();
    for start in [0u64, 1, 3, 4, 5, 101, 200] {
        let mut r = PhiloxRng::from_seed(*b"detkern!");
        r.seek(start);
        assert_eq!(r.word_pos(), start);
        let got: Vec<u32> = (start..203).map(|_| r.next_u32()).collect();
        assert_eq!(got, all[start as usize..]);
    }
    let mut r = PhiloxRng::from_seed(*b"detkern!");
    let mut bytes = [0u8; 10];
    r.fill_bytes(&mut bytes);
    assert_eq!(&bytes[..4], &all[0].to_le_bytes());
    assert_eq!(&bytes[8..10], &all[2].to_le_bytes()[..2]);
    assert_eq!(r.next_u64(), all[3] as u64 | (all[4] as u64) << 32);
}

/// Every sampler's output, one vector per sampler, as fingerprints of their bits.
fn sampler_outputs(g: &dyn Fn() -> Philox, n: usize) -> Vec<Fingerprint> {
    let g = g();
    let mut u32s = vec![0u32; n];
    g.words(0, &mut u32s);
    let mut f32s = vec![0f32; n];
    g.fill_uniform(&mut f32s);
    let mut f64s = vec![0f64; n];
    g.fill_uniform(&mut f64s);
    let mut mask = vec![false; n];
    g.bernoulli_mask(0.3, &mut mask).unwrap();
    let mut ints = vec![0i64; n];
    g.fill_randint(-5..1_000_003, &mut ints);
    let perm = g.permutation(n);
    let mut normal = vec![0f32; n];
    g.fill_normal(&mut normal);
    let mut normal64 = vec![0f64; n];
    g.fill_normal(&mut normal64);
    let as_f64 = |v: Vec<f64>| Fingerprint::of_slice(algorithm::RNG, &v);
    vec![
        as_f64(u32s.iter().map(|&w| w as f64).collect()),
        Fingerprint::of_slice(algorithm::RNG, &f32s),
        Fingerprint::of_slice(algorithm::RNG, &f64s),
        as_f64(mask.iter().map(|&b| b as u8 as f64).collect()),
        as_f64(ints.iter().map(|&i| i as f64).collect()),
        as_f64(perm.iter().map(|&i| i as f64).collect()),
        Fingerprint::of_slice(algorithm::RNG, &normal),
        Fingerprint::of_slice(algorithm::RNG, &normal64),
    ]
}

#[test]
fn fills_are_invariant_across_paths_and_pools() {
    let n = scaled(50_000).max(20_000);
    let want = sampler_outputs(
        &|| Philox::new(7).with_stream(Stream::from_ids(&[1, 2, 3])),
        n,
    );
    for cfg in configs() {
        for (threads, pool) in pools() {
            let got = pool.install(|| {
                sampler_outputs(
                    &|| {
                        Philox::new(7)
                            .with_stream(Stream::from_ids(&[1, 2, 3]))
                            .with_config(cfg)
                    },
                    n,
                )
            });
            assert_eq!(got, want, "{} with {threads} threads", cfg.isa());
        }
    }
}

#[test]
fn element_i_depends_only_on_key_stream_and_i() {
    let g = Philox::new(99).with_stream(5);
    let mut long = vec![0f32; 70_001];
    g.fill_uniform(&mut long);
    for n in [0usize, 1, 3, 8191, 8193, 20_000] {
        let mut short = vec![0f32; n];
        g.fill_uniform(&mut short);
        assert_eq!(short, long[..n]);
    }
    let mut ints_long = vec![0i64; 30_000];
    g.fill_randint(0..10, &mut ints_long);
    let mut normal_long = vec![0f32; 30_001];
    g.fill_normal(&mut normal_long);
    for n in [1usize, 2, 7, 8193, 30_000] {
        let mut normal_short = vec![0f32; n];
        g.fill_normal(&mut normal_short);
        assert_eq!(normal_short, normal_long[..n], "normal prefix of {n}");
    }
    let mut normal64_long = vec![0f64; 30_001];
    g.fill_normal(&mut normal64_long);
    for n in [1usize, 2, 7, 511, 513, 8193, 30_000] {
        let mut normal64_short = vec![0f64; n];
        g.fill_normal(&mut normal64_short);
        assert_eq!(
            normal64_short,
            normal64_long[..n],
            "f64 normal prefix of {n}"
        );
    }
    let mut ints_short = vec![0i64; 17];
    g.fill_randint(0..10, &mut ints_short);
    assert_eq!(ints_short, ints_long[..17]);
    // Other streams and keys differ.
    let mut other = vec![0f32; 64];
    Philox::new(99).with_stream(6).fill_uniform(&mut other);
    assert_ne!(other, long[..64]);
    Philox::new(98).with_stream(5).fill_uniform(&mut other);
    assert_ne!(other, long[..64]);
}

/// Value stability: the first outputs of every sampler, as hex bit patterns. A change here is
/// value-breaking (CHANGELOG, algorithm version).
#[test]
fn value_stability() {
    let g = Philox::new(0x5eed).with_stream(Stream::from_ids(&[0, 1]));
    assert_eq!(Stream::from_ids(&[0, 1]).0, 0xdce8_8efd_2882_430d);
    let mut w = [0u32; 4];
    g.words(0, &mut w);
    assert_eq!(w, [0x6fb5_4f9f, 0xe157_8b2c, 0x4979_1661, 0xbadc_c87e]);
    let mut f = [0f32; 3];
    g.fill_uniform(&mut f);
    assert_eq!(f.map(f32::to_bits), [0x3edf_6a9e, 0x3f61_578b, 0x3e92_f22c]);
    let mut d = [0f64; 2];
    g.fill_uniform(&mut d);
    assert_eq!(
        d.map(f64::to_bits),
        [0x3fec_2af1_658d_f6a9, 0x3fe7_5b99_0fc9_2f22]
    );
    let mut m = [false; 8];
    g.bernoulli_mask(0.5, &mut m).unwrap();
    assert_eq!(m.map(|b| b as u8), [1, 0, 1, 0, 1, 0, 0, 1]);
    let mut r = [0i64; 4];
    g.fill_randint(-3..7, &mut r);
    assert_eq!(r, [5, 4, 2, -3]);
    assert_eq!(g.permutation(8), [3, 2, 6, 7, 1, 0, 4, 5]);
    let c = ChaCha::new(ChaChaRounds::R8, [1; 32]).with_stream(2);
    let mut f = [0f32; 2];
    c.fill_uniform(&mut f);
    assert_eq!(f.map(f32::to_bits), [0x3e94_f240, 0x3dc3_d238]);
    assert_eq!(sincospi(0.3).0.to_bits(), 0x3f4f_1bbd);
    let mut z = [0f32; 3];
    g.fill_normal(&mut z);
    assert_eq!(z.map(f32::to_bits), [0x3f70_ad71, 0xbf61_52c9, 0xbe4b_79ef]);
}

/// Value stability of the `f64` normal sampler (kept apart from `value_stability`, which is
/// unchanged): the first outputs as hex bit patterns, on a Philox and a ChaCha stream. A change
/// here is value-breaking (CHANGELOG, algorithm version).
#[test]
fn value_stability_normal_f64() {
    let g = Philox::new(0x5eed).with_stream(Stream::from_ids(&[0, 1]));
    let mut z = [0f64; 5];
    g.fill_normal(&mut z);
    assert_eq!(
        z.map(f64::to_bits),
        [
            0xbfb0_42e4_699d_0b2f,
            0xbfe0_08da_41ee_5298,
            0x3fee_886c_1bc0_84c0,
            0x3fe5_2638_f36b_92a9,
            0x3ff6_f4ee_d12c_b85d,
        ]
    );
    let c = ChaCha::new(ChaChaRounds::R8, [1; 32]).with_stream(2);
    let mut y = [0f64; 2];
    c.fill_normal(&mut y);
    assert_eq!(
        y.map(f64::to_bits),
        [0x3fff_6dfd_94ab_06bf, 0x3fed_42de_51e4_69ce]
    );
}

/// Distance in units in the last place between two finite `f64` of the same sign (or zeros).
fn ulps64(a: f64, b: f64) -> u64 {
    let key = |x: f64| {
        let b = x.to_bits() as i64;
        if b < 0 { i64::MIN - b } else { b }
    };
    key(a).abs_diff(key(b))
}

/// The `f64` normal sampler against exact values (mpmath at 200 bits, correctly rounded;
/// `tests/data/normal_f64_mpmath.py`, which also recomputes the Philox words): every element
/// within 1 ulp. The maximum is printed (4096 pairs: see `docs/DETERMINISM.md`).
#[test]
fn normal_f64_is_accurate_against_mpmath() {
    let data = include_str!("data/normal_f64_mpmath.txt");
    let lines: Vec<Vec<u64>> = data
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| {
            l.split_whitespace()
                .map(|w| u64::from_str_radix(w, 16).unwrap())
                .collect()
        })
        .collect();
    let g = Philox::new(0x0de7_4e11).with_stream(77);
    let mut words = vec![0u32; 4 * lines.len()];
    g.words(0, &mut words);
    let mut z = vec![0f64; 2 * lines.len()];
    g.fill_normal(&mut z);
    let (mut worst, mut exact) = (0, 0);
    for (p, l) in lines.iter().enumerate() {
        let w = &words[4 * p..];
        assert_eq!(l[0], w[0] as u64 | (w[1] as u64) << 32, "pair {p} word a");
        assert_eq!(l[1], w[2] as u64 | (w[3] as u64) << 32, "pair {p} word b");
        for k in 0..2 {
            let (got, want) = (z[2 * p + k], f64::from_bits(l[2 + k]));
            let e = ulps64(got, want);
            assert!(
                e <= 1,
                "pair {p} element {k}: {got:e} vs exact {want:e} ({e} ulp)"
            );
            worst = worst.max(e);
            exact += (e == 0) as usize;
        }
    }
    eprintln!(
        "f64 normal: max error {worst} ulp over {} values, {exact} correctly rounded",
        z.len()
    );
}

#[test]
fn statistics_of_uniform_and_samplers() {
    let n = 1 << 20;
    let g = Philox::new(2024);
    let mut u = vec![0f64; n];
    g.fill_uniform(&mut u);
    let mean = u.iter().sum::<f64>() / n as f64;
    let var = u.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / n as f64;
    assert!((mean - 0.5).abs() < 0.002, "mean {mean}");
    assert!((var - 1.0 / 12.0).abs() < 0.001, "variance {var}");
    // Chi-square over 64 buckets (63 degrees of freedom; 99.99% quantile is about 110).
    let mut buckets = [0u64; 64];
    u.iter().for_each(|&x| buckets[(x * 64.0) as usize] += 1);
    let e = n as f64 / 64.0;
    let chi2: f64 = buckets.iter().map(|&b| (b as f64 - e).powi(2) / e).sum();
    assert!(chi2 < 110.0, "chi-square {chi2}");
    let mut ints = vec![0i64; n];
    g.fill_randint(10..17, &mut ints);
    let mut counts = [0u64; 7];
    ints.iter().for_each(|&i| counts[(i - 10) as usize] += 1);
    let e = n as f64 / 7.0;
    let chi2: f64 = counts.iter().map(|&b| (b as f64 - e).powi(2) / e).sum();
    assert!(chi2 < 30.0, "randint chi-square {chi2}");
    let mut mask = vec![false; n];
    g.bernoulli_mask(0.25, &mut mask).unwrap();
    let p = mask.iter().filter(|&&b| b).count() as f64 / n as f64;
    assert!((p - 0.25).abs() < 0.002, "bernoulli frequency {p}");
    let mut z = vec![0f32; n];
    g.fill_normal(&mut z);
    let mean = z.iter().map(|&v| v as f64).sum::<f64>() / n as f64;
    let var = z.iter().map(|&v| (v as f64 - mean).powi(2)).sum::<f64>() / n as f64;
    let within_1 = z.iter().filter(|v| v.abs() < 1.0).count() as f64 / n as f64;
    let beyond_3 = z.iter().filter(|v| v.abs() > 3.0).count() as f64 / n as f64;
    assert!(
        mean.abs() < 0.005 && (var - 1.0).abs() < 0.01,
        "normal mean {mean} variance {var}"
    );
    assert!(
        (within_1 - 0.682_689).abs() < 0.003,
        "P(|z| < 1) = {within_1}"
    );
    assert!(
        (beyond_3 - 0.002_700).abs() < 0.0006,
        "P(|z| > 3) = {beyond_3}"
    );
    // Box–Muller in f64 with the platform libm agrees to within f32 rounding (a tolerance
    // check only: detkern's bits never use libm).
    let mut w = vec![0u32; 2000];
    g.words(0, &mut w);
    for p in 0..1000 {
        let u = ((w[2 * p] >> 8) + 1) as f64 / 16_777_216.0;
        let t = (w[2 * p + 1] >> 8) as f64 / 8_388_608.0;
        let r = (-2.0 * u.ln()).sqrt();
        let (a, b) = (
            r * (std::f64::consts::PI * t).cos(),
            r * (std::f64::consts::PI * t).sin(),
        );
        assert!(
            (z[2 * p] as f64 - a).abs() < 1e-6 * (1.0 + a.abs()),
            "pair {p}"
        );
        assert!(
            (z[2 * p + 1] as f64 - b).abs() < 1e-6 * (1.0 + b.abs()),
            "pair {p}"
        );
    }
    // The f64 sampler: moments, tail frequencies and a chi-square over the ten equiprobable
    // intervals of the standard normal (deciles z_k; 9 degrees of freedom, 99.99% quantile
    // about 33.7).
    let mut z = vec![0f64; n];
    g.fill_normal(&mut z);
    let mean = z.iter().sum::<f64>() / n as f64;
    let var = z.iter().map(|&v| (v - mean).powi(2)).sum::<f64>() / n as f64;
    let within_1 = z.iter().filter(|v| v.abs() < 1.0).count() as f64 / n as f64;
    let beyond_3 = z.iter().filter(|v| v.abs() > 3.0).count() as f64 / n as f64;
    assert!(
        mean.abs() < 0.005 && (var - 1.0).abs() < 0.01,
        "f64 normal mean {mean} variance {var}"
    );
    assert!(
        (within_1 - 0.682_689).abs() < 0.003,
        "f64 P(|z| < 1) = {within_1}"
    );
    assert!(
        (beyond_3 - 0.002_700).abs() < 0.0006,
        "f64 P(|z| > 3) = {beyond_3}"
    );
    let deciles = [
        -1.281_551_565_5,
        -0.841_621_233_6,
        -0.524_400_512_7,
        -0.253_347_103_1,
        0.0,
        0.253_347_103_1,
        0.524_400_512_7,
        0.841_621_233_6,
        1.281_551_565_5,
    ];
    let mut counts = [0u64; 10];
    z.iter()
        .for_each(|&v| counts[deciles.iter().filter(|&&d| v >= d).count()] += 1);
    let e = n as f64 / 10.0;
    let chi2: f64 = counts.iter().map(|&b| (b as f64 - e).powi(2) / e).sum();
    assert!(chi2 < 33.7, "f64 normal decile chi-square {chi2}");
    let perm = g.permutation(100_000);
    let mut seen = vec![false; perm.len()];
    perm.iter().for_each(|&i| seen[i] = true);
    assert!(seen.iter().all(|&s| s), "a permutation");
    assert!(
        perm.iter().enumerate().filter(|(i, p)| i == *p).count() < 20,
        "few fixed points"
    );
}

#[test]
fn invalid_arguments_are_errors() {
    let g = Philox::new(1);
    let mut m = [false; 4];
    let e = g.bernoulli_mask(1.5, &mut m).unwrap_err();
    assert!(e.to_string().contains("1.5"), "{e}");
    assert!(g.bernoulli_mask(f64::NAN, &mut m).is_err());
    let mut r = [0i64; 2];
    let e = g.try_fill_randint(5..5, &mut r).unwrap_err();
    assert!(e.to_string().contains("5..5"), "{e}");
    g.fill_randint(i64::MIN..i64::MAX, &mut r);
}

#[test]
fn sincospi_special_values() {
    assert_eq!(sincospi(0.0), (0.0, 1.0));
    assert_eq!(sincospi(0.5), (1.0, 0.0));
    assert_eq!(sincospi(1.0).1, -1.0);
    assert_eq!(sincospi(-1.0).0.to_bits(), (-0.0f32).to_bits());
    assert_eq!(sincospi(1.5).1.to_bits(), 0.0f32.to_bits());
    assert_eq!(sincospi(0.25).0, std::f32::consts::FRAC_1_SQRT_2);
    assert_eq!(sincospi(1e30), (0.0, 1.0));
    assert!(sincospi(f32::NAN).0.is_nan() && sincospi(f32::INFINITY).1.is_nan());
    // Close to the true values everywhere (platform libm is fine in a tolerance check).
    for i in -4000..4000 {
        let x = i as f32 * 0.000_731;
        let (s, c) = sincospi(x);
        let a = std::f64::consts::PI * x as f64;
        assert!(
            (s as f64 - a.sin()).abs() < 1.2e-7 && (c as f64 - a.cos()).abs() < 1.2e-7,
            "{x}"
        );
    }
}

/// Long word requests run as parallel tasks: on every pool and path, from an unaligned first
/// word, they equal the stream computed block by block.
#[test]
fn long_philox_word_requests_equal_the_blocks_on_every_pool() {
    let n = scaled(100_003).max(70_001);
    let first = 7u64;
    let g = Philox::new(0xfeed).with_stream(5);
    let want: Vec<u32> = (first..first + n as u64)
        .map(|w| g.block(w / 4)[(w % 4) as usize])
        .collect();
    for cfg in configs() {
        for (threads, pool) in pools() {
            let mut got = vec![0u32; n];
            pool.install(|| g.with_config(cfg).words(first, &mut got));
            assert!(got == want, "{} with {threads} threads", cfg.isa());
        }
    }
}

#[test]
fn long_chacha_word_requests_equal_rand_chacha_on_every_pool() {
    let n = scaled(100_003).max(70_001);
    let first = 5u64;
    let seed = [9u8; 32];
    let mut oracle = rand_chacha::ChaCha8Rng::from_seed(seed);
    oracle.set_stream(3);
    oracle.set_word_pos(first as u128);
    let want: Vec<u32> = (0..n).map(|_| oracle.next_u32()).collect();
    let g = ChaCha::new(ChaChaRounds::R8, seed).with_stream(3);
    for (threads, pool) in pools() {
        let mut got = vec![0u32; n];
        pool.install(|| g.words(first, &mut got));
        assert!(got == want, "ChaCha8 with {threads} threads");
    }
}
