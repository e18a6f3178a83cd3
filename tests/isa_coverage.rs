//! ISA-coverage proof for the CI matrix (`.ci/run`).
//!
//! Every CI run sets `DETKERN_EXPECT_ISAS` to the comma-separated list of paths that the (real or
//! emulated) CPU must offer, e.g. `scalar,sse2` under `qemu-x86_64 -cpu Nehalem` or
//! `scalar,sse2,avx2,avx512` natively. The test fails unless that list is exactly the set of paths
//! this CPU supports (a missing path means the run silently lost coverage; an extra one means the
//! emulated CPU is not the one the matrix claims to test), and unless each listed path can be
//! forced with [`Config::new`] and computes a sum with the bits of the scalar path.
//!
//! Without `DETKERN_EXPECT_ISAS` the test only prints the supported paths, so `cargo test` works
//! anywhere. `.ci/run` reads the line `detkern-isa-coverage: ... result=ok|FAILED` for its
//! summary (run the test with `--nocapture` to see it).

use detkern::{Config, Isa};

fn names(isas: &[Isa]) -> String {
    isas.iter().map(|i| i.name()).collect::<Vec<_>>().join(",")
}

/// An input with cancellation and a tail that is not a multiple of any lane count, long enough to
/// span several chunks.
fn input() -> Vec<f32> {
    (0..20_011u32)
        .map(|i| {
            let x = ((i.wrapping_mul(2_654_435_761) >> 8) as f32) / 16_777_216.0 - 0.5;
            if i % 3 == 0 { x * 1e6 } else { x }
        })
        .collect()
}

/// Forces `isa` and sums [`input`] on it; the bits must equal the scalar path's.
fn run_on(isa: Isa) -> Result<(), String> {
    let x = input();
    let want = Config::new(Isa::Scalar)
        .map_err(|e| format!("Config::new(scalar): {e}"))?
        .try_sum(&x[..])
        .map_err(|e| format!("sum on scalar: {e}"))?;
    let config = Config::new(isa).map_err(|e| format!("Config::new({isa}): {e}"))?;
    if config.isa() != isa {
        return Err(format!("Config::new({isa}) runs on {}", config.isa()));
    }
    let got = config
        .try_sum(&x[..])
        .map_err(|e| format!("sum on {isa}: {e}"))?;
    if got.to_bits() != want.to_bits() {
        return Err(format!(
            "sum on {isa} = {got:e} ({:#010x}), scalar gives {want:e} ({:#010x})",
            got.to_bits(),
            want.to_bits()
        ));
    }
    Ok(())
}

#[test]
fn expected_isas_are_supported_and_run() {
    let supported: Vec<Isa> = Isa::supported().collect();
    println!("supported ISA paths: {}", names(&supported));

    let expected = match std::env::var("DETKERN_EXPECT_ISAS") {
        Ok(v) if !v.trim().is_empty() => v,
        _ => {
            println!("DETKERN_EXPECT_ISAS is not set: nothing to check");
            return;
        }
    };

    let mut failures = Vec::new();
    let mut listed = Vec::new();
    for name in expected.split(',').map(str::trim).filter(|s| !s.is_empty()) {
        match name.parse::<Isa>() {
            Ok(isa) if !listed.contains(&isa) => listed.push(isa),
            Ok(_) => {}
            Err(e) => failures.push(format!("DETKERN_EXPECT_ISAS: {name:?}: {e}")),
        }
    }

    let mut ran = Vec::new();
    for &isa in &listed {
        if !supported.contains(&isa) {
            failures.push(format!(
                "expected path {isa} is not supported by this CPU (supported: {})",
                names(&supported)
            ));
            continue;
        }
        match run_on(isa) {
            Ok(()) => ran.push(isa),
            Err(e) => failures.push(e),
        }
    }
    for &isa in &supported {
        if !listed.contains(&isa) {
            failures.push(format!(
                "this CPU supports {isa}, which DETKERN_EXPECT_ISAS={expected:?} does not list \
                 (is the emulated CPU the intended one?)"
            ));
        }
    }

    println!(
        "\ndetkern-isa-coverage: expected={} supported={} ran={} result={}",
        names(&listed),
        names(&supported),
        names(&ran),
        if failures.is_empty() { "ok" } else { "FAILED" }
    );
    assert!(
        failures.is_empty(),
        "ISA coverage check failed:\n  {}",
        failures.join("\n  ")
    );
}

/// The process default honours `DETKERN_ISA` / `DETKERN_REQUIRE_ISA` as CI sets them.
#[test]
fn process_default_follows_environment() {
    let require = std::env::var("DETKERN_REQUIRE_ISA").is_ok_and(|v| v == "1");
    let forced = std::env::var("DETKERN_ISA")
        .ok()
        .filter(|s| !s.trim().is_empty());
    let default = Config::process_default();
    println!(
        "DETKERN_ISA={forced:?} DETKERN_REQUIRE_ISA={require}: process default {:?}",
        default.as_ref().map(Config::isa)
    );
    match forced.as_deref().map(str::parse::<Isa>) {
        None => assert_eq!(default.expect("process default").isa(), Isa::best()),
        Some(Ok(isa)) if isa.is_supported() => {
            assert_eq!(default.expect("process default").isa(), isa)
        }
        Some(Ok(_)) if require => assert!(default.is_err(), "unsupported forced path accepted"),
        Some(Ok(_)) => assert_eq!(default.expect("process default").isa(), Isa::best()),
        Some(Err(_)) => assert!(default.is_err(), "unknown DETKERN_ISA accepted"),
    }
}
