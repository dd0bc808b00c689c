//! Warnings about where the built cluster put a Pod, from the build's notes: a `nodeName`
//! that names no node of the cluster. "If the named node does not exist, the Pod will not
//! be run" (https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#nodename):
//! `unknown-node`, the pod stays Pending. A dumped pod whose `status.hostIP` says where it
//! ran brings its node along instead: `node-added`.

use crate::diagnostic::{Diagnostic, Severity};

/// The notes of `cluster` about pods and their nodes, as warnings at the pod's `nodeName`
/// (found in its document's text; the whole document when it is not there), one per place:
/// a workload's replicas share their template's. `text` gives a file's text by name.
pub(crate) fn check<'a>(
    cluster: &netsim::Cluster,
    text: impl Fn(&str) -> Option<&'a str>,
    diags: &mut Vec<Diagnostic>,
) {
    for note in &cluster.notes {
        if !matches!(note.code, "unknown-node" | "node-added") {
            continue;
        }
        let Some(src) = &note.object.source else { continue };
        let (start, end) = text(&src.file)
            .and_then(|t| t.get(src.start..src.end))
            .and_then(node_name_value)
            .map_or((src.start, src.end), |(a, b)| (src.start + a, src.start + b));
        if diags.iter().any(|d| d.code == note.code && d.file == src.file && (d.start, d.end) == (start, end))
        {
            continue;
        }
        let hints = match note.code {
            "unknown-node" => {
                vec!["name a node of the cluster, or leave `nodeName` out to let the scheduler pick one"
                    .into()]
            }
            _ => vec![],
        };
        diags.push(Diagnostic {
            severity: Severity::Warning,
            code: note.code,
            message: note.message.clone(),
            file: src.file.clone(),
            start,
            end,
            hints,
        });
    }
}

/// The byte range of the value of the first `nodeName:` key in a document (not in a
/// comment, not the end of a longer key).
fn node_name_value(doc: &str) -> Option<(usize, usize)> {
    let key = doc.match_indices("nodeName:").map(|(i, _)| i).find(|&i| {
        let line = doc.get(..i).map_or("", |before| before.rsplit('\n').next().unwrap_or(before));
        !line.contains('#') && !line.ends_with(|c: char| c.is_alphanumeric() || c == '_' || c == '-')
    })?;
    let after = key + "nodeName:".len();
    let rest = doc.get(after..)?;
    let skip = rest.len() - rest.trim_start_matches([' ', '\t']).len();
    let start = after + skip;
    let len = doc.get(start..)?.find(['\n', '\r', ',', '}', '#']).unwrap_or(doc.len() - start);
    let value = doc.get(start..start + len)?.trim_end();
    (!value.is_empty()).then_some((start, start + value.len()))
}

#[cfg(test)]
mod tests {
    use super::node_name_value;

    #[test]
    fn finds_the_node_name_key_outside_comments() {
        let doc = "# nodeName: no\nspec:\n  hostnodeName: no\n  nodeName: worker-9 # yes\n";
        let (a, b) = node_name_value(doc).unwrap();
        assert_eq!(&doc[a..b], "worker-9");
        let flow = "spec: {nodeName: n1, containers: []}";
        let (a, b) = node_name_value(flow).unwrap();
        assert_eq!(&flow[a..b], "n1");
        assert_eq!(node_name_value("spec: {}"), None);
    }
}
