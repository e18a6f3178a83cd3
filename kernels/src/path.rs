//! A verified instruction-set path and the dispatch of kernels onto it.

use crate::isa::Isa;
use crate::lanes::Lanes;
use core::fmt;

/// An instruction-set path that the running CPU was seen to support. Holding a `Path` is the
/// proof that its kernels may run.
#[derive(Clone, Copy, Debug)]
pub struct Path(pub(crate) Token);

/// The token of a supported path (each variant's token proves support).
#[derive(Clone, Copy, Debug)]
pub(crate) enum Token {
    Scalar(crate::lanes::Scalar),
    #[cfg(target_arch = "x86_64")]
    Sse2(crate::lanes::x86::Sse2),
    #[cfg(target_arch = "x86_64")]
    Avx2(crate::lanes::x86::Avx2),
    #[cfg(target_arch = "x86_64")]
    Avx512(crate::lanes::x86::Avx512),
    #[cfg(target_arch = "aarch64")]
    Neon(crate::lanes::neon::Neon),
}

/// The CPU lacks the instructions of the requested path.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unsupported(pub Isa);

impl fmt::Display for Unsupported {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "this CPU does not support the {} path", self.0)
    }
}

impl Path {
    /// The path for `isa`, if this CPU supports it.
    pub fn new(isa: Isa) -> Result<Path, Unsupported> {
        let token = match isa {
            Isa::Scalar => Some(Token::Scalar(crate::lanes::Scalar)),
            #[cfg(target_arch = "x86_64")]
            Isa::Sse2 => Some(Token::Sse2(crate::lanes::x86::Sse2::new())),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 => crate::lanes::x86::Avx2::new().map(Token::Avx2),
            #[cfg(target_arch = "x86_64")]
            Isa::Avx512 => crate::lanes::x86::Avx512::new().map(Token::Avx512),
            #[cfg(target_arch = "aarch64")]
            Isa::Neon => Some(Token::Neon(crate::lanes::neon::Neon::new())),
            #[allow(unreachable_patterns)]
            _ => None,
        };
        token.map(Path).ok_or(Unsupported(isa))
    }

    /// The fastest path of this CPU.
    pub fn best() -> Path {
        Path::new(Isa::best()).unwrap_or(Path::scalar())
    }

    /// The portable scalar path (always available).
    pub const fn scalar() -> Path {
        Path(Token::Scalar(crate::lanes::Scalar))
    }

    /// Which instruction set this path uses.
    pub const fn isa(self) -> Isa {
        match self.0 {
            Token::Scalar(_) => Isa::Scalar,
            #[cfg(target_arch = "x86_64")]
            Token::Sse2(_) => Isa::Sse2,
            #[cfg(target_arch = "x86_64")]
            Token::Avx2(_) => Isa::Avx2,
            #[cfg(target_arch = "x86_64")]
            Token::Avx512(_) => Isa::Avx512,
            #[cfg(target_arch = "aarch64")]
            Token::Neon(_) => Isa::Neon,
        }
    }
}

impl PartialEq for Path {
    fn eq(&self, other: &Self) -> bool {
        self.isa() == other.isa()
    }
}
impl Eq for Path {}

/// A kernel body written once over the lane vocabulary; [`dispatch!`] runs it on a path.
pub trait Kernel<T: Copy> {
    type Out;
    fn run<S: Lanes<T>>(self, s: S) -> Self::Out;
}

/// Compiles a kernel body with the instruction set of a token enabled.
pub(crate) mod enable {
    use super::Kernel;
    use crate::lanes::Lanes;

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    pub(crate) fn avx2<T: Copy, S: Lanes<T>, K: Kernel<T>>(s: S, k: K) -> K::Out {
        k.run(s)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx2,fma")]
    pub(crate) fn avx512<T: Copy, S: Lanes<T>, K: Kernel<T>>(s: S, k: K) -> K::Out {
        k.run(s)
    }

    #[cfg(target_arch = "aarch64")]
    #[target_feature(enable = "neon")]
    pub(crate) fn neon<T: Copy, S: Lanes<T>, K: Kernel<T>>(s: S, k: K) -> K::Out {
        k.run(s)
    }
}

/// Runs kernel `$k` on path `$path`; expanded where the element type is concrete, so every
/// token's `Lanes` implementation is known.
macro_rules! dispatch {
    ($path:expr, $k:expr) => {{
        use $crate::path::{Token, enable};
        match $path.0 {
            Token::Scalar(s) => $crate::path::Kernel::run($k, s),
            // SSE2 is part of the x86_64 baseline: no extra target feature is needed.
            #[cfg(target_arch = "x86_64")]
            Token::Sse2(s) => $crate::path::Kernel::run($k, s),
            // SAFETY: an `Avx2` token is created only after AVX2 and FMA were detected.
            #[cfg(target_arch = "x86_64")]
            Token::Avx2(s) => unsafe { enable::avx2(s, $k) },
            // SAFETY: an `Avx512` token is created only after AVX-512F, AVX2 and FMA were detected.
            #[cfg(target_arch = "x86_64")]
            Token::Avx512(s) => unsafe { enable::avx512(s, $k) },
            // SAFETY: NEON is part of the aarch64 baseline (and detected when the token is made).
            #[cfg(target_arch = "aarch64")]
            Token::Neon(s) => unsafe { enable::neon(s, $k) },
        }
    }};
}
pub(crate) use dispatch;
