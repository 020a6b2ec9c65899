use crate::declare_rule;
use crate::diagnostic::Diagnostic;
use crate::model::Model;
use crate::registry::{Check, Context};

declare_rule! {
    /// ## What it does
    /// Reports a role (the same ARN) that two inputs define differently:
    /// another trust policy, an inline policy of the same name with other
    /// content, another permissions boundary, or a policy that one input
    /// gives and the other, listing every policy of the role (authorization
    /// details), does not have. Documents are compared by meaning: key order,
    /// formatting, `Sid`s, a string for a one-element list, and the order or
    /// case of actions do not count, and inputs that agree, or that complete
    /// each other (`get-role` and `get-role-policy` output), still make one
    /// role. The finding is at the later definition in the order of file
    /// names, with a label at the other.
    ///
    /// Each definition is checked on its own, with its own trust policy and
    /// policies, so the service-chain rules (AWS001-AWS005) report what each
    /// input says, and the findings of a run never depend on the order of
    /// the files on the command line. Inputs of one directory go together:
    /// a definition is usually one snapshot of an account.
    ///
    /// ## Why is this bad?
    /// Two inputs that disagree about a role are two states of the account
    /// (prod and staging snapshots of one account, authorization details of
    /// two days, a CLI dump and a policy file edited since): at least one is
    /// stale, and a finding about the role may hold for one state only.
    ///
    /// ## Example
    /// `prod/auth.json` and `staging/auth.json`, both
    /// `aws iam get-account-authorization-details` output, where
    /// `arn:aws:iam::123456789012:role/FlowLogsRole` trusts
    /// `vpc-flow-logs.amazonaws.com` in one and `vpc-flow-log.amazonaws.com`
    /// in the other.
    ///
    /// ## Use instead
    /// Lint one current snapshot of an account per run, or refresh the
    /// stale input so both say the same; when both states are real (two
    /// accounts), give each its own run.
    ///
    /// ## References
    /// - [GetAccountAuthorizationDetails](https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetAccountAuthorizationDetails.html)
    /// - [IAM identifiers: ARNs](https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-arns)
    pub struct ConflictingDefinitions {
        code: "AWS009",
        name: "conflicting-definitions",
        summary: "two inputs define the same role differently",
        severity: Warning,
        url: None,
    }
}

impl Check for ConflictingDefinitions {
    fn check_model(&self, model: &Model<'_>, cx: &mut Context<'_>) {
        for c in &model.aws.conflicts {
            cx.report(
                Diagnostic::new(
                    &Self::META,
                    c.at,
                    format!(
                        "another input defines role `{}` differently: {}",
                        c.role, c.what
                    ),
                )
                .with_label(c.other, "the other definition")
                .with_help(
                    "each definition is checked on its own; lint one current snapshot of an \
                     account per run, or update the stale input",
                ),
            );
        }
    }
}
