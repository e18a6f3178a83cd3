//! The floating-point environment guard.
//!
//! detkern's bits are defined for the IEEE default environment: round-to-nearest-even, with
//! subnormal inputs and outputs kept (no flush-to-zero, no denormals-are-zero). A thread whose
//! control register says otherwise would compute other bits, so every thread that runs part of a
//! kernel calls [`check`] first and the kernel refuses to run.

use core::fmt;

/// The calling thread's floating-point control register differs from the IEEE default.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NonDefaultFpEnv {
    /// The register (`"MXCSR"` or `"FPCR"`).
    pub register: &'static str,
    /// Its raw value.
    pub value: u64,
    /// Flush-to-zero (x86 FTZ, aarch64 FZ) is set.
    pub flush_to_zero: bool,
    /// Denormals-are-zero (x86 DAZ, aarch64 FIZ/AH) is set.
    pub denormals_are_zero: bool,
    /// The rounding mode is not round-to-nearest-even.
    pub rounding: bool,
}

impl fmt::Display for NonDefaultFpEnv {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "floating-point environment of this thread is not the IEEE default ("
        )?;
        let mut sep = "";
        for (set, what) in [
            (self.flush_to_zero, "flush-to-zero"),
            (self.denormals_are_zero, "denormals-are-zero"),
            (self.rounding, "rounding mode not to-nearest"),
        ] {
            if set {
                write!(f, "{sep}{what}")?;
                sep = ", ";
            }
        }
        write!(
            f,
            "; {}={:#x}); detkern refuses to compute",
            self.register, self.value
        )
    }
}

/// Bits of the control register that define results.
#[cfg(target_arch = "x86_64")]
pub mod bits {
    /// MXCSR flush-to-zero.
    pub const FTZ: u64 = 1 << 15;
    /// MXCSR denormals-are-zero.
    pub const DAZ: u64 = 1 << 6;
    /// MXCSR rounding control (two bits).
    pub const ROUNDING: u64 = 0b11 << 13;
    /// The register's name.
    pub const REGISTER: &str = "MXCSR";
}

/// Bits of the control register that define results.
#[cfg(target_arch = "aarch64")]
pub mod bits {
    /// FPCR flush-to-zero (FZ).
    pub const FTZ: u64 = 1 << 24;
    /// FPCR flush-inputs-to-zero (FIZ) and alternate handling (AH).
    pub const DAZ: u64 = 0b11;
    /// FPCR rounding mode (RMode, two bits).
    pub const ROUNDING: u64 = 0b11 << 22;
    /// The register's name.
    pub const REGISTER: &str = "FPCR";
}

/// The calling thread's control register (MXCSR or FPCR).
#[cfg(target_arch = "x86_64")]
#[inline]
pub fn control_register() -> u64 {
    let mut csr: u32 = 0;
    // SAFETY: `stmxcsr` only stores the MXCSR (SSE is baseline on x86_64) to the given address,
    // which points to a live local u32.
    unsafe {
        core::arch::asm!("stmxcsr [{}]", in(reg) &mut csr, options(nostack, preserves_flags));
    }
    csr as u64
}

/// The calling thread's control register (MXCSR or FPCR).
#[cfg(target_arch = "aarch64")]
#[inline]
pub fn control_register() -> u64 {
    let fpcr: u64;
    // SAFETY: reading FPCR has no side effects and is allowed at EL0.
    unsafe {
        core::arch::asm!("mrs {}, fpcr", out(reg) fpcr, options(nomem, nostack, preserves_flags));
    }
    fpcr
}

/// Sets the calling thread's control register. For tests of the guard only.
///
/// # Safety
/// Code compiled by Rust assumes the default floating-point environment; the caller must restore
/// the previous value before any floating-point code that is not detkern's guard runs.
#[cfg(target_arch = "x86_64")]
pub unsafe fn set_control_register(value: u64) {
    let csr = value as u32;
    // SAFETY: `ldmxcsr` loads a valid MXCSR value (reserved bits are the caller's duty); the
    // caller accepts the changed environment per this function's contract.
    unsafe {
        core::arch::asm!("ldmxcsr [{}]", in(reg) &csr, options(nostack, preserves_flags));
    }
}

/// Sets the calling thread's control register. For tests of the guard only.
///
/// # Safety
/// Code compiled by Rust assumes the default floating-point environment; the caller must restore
/// the previous value before any floating-point code that is not detkern's guard runs.
#[cfg(target_arch = "aarch64")]
pub unsafe fn set_control_register(value: u64) {
    // SAFETY: writing FPCR is allowed at EL0; the caller accepts the changed environment per
    // this function's contract.
    unsafe {
        core::arch::asm!("msr fpcr, {}", in(reg) value, options(nomem, nostack, preserves_flags));
    }
}

/// Checks that the calling thread runs in the IEEE default floating-point environment.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
#[inline]
pub fn check() -> Result<(), NonDefaultFpEnv> {
    let value = control_register();
    let e = NonDefaultFpEnv {
        register: bits::REGISTER,
        value,
        flush_to_zero: value & bits::FTZ != 0,
        denormals_are_zero: value & bits::DAZ != 0,
        rounding: value & bits::ROUNDING != 0,
    };
    if e.flush_to_zero || e.denormals_are_zero || e.rounding {
        Err(e)
    } else {
        Ok(())
    }
}

/// Checks that the calling thread runs in the IEEE default floating-point environment. (No
/// control register is inspected on this architecture.)
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
#[inline]
pub fn check() -> Result<(), NonDefaultFpEnv> {
    Ok(())
}
