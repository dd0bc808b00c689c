//! Namespace (v1): a name and labels.

use netsim::Source;

use crate::object::{Meta, Object};

pub(crate) fn read(m: Meta, source: Option<Source>) -> Object {
    Object::Namespace(netsim::Namespace { name: m.name, labels: m.labels, source })
}
