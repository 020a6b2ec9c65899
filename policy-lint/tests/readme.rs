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

/// Checks that `doc` holds `want` between the markers `begin` and `end`,
/// or writes it there when `UPDATE_README` is set.
fn generated_block(doc: &str, (begin, end): (&str, &str), want: &str, what: &str) {
    let path = common::repo_root().join(doc);
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("read {doc}: {e}"));
    let start = text.find(begin).expect("begin marker") + begin.len();
    let stop = text.find(end).expect("end marker");
    let want = format!("\n{want}");
    if text[start..stop] == want {
        return;
    }
    if std::env::var_os("UPDATE_README").is_some() {
        let updated = format!("{}{want}{}", &text[..start], &text[stop..]);
        std::fs::write(&path, updated).unwrap_or_else(|e| panic!("write {doc}: {e}"));
        return;
    }
    panic!(
        "the {what} of {doc} is stale; refresh it with\n  \
         UPDATE_README=1 cargo test -p policy-lint --test readme\nexpected:\n{want}"
    );
}

#[test]
fn readme_rules_table_is_generated_from_the_registry() {
    generated_block("docs/rules.md", (BEGIN, END), &table(), "rules table");
}

const INTEGRATIONS_BEGIN: &str = "<!-- integrations:begin -->";
const INTEGRATIONS_END: &str = "<!-- integrations:end -->";

/// A catalogue condition as the table shows it.
fn condition(c: &policy_lint::model::aws::catalog::TerraformCondition) -> String {
    use policy_lint::model::aws::catalog::ConditionTest;
    let (_, attribute) = c.attribute.split_once('.').expect("type.attribute");
    let values = c
        .values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let test = match c.test {
        ConditionTest::NotEmpty => "not empty".to_string(),
        ConditionTest::GreaterThan => format!("> {}", c.value.unwrap_or_default()),
        ConditionTest::In => format!("in {values}"),
        ConditionTest::NotIn => format!("not in {values}"),
        ConditionTest::Like => format!("like {values}"),
        ConditionTest::NotLike => format!("not like {values}"),
    };
    let absent = if c.if_absent { " (or unset)" } else { "" };
    format!("`{attribute}` {test}{absent}")
}

/// The table of integrations: one row per built-in catalogue entry that a
/// Terraform attribute links, with when it applies, its principal and its
/// documentation.
fn integrations_table() -> String {
    let catalogue = &policy_lint::model::aws::catalog::BUILTIN_CATALOGUE;
    let mut out = String::from(
        "| integration (catalogue id) | Terraform attribute | when | principal | documentation |\n\
         |---|---|---|---|---|\n",
    );
    for e in &catalogue.entries {
        if e.usage.terraform_attributes.is_empty() {
            continue;
        }
        let attributes = e
            .usage
            .terraform_attributes
            .iter()
            .map(|a| format!("`{a}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let when = e
            .usage
            .terraform_when
            .iter()
            .map(condition)
            .collect::<Vec<_>>()
            .join("; ");
        let page = e
            .docs_url
            .rsplit('/')
            .next()
            .unwrap_or_default()
            .replace(".html", "")
            .replace('#', " #");
        out.push_str(&format!(
            "| `{}` | {attributes} | {when} | `{}` | [{page}]({}) |\n",
            e.id,
            e.service_principal,
            e.docs_url.replace('|', "%7C")
        ));
    }
    out
}

/// The table of integrations in docs/checks.md is generated from the
/// catalogue; refresh it with
/// `UPDATE_README=1 cargo test -p policy-lint --test readme`.
#[test]
fn integrations_table_is_generated_from_the_catalogue() {
    let table = integrations_table();
    assert!(table.lines().count() > 25, "{table}");
    generated_block(
        "docs/checks.md",
        (INTEGRATIONS_BEGIN, INTEGRATIONS_END),
        &table,
        "integrations table",
    );
}

/// Every AWS CLI output of the built-in catalogue is a row of the table of
/// commands (docs/checks.md): its command, role field and entry.
#[test]
fn cli_outputs_table_lists_every_command() {
    let checks = std::fs::read_to_string(common::repo_root().join("docs/checks.md"))
        .expect("read docs/checks.md");
    let catalogue = &policy_lint::model::aws::catalog::BUILTIN_CATALOGUE;
    let mut outputs = 0;
    for e in &catalogue.entries {
        for o in &e.usage.cli_outputs {
            outputs += 1;
            let cells = [&o.command, &o.role_arn, &e.id].map(|c| format!("`{c}`"));
            assert!(
                checks
                    .lines()
                    .any(|l| l.starts_with("| ") && cells.iter().all(|c| l.contains(c.as_str()))),
                "docs/checks.md has no CLI output row for {cells:?}"
            );
        }
    }
    assert!(outputs >= 10, "{outputs}");
}
