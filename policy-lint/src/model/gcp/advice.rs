//! Fix texts shared by the GCP rules, so no two findings give contradictory
//! advice: a scope 403 is fixed with the narrow scope or a dedicated account
//! with `cloud-platform`, never by giving the default account `cloud-platform`.

use super::facts::{AccountRef, Instance};
use super::tables::{Capability, SCOPE_PREFIX, SCOPES};

/// The short form of a scope URL (`devstorage.read_write`).
pub fn short_scope(url: &str) -> &str {
    url.strip_prefix(SCOPE_PREFIX).unwrap_or(url)
}

/// `--zone Z ` when the instance's selfLink names its zone.
fn zone_flag(inst: &Instance) -> String {
    let zone = inst.self_link.as_deref().and_then(|l| {
        let mut parts = l.split('/');
        while let Some(p) = parts.next() {
            if p == "zones" {
                return parts.next();
            }
        }
        None
    });
    zone.map(|z| format!(" --zone {z}")).unwrap_or_default()
}

/// How to let the instance's scopes allow `cap`.
pub fn scope_fix(inst: &Instance, cap: Capability) -> String {
    let narrow = SCOPES.narrowest(cap);
    let mut wanted: Vec<&str> = inst
        .scopes
        .iter()
        .map(|s| SCOPES.gcloud_spelling(&s.value))
        .collect();
    wanted.push(SCOPES.gcloud_spelling(narrow));
    let command = match (&inst.kind, &inst.account) {
        (super::facts::InstanceKind::Instance, AccountRef::Email(email)) => format!(
            ". With gcloud, stop the VM, then run `gcloud compute instances set-service-account {}{} --service-account={email} --scopes={}` (`--scopes` replaces the whole list)",
            inst.name,
            zone_flag(inst),
            wanted.join(",")
        ),
        _ => String::new(),
    };
    let alias = SCOPES.gcloud_spelling(narrow);
    let alias = if alias == narrow {
        String::new()
    } else {
        format!(" (gcloud alias `{alias}`)")
    };
    let narrow_part = format!("add the scope `{narrow}`{alias}");
    if inst.account.is_default_compute() {
        format!(
            "{narrow_part}, or attach a dedicated service account with the `cloud-platform` scope and only the roles the workload needs; do not give the default compute service account `cloud-platform` (GCP003){command}"
        )
    } else {
        format!(
            "{narrow_part}, or, since this is a dedicated service account, use the `cloud-platform` scope and let its least-privilege IAM roles decide (Google's recommended setup){command}"
        )
    }
}

/// The email to put after `serviceAccount:` in a gcloud command.
pub fn member_email(inst: &Instance, resolved: Option<&str>) -> String {
    match (&inst.account, resolved) {
        (AccountRef::Email(e), _) => e.clone(),
        (_, Some(r)) if !r.starts_with("default-") => r.to_string(),
        (AccountRef::TerraformRef(r), _) => r.clone(),
        _ => "PROJECT_NUMBER-compute@developer.gserviceaccount.com".to_string(),
    }
}

/// The project id for a gcloud command.
pub fn project_arg(inst: &Instance) -> String {
    inst.project
        .as_ref()
        .map_or_else(|| "PROJECT_ID".to_string(), |p| p.as_str().to_string())
}

/// Levenshtein distance, for did-you-mean.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != *cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// The closest of `candidates` to `s` within `max` edits.
pub fn closest<'a>(
    s: &str,
    candidates: impl Iterator<Item = &'a str>,
    max: usize,
) -> Option<&'a str> {
    candidates
        .map(|c| (edit_distance(s, c), c))
        .filter(|(d, _)| *d <= max)
        .min()
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "ab"), 2);
        assert_eq!(
            closest("storage-rx", ["storage-rw", "pubsub"].into_iter(), 2),
            Some("storage-rw")
        );
    }
}
