//! Kinds defined by CustomResourceDefinitions: the second source of the schema table.
//!
//! A CRD (apiextensions.k8s.io/v1) carries its kind's structural OpenAPI v3 schema
//! (`spec.versions[].schema.openAPIV3Schema`). [`Crd::parse`] turns the schema of the storage
//! version into the same types the API's own kinds use ([`crate::shape`]), so an object of
//! the kind is checked as any other: unknown fields are errors with the closest valid name,
//! `required` fields must be there, `enum` values are enforced, value types are checked.
//! `metadata` is the API's ObjectMeta, as the API server treats it for every custom resource.
//!
//! The CEL rules of `x-kubernetes-validations` are kept as data ([`Rule`]) with where they
//! sit in the object, for the kind's module to check.
//! https://kubernetes.io/docs/tasks/extend-kubernetes/custom-resources/custom-resource-definitions/#validation

use crate::problem::Problem;
use crate::shape::{self, Schema, Ty, Type};
use crate::tree::{Entry, Node, Resolved};
use crate::yaml;

/// One `x-kubernetes-validations` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct Rule {
    /// The value the rule judges as `self`: `spec`, `spec.ports[*]` (each item), empty for the
    /// object itself.
    pub path: String,
    /// The CEL expression.
    pub rule: String,
    pub message: Option<String>,
}

/// A kind defined by a CustomResourceDefinition.
#[derive(Clone, Debug)]
pub struct Crd {
    pub group: String,
    pub kind: String,
    pub plural: String,
    /// The version whose schema is read (the storage version unless [`Crd::parse_version`] names one).
    pub version: String,
    pub namespaced: bool,
    /// Every version with `served: true`, in the CRD's order.
    pub served: Vec<String>,
    pub rules: Vec<Rule>,
    pub(crate) schema: Schema,
    /// Where each of the CRD's own types sits in the object (`spec.rules[*]`), from the first
    /// of them (those before are the API's, shared with [`shape::schema`]).
    #[cfg_attr(not(feature = "gateway-api"), allow(dead_code))]
    pub(crate) paths: Vec<String>,
}

impl Crd {
    /// Reads a CustomResourceDefinition's YAML with the schema of its storage version; the
    /// reason in words when it is not one.
    pub fn parse(text: &str) -> Result<Crd, String> {
        Crd::parse_version(text, None)
    }

    /// [`Crd::parse`] with the schema of `version` (`None`: the storage version).
    pub fn parse_version(text: &str, version: Option<&str>) -> Result<Crd, String> {
        let mut diags = Vec::new();
        let docs = yaml::parse("crd", text, &mut diags);
        if let Some(d) = diags.first() {
            return Err(d.message.clone());
        }
        let root = &docs.first().ok_or("the file holds no document")?.root;
        if root.get("kind").and_then(Node::as_str) != Some("CustomResourceDefinition") {
            return Err("not a CustomResourceDefinition".into());
        }
        let spec = root.get("spec").ok_or("no `spec`")?;
        let text_at = |n: &Node, key: &str| n.get(key).and_then(Node::as_str).map(str::to_string);
        let group = text_at(spec, "group").ok_or("no `spec.group`")?;
        let names = spec.get("names").ok_or("no `spec.names`")?;
        let kind = text_at(names, "kind").ok_or("no `spec.names.kind`")?;
        let plural = text_at(names, "plural").ok_or("no `spec.names.plural`")?;
        let namespaced = match spec.get("scope").and_then(Node::as_str) {
            Some("Namespaced") => true,
            Some("Cluster") => false,
            _ => return Err("`spec.scope` must be Namespaced or Cluster".into()),
        };
        let versions = spec.get("versions").and_then(Node::as_seq).unwrap_or(&[]);
        let flag = |v: &Node, key: &str| {
            v.get(key).and_then(Node::as_scalar).map(|s| s.resolved) == Some(Resolved::Bool(true))
        };
        let served =
            versions.iter().filter(|v| flag(v, "served")).filter_map(|v| text_at(v, "name")).collect();
        let storage = match version {
            None => versions.iter().find(|v| flag(v, "storage")).ok_or("no version has `storage: true`")?,
            Some(want) => versions
                .iter()
                .find(|v| text_at(v, "name").as_deref() == Some(want))
                .ok_or_else(|| format!("no version `{want}`"))?,
        };
        let version = text_at(storage, "name").ok_or("the version has no `name`")?;
        let open_api = storage
            .get("schema")
            .and_then(|s| s.get("openAPIV3Schema"))
            .ok_or("the version has no `schema.openAPIV3Schema`")?;
        let mut reader =
            SchemaReader { types: shape::schema().types.clone(), rules: Vec::new(), paths: Vec::new() };
        let Ty::Struct(root_type) = reader.ty(open_api, "") else {
            return Err("`openAPIV3Schema` must be an object with `properties`".into());
        };
        reader.object_fields(root_type);
        let schema = Schema { types: reader.types, kinds: vec![(kind.clone(), root_type)] };
        let paths = reader.paths;
        Ok(Crd { group, kind, plural, version, namespaced, served, rules: reader.rules, schema, paths })
    }

