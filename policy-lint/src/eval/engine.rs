//! [`Engine`]: ask questions of the evaluation engine about documents given
//! as text, without building a [`PolicySet`] by hand.

use crate::diagnostic::Location;
use crate::documents::ParsedFile;
use crate::documents::aws_policy::Effect;
use crate::lint::{Input, LintResult, Options};
use crate::model::aws::{AwsModel, Role};
use crate::source::FileId;

use super::service::Facts;
use super::{
    Decision, Layer, Request, RequestContext, StatementRef, Tri, TrustRequest, evaluate,
    policy_set, trust_applies,
};

/// The documents of one run, ready for questions such as "may role R
/// perform action A on resource X?".
///
/// It reads the same inputs as a lint run (AWS CLI output such as
/// `get-role`, `get-role-policy`, `get-policy-version`,
/// `get-account-authorization-details`, Terraform plans, plain policies)
/// and links them the same way, honouring [`Options::scp`] (SCPs apply to
/// every role) and [`Options::kind`]; SCPs of Terraform plans apply to the
/// roles of the accounts under their targets
/// ([`AwsModel::org_scps`](crate::model::aws::AwsModel::org_scps)). Roles
/// are found by ARN or by name.
///
/// ```
/// use policy_lint::eval::{Engine, Verdict};
///
/// let role = r#"{"Role": {"RoleName": "FlowLogs", "Path": "/",
///     "Arn": "arn:aws:iam::123456789012:role/FlowLogs",
///     "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
///         "Principal": {"Service": "vpc-flow-logs.amazonaws.com"}, "Action": "sts:AssumeRole"}]}}}"#;
/// let policy = r#"{"RoleName": "FlowLogs", "PolicyName": "deliver",
///     "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
///         "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": "*"}]}}"#;
/// let engine = Engine::from_strs([("role.json", role), ("policy.json", policy)]);
///
/// let answer = engine
///     .is_allowed("FlowLogs", "logs:PutLogEvents", "arn:aws:logs:us-east-1:123456789012:log-group:g:*")
///     .unwrap();
/// assert_eq!(answer.verdict, Verdict::Allowed);
/// assert_eq!(answer.statements[0].policy, "deliver");
///
/// let answer = engine.is_allowed("FlowLogs", "s3:GetObject", "*").unwrap();
/// assert!(!answer.verdict.is_allowed());
/// assert!(engine.can_assume("FlowLogs", "vpc-flow-logs.amazonaws.com").unwrap().is_yes());
/// ```
///
/// Each question links the documents again (cheap for the documents of
/// one account); to ask many, or to reach the linked model itself, use
/// [`Engine::with_model`] with [`evaluate_role`](super::evaluate_role).
#[derive(Debug)]
pub struct Engine {
    files: Vec<ParsedFile>,
    options: Options,
}

/// Why a question has no answer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EngineError {
    /// No role of the documents has this ARN or name.
    #[error("no role `{role}` in the documents (roles: {})", if known.is_empty() { "none".to_string() } else { known.join(", ") })]
    UnknownRole {
        /// The role asked about.
        role: String,
        /// The roles the documents define (ARN, or name without one).
        known: Vec<String>,
    },
    /// The role has no trust policy in the documents.
    #[error("role `{0}` has no trust policy in the documents")]
    NoTrustPolicy(String),
}

/// The short answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Verdict {
    /// Every layer allows it and no Deny applies.
    Allowed,
    /// An explicit Deny applies without condition.
    Denied,
    /// A layer allows it in no statement (the implicit deny).
    NotAllowed {
        /// The first layer with no Allow.
        layer: Layer,
    },
    /// It depends on conditions, or on policies whose content the
    /// documents do not give.
    Conditional,
}

impl Verdict {
    /// Whether the request is certainly allowed.
    pub fn is_allowed(self) -> bool {
        self == Self::Allowed
    }
}

/// A statement that decided an [`Answer`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reason {
    /// Which kind of policy holds it.
    pub layer: Layer,
    /// The policy's name (inline policy name, managed policy ARN or name).
    pub policy: String,
    /// The statement's `Sid`.
    pub sid: Option<String>,
    /// `Allow` or `Deny` (`None`: the statement has no valid `Effect`).
    pub effect: Option<Effect>,
    /// Whether a condition (or an unknown part of the resource) decides.
    pub conditional: bool,
    /// Where the statement is (`None` in an embedded AWS managed policy).
    pub location: Option<Location>,
}

