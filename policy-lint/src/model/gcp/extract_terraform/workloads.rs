//! The workloads of the GCP catalogue in a plan (GKE node pools and
//! clusters, Dataproc clusters, Dataflow jobs, ...): each resource type the
//! catalogue lists gives an [`Instance`] of kind [`InstanceKind::Workload`]
//! with the account and scopes at the catalogue's attribute paths, so the
//! GCP rules check it as they check a VM. GCE instances and templates keep
//! their own reader (`gce.rs`), which knows their block semantics.
//!
//! An account that the configuration leaves unset is what the catalogue
//! says (`default`: the Compute Engine default service account); one unknown
//! until apply is linked through its references, as an instance's is.
//! Scopes the configuration leaves unset are the service's default, which
//! the plan does not show: such a workload has `scopes_known` false and the
//! scope rules skip it.

use super::super::catalogue::{GCP_CATALOGUE, TerraformUse, UnsetAccount, Workload, path_steps};
use super::{Plan, push_instance};
use crate::documents::terraform::gce;
use crate::documents::terraform::{Mode, Resource};
use crate::json::Node;
use crate::model::gcp::facts::{AccountRef, Facts, Instance, InstanceKind, Scope};

impl<'a> Plan<'_, 'a> {
    pub(super) fn workloads(&self, facts: &mut Facts) {
        let pending = self.pending_accounts();
        let authoritative = self.has_authoritative_policy();
        for r in self.view.resources().filter(|r| r.mode == Mode::Managed) {
            if gce::INSTANCE_TYPES.contains(&r.resource_type) {
                continue;
            }
            for (w, u) in GCP_CATALOGUE.uses_of(r.resource_type) {
                let skipped = u
                    .skip_when_true
                    .iter()
                    .any(|a| r.values.get(a).and_then(Node::as_bool) == Some(true));
                if !skipped {
                    self.workload(facts, r, w, u, &pending, authoritative);
                }
            }
        }
    }

    fn workload(
        &self,
        facts: &mut Facts,
        r: &Resource<'a>,
        w: &Workload,
        u: &TerraformUse,
        pending: &[(String, Option<String>)],
        authoritative: bool,
    ) {
        let steps = path_steps(&u.account);
        let config = self.view.config_resource(r.address);
        let expression = config.as_ref().and_then(|c| c.expression(&steps));
        let value = r.value(&steps).filter(|v| !v.is_null());
        let unset = match u.unset_account {
            UnsetAccount::Default => AccountRef::Default,
            UnsetAccount::None => AccountRef::None,
        };
        let (account, account_loc, unlinked) = match value.and_then(|v| v.as_str().map(|s| (v, s)))
        {
            Some((_, "")) => (unset, None, None),
            Some((v, "default")) => (AccountRef::Default, Some(self.at(v)), None),
            Some((v, email)) => (AccountRef::Email(email.to_string()), Some(self.at(v)), None),
            // Configured from something unknown until apply: its references.
            None if r.is_unknown(&steps) && expression.is_some() => {
                let references = self.view.references(r.address, &steps);
                let (account, why) = self.unknown_account(&references, pending, authoritative);
                (account, expression.map(|e| self.at(e)), why)
            }
            _ => (unset, None, None),
        };
        let (scopes, scopes_loc, scopes_known) = match &u.scopes {
            Some(path) => self.scopes(r, config.as_ref(), &path_steps(path)),
            None => (Vec::new(), None, false),
        };
        let block = steps
            .split_last()
            .and_then(|(_, parent)| (!parent.is_empty()).then(|| r.value(parent)).flatten());
        let inst = Instance {
            account_loc,
            scopes,
            scopes_known,
            scopes_loc,
            entry_loc: block.map(|b| self.at(b)),
            ..self.instance(r, InstanceKind::Workload, account, &w.id, pending)
        };
        push_instance(facts, inst, unlinked);
    }

    /// The scopes at `steps`: as written in `configuration` when it holds a
    /// constant list (what the user edits), else as planned; unknown when
    /// the plan does not show them.
    fn scopes(
        &self,
        r: &Resource<'a>,
        config: Option<&crate::documents::terraform::ConfigResource<'a>>,
        steps: &[&str],
    ) -> (Vec<Scope>, Option<crate::diagnostic::Location>, bool) {
        let written = config
            .and_then(|c| c.constant(steps))
            .filter(|n| n.as_array().is_some());
        let planned = r.value(steps).filter(|n| n.as_array().is_some());
        let Some(list) = written.or(planned) else {
            return (Vec::new(), None, false);
        };
        if written.is_none() && r.is_unknown(steps) {
            return (Vec::new(), None, false);
        }
        let scopes = list
            .as_array()
            .unwrap_or_default()
            .iter()
            .filter_map(|n| {
                Some(Scope {
                    value: n.as_str()?.to_string(),
                    loc: self.at(n),
                })
            })
            .collect();
        (scopes, Some(self.at(list)), true)
    }
}
