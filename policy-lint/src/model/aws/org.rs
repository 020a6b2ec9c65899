//! Service control policies that inputs attach to AWS Organizations nodes
//! (accounts, organizational units, roots), and which of them apply to a
//! role.
//!
//! AWS applies an SCP to every IAM role of the member accounts under the
//! node it is attached to (the root, each OU on the way down, the account
//! itself); an action must be allowed at every level and any Deny removes
//! it. SCPs never apply to the management account nor to service-linked
//! roles
//! (<https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_scps_evaluation.html>).
//!
//! [`Organizations::scps_for`] tells, for one role, which SCPs apply and how
//! sure that is: [`Tri::Yes`] when the role's account is known and the
//! inputs show it under the node, [`Tri::Maybe`] when they cannot tell
//! (the role's ARN is unknown until apply, or the account's place in the
//! hierarchy is not in the inputs). Nothing is guessed: a rule reports a
//! "maybe" as advice.

use crate::hash::{HashMap, HashSet};
use std::sync::LazyLock;

use super::{PolicyDoc, arn_account};
use crate::diagnostic::Location;
use crate::json::Tree;
use crate::vocabulary::Tri;

/// The id of the AWS managed `FullAWSAccess` SCP.
pub const FULL_AWS_ACCESS_ID: &str = "p-FullAWSAccess";

/// The content of `FullAWSAccess`, for an input that attaches it by id
/// (a state that manages the default attachments).
static FULL_AWS_ACCESS: LazyLock<Tree> = LazyLock::new(|| {
    crate::json::parse(
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}"#,
    )
    .unwrap_or_else(|_| Tree::empty_object())
});

/// `FullAWSAccess` attached to `targets`: it allows every action at their
/// level, so an allow-list SCP there leaves no gap.
pub fn full_aws_access<'a>(targets: Vec<ScpTarget>) -> OrgScp<'a> {
    OrgScp {
        document: PolicyDoc {
            node: FULL_AWS_ACCESS.root(),
            file: None,
            name: FULL_AWS_ACCESS_ID.to_string(),
        },
        targets,
    }
}

/// What kind of organization node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NodeKind {
    /// A member or management account (`111111111111`).
    Account,
    /// An organizational unit (`ou-ab12-34cd5678`).
    Unit,
    /// The organization's root (`r-ab12`).
    Root,
}

/// An account, OU or root: by its id when known, else by the key of the
/// Terraform resource that creates it (`terraform#FILE#ADDRESS`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct OrgNode {
    /// The kind.
    pub kind: NodeKind,
    /// The id, or a resource key.
    pub id: String,
}

impl OrgNode {
    /// A node for a literal id: 12 digits is an account, `ou-` an OU,
    /// `r-` a root; anything else is not a node.
    pub fn parse(id: &str) -> Option<Self> {
        let kind = if is_account_id(id) {
            NodeKind::Account
        } else if id.starts_with("ou-") {
            NodeKind::Unit
        } else if id.starts_with("r-") {
            NodeKind::Root
        } else {
            return None;
        };
        Some(Self {
            kind,
            id: id.to_string(),
        })
    }

    /// An account node.
    pub fn account(id: &str) -> Self {
        Self {
            kind: NodeKind::Account,
            id: id.to_string(),
        }
    }
}

/// Whether `s` is an AWS account id (12 digits).
pub fn is_account_id(s: &str) -> bool {
    s.len() == 12 && s.bytes().all(|b| b.is_ascii_digit())
}

/// Where an SCP is attached.
#[derive(Debug, Clone)]
pub struct ScpTarget {
    /// The node, or `None` when the input cannot tell it (a value unknown
    /// until apply that no reference links).
    pub node: Option<OrgNode>,
    /// For messages: `OU `aws_organizations_organizational_unit.prod``,
    /// `account `111111111111``, or the reference the input cannot follow.
    pub label: String,
    /// Why the target cannot be told, when `node` is `None`.
    pub unknown_reason: Option<String>,
    /// The attachment's name (a Terraform address).
    pub attachment: String,
    /// Where the attachment names the target.
    pub location: Option<Location>,
}

