//! The version and the hook arguments stated outside Cargo.toml agree with
//! it: the pre-commit shim's pin on the wheel, the README's `rev:`, and the
//! arguments every hook passes.

use std::path::PathBuf;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn the_pre_commit_shim_pins_this_version_of_the_wheel() {
    let shim = read("pyproject.toml");
    assert!(
        shim.contains(&format!("\nversion = \"{VERSION}\"\n")),
        "{shim}"
    );
    assert!(
        shim.contains(&format!("dependencies = [\"policy-lint=={VERSION}\"]")),
        "{shim}"
    );
    let wheel = read("policy-lint-cli/pyproject.toml");
    assert!(wheel.contains("name = \"policy-lint\"") && wheel.contains("bindings = \"bin\""));
}

#[test]
fn the_readme_points_pre_commit_at_this_version() {
    let readme = read("README.md");
    let revs: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.trim().strip_prefix("rev: "))
        .filter_map(|rest| rest.split_whitespace().next())
        .collect();
    assert!(!revs.is_empty());
    for rev in revs {
        assert_eq!(rev, format!("v{VERSION}"));
    }
}

#[test]
fn every_hook_passes_file_names_after_a_double_dash() {
    let hooks = read(".pre-commit-hooks.yaml");
    let ids = hooks.matches("- id: ").count();
    assert_eq!(ids, 2);
    assert_eq!(
        hooks.matches("  args: [--ignore-unknown, --]\n").count(),
        ids,
        "{hooks}"
    );
}
