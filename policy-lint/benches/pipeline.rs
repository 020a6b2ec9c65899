//! Criterion benchmarks of the pipeline stages: parse, detection, and the
//! whole lint of each kind of document, on the shared corpus (when present
//! next to the repository, `../shared/corpus`) and on a generated one-line
//! Terraform plan. Run with `cargo bench -p policy-lint`.

use std::path::{Path, PathBuf};

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use policy_lint::documents::detect_kind;
use policy_lint::json::parse;
use policy_lint::{Input, Linter};

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus")
}

/// Name and files of each kind of input: corpus folders, or the fixtures
/// when the corpus is not there.
fn groups() -> Vec<(String, Vec<(String, String)>)> {
    let read = |dir: &Path| -> Vec<(String, String)> {
        policy_lint_bench::json_files(dir)
            .into_iter()
            .filter_map(|p| {
                let text = std::fs::read_to_string(&p).ok()?;
                Some((p.to_string_lossy().into_owned(), text))
            })
            .collect()
    };
    let root = corpus();
    let mut out: Vec<(String, Vec<(String, String)>)> = if root.is_dir() {
        [
            "aws-managed",
            "aws-trust",
            "aws-examples",
            "gcp/instances",
            "gcp/iam-policy",
            "gcp/cai",
            "terraform-plan",
        ]
        .iter()
        .map(|d| (d.replace('/', "-"), read(&root.join(d))))
        .collect()
    } else {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        vec![("fixtures".to_string(), read(&fixtures))]
    };
    out.push((
        "plan-1mb-one-line".to_string(),
        vec![(
            "plan.json".to_string(),
            policy_lint_bench::plan(1_000_000, 0),
        )],
    ));
    out.retain(|(_, files)| !files.is_empty());
    out
}

fn bytes(files: &[(String, String)]) -> u64 {
    files.iter().map(|(_, t)| t.len() as u64).sum()
}

fn benches(c: &mut Criterion) {
    let groups = groups();
    let mut parse_group = c.benchmark_group("parse");
    for (name, files) in &groups {
        parse_group.throughput(Throughput::Bytes(bytes(files)));
        parse_group.bench_function(name.as_str(), |b| {
            b.iter(|| files.iter().filter(|(_, t)| parse(t).is_ok()).count());
        });
    }
    parse_group.finish();

    let mut detect_group = c.benchmark_group("detect");
    for (name, files) in &groups {
        let roots: Vec<_> = files.iter().filter_map(|(_, t)| parse(t).ok()).collect();
        detect_group.throughput(Throughput::Elements(roots.len() as u64));
        detect_group.bench_function(name.as_str(), |b| {
            b.iter(|| {
                roots
                    .iter()
                    .filter(|r| detect_kind(r.root()).is_some())
                    .count()
            });
        });
    }
    detect_group.finish();

    let mut lint_group = c.benchmark_group("lint");
    lint_group.sample_size(20);
    let linter = Linter::default();
    for (name, files) in &groups {
        lint_group.throughput(Throughput::Bytes(bytes(files)));
        lint_group.bench_function(name.as_str(), |b| {
            b.iter(|| {
                let inputs = files
                    .iter()
                    .map(|(n, t)| Input::new(n.as_str(), t.as_bytes()))
                    .collect();
                linter.lint(inputs).diagnostics.len()
            });
        });
    }
    lint_group.finish();
}

criterion_group!(pipeline, benches);
criterion_main!(pipeline);
