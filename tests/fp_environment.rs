//! The floating-point environment guard: a thread with flush-to-zero, denormals-are-zero or a
//! non-default rounding mode makes every kernel refuse, on the calling thread and on rayon
//! workers alike.
#![cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]

use detkern::Error;
use detkern_kernels::fpenv::{bits, control_register, set_control_register};

/// Runs `f` with `extra` bits set in this thread's control register, restoring it afterwards.
/// `f` must do no floating-point work of its own (only call detkern, which refuses first).
fn with_bits<R>(extra: u64, f: impl FnOnce() -> R) -> R {
    let saved = control_register();
    // SAFETY: restored below before any other floating-point code of this thread runs; `f`
    // only calls detkern entry points, whose first action is the guard.
    unsafe { set_control_register(saved | extra) };
    let r = f();
    // SAFETY: restores the saved, default environment.
    unsafe { set_control_register(saved) };
    r
}

fn small() -> Vec<f32> {
    (0..1000).map(|i| i as f32).collect()
}

#[test]
fn default_environment_is_accepted() {
    assert!(detkern_kernels::fpenv::check().is_ok());
    assert!(detkern::try_sum(&small()).is_ok());
}

#[test]
fn flush_to_zero_is_refused_on_the_calling_thread() {
    let x = small();
    let got = with_bits(bits::FTZ, || detkern::try_sum(&x));
    match got {
        Err(Error::FpEnv(e)) => assert!(e.flush_to_zero && !e.rounding, "{e}"),
        other => panic!("expected an FpEnv error, got {other:?}"),
    }
    let got = with_bits(bits::FTZ, || detkern::try_dot(&x, &x));
    assert!(matches!(got, Err(Error::FpEnv(_))), "{got:?}");
    let got = with_bits(bits::FTZ, || detkern::try_max(&x));
    assert!(matches!(got, Err(Error::FpEnv(_))), "{got:?}");
    // The empty sum is refused too: no path may return a value in a wrong environment.
    let got = with_bits(bits::FTZ, || detkern::try_sum::<f32>(&[]));
    assert!(matches!(got, Err(Error::FpEnv(_))), "{got:?}");
}

#[test]
fn denormals_are_zero_and_rounding_modes_are_refused() {
    let x = small();
    for extra in [
        bits::DAZ,
        bits::ROUNDING & (bits::ROUNDING >> 1),
        bits::ROUNDING,
    ] {
        let (register, got) = with_bits(extra, || (control_register(), detkern::try_sum(&x)));
        if register & extra == 0 {
            // The CPU ignores these bits (aarch64 FIZ/AH without FEAT_AFP read as zero), so the
            // environment stayed the default one: nothing to refuse, and the sum must succeed.
            assert!(got.is_ok(), "bits {extra:#x} ignored by the CPU: {got:?}");
            continue;
        }
        assert!(
            matches!(got, Err(Error::FpEnv(_))),
            "bits {extra:#x}: {got:?}"
        );
    }
}

#[test]
fn plain_form_panics_with_a_clear_message() {
    let x = small();
    let saved = control_register();
    let r = std::panic::catch_unwind(|| with_bits(bits::FTZ, || detkern::sum(&x)));
    // SAFETY: the panic unwound out of `with_bits` before it could restore the register.
    unsafe { set_control_register(saved) };
    let msg = *r.expect_err("sum must panic").downcast::<String>().unwrap();
    assert!(
        msg.contains("detkern::sum") && msg.contains("flush-to-zero"),
        "{msg}"
    );
}

#[test]
fn rayon_workers_with_flush_to_zero_are_refused() {
    // The calling thread is in the default environment; the pool's workers are not.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .start_handler(|_| {
            // SAFETY: these worker threads run only detkern entry points in this test, which
            // refuse before doing floating-point work.
            unsafe { set_control_register(control_register() | bits::FTZ) }
        })
        .build()
        .unwrap();
    let big: Vec<f32> = (0..64 * 4096).map(|i| (i % 97) as f32).collect();
    let got = pool.install(|| detkern::try_sum(&big));
    assert!(matches!(got, Err(Error::FpEnv(_))), "{got:?}");
    // And in a healthy pool the same call succeeds.
    let healthy = rayon::ThreadPoolBuilder::new()
        .num_threads(3)
        .build()
        .unwrap();
    assert!(healthy.install(|| detkern::try_sum(&big)).is_ok());
}
