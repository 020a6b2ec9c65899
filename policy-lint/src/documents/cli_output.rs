//! AWS CLI output that names the role a service uses, where the service
//! catalogue's `usage.cli_outputs` say (`aws cloudtrail describe-trails`:
//! `trailList[].CloudWatchLogsRoleArn`). The shapes are read from the
//! built-in catalogue's data, so a new command is a catalogue entry, not
//! code; the model links each named role (`model::aws::cli_uses`).
//!
//! A path is keys joined by `.`; `name[]` stands for every element of the
//! array `name` (`DeliveryStreamDescription.Destinations[].ExtendedS3DestinationDescription.RoleARN`).

use std::sync::LazyLock;

use crate::json::Node;

/// The top-level keys that identify each command's output in the built-in
/// catalogue (`["trailList"]`, `["FunctionArn", "Role"]`).
static SHAPES: LazyLock<Vec<Vec<String>>> = LazyLock::new(|| {
    let text = include_str!("../../rules/service-catalogue.json");
    let Ok(catalogue) = serde_json::from_str::<serde_json::Value>(text) else {
        return Vec::new();
    };
    let entries = catalogue.get("entries").and_then(|e| e.as_array());
    entries
        .into_iter()
        .flatten()
        .filter_map(|e| e.pointer("/usage/cli_outputs")?.as_array())
        .flatten()
        .filter_map(|o| {
            let keys: Vec<String> = o
                .get("keys")?
                .as_array()?
                .iter()
                .filter_map(|k| k.as_str().map(str::to_string))
                .collect();
            (!keys.is_empty()).then_some(keys)
        })
        .collect()
});

/// Whether `root` is the output of a command the built-in catalogue reads.
pub fn is_service_output(root: Node<'_>) -> bool {
    root.as_object().is_some() && SHAPES.iter().any(|keys| has_keys(root, keys))
}

/// Whether the object `root` has every key of `keys` (and `keys` is not empty).
pub fn has_keys(root: Node<'_>, keys: &[String]) -> bool {
    !keys.is_empty() && keys.iter().all(|k| root.get(k).is_some())
}

/// Every node at `path` below `root`, each with the element index taken
/// at each `[]` on the way.
pub fn nodes_at<'n>(root: Node<'n>, path: &str) -> Vec<(Vec<usize>, Node<'n>)> {
    let mut found = vec![(Vec::new(), root)];
    for segment in path.split('.') {
        let (key, each) = match segment.strip_suffix("[]") {
            Some(key) => (key, true),
            None => (segment, false),
        };
        found = found
            .into_iter()
            .filter_map(|(at, node)| Some((at, node.get(key)?)))
            .flat_map(|(at, node)| {
                if !each {
                    return vec![(at, node)];
                }
                let items = node
                    .as_array()
                    .map(|a| a.iter().collect())
                    .unwrap_or_else(Vec::new);
                items
                    .into_iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let mut at = at.clone();
                        at.push(i);
                        (at, item)
                    })
                    .collect()
            })
            .collect();
    }
    found
}

/// The node at `path` below `root` whose `[]`s take the element indices
/// `indices` in order (those of a node [`nodes_at`] found): a field beside
/// that node (`trailList[].Name` beside `trailList[].CloudWatchLogsRoleArn`).
pub fn node_at<'n>(root: Node<'n>, path: &str, indices: &[usize]) -> Option<Node<'n>> {
    let mut indices = indices.iter();
    let mut node = root;
    for segment in path.split('.') {
        node = match segment.strip_suffix("[]") {
            Some(key) => node.get(key)?.as_array()?.get(*indices.next()?)?,
            None => node.get(segment)?,
        };
    }
    Some(node)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_walk_objects_and_every_array_element() {
        let tree = crate::json::parse(
            r#"{"DeliveryStreamDescription": {"DeliveryStreamName": "s", "Destinations": [
                 {"ExtendedS3DestinationDescription": {"RoleARN": "a"}},
                 {"HttpEndpointDestinationDescription": {}},
                 {"ExtendedS3DestinationDescription": {"RoleARN": "b"}}]}}"#,
        )
        .expect("json");
        let root = tree.root();
        let path =
            "DeliveryStreamDescription.Destinations[].ExtendedS3DestinationDescription.RoleARN";
        let found: Vec<(Vec<usize>, &str)> = nodes_at(root, path)
            .into_iter()
            .filter_map(|(at, n)| Some((at, n.as_str()?)))
            .collect();
        assert_eq!(found, [(vec![0], "a"), (vec![2], "b")]);
        let name = node_at(root, "DeliveryStreamDescription.DeliveryStreamName", &[2]);
        assert_eq!(name.and_then(Node::as_str), Some("s"));
        let beside = node_at(
            root,
            "DeliveryStreamDescription.Destinations[].ExtendedS3DestinationDescription",
            &[2],
        );
        assert!(beside.is_some());
        assert!(node_at(root, "DeliveryStreamDescription.Destinations[].X", &[]).is_none());
        // A path through a scalar or a missing key finds nothing.
        assert!(nodes_at(root, "DeliveryStreamDescription.DeliveryStreamName.x").is_empty());
        assert!(nodes_at(root, "Nope[].x").is_empty());
    }

    #[test]
    fn built_in_shapes_are_detected() {
        let trails = crate::json::parse(r#"{"trailList": []}"#).expect("json");
        assert!(is_service_output(trails.root()));
        let other = crate::json::parse(r#"{"trails": []}"#).expect("json");
        assert!(!is_service_output(other.root()));
    }
}