impl Reason {
    fn of(s: &StatementRef<'_>) -> Self {
        Self {
            layer: s.layer,
            policy: s.policy.name.clone(),
            sid: s.statement.sid().map(str::to_string),
            effect: s.statement.effect(),
            conditional: s.applies == Tri::Maybe,
            location: s.location(),
        }
    }
}

/// The answer to [`Engine::is_allowed`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// The short answer.
    pub verdict: Verdict,
    /// The statements that decide it: the identity Allows when allowed,
    /// the Deny when denied, the conditional statements when conditional
    /// (empty for an implicit deny).
    pub statements: Vec<Reason>,
    /// Attached policies and boundaries whose content no document gives
    /// (their ARNs): they may allow or deny anything.
    pub unknown_policies: Vec<String>,
    /// Whether the documents listed every policy of the role
    /// (`get-account-authorization-details` does, `get-role` does not).
    /// When `false`, an implicit deny only means "not by these documents".
    pub role_complete: bool,
    /// The role's ARN (or name when no document gives its ARN).
    pub role: String,
    /// When conditions decide: the condition keys the request context
    /// does not give, as the deciding statements spell them.
    pub unknown_keys: Vec<String>,
}

impl Engine {
    /// Reads `inputs` (names and bytes) with `options`. Inputs that are not
    /// JSON, or hold no AWS documents, add nothing; lint them to see why.
    pub fn new(inputs: Vec<Input>, options: &Options) -> Self {
        let files = inputs
            .into_iter()
            .enumerate()
            .map(|(i, input)| {
                ParsedFile::parse(
                    FileId(u32::try_from(i).unwrap_or(u32::MAX)),
                    &input.name,
                    &input.bytes,
                    input.named,
                    options.kind,
                )
            })
            .collect();
        Self {
            files,
            options: options.clone(),
        }
    }

