//! The real-world GCP corpus (`../shared/corpus/gcp`: 130 instances, 80 IAM
//! policies of many projects and resources, 15 CAI exports): no GCP error but
//! the documented ones (`.ci/corpus-expected-errors`, as the corpus check),
//! and no instance is ever linked to a policy of another project. Skipped
//! when the corpus is not there.

mod common;

use std::path::PathBuf;

use policy_lint::documents::ParsedFile;
use policy_lint::model::Model;
use policy_lint::model::gcp::{Link, PolicyTarget};
use policy_lint::source::FileId;
use policy_lint::{Input, Linter, Options, Severity};

fn corpus_files() -> Vec<PathBuf> {
    let dir = common::repo_root().join("../shared/corpus/gcp");
    let mut files = Vec::new();
    for sub in ["instances", "iam-policy", "cai"] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else {
            continue;
        };
        files.extend(entries.map(|e| e.expect("entry").path()));
    }
    files.sort();
    files
}

#[test]
fn gcp_corpus_has_no_errors_and_no_cross_project_links() {
    let files = corpus_files();
    if files.is_empty() {
        eprintln!("skipped: ../shared/corpus/gcp not found");
        return;
    }
    let inputs: Vec<Input> = files
        .iter()
        .map(|f| Input::new(f.display().to_string(), std::fs::read(f).expect("read")))
        .collect();
    let parsed: Vec<ParsedFile> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| {
            ParsedFile::parse(FileId(i as u32), &input.name, &input.bytes, true, None)
        })
        .collect();
    let model = Model::build(&parsed);
    let gcp = &model.gcp;
    assert!(
        gcp.facts.instances.len() >= 130,
        "{}",
        gcp.facts.instances.len()
    );
    assert!(
        gcp.facts.policies.len() >= 80,
        "{}",
        gcp.facts.policies.len()
    );
    for (inst, link, _) in gcp.instances() {
        if let Link::Linked { policies } = link {
            for &p in policies {
                let target = &gcp.facts.policies[p].target;
                assert!(
                    matches!(target, PolicyTarget::Project(k) if Some(k) == inst.project.as_ref()),
                    "{} linked to a policy of {target:?}",
                    inst.name
                );
            }
        }
    }
    // The corpus's intentionally wrong inputs (test fixtures of other tools)
    // are true errors, documented where the corpus check reads them.
    let expected = std::fs::read_to_string(common::repo_root().join(".ci/corpus-expected-errors"))
        .expect("read .ci/corpus-expected-errors");
    let is_expected = |file: &str, code: &str| {
        let base = file.rsplit('/').next().unwrap_or(file);
        expected
            .lines()
            .any(|l| l.starts_with(&format!("{base}\t{code}\t")))
    };
    let result = Linter::new(Options::default()).lint(inputs);
    let errors: Vec<_> = result
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .filter(|d| !is_expected(result.files[d.primary.file.0 as usize].name(), d.code()))
        .map(|d| format!("{} {}", d.code(), d.message))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
}
