//! Instruction-set paths, their detection and their names.

use core::fmt;
use core::str::FromStr;

/// One implementation path of every kernel. All paths give identical bits; they differ only in
/// speed and in which CPUs can run them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Isa {
    /// Portable scalar code (one lane per operation, software fused multiply-add). Runs everywhere.
    Scalar,
    /// x86_64 SSE2 (the x86_64 baseline); fused multiply-add by exact software emulation.
    Sse2,
    /// x86_64 AVX2 with hardware FMA.
    Avx2,
    /// x86_64 AVX-512F (with AVX2 and FMA, which its code also uses).
    Avx512,
    /// aarch64 Advanced SIMD (NEON).
    Neon,
}

impl Isa {
    /// Every path this crate knows, in order from slowest to fastest on its architecture.
    pub const ALL: [Isa; 5] = [Isa::Scalar, Isa::Sse2, Isa::Avx2, Isa::Avx512, Isa::Neon];

    /// The name used by `DETKERN_ISA` and in reports.
    pub const fn name(self) -> &'static str {
        match self {
            Isa::Scalar => "scalar",
            Isa::Sse2 => "sse2",
            Isa::Avx2 => "avx2",
            Isa::Avx512 => "avx512",
            Isa::Neon => "neon",
        }
    }

    /// Whether the CPU this runs on can execute this path (detected at run time with the `std`
    /// feature, from compile-time target features without it).
    pub fn is_supported(self) -> bool {
        match self {
            Isa::Scalar => true,
            Isa::Sse2 => cfg!(target_arch = "x86_64"),
            Isa::Avx2 => detect::avx2_fma(),
            Isa::Avx512 => detect::avx512_avx2_fma(),
            Isa::Neon => cfg!(target_arch = "aarch64"),
        }
    }

    /// The paths this CPU supports, slowest first.
    pub fn supported() -> impl Iterator<Item = Isa> {
        Isa::ALL.into_iter().filter(|isa| isa.is_supported())
    }

    /// The fastest path this CPU supports.
    pub fn best() -> Isa {
        Isa::supported().last().unwrap_or(Isa::Scalar)
    }
}

impl fmt::Display for Isa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no [`Isa`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownIsa;

impl fmt::Display for UnknownIsa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("unknown ISA name; expected one of scalar, sse2, avx2, avx512, neon")
    }
}

impl FromStr for Isa {
    type Err = UnknownIsa;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Isa::ALL
            .into_iter()
            .find(|isa| isa.name().eq_ignore_ascii_case(s.trim()))
            .ok_or(UnknownIsa)
    }
}

#[cfg(target_arch = "x86_64")]
mod detect {
    #[cfg(feature = "std")]
    pub fn avx2_fma() -> bool {
        std::is_x86_feature_detected!("avx2") && std::is_x86_feature_detected!("fma")
    }
    #[cfg(feature = "std")]
    pub fn avx512_avx2_fma() -> bool {
        std::is_x86_feature_detected!("avx512f") && avx2_fma()
    }
    #[cfg(not(feature = "std"))]
    pub fn avx2_fma() -> bool {
        cfg!(all(target_feature = "avx2", target_feature = "fma"))
    }
    #[cfg(not(feature = "std"))]
    pub fn avx512_avx2_fma() -> bool {
        cfg!(target_feature = "avx512f") && avx2_fma()
    }
}

#[cfg(not(target_arch = "x86_64"))]
mod detect {
    pub fn avx2_fma() -> bool {
        false
    }
    pub fn avx512_avx2_fma() -> bool {
        false
    }
}
