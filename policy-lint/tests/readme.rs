//! The rules table (docs/rules.md) is generated from the registry; this test
//! fails when it is stale. Refresh it with
//! `UPDATE_README=1 cargo test -p policy-lint --test readme`.

mod common;

use policy_lint::rules::ALL;

const BEGIN: &str = "<!-- rules:begin -->";
const END: &str = "<!-- rules:end -->";

/// The table: one row per rule, in registry order.
fn table() -> String {
    let mut out = String::from("| code | name | default | what it finds |\n|---|---|---|---|\n");
    for r in ALL {
        let m = r.meta();
        let name = match m.url {
            Some(url) => format!("[`{}`]({url})", m.name),
            None => format!("`{}`", m.name),
        };
        out.push_str(&format!(
            "| {} | {name} | {} | {} |\n",
            m.code,
            m.default_severity,
            m.summary.replace('|', "\\|")
        ));
    }
    out
}

#[test]
fn readme_rules_table_is_generated_from_the_registry() {
    let path = common::repo_root().join("docs/rules.md");
    let readme = std::fs::read_to_string(&path).expect("docs/rules.md");
    let start = readme.find(BEGIN).expect("rules:begin marker") + BEGIN.len();
    let end = readme.find(END).expect("rules:end marker");
    let want = format!("\n{}", table());
    if readme[start..end] == want {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{want}{}", &readme[..start], &readme[end..]);
        std::fs::write(&path, updated).expect("write docs/rules.md");
        return;
    }
    panic!(
        "the rules table of docs/rules.md is stale; refresh it with\n  \
         UPDATE_README=1 cargo test -p policy-lint --test readme\nexpected:\n{want}"
    );
}

/// Every built-in catalogue entry that a Terraform attribute links is a row
/// of the table of integrations (docs/checks.md), with its attributes and its
/// documentation link.
#[test]
fn integrations_table_lists_every_catalogue_entry() {
    let readme = std::fs::read_to_string(common::repo_root().join("docs/checks.md"))
        .expect("read docs/checks.md");
    let catalogue = &policy_lint::model::aws::catalog::BUILTIN_CATALOGUE;
    assert!(catalogue.entries.len() >= 9, "{}", catalogue.entries.len());
    for e in &catalogue.entries {
        let row = readme
            .lines()
            .find(|l| l.starts_with("| ") && l.contains(&format!("`{}`", e.id)))
            .unwrap_or_else(|| panic!("docs/checks.md has no integration row for `{}`", e.id));
        assert!(row.contains(&e.docs_url), "{}: docs {}", e.id, e.docs_url);
        assert!(
            row.contains(&format!("`{}`", e.service_principal)),
            "{}",
            e.id
        );
        for attr in &e.usage.terraform_attributes {
            let (_, attribute) = attr.split_once('.').expect("type.attribute");
            assert!(row.contains(attribute), "{}: {attr}", e.id);
        }
    }
}