    /// Reads `(name, text)` pairs with default options.
    pub fn from_strs<'s>(documents: impl IntoIterator<Item = (&'s str, &'s str)>) -> Self {
        let inputs = documents
            .into_iter()
            .map(|(name, text)| Input::new(name, text.as_bytes()))
            .collect();
        Self::new(inputs, &Options::default())
    }

    /// Reads the files of a finished lint run again (a [`LintResult`] keeps
    /// their text), with the `options` the run used. Locations in answers
    /// then point into `result.files`.
    pub fn from_lint_result(result: &LintResult, options: &Options) -> Self {
        let inputs = result
            .files
            .iter()
            .map(|f| Input::new(f.name(), f.text().as_bytes()))
            .collect();
        Self::new(inputs, options)
    }

    /// Calls `f` with the linked AWS model of the documents: roles,
    /// managed policies, SCPs, the catalogue. Pass its roles to
    /// [`evaluate_role`](super::evaluate_role) or
    /// [`policy_set`](super::policy_set) for full [`Evaluation`](super::Evaluation)s.
    pub fn with_model<R>(&self, f: impl FnOnce(&AwsModel<'_>) -> R) -> R {
        f(&AwsModel::build(&self.files, &self.options))
    }

    /// Every role the documents define: its ARN, or its name without one.
    pub fn roles(&self) -> Vec<String> {
        self.with_model(|m| m.roles.iter().map(|r| r.display().to_string()).collect())
    }

    /// Whether role `role` (ARN or name) may perform `action`
    /// (`service:Action`) on `resource` (an ARN; `*` for parts that are not
    /// known), by its identity policies, permissions boundary and the run's
    /// SCPs, when nothing is known of the request context (every condition
    /// may or may not hold). See [`Engine::evaluate`] to give the context.
    pub fn is_allowed(
        &self,
        role: &str,
        action: &str,
        resource: &str,
    ) -> Result<Answer, EngineError> {
        self.evaluate(role, &Request::new(action, resource))
    }

    /// Whether role `role` (ARN or name) may make `request`: its action on
    /// its resource with its context. Conditions are evaluated against the
    /// context; a key it does not give makes the answer
    /// [`Verdict::Conditional`] and is listed in [`Answer::unknown_keys`].
    /// See the [module documentation](super) for the logic.
    pub fn evaluate(&self, role: &str, request: &Request) -> Result<Answer, EngineError> {
        self.with_model(|model| {
            let r = find_role(model, role)?;
            let set = policy_set(model, r);
            let e = evaluate(&set, request);
            let unknown_keys = e.unknown_keys().iter().map(|k| k.to_string()).collect();
            let (verdict, statements) = match &e.decision {
                Decision::Allowed { by } => (Verdict::Allowed, by.iter().map(Reason::of).collect()),
                Decision::Denied { by, .. } => (Verdict::Denied, vec![Reason::of(by)]),
                Decision::NotAllowed { layer } => (Verdict::NotAllowed { layer: *layer }, vec![]),
                Decision::Conditional { deciding } => (
                    Verdict::Conditional,
                    deciding.iter().map(Reason::of).collect(),
                ),
            };
            let mut unknown_policies: Vec<String> =
                set.unknown_identity.iter().map(|a| a.to_string()).collect();
            if let Some(super::Boundary::Unknown(arn)) = set.boundary {
                unknown_policies.push(arn.to_string());
            }
            Ok(Answer {
                verdict,
                statements,
                unknown_policies,
                role_complete: r.complete,
                role: r.display().to_string(),
                unknown_keys,
            })
        })
    }

    /// The request context of calls a service makes with the session of
    /// role `role`: the catalogue's role-session keys (`aws:SecureTransport`
    /// true, no `aws:username`, no MFA, ...) with what the role's ARN
    /// gives (`aws:PrincipalArn`, `aws:PrincipalAccount`); `region`, when
    /// given, is `aws:RequestedRegion`. Add keys with
    /// [`RequestContext::set`] and pass it in a [`Request`].
    pub fn session_context(
        &self,
        role: &str,
        region: Option<&str>,
    ) -> Result<RequestContext, EngineError> {
        self.with_model(|model| {
            let r = find_role(model, role)?;
            let mut facts = Facts::for_role(r.arn.as_deref());
            facts.set_opt("Region", region);
            Ok(super::service::session_context(&model.catalogue, &facts))
        })
    }

    /// Whether the trust policy of role `role` lets the service principal
    /// `service` (`lambda.amazonaws.com`) assume it (`sts:AssumeRole`):
    /// [`Tri::Maybe`] when conditions decide.
    pub fn can_assume(&self, role: &str, service: &str) -> Result<Tri, EngineError> {
        self.can_assume_with(role, service, &RequestContext::open())
            .map(|(tri, _)| tri)
    }

    /// [`Engine::can_assume`] with what the service sends (`context`:
    /// `aws:SourceAccount`, `aws:SourceArn`, ...), in the role's partition
    /// (from its ARN): the answer, and when conditions leave it open the
    /// key they depend on.
    pub fn can_assume_with(
        &self,
        role: &str,
        service: &str,
        context: &RequestContext,
    ) -> Result<(Tri, Option<String>), EngineError> {
        self.with_model(|model| {
            let r = find_role(model, role)?;
            let trust = r
                .trust
                .as_ref()
                .ok_or_else(|| EngineError::NoTrustPolicy(r.display().to_string()))?;
            let applies = trust_applies(
                trust,
                &TrustRequest {
                    service,
                    action: "sts:AssumeRole",
                    partition: r.arn.as_deref().and_then(crate::model::aws::arn_partition),
                    context,
                },
            );
            Ok((applies.tri, applies.unknown_key.map(str::to_string)))
        })
    }
}

impl Tri {
    /// Whether this is [`Tri::Yes`] (certainly).
    pub fn is_yes(self) -> bool {
        self == Tri::Yes
    }
}

