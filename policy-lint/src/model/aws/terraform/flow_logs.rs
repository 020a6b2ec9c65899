//! `aws_flow_log` resources: the flow log, its destination and its delivery
//! role, linked through the plan when the role's ARN is unknown.

use super::{Link, Plan, ROLE, known};
use crate::diagnostic::Location;
use crate::model::aws::{DestinationType, Facts, FlowLog, Unlinked};

impl<'a> Plan<'_, 'a> {
    pub(super) fn flow_logs(&self, facts: &mut Facts<'a>) {
        for fl in self.managed_of_type("aws_flow_log") {
            let v = fl.values;
            let config_expr = |attr: &str| {
                self.view
                    .config_resource(fl.address)
                    .and_then(|c| c.expression(&[attr]))
            };
            let location = Some(self.at(v));
            let skip = |facts: &mut Facts<'a>, at: Option<Location>, reason: String| {
                let help = if reason.contains("deliver_cross_account_role") {
                    "check the cross-account delivery roles by hand (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-cwl.html)"
                } else {
                    "the checks run once the role can be linked: reference the role resource \
                     (`iam_role_arn = aws_iam_role.NAME.arn`), or lint `terraform show -json` \
                     of the state after apply"
                };
                facts.unlinked.push(Unlinked {
                    user: format!("flow log `{}`", fl.address),
                    location: at.or(location),
                    reason,
                    help: help.to_string(),
                });
            };
            let destination_type = match known(v.get("log_destination_type")) {
                Some(t) => DestinationType::parse(t),
                None if fl.is_unknown(&["log_destination_type"]) => {
                    skip(
                        facts,
                        config_expr("log_destination_type").map(|n| self.at(n)),
                        "its `log_destination_type` is unknown until apply".to_string(),
                    );
                    continue;
                }
                None => DestinationType::CloudWatchLogs,
            };
            if destination_type != DestinationType::CloudWatchLogs {
                continue;
            }
            let cross = v.get("deliver_cross_account_role");
            if known(cross).is_some() || fl.is_unknown(&["deliver_cross_account_role"]) {
                skip(
                    facts,
                    cross.filter(|c| !c.is_null()).map(|n| self.at(n)),
                    "it delivers across accounts (`deliver_cross_account_role`), which the service-chain checks do not model".to_string(),
                );
                continue;
            }
            let role_node = v.get("iam_role_arn");
            let (role_arn, role_location) = match known(role_node) {
                Some(arn) => (Some(self.role_key(arn)), role_node.map(|n| self.at(n))),
                None if fl.is_unknown(&["iam_role_arn"]) => {
                    let at = config_expr("iam_role_arn").map(|n| self.at(n));
                    match self.follow(fl, &["iam_role_arn"], ROLE) {
                        Link::Resource(r) => (Some(self.key(r)), at),
                        Link::Unlinked(reason) => {
                            skip(
                                facts,
                                at,
                                format!("its `iam_role_arn` is unknown until apply and {reason}"),
                            );
                            continue;
                        }
                        Link::None => {
                            skip(
                                facts,
                                at,
                                "its `iam_role_arn` is unknown until apply and the configuration names no `aws_iam_role` of the plan".to_string(),
                            );
                            continue;
                        }
                    }
                }
                None => (None, None),
            };
            facts.flow_logs.push(FlowLog {
                id: fl.address.to_string(),
                location,
                role_arn,
                role_location,
                destination_type,
                destination: known(v.get("log_destination")).map(str::to_string),
                log_group: known(v.get("log_group_name")).map(str::to_string),
                scope: Some(self.file.id),
            });
        }
    }
}
