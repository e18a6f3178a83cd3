//! The machine-readable report: `report.json` (schema `detkern-report-v1`).
//!
//! Top level: `schema`, `mode`, `git_revision`, `started_unix`, `wall_s`, `machine`
//! (`cpu_model`, `arch`, `cores`, `features`, `isas`, `load_start`, `load_end`), `versions`
//! (crate → version), `notes`, `determinism` (`ok` and the list of mismatches) and `rows`. Each
//! row: `workload`, `size`, `key`, `contestant`, `isa` (null for peers), `threads`, `work`
//! (`kind`, `amount`), `fingerprint`, and, for timed runs, `median_s`, `min_s`, `max_s`,
//! `samples`, `iters`, `throughput`, `unit`, `ratio_to_fastest_peer`.

use super::{Machine, Report, Row, Stats, Work};
use serde_json::{Value, json};

/// The schema tag written into and required from every report.
pub const SCHEMA: &str = "detkern-report-v1";

/// The report as JSON.
pub fn to_json(report: &Report) -> Value {
    let m = &report.machine;
    let rows: Vec<Value> = report
        .rows
        .iter()
        .map(|r| {
            let mut v = json!({
                "workload": r.workload,
                "size": r.size,
                "key": r.key(),
                "contestant": r.contestant,
                "isa": r.isa,
                "threads": r.threads,
                "work": { "kind": r.work.kind(), "amount": r.work.amount() },
                "fingerprint": r.fingerprint,
            });
            if let Some(s) = r.stats {
                let o = v.as_object_mut().expect("object");
                o.insert("median_s".into(), json!(s.median_s));
                o.insert("min_s".into(), json!(s.min_s));
                o.insert("max_s".into(), json!(s.max_s));
                o.insert("samples".into(), json!(s.samples));
                o.insert("iters".into(), json!(s.iters));
                o.insert("throughput".into(), json!(r.throughput()));
                o.insert("unit".into(), json!(r.work.unit()));
                o.insert(
                    "ratio_to_fastest_peer".into(),
                    json!(report.ratio_to_fastest_peer(r)),
                );
            }
            v
        })
        .collect();
    let mismatches: Vec<Value> = report
        .mismatches()
        .into_iter()
        .map(|mm| {
            json!({
                "key": mm.key,
                "cells": mm.cells.iter().map(|(label, threads, fp)| json!({
                    "contestant": label, "threads": threads, "fingerprint": fp
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({
        "schema": SCHEMA,
        "mode": report.mode,
        "git_revision": report.git_revision,
        "started_unix": report.started_unix,
        "wall_s": report.wall_s,
        "machine": {
            "cpu_model": m.cpu_model,
            "arch": m.arch,
            "cores": m.cores,
            "features": m.features,
            "isas": m.isas,
            "load_start": m.load_start,
            "load_end": m.load_end,
        },
        "versions": report.versions,
        "notes": report.notes,
        "determinism": { "ok": mismatches.is_empty(), "mismatches": mismatches },
        "rows": rows,
    })
}

fn str_of(v: &Value, key: &str) -> String {
    v.get(key).and_then(Value::as_str).unwrap_or("").to_string()
}

fn strings(v: &Value, key: &str) -> Vec<String> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a report written by [`to_json`]. An error names what is missing.
pub fn from_json(v: &Value) -> Result<Report, String> {
    if v.get("schema").and_then(Value::as_str) != Some(SCHEMA) {
        return Err(format!("not a {SCHEMA} report (schema field)"));
    }
    let m = v.get("machine").ok_or("no machine")?;
    let machine = Machine {
        cpu_model: str_of(m, "cpu_model"),
        arch: str_of(m, "arch"),
        cores: m.get("cores").and_then(Value::as_u64).unwrap_or(0) as usize,
        features: strings(m, "features"),
        isas: strings(m, "isas"),
        load_start: str_of(m, "load_start"),
        load_end: str_of(m, "load_end"),
    };
    let versions = v
        .get("versions")
        .and_then(Value::as_object)
        .map(|o| {
            o.iter()
                .map(|(k, x)| (k.clone(), x.as_str().unwrap_or("").to_string()))
                .collect()
        })
        .unwrap_or_default();
    let mut rows = Vec::new();
    for (i, r) in v
        .get("rows")
        .and_then(Value::as_array)
        .ok_or("no rows")?
        .iter()
        .enumerate()
    {
        let num = |k: &str| r.get(k).and_then(Value::as_f64);
        let work = r.get("work").ok_or(format!("row {i}: no work"))?;
        let work = Work::from_kind(
            &str_of(work, "kind"),
            work.get("amount").and_then(Value::as_f64).unwrap_or(0.0),
        )
        .ok_or(format!("row {i}: unknown work kind"))?;
        let stats = match (num("median_s"), num("min_s"), num("max_s")) {
            (Some(median_s), Some(min_s), Some(max_s)) => Some(Stats {
                median_s,
                min_s,
                max_s,
                samples: num("samples").unwrap_or(0.0) as usize,
                iters: num("iters").unwrap_or(0.0) as u64,
            }),
            _ => None,
        };
        let fingerprint = str_of(r, "fingerprint");
        if fingerprint.is_empty() {
            return Err(format!("row {i}: no fingerprint"));
        }
        rows.push(Row {
            workload: str_of(r, "workload"),
            size: str_of(r, "size"),
            contestant: str_of(r, "contestant"),
            isa: r.get("isa").and_then(Value::as_str).map(str::to_string),
            threads: num("threads").unwrap_or(0.0) as usize,
            work,
            fingerprint,
            stats,
        });
    }
    Ok(Report {
        mode: str_of(v, "mode"),
        machine,
        git_revision: str_of(v, "git_revision"),
        versions,
        started_unix: v.get("started_unix").and_then(Value::as_u64).unwrap_or(0),
        wall_s: v.get("wall_s").and_then(Value::as_f64).unwrap_or(0.0),
        notes: strings(v, "notes"),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let report = Report {
            mode: "quick".into(),
            git_revision: "abc".into(),
            machine: Machine {
                cpu_model: "cpu".into(),
                features: vec!["avx2".into()],
                ..Machine::default()
            },
            versions: [("faer".to_string(), "0.22.6".to_string())].into(),
            rows: vec![
                Row {
                    workload: "sum_f32".into(),
                    size: "4KiB".into(),
                    contestant: "detkern".into(),
                    isa: Some("avx2".into()),
                    threads: 2,
                    work: Work::Bytes(4096.0),
                    fingerprint: "00ff".into(),
                    stats: Some(Stats {
                        median_s: 1e-6,
                        min_s: 0.9e-6,
                        max_s: 2e-6,
                        samples: 5,
                        iters: 100,
                    }),
                },
                Row {
                    workload: "sum_f32".into(),
                    size: "4KiB".into(),
                    contestant: "peer".into(),
                    isa: None,
                    threads: 1,
                    work: Work::Bytes(4096.0),
                    fingerprint: "11ee".into(),
                    stats: None,
                },
            ],
            ..Report::default()
        };
        let text = serde_json::to_string_pretty(&to_json(&report)).unwrap();
        let back = from_json(&serde_json::from_str(&text).unwrap()).unwrap();
        assert_eq!(back, report);
    }
}
