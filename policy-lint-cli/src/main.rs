//! `policy-lint`: the command line; the code is in this package's library.
fn main() -> std::process::ExitCode {
    policy_lint_cli::main()
}
