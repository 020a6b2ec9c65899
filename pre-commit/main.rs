//! `policy-lint-pre-commit`: the policy-lint CLI for pre-commit (see `.pre-commit-hooks.yaml`).
fn main() -> std::process::ExitCode {
    policy_lint_cli::main()
}
