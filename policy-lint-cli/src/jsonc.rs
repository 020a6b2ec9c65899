//! JSON with comments (JSONC: `tsconfig.json`, `.vscode/settings.json`):
//! files of other tools that a pre-commit hook names along with policies.
//!
//! With `--ignore-unknown`, a file that does not parse and holds a comment
//! outside its strings is taken for JSONC and passes quietly. No cloud API
//! accepts a comment in a policy, so no policy is hidden this way that
//! could have been deployed; a policy with any other syntax error (a
//! trailing comma, a missing quote) still fails.

use policy_lint::LintResult;

/// Removes the JSON001 findings of files that are JSONC.
pub fn drop_syntax_errors(result: &mut LintResult) {
    let files = &result.files;
    result.diagnostics.retain(|d| {
        d.code() != "JSON001"
            || !files
                .get(d.primary.file.0 as usize)
                .is_some_and(|f| has_comment(f.text().as_bytes()))
    });
}

/// Whether `text` holds `//` or `/*` outside a string.
fn has_comment(text: &[u8]) -> bool {
    let mut in_string = false;
    let mut escaped = false;
    let mut previous_slash = false;
    for &b in text {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'/' | b'*' if previous_slash => return true,
            _ => {}
        }
        previous_slash = b == b'/';
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_found_outside_strings_only() {
        assert!(has_comment(b"{\n  // a\n  \"k\": 1\n}"));
        assert!(has_comment(b"{\"k\": 1 /* b */}"));
        assert!(!has_comment(b"{\"url\": \"https://x/*\"}"));
        assert!(!has_comment(b"{\"k\": \"a\\\"//\"}"));
        assert!(!has_comment(b"{\"k\": 1,}"));
        assert!(has_comment(
            b"{\"k\": \"\\\\\"} // after an escaped backslash"
        ));
    }
}
