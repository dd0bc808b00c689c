//! Namespace (v1): a name and labels.

use k8s_openapi::api::core::v1 as core;
use netsim::Source;

use crate::fields::object_meta;
use crate::object::{Meta, Object};
use crate::tree::Node;

pub(crate) fn read(m: Meta, source: Option<Source>) -> Object {
    Object::Namespace(netsim::Namespace { name: m.name, labels: m.labels, source })
}

pub fn build(node: &Node) -> core::Namespace {
    core::Namespace { metadata: object_meta(Some(node)), ..Default::default() }
}
