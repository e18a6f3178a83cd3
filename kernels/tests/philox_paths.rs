//! Philox word fills on every path equal the scalar block function, for every start word,
//! length and stream, including counter carries across the 32-bit boundary.

use detkern_kernels::rng::philox4x32_10;
use detkern_kernels::{Isa, Path};

fn expected(key: [u32; 2], stream: u64, first: u64, n: usize) -> Vec<u32> {
    (first..first + n as u64)
        .map(|w| {
            let b = w / 4;
            philox4x32_10(
                [
                    b as u32,
                    (b >> 32) as u32,
                    stream as u32,
                    (stream >> 32) as u32,
                ],
                key,
            )[(w % 4) as usize]
        })
        .collect()
}

#[test]
fn philox_words_match_reference_on_every_path() {
    let key = [0xdead_beef, 0x0123_4567];
    let cases: &[(u64, u64, usize)] = &[
        (0, 0, 0),
        (0, 0, 1),
        (0, 7, 3),
        (1, 1 << 40, 5),
        (3, 99, 130),
        (4, 5, 1000),
        (0, 0, 4096 + 3),
        // Block counters crossing 2^32: the high counter word must carry in every lane.
        (4 * ((1u64 << 32) - 5) + 2, u64::MAX, 300),
        (u64::MAX - 163, 3, 100),
    ];
    for isa in Isa::supported() {
        let p = Path::new(isa).unwrap();
        for &(first, stream, n) in cases {
            let mut out = vec![0u32; n];
            p.philox_words(key, stream, first, &mut out);
            assert_eq!(
                out,
                expected(key, stream, first, n),
                "{isa} first {first} stream {stream} n {n}"
            );
        }
    }
}