    /// The `apiVersion` that serves the kind: `group/version`.
    pub fn api_version(&self) -> String {
        format!("{}/{}", self.group, self.version)
    }

    /// Checks an object of the kind against the schema: every problem found, and whether one
    /// is more than an unknown field (the object is then left out), as [`shape::check`].
    pub fn check(&self, node: &Node, learner: bool) -> (Vec<Problem>, bool) {
        shape::check_in(&self.schema, &self.kind, node, learner)
    }
}

/// Turns OpenAPI v3 schemas into the table's types, collecting the CEL rules on the way.
struct SchemaReader {
    types: Vec<Type>,
    rules: Vec<Rule>,
    /// The path of each type pushed.
    paths: Vec<String>,
}

impl SchemaReader {
    /// The type of the value `schema` describes, found at `path` in the object.
    fn ty(&mut self, schema: &Node, path: &str) -> Ty {
        for r in schema.get("x-kubernetes-validations").and_then(Node::as_seq).unwrap_or(&[]) {
            if let Some(rule) = r.get("rule").and_then(Node::as_str) {
                let message = r.get("message").and_then(Node::as_str).map(str::to_string);
                self.rules.push(Rule { path: path.to_string(), rule: rule.to_string(), message });
            }
        }
        let flag = |key: &str| {
            schema.get(key).and_then(Node::as_scalar).map(|s| s.resolved) == Some(Resolved::Bool(true))
        };
        if flag("x-kubernetes-int-or-string") {
            return Ty::IntOrString;
        }
        let format = schema.get("format").and_then(Node::as_str);
        match schema.get("type").and_then(Node::as_str) {
            Some("string") => match schema.get("enum").and_then(Node::as_seq) {
                Some(values) => {
                    Ty::Enum(values.iter().filter_map(Node::as_str).map(str::to_string).collect())
                }
                None if format == Some("date-time") => Ty::Time,
                None if format == Some("byte") => Ty::Bytes,
                None => Ty::Str,
            },
            Some("integer") if format == Some("int32") => Ty::I32,
            Some("integer") => Ty::I64,
            Some("number") => Ty::Number,
            Some("boolean") => Ty::Bool,
            Some("array") => match schema.get("items") {
                Some(items) => Ty::List(Box::new(self.ty(items, &format!("{path}[*]")))),
                None => Ty::List(Box::new(Ty::Any)),
            },
            Some("object") => {
                match (schema.get("properties").and_then(Node::as_map), schema.get("additionalProperties")) {
                    (Some(properties), _) => self.object(schema, properties, path),
                    (None, Some(values)) if values.as_map().is_some() => {
                        Ty::Map(Box::new(self.ty(values, &format!("{path}[*]"))))
                    }
                    _ => Ty::Any,
                }
            }
            _ => Ty::Any,
        }
    }

    fn object(&mut self, schema: &Node, properties: &[Entry], path: &str) -> Ty {
        let index = self.types.len();
        self.types.push(Type { fields: Vec::new(), required: Vec::new() });
        self.paths.push(path.to_string());
        let mut fields = Vec::new();
        for p in properties {
            let Some(name) = p.key.as_str() else { continue };
            let at = if path.is_empty() { name.to_string() } else { format!("{path}.{name}") };
            fields.push((name.to_string(), self.ty(&p.value, &at)));
        }
        sorted::sort_by(&mut fields, |a, b| a.0.cmp(&b.0));
        // A required field with a `default` may be left out: the API server fills in the
        // defaults of a structural schema before it validates.
        let defaulted = |name: &str| {
            properties.iter().any(|p| p.key.as_str() == Some(name) && p.value.get("default").is_some())
        };
        let required = schema.get("required").and_then(Node::as_seq).unwrap_or(&[]);
        let required =
            required.iter().filter_map(Node::as_str).filter(|n| !defaulted(n)).map(str::to_string).collect();
        self.types[index] = Type { fields, required };
        Ty::Struct(index)
    }

    /// Gives the object's root what the API server gives every custom resource: `apiVersion`
    /// and `kind` strings and the API's ObjectMeta as `metadata`.
    fn object_fields(&mut self, root: usize) {
        let object_meta = shape::schema()
            .kinds
            .first()
            .and_then(|&(_, t)| self.types[t].fields.iter().find(|(f, _)| f == "metadata"))
            .map_or(Ty::Any, |(_, ty)| ty.clone());
        let fields = &mut self.types[root].fields;
        for (name, ty) in [("apiVersion", Ty::Str), ("kind", Ty::Str), ("metadata", object_meta)] {
            match fields.iter_mut().find(|(f, _)| f == name) {
                Some(field) => field.1 = ty,
                None => fields.push((name.to_string(), ty)),
            }
        }
        sorted::sort_by(fields, |a, b| a.0.cmp(&b.0));
    }
}