/// The role with ARN or name `role` (names compare without regard to case,
/// as IAM role names are unique that way).
fn find_role<'m, 'a>(model: &'m AwsModel<'a>, role: &str) -> Result<&'m Role<'a>, EngineError> {
    let found = if role.starts_with("arn:") {
        model.role_by_arn(role)
    } else {
        model
            .roles
            .iter()
            .find(|r| r.name.eq_ignore_ascii_case(role))
    };
    found.ok_or_else(|| EngineError::UnknownRole {
        role: role.to_string(),
        known: model
            .roles
            .iter()
            .map(|r| r.display().to_string())
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const DETAILS: &str = r#"{"UserDetailList": [], "GroupDetailList": [], "Policies": [],
      "RoleDetailList": [{"Path": "/", "RoleName": "app", "Arn": "arn:aws:iam::123456789012:role/app",
        "AssumeRolePolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow",
          "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]},
        "RolePolicyList": [{"PolicyName": "read", "PolicyDocument": {"Version": "2012-10-17",
          "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject",
            "Resource": "arn:aws:s3:::data/*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}}]}}],
        "AttachedManagedPolicies": [{"PolicyName": "Custom", "PolicyArn": "arn:aws:iam::123456789012:policy/Custom"}]}]}"#;

    const SCP: &str = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Deny",
      "Action": "s3:GetObject", "Resource": "arn:aws:s3:::secret/*"}]}"#;

    fn engine() -> Engine {
        let options = Options {
            scp: vec!["scp.json".into()],
            ..Options::default()
        };
        Engine::new(
            vec![
                Input::new("details.json", DETAILS),
                Input::new("scp.json", SCP),
            ],
            &options,
        )
    }

    #[test]
    fn conditions_and_unknown_policies_make_answers_conditional() {
        let e = engine();
        let a = e
            .is_allowed("APP", "s3:GetObject", "arn:aws:s3:::data/x")
            .expect("role by name, any case");
        assert_eq!(a.verdict, Verdict::Conditional);
        assert!(a.role_complete);
        assert_eq!(a.role, "arn:aws:iam::123456789012:role/app");
        assert_eq!(
            a.unknown_policies,
            ["arn:aws:iam::123456789012:policy/Custom"]
        );
        assert!(
            a.statements
                .iter()
                .any(|r| r.sid.as_deref() == Some("Read") && r.conditional && r.location.is_some())
        );
    }

    #[test]
    fn scps_of_the_options_apply() {
        let a = engine()
            .is_allowed(
                "arn:aws:iam::123456789012:role/app",
                "s3:GetObject",
                "arn:aws:s3:::secret/k",
            )
            .expect("role by ARN");
        assert_eq!(a.verdict, Verdict::Denied);
        assert_eq!(a.statements.first().map(|r| r.layer), Some(Layer::Scp));
    }

    #[test]
    fn unknown_roles_and_trust() {
        let e = engine();
        assert_eq!(e.roles(), ["arn:aws:iam::123456789012:role/app"]);
        let err = e.is_allowed("other", "s3:GetObject", "*").unwrap_err();
        assert_eq!(
            err.to_string(),
            "no role `other` in the documents (roles: arn:aws:iam::123456789012:role/app)"
        );
        assert_eq!(e.can_assume("app", "lambda.amazonaws.com"), Ok(Tri::Yes));
        assert_eq!(e.can_assume("app", "ec2.amazonaws.com"), Ok(Tri::No));
    }

    #[test]
    fn scps_of_a_plan_apply_to_the_roles_of_the_accounts_under_them() {
        let plan = include_str!("../../../fixtures/AWS003/fail/terraform-scp-ou-deny.json");
        let stream = "arn:aws:logs:us-east-1:111111111111:log-group:g:log-stream:s";
        let e = Engine::from_strs([("plan.json", plan)]);
        let a = e
            .is_allowed("aws_iam_role.flow", "logs:PutLogEvents", stream)
            .expect("role by address");
        assert_eq!(a.verdict, Verdict::Denied);
        assert_eq!(a.statements.first().map(|r| r.layer), Some(Layer::Scp));
        assert_eq!(
            a.statements.first().map(|r| r.policy.as_str()),
            Some("aws_organizations_policy.scp")
        );
        let managed =
            include_str!("../../../fixtures/AWS003/pass/terraform-scp-management-account.json");
        let e = Engine::from_strs([("plan.json", managed)]);
        let a = e
            .is_allowed("aws_iam_role.flow", "logs:PutLogEvents", stream)
            .expect("role by address");
        assert_eq!(a.verdict, Verdict::Allowed);
    }

    #[test]
    fn from_lint_result_reads_the_same_files() {
        let options = Options::default();
        let result = crate::Linter::new(options.clone()).lint_str("details.json", DETAILS);
        let e = Engine::from_lint_result(&result, &options);
        assert_eq!(e.roles().len(), 1);
    }
}
