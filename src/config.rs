//! Which instruction-set path the kernels run on.

use crate::Error;
use detkern_kernels::{Isa, Path};
use std::sync::OnceLock;

/// The execution configuration that entry points carry into every task they spawn.
///
/// It selects the instruction-set path; the result never depends on it (all paths give the same
/// bits), only the speed does. The free functions ([`crate::sum`], …) use
/// [`Config::process_default`]; tests and benchmarks force a path with [`Config::new`], which is
/// scoped to the calls made through that value (rayon workers receive it explicitly, not
/// through thread-local state).
///
/// ```
/// use detkern::{Config, Isa};
/// let scalar = Config::new(Isa::Scalar)?;
/// let x = [1.0f32, 2.0, 3.0];
/// assert_eq!(scalar.sum(&x).to_bits(), Config::best().sum(&x).to_bits());
/// # Ok::<(), detkern::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Config {
    pub(crate) path: Path,
}

impl Config {
    /// A configuration forcing `isa`; an error if this CPU cannot run it (never a fallback).
    pub fn new(isa: Isa) -> Result<Config, Error> {
        Path::new(isa)
            .map(|path| Config { path })
            .map_err(|e| Error::UnsupportedIsa { isa: e.0 })
    }

    /// The fastest path this CPU supports.
    pub fn best() -> Config {
        Config { path: Path::best() }
    }

    /// The process default: the path named by the environment variable `DETKERN_ISA`
    /// (`scalar`, `sse2`, `avx2`, `avx512`, `neon`), else the fastest supported path.
    ///
    /// If `DETKERN_ISA` names a path this CPU lacks, the fastest path is used with a warning on
    /// stderr, unless `DETKERN_REQUIRE_ISA=1`, which makes it an error for every kernel call.
    /// Read once per process.
    pub fn process_default() -> Result<Config, Error> {
        static DEFAULT: OnceLock<Result<Config, Error>> = OnceLock::new();
        DEFAULT
            .get_or_init(|| {
                let require = std::env::var("DETKERN_REQUIRE_ISA").is_ok_and(|v| v == "1");
                Config::from_env_values(std::env::var("DETKERN_ISA").ok().as_deref(), require)
            })
            .clone()
    }

    /// The process-default rule applied to given values of `DETKERN_ISA` and
    /// `DETKERN_REQUIRE_ISA=1`.
    pub fn from_env_values(isa: Option<&str>, require: bool) -> Result<Config, Error> {
        let Some(name) = isa.filter(|s| !s.trim().is_empty()) else {
            return Ok(Config::best());
        };
        let isa: Isa = name.parse().map_err(|_| Error::UnknownIsa {
            value: name.to_string(),
        })?;
        match Config::new(isa) {
            Ok(c) => Ok(c),
            Err(e) if require => Err(e),
            Err(e) => {
                let best = Config::best();
                eprintln!(
                    "detkern: {e}; using {} instead (set DETKERN_REQUIRE_ISA=1 to fail)",
                    best.isa()
                );
                Ok(best)
            }
        }
    }

    /// The instruction set this configuration runs on.
    pub fn isa(&self) -> Isa {
        self.path.isa()
    }
}

/// The process default, for the free functions.
pub(crate) fn process_default() -> Result<Config, Error> {
    Config::process_default()
}
