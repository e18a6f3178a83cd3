//! The Philox4x32-10 block function (Salmon et al., "Parallel random numbers: as easy as
//! 1, 2, 3", SC'11; Random123 `philox4x32_R` with R = 10).

/// Multiplier of the first word pair.
pub const PHILOX_M0: u32 = 0xD251_1F53;
/// Multiplier of the second word pair.
pub const PHILOX_M1: u32 = 0xCD9E_8D57;
/// Weyl increment of the first key word (golden ratio).
pub const PHILOX_W0: u32 = 0x9E37_79B9;
/// Weyl increment of the second key word (sqrt(3) - 1).
pub const PHILOX_W1: u32 = 0xBB67_AE85;

/// One Philox4x32 round.
#[inline(always)]
fn round(c: [u32; 4], k: [u32; 2]) -> [u32; 4] {
    let p0 = PHILOX_M0 as u64 * c[0] as u64;
    let p1 = PHILOX_M1 as u64 * c[2] as u64;
    let (hi0, lo0) = ((p0 >> 32) as u32, p0 as u32);
    let (hi1, lo1) = ((p1 >> 32) as u32, p1 as u32);
    [hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0]
}

/// The Philox4x32-10 block function: ten rounds, the key bumped by the Weyl increments before
/// rounds 2 to 10. Matches the Random123 known-answer vectors and C++26 `std::philox4x32`.
#[inline]
pub fn philox4x32_10(counter: [u32; 4], key: [u32; 2]) -> [u32; 4] {
    let mut c = counter;
    let mut k = key;
    for r in 0..10 {
        if r > 0 {
            k = [k[0].wrapping_add(PHILOX_W0), k[1].wrapping_add(PHILOX_W1)];
        }
        c = round(c, k);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Random123 1.14 `tests/kat_vectors`, the three `philox4x32 10` lines
    /// (columns: counter[4], key[2], expected[4]).
    #[test]
    fn random123_known_answers() {
        let kat: [([u32; 4], [u32; 2], [u32; 4]); 3] = [
            (
                [0; 4],
                [0; 2],
                [0x6627e8d5, 0xe169c58d, 0xbc57ac4c, 0x9b00dbd8],
            ),
            (
                [u32::MAX; 4],
                [u32::MAX; 2],
                [0x408f276d, 0x41c83b0e, 0xa20bc7c6, 0x6d5451fd],
            ),
            (
                [0x243f6a88, 0x85a308d3, 0x13198a2e, 0x03707344],
                [0xa4093822, 0x299f31d0],
                [0xd16cfe09, 0x94fdcceb, 0x5001e420, 0x24126ea1],
            ),
        ];
        for (ctr, key, want) in kat {
            assert_eq!(
                philox4x32_10(ctr, key),
                want,
                "counter {ctr:08x?} key {key:08x?}"
            );
        }
    }

    /// C++26 [rand.predef]: "The 10000th consecutive invocation of a default-constructed object
    /// of type philox4x32 produces the value 1955073260" (default seed 20111115 is key word 0;
    /// the 128-bit counter starts at 0 and each block's four words are returned in order, as
    /// corrected by LWG 4134).
    #[test]
    fn cpp26_philox4x32_10000th_value() {
        let invocation = 10_000u64 - 1; // zero-based word index
        let block = invocation / 4;
        let ctr = [block as u32, (block >> 32) as u32, 0, 0];
        let words = philox4x32_10(ctr, [20_111_115, 0]);
        assert_eq!(words[(invocation % 4) as usize], 1_955_073_260);
    }
}