/// A service control policy with its attachments.
#[derive(Debug, Clone)]
pub struct OrgScp<'a> {
    /// The document; its name is the policy's Terraform address.
    pub document: PolicyDoc<'a>,
    /// Where it is attached.
    pub targets: Vec<ScpTarget>,
}

/// What the inputs say about organizations: SCPs, the hierarchy, the
/// management accounts.
#[derive(Debug, Default)]
pub struct Organizations<'a> {
    /// SCPs attached to organization nodes.
    pub scps: Vec<OrgScp<'a>>,
    /// The parent of each node the inputs place (account or OU -> OU or root).
    pub parents: HashMap<OrgNode, OrgNode>,
    /// The root of the organization of accounts the inputs list as members
    /// (`aws_organizations_organization.accounts`), when its id is known.
    pub member_roots: HashMap<String, OrgNode>,
    /// Management accounts (`master_account_id`).
    pub management: HashSet<String>,
    /// Where an input places an account (its `parent_id`), with a note for
    /// labels (`aws_organizations_account.app` places account `1111...` in OU ...).
    pub placements: HashMap<String, (Location, String)>,
}

/// Why an SCP may or may not apply to a role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement<'m> {
    /// The inputs show the role's account under the target.
    Certain,
    /// The role's account is unknown (its ARN is unknown until apply).
    UnknownAccount,
    /// The account is known, but the inputs do not show whether it is
    /// under the target.
    UnknownHierarchy(&'m str),
    /// The attachment's target cannot be told.
    UnknownTarget(&'m str),
}

/// An SCP that applies, or may apply, to one role.
#[derive(Debug, Clone, Copy)]
pub struct AppliedScp<'m> {
    /// The document (named by its Terraform address).
    pub document: &'m PolicyDoc<'m>,
    /// Where it is attached.
    pub target: &'m ScpTarget,
    /// [`Tri::Yes`]: it applies; [`Tri::Maybe`]: it may.
    pub applies: Tri,
    /// Why.
    pub placement: Placement<'m>,
    /// When it applies through the account's parent: where the input
    /// places the account, with a note for a label.
    pub via: Option<&'m (Location, String)>,
}

impl AppliedScp<'_> {
    /// Why the SCP may not apply, for messages: `if the role's account is a
    /// member account under OU X: ...`; `None` when it applies.
    pub fn condition(&self) -> Option<String> {
        let t = &self.target.label;
        let under = match self.target.node.as_ref().map(|n| n.kind) {
            Some(NodeKind::Account) => format!("is {t}"),
            _ => format!("is a member account under {t}"),
        };
        match self.placement {
            Placement::Certain => None,
            Placement::UnknownAccount => Some(format!(
                "if the role's account {under}: its ARN is unknown until apply, and SCPs do not apply to the management account"
            )),
            Placement::UnknownHierarchy(account) => Some(format!(
                "if account `{account}` is under {t}: the inputs do not show where the account is in the organization"
            )),
            Placement::UnknownTarget(why) => Some(format!(
                "if the role's account is under the target of `{}`: {why}",
                self.target.attachment
            )),
        }
    }
}

impl<'a> Organizations<'a> {
    /// Adds what `other` knows (another input's organizations).
    pub fn merge(&mut self, other: Organizations<'a>) {
        self.scps.extend(other.scps);
        for (child, parent) in other.parents {
            self.parents.entry(child).or_insert(parent);
        }
        for (account, root) in other.member_roots {
            self.member_roots.entry(account).or_insert(root);
        }
        for (account, placed) in other.placements {
            self.placements.entry(account).or_insert(placed);
        }
        self.management.extend(other.management);
    }

    /// The nodes above `account`, itself first, as far as the inputs show;
    /// and whether they reach a root.
    pub fn ancestors(&self, account: &str) -> (Vec<OrgNode>, bool) {
        let mut chain = vec![OrgNode::account(account)];
        let mut complete = false;
        while let Some(last) = chain.last() {
            if last.kind == NodeKind::Root {
                complete = true;
                break;
            }
            match self.parents.get(last) {
                // A cycle (inconsistent inputs) stops the walk.
                Some(p) if !chain.contains(p) => chain.push(p.clone()),
                _ => break,
            }
        }
        if !complete && let Some(root) = self.member_roots.get(account) {
            chain.push(root.clone());
        }
        (chain, complete)
    }

    /// The SCPs that apply, or may apply, to a role with ARN `arn` (`None`:
    /// unknown) and path `path`.
    pub fn scps_for<'m>(&'m self, arn: Option<&'m str>, path: &str) -> Vec<AppliedScp<'m>> {
        if self.scps.is_empty() {
            return Vec::new();
        }
        let service_linked = path.starts_with("/aws-service-role/")
            || arn.is_some_and(|a| a.contains(":role/aws-service-role/"));
        if service_linked {
            return Vec::new();
        }
        let account = arn.and_then(arn_account).filter(|a| is_account_id(a));
        if account.is_some_and(|a| self.management.contains(a)) {
            return Vec::new();
        }
        let (chain, complete) = match account {
            Some(a) => self.ancestors(a),
            None => (Vec::new(), false),
        };
        let mut out = Vec::new();
        for scp in &self.scps {
            for target in &scp.targets {
                let found = match (account, &target.node) {
                    (None, _) => Some((Tri::Maybe, Placement::UnknownAccount)),
                    (Some(_), Some(n)) if chain.contains(n) => Some((Tri::Yes, Placement::Certain)),
                    // An account target is only that account; one whose id
                    // is unknown until apply is a new account, not the
                    // role's known one.
                    (Some(_), Some(n)) if n.kind == NodeKind::Account => None,
                    (Some(_), Some(_)) if complete => None,
                    (Some(a), Some(_)) => Some((Tri::Maybe, Placement::UnknownHierarchy(a))),
                    (Some(_), None) => Some((
                        Tri::Maybe,
                        Placement::UnknownTarget(
                            target
                                .unknown_reason
                                .as_deref()
                                .unwrap_or("the input cannot tell it"),
                        ),
                    )),
                };
                if let Some((applies, placement)) = found {
                    let through_parent = placement == Placement::Certain
                        && target
                            .node
                            .as_ref()
                            .is_some_and(|n| n.kind != NodeKind::Account);
                    out.push(AppliedScp {
                        document: &scp.document,
                        target,
                        applies,
                        placement,
                        via: account
                            .filter(|_| through_parent)
                            .and_then(|a| self.placements.get(a)),
                    });
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Tree;

    fn node(s: &str) -> Option<OrgNode> {
        OrgNode::parse(s)
    }

    fn target(id: &str) -> ScpTarget {
        ScpTarget {
            node: node(id),
            label: id.to_string(),
            unknown_reason: None,
            attachment: format!("attach {id}"),
            location: None,
        }
    }

    fn org<'a>(
        doc: &'a PolicyDoc<'a>,
        targets: &[&str],
        parents: &[(&str, &str)],
    ) -> Organizations<'a> {
        let mut o = Organizations::default();
        o.scps.push(OrgScp {
            document: doc.clone(),
            targets: targets.iter().map(|t| target(t)).collect(),
        });
        for (c, p) in parents {
            o.parents.insert(
                OrgNode::parse(c).expect("child"),
                OrgNode::parse(p).expect("parent"),
            );
        }
        o
    }

    fn applies(o: &Organizations<'_>, arn: Option<&str>, path: &str) -> Vec<(String, Tri)> {
        o.scps_for(arn, path)
            .iter()
            .map(|a| (a.target.label.clone(), a.applies))
            .collect()
    }

    const ARN: &str = "arn:aws:iam::111111111111:role/flow";

    #[test]
    fn ids_name_their_kind() {
        assert_eq!(
            node("111111111111").map(|n| n.kind),
            Some(NodeKind::Account)
        );
        assert_eq!(
            node("ou-ab12-34cd5678").map(|n| n.kind),
            Some(NodeKind::Unit)
        );
        assert_eq!(node("r-ab12").map(|n| n.kind), Some(NodeKind::Root));
        assert_eq!(node("p-FullAWSAccess"), None);
        assert_eq!(node("11111111111"), None);
    }

    fn scp_doc(tree: &Tree) -> PolicyDoc<'_> {
        PolicyDoc {
            node: tree.root(),
            file: None,
            name: "scp".into(),
        }
    }

    #[test]
    fn an_scp_on_an_ou_above_the_account_applies_for_sure() {
        let empty = Tree::empty_object();
        let doc = scp_doc(&empty);
        let parents = [
            ("111111111111", "ou-aaaa-11111111"),
            ("ou-aaaa-11111111", "ou-aaaa-22222222"),
            ("ou-aaaa-22222222", "r-aaaa"),
        ];
        let o = org(
            &doc,
            &[
                "ou-aaaa-22222222",
                "r-aaaa",
                "ou-aaaa-33333333",
                "222222222222",
            ],
            &parents,
        );
        // The chain reaches the root: other OUs and accounts do not apply.
        assert_eq!(
            applies(&o, Some(ARN), "/"),
            [
                ("ou-aaaa-22222222".to_string(), Tri::Yes),
                ("r-aaaa".to_string(), Tri::Yes)
            ]
        );
        // The account is not placed: OUs and roots may apply, other accounts do not.
        let o = org(
            &doc,
            &["ou-aaaa-22222222", "111111111111", "222222222222"],
            &[],
        );
        assert_eq!(
            applies(&o, Some(ARN), "/"),
            [
                ("ou-aaaa-22222222".to_string(), Tri::Maybe),
                ("111111111111".to_string(), Tri::Yes)
            ]
        );
        // Unknown account: every attachment may apply.
        assert_eq!(applies(&o, None, "/").len(), 3);
        assert!(applies(&o, None, "/").iter().all(|(_, t)| *t == Tri::Maybe));
        // Accounts the organization lists as members are under its root.
        let mut o = org(&doc, &["r-aaaa"], &[]);
        assert_eq!(
            applies(&o, Some(ARN), "/"),
            [("r-aaaa".to_string(), Tri::Maybe)]
        );
        o.member_roots.insert(
            "111111111111".into(),
            OrgNode::parse("r-aaaa").expect("root"),
        );
        assert_eq!(
            applies(&o, Some(ARN), "/"),
            [("r-aaaa".to_string(), Tri::Yes)]
        );
    }

    #[test]
    fn never_the_management_account_nor_service_linked_roles() {
        let empty = Tree::empty_object();
        let doc = scp_doc(&empty);
        let mut o = org(
            &doc,
            &["111111111111", "r-aaaa"],
            &[("111111111111", "r-aaaa")],
        );
        assert_eq!(applies(&o, Some(ARN), "/").len(), 2);
        assert!(applies(&o, Some(ARN), "/aws-service-role/logs.amazonaws.com/").is_empty());
        assert!(
            applies(
                &o,
                Some("arn:aws:iam::111111111111:role/aws-service-role/x/AWSServiceRoleForX"),
                ""
            )
            .is_empty()
        );
        o.management.insert("111111111111".into());
        assert!(applies(&o, Some(ARN), "/").is_empty());
    }

    #[test]
    fn a_cycle_in_inconsistent_inputs_ends_the_walk() {
        let mut o = Organizations::default();
        let a = OrgNode::parse("ou-aaaa-11111111").expect("ou");
        let b = OrgNode::parse("ou-aaaa-22222222").expect("ou");
        o.parents
            .insert(OrgNode::account("111111111111"), a.clone());
        o.parents.insert(a.clone(), b.clone());
        o.parents.insert(b, a);
        let (chain, complete) = o.ancestors("111111111111");
        assert_eq!(chain.len(), 3);
        assert!(!complete);
    }
}
