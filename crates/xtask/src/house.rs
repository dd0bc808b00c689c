//! The house rules of ARCHITECTURE.md ("Invariants") that read the source of every crate
//! (crates/*/src and web/src), parsed with syn; run as tests of this crate, like deps.rs.
//!
//! - **No module circle inside a crate.** A crate's modules are read from its root (`lib.rs`,
//!   `main.rs`) through its `mod` declarations (`a.rs` or `a/mod.rs`), leaving out
//!   `#[cfg(test)]` modules and items. Every module is a node of the graph, submodules as
//!   themselves (`policy::decide` for `policy/decide.rs`, and an inline `mod` too), the crate
//!   root (what `lib.rs` or `main.rs` itself defines) as `crate`. A module
//!   depends on another when its code names it by a `crate::`, `super::` or `self::` path, or
//!   by a path whose first segment is one of its own child modules (in `use` items, in code,
//!   and in the tokens of macro calls such as `view!`). A path is followed to the module that
//!   defines the item it names, through `use` items and `*` imports, so a re-export (a `pub
//!   use`, which itself is no dependency) leads to the module behind it. The graph must be
//!   acyclic.
//! - **No function over [`MAX_FN_LINES`] lines**, counted from the line of its `fn` to the
//!   line of its closing brace, outside `#[cfg(test)]` modules and items (free functions,
//!   methods, default trait methods and functions nested in them; a Leptos `#[component]` is
//!   a function like any other, its `view!` counted as lines of its body).

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use proc_macro2::{Spacing, Span, TokenStream, TokenTree};
use syn::visit::{self, Visit};

/// The longest function allowed, in lines from its `fn` line to its closing brace.
pub const MAX_FN_LINES: usize = 150;

/// A module path from the crate root (`[]` is the root).
type ModPath = Vec<String>;

/// One module of a crate and what its non-test code declares and names.
#[derive(Default)]
struct Module {
    /// Its file, relative to the crate's `src`.
    file: String,
    children: BTreeSet<String>,
    /// The names of the items it defines (types, functions, constants, traits, macros).
    items: BTreeSet<String>,
    /// The names its `use` items bring in, with the absolute paths they stand for (`None`:
    /// from another crate).
    imports: BTreeMap<String, Option<ModPath>>,
    /// The absolute paths of its `use …::*` items.
    globs: Vec<ModPath>,
    /// Every path to this crate that its code names: (absolute path, line, the path as written).
    refs: Vec<(ModPath, usize, String)>,
}

/// A crate's modules, read from its root file through `mod` declarations.
pub struct Crate {
    modules: BTreeMap<ModPath, Module>,
}

/// Reads a crate from `root` (`lib.rs` or `main.rs`); `read` gives a file's text by its path
/// relative to `src` (`a.rs`, `a/mod.rs`, `a/b.rs`), `None` when there is no such file.
pub fn read_crate(root: &str, read: &dyn Fn(&str) -> Option<String>) -> Result<Crate, String> {
    let text = read(root).ok_or_else(|| format!("{root}: not found"))?;
    let file = syn::parse_file(&text).map_err(|e| format!("{root}: {e}"))?;
    let mut krate = Crate { modules: BTreeMap::new() };
    add_module(&mut krate, Vec::new(), root, &file.items, read)?;
    Ok(krate)
}

impl Crate {
    /// The files of the crate's non-test modules.
    pub fn files(&self) -> BTreeSet<&str> {
        self.modules.values().map(|m| m.file.as_str()).collect()
    }
}

fn add_module(
    krate: &mut Crate,
    path: ModPath,
    file: &str,
    items: &[syn::Item],
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<(), String> {
    let mut module = Module { file: file.to_string(), ..Module::default() };
    let live = || items.iter().filter(|item| !is_test(attrs_of(item)));
    for item in live() {
        if let syn::Item::Mod(m) = item {
            module.children.insert(m.ident.to_string());
        }
    }
    for item in live() {
        match item {
            syn::Item::Mod(m) => add_child(krate, &path, m, file, read)?,
            syn::Item::Use(u) => add_use(&mut module, &path, u),
            _ => {
                if let Some(name) = item_name(item) {
                    module.items.insert(name);
                }
                let mut refs = Refs::default();
                refs.visit_item(item);
                for (segments, line) in refs.paths {
                    if let Some(absolute) = absolute(&path, &module.children, &segments) {
                        module.refs.push((absolute, line, segments.join("::")));
                    }
                }
            }
        }
    }
    krate.modules.insert(path, module);
    Ok(())
}

fn add_child(
    krate: &mut Crate,
    parent: &[String],
    m: &syn::ItemMod,
    file: &str,
    read: &dyn Fn(&str) -> Option<String>,
) -> Result<(), String> {
    let mut path = parent.to_vec();
    path.push(m.ident.to_string());
    if let Some((_, items)) = &m.content {
        return add_module(krate, path, file, items, read);
    }
    let base = path.join("/");
    let (child, text) = [format!("{base}.rs"), format!("{base}/mod.rs")]
        .into_iter()
        .find_map(|f| read(&f).map(|t| (f, t)))
        .ok_or_else(|| format!("{file}: no file for `mod {}`", m.ident))?;
    let parsed = syn::parse_file(&text).map_err(|e| format!("{child}: {e}"))?;
    add_module(krate, path, &child, &parsed.items, read)
}

/// Records a `use` item's names for resolution, and as references unless it is a re-export.
fn add_use(module: &mut Module, path: &[String], u: &syn::ItemUse) {
    let mut flat = Vec::new();
    flatten_use(&u.tree, Vec::new(), &mut flat);
    for (segments, name) in flat {
        if u.leading_colon.is_some() {
            continue;
        }
        let Some(target) = absolute(path, &module.children, &segments) else {
            if let Some(name) = name {
                module.imports.insert(name, None);
            }
            continue;
        };
        if matches!(u.vis, syn::Visibility::Inherited) {
            let line = u.use_token.span.start().line;
            let text =
                if name.is_none() { format!("{}::*", segments.join("::")) } else { segments.join("::") };
            module.refs.push((target.clone(), line, text));
        }
        match name {
            Some(name) => {
                module.imports.insert(name, Some(target));
            }
            None => module.globs.push(target),
        }
    }
}

/// A use tree as (path, the name it brings in); a glob has no name.
fn flatten_use(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    let joined = |ident: &syn::Ident| {
        let mut path = prefix.clone();
        if ident != "self" {
            path.push(ident.to_string());
        }
        path
    };
    match tree {
        syn::UseTree::Path(p) => flatten_use(&p.tree, joined(&p.ident), out),
        syn::UseTree::Name(n) => {
            let path = joined(&n.ident);
            let name = path.last().cloned();
            out.push((path, name));
        }
        syn::UseTree::Rename(r) => out.push((joined(&r.ident), Some(r.rename.to_string()))),
        syn::UseTree::Glob(_) => out.push((prefix, None)),
        syn::UseTree::Group(g) => g.items.iter().for_each(|t| flatten_use(t, prefix.clone(), out)),
    }
}

/// The absolute path a path written in module `at` stands for, when it leads into this crate:
/// `crate::…`, `super::…`, `self::…`, or `child::…` for one of `at`'s child modules.
fn absolute(at: &[String], children: &BTreeSet<String>, segments: &[String]) -> Option<ModPath> {
    let first = segments.first()?;
    match first.as_str() {
        "crate" => Some(segments[1..].to_vec()),
        "self" => Some([at, &segments[1..]].concat()),
        "super" => {
            let ups = segments.iter().take_while(|s| *s == "super").count();
            let base = at.get(..at.len().checked_sub(ups)?)?;
            Some([base, &segments[ups..]].concat())
        }
        _ if segments.len() >= 2 && children.contains(first) => Some([at, segments].concat()),
        _ => None,
    }
}

fn attrs_of(item: &syn::Item) -> &[syn::Attribute] {
    use syn::Item::*;
    match item {
        Const(i) => &i.attrs,
        Enum(i) => &i.attrs,
        ExternCrate(i) => &i.attrs,
        Fn(i) => &i.attrs,
        ForeignMod(i) => &i.attrs,
        Impl(i) => &i.attrs,
        Macro(i) => &i.attrs,
        Mod(i) => &i.attrs,
        Static(i) => &i.attrs,
        Struct(i) => &i.attrs,
        Trait(i) => &i.attrs,
        TraitAlias(i) => &i.attrs,
        Type(i) => &i.attrs,
        Union(i) => &i.attrs,
        Use(i) => &i.attrs,
        _ => &[],
    }
}

fn item_name(item: &syn::Item) -> Option<String> {
    use syn::Item::*;
    let ident = match item {
        Const(i) => &i.ident,
        Enum(i) => &i.ident,
        Fn(i) => &i.sig.ident,
        Macro(i) => i.ident.as_ref()?,
        Static(i) => &i.ident,
        Struct(i) => &i.ident,
        Trait(i) => &i.ident,
        TraitAlias(i) => &i.ident,
        Type(i) => &i.ident,
        Union(i) => &i.ident,
        _ => return None,
    };
    Some(ident.to_string())
}

/// `#[cfg(test)]` (or a `cfg` that needs `test`, such as `all(test, …)`) and `#[test]`.
fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        if a.path().is_ident("test") {
            return true;
        }
        let syn::Meta::List(list) = &a.meta else { return false };
        let words: Vec<String> = idents(list.tokens.clone());
        a.path().is_ident("cfg")
            && words.iter().any(|w| w == "test")
            && !words.iter().any(|w| w == "not" || w == "any")
    })
}

fn idents(tokens: TokenStream) -> Vec<String> {
    let mut out = Vec::new();
    for tree in tokens {
        match tree {
            TokenTree::Ident(i) => out.push(i.to_string()),
            TokenTree::Group(g) => out.extend(idents(g.stream())),
            _ => {}
        }
    }
    out
}

/// The paths named in code, with their lines: syn's paths, and `a::b` sequences in the tokens
/// of macro calls. Visibilities (`pub(crate)`), attributes and test items are skipped.
#[derive(Default)]
struct Refs {
    paths: Vec<(Vec<String>, usize)>,
}

impl<'ast> Visit<'ast> for Refs {
    fn visit_path(&mut self, path: &'ast syn::Path) {
        if path.leading_colon.is_none() {
            let segments = path.segments.iter().map(|s| s.ident.to_string()).collect();
            self.paths.push((segments, line(path.segments[0].ident.span())));
        }
        visit::visit_path(self, path);
    }
    fn visit_visibility(&mut self, _: &'ast syn::Visibility) {}
    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}
    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        self.visit_path(&mac.path);
        token_paths(mac.tokens.clone(), &mut self.paths);
    }
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_test(attrs_of(item)) {
            visit::visit_item(self, item);
        }
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test(&f.attrs) {
            visit::visit_impl_item_fn(self, f);
        }
    }
}

fn line(span: Span) -> usize {
    span.start().line
}

/// The `a::b::c` paths in a token stream (not those after a leading `::`), in every group.
fn token_paths(tokens: TokenStream, out: &mut Vec<(Vec<String>, usize)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let colons = |i: usize| {
        matches!((trees.get(i), trees.get(i + 1)), (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':')
    };
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            TokenTree::Group(g) => {
                token_paths(g.stream(), out);
                i += 1;
            }
            TokenTree::Ident(first) => {
                let mut segments = vec![first.to_string()];
                let mut j = i + 1;
                while colons(j) {
                    let Some(TokenTree::Ident(next)) = trees.get(j + 2) else { break };
                    segments.push(next.to_string());
                    j += 3;
                }
                let leading = i >= 2 && colons(i - 2);
                if segments.len() >= 2 && !leading {
                    out.push((segments, line(first.span())));
                }
                i = j;
            }
            _ => i += 1,
        }
    }
}

impl Crate {
    /// The module that defines what an absolute path names, followed through `use` items and
    /// `*` imports; a path that leads nowhere known stops at the last module it reached, and
    /// one that leads to another crate is `None`.
    fn resolve(&self, path: &[String], depth: usize) -> Option<ModPath> {
        let mut at: ModPath = Vec::new();
        for (i, segment) in path.iter().enumerate() {
            let Some(module) = self.modules.get(&at) else { return Some(at) };
            if module.children.contains(segment) {
                at.push(segment.clone());
                continue;
            }
            if module.items.contains(segment) || depth > 16 {
                return Some(at);
            }
            if let Some(target) = module.imports.get(segment) {
                return self.resolve(&[target.as_deref()?, &path[i + 1..]].concat(), depth + 1);
            }
            for glob in &module.globs {
                if self.modules.get(glob).is_some_and(|g| g.names(segment)) {
                    return self.resolve(&[glob.as_slice(), &path[i..]].concat(), depth + 1);
                }
            }
            return Some(at);
        }
        Some(at)
    }

    /// The dependencies between modules: (from, to) -> the references behind it, as
    /// `file:line uses path`.
    fn edges(&self) -> BTreeMap<(String, String), Vec<String>> {
        let mut edges: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for (path, module) in &self.modules {
            for (target, line, text) in &module.refs {
                let Some(to) = self.resolve(target, 0).map(|t| node(&t)) else { continue };
                let from = node(path);
                if from != to {
                    let why = format!("{}:{line} uses {text}", module.file);
                    edges.entry((from, to)).or_default().push(why);
                }
            }
        }
        edges
    }

    /// Every circle of the module graph, one per strongly connected set of modules, as
    /// `a -> b -> a (a.rs:3 uses crate::b::x; b.rs:9 uses crate::a::y)`.
    pub fn circles(&self) -> Vec<String> {
        let edges = self.edges();
        let mut next: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for (from, to) in edges.keys() {
            next.entry(from).or_default().push(to);
        }
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut out = Vec::new();
        for &start in next.keys() {
            if seen.contains(start) {
                continue;
            }
            let Some(cycle) = shortest_cycle(&next, start) else { continue };
            let set = component(&next, start);
            seen.extend(set.iter().copied());
            let names: Vec<&str> = cycle.iter().copied().chain([start]).collect();
            let reasons: Vec<&str> =
                names.windows(2).map(|w| edges[&(w[0].to_string(), w[1].to_string())][0].as_str()).collect();
            out.push(format!("{} ({})", names.join(" -> "), reasons.join("; ")));
        }
        out
    }
}

impl Module {
    fn names(&self, name: &str) -> bool {
        self.children.contains(name) || self.items.contains(name) || self.imports.contains_key(name)
    }
}

/// The node of a module in the graph: its path (`policy::decide`), or `crate` for the root.
fn node(path: &[String]) -> String {
    if path.is_empty() {
        "crate".to_string()
    } else {
        path.join("::")
    }
}

/// The shortest path from `start` back to itself, as the nodes from `start` on.
fn shortest_cycle<'a>(next: &BTreeMap<&'a str, Vec<&'a str>>, start: &'a str) -> Option<Vec<&'a str>> {
    let mut came_from: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(at) = queue.pop_front() {
        for &to in next.get(at).into_iter().flatten() {
            if to == start {
                let mut cycle = vec![at];
                while let Some(&before) = came_from.get(cycle.last()?) {
                    cycle.push(before);
                }
                cycle.reverse();
                return Some(cycle);
            }
            if to != start && !came_from.contains_key(to) {
                came_from.insert(to, at);
                queue.push_back(to);
            }
        }
    }
    None
}

/// The nodes on some circle through `start`: those it reaches that reach it back.
fn component<'a>(next: &BTreeMap<&'a str, Vec<&'a str>>, start: &'a str) -> BTreeSet<&'a str> {
    let reach = |from: &'a str| {
        let mut seen = BTreeSet::from([from]);
        let mut stack = vec![from];
        while let Some(at) = stack.pop() {
            for &to in next.get(at).into_iter().flatten() {
                if seen.insert(to) {
                    stack.push(to);
                }
            }
        }
        seen
    };
    reach(start).into_iter().filter(|&n| reach(n).contains(start)).collect()
}

/// A function over [`MAX_FN_LINES`]: `file:line name is N lines`.
pub fn long_functions(file: &str, text: &str) -> Result<Vec<String>, String> {
    let parsed = syn::parse_file(text).map_err(|e| format!("{file}: {e}"))?;
    let mut lengths = Lengths { file, self_ty: None, out: Vec::new() };
    lengths.visit_file(&parsed);
    Ok(lengths.out)
}

struct Lengths<'f> {
    file: &'f str,
    /// The type of the `impl` block being read, to name its methods `Type::method`.
    self_ty: Option<String>,
    out: Vec<String>,
}

impl Lengths<'_> {
    fn measure(&mut self, sig: &syn::Signature, block: &syn::Block) {
        let (first, last) = (line(sig.fn_token.span), block.brace_token.span.close().end().line);
        let lines = last + 1 - first;
        if lines > MAX_FN_LINES {
            let name = match &self.self_ty {
                Some(ty) => format!("{ty}::{}", sig.ident),
                None => sig.ident.to_string(),
            };
            self.out.push(format!("{}:{first} {name} is {lines} lines", self.file));
        }
    }
}

impl<'ast> Visit<'ast> for Lengths<'_> {
    fn visit_item(&mut self, item: &'ast syn::Item) {
        if !is_test(attrs_of(item)) {
            visit::visit_item(self, item);
        }
    }
    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        let outer = self.self_ty.take();
        self.measure(&f.sig, &f.block);
        visit::visit_item_fn(self, f);
        self.self_ty = outer;
    }
    fn visit_item_impl(&mut self, i: &'ast syn::ItemImpl) {
        let outer = self.self_ty.take();
        if let syn::Type::Path(p) = &*i.self_ty {
            self.self_ty = p.path.segments.last().map(|s| s.ident.to_string());
        }
        visit::visit_item_impl(self, i);
        self.self_ty = outer;
    }
    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_test(&f.attrs) {
            self.measure(&f.sig, &f.block);
            visit::visit_impl_item_fn(self, f);
        }
    }
    fn visit_trait_item_fn(&mut self, f: &'ast syn::TraitItemFn) {
        if let Some(block) = &f.default {
            self.measure(&f.sig, block);
        }
        visit::visit_trait_item_fn(self, f);
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::root;

    /// Every crate root of crates/*/src and web/src: (label, src directory, root file).
    fn roots() -> Vec<(String, std::path::PathBuf, &'static str)> {
        let mut dirs: Vec<_> = std::fs::read_dir(root().join("crates"))
            .expect("crates/")
            .flatten()
            .map(|e| e.path().join("src"))
            .chain([root().join("web/src")])
            .filter(|p| p.is_dir())
            .collect();
        dirs.sort();
        let mut out = Vec::new();
        for dir in dirs {
            let name =
                dir.parent().and_then(Path::file_name).unwrap_or_default().to_string_lossy().to_string();
            for file in ["lib.rs", "main.rs"].into_iter().filter(|f| dir.join(f).exists()) {
                let label = if file == "main.rs" && dir.join("lib.rs").exists() {
                    format!("{name} (main.rs)")
                } else {
                    name.clone()
                };
                out.push((label, dir.clone(), file));
            }
        }
        out
    }

    fn read_real(label: &str, dir: &Path, file: &str) -> Crate {
        let read = |rel: &str| std::fs::read_to_string(dir.join(rel)).ok();
        read_crate(file, &read).unwrap_or_else(|e| panic!("{label}: {e}"))
    }

    #[test]
    fn no_module_circle_in_any_crate() {
        let mut found = Vec::new();
        for (label, dir, file) in roots() {
            for circle in read_real(&label, &dir, file).circles() {
                found.push(format!("{label}: {circle}"));
            }
        }
        assert!(found.is_empty(), "module circles (ARCHITECTURE.md, \"Invariants\"):\n{}", found.join("\n"));
    }

    #[test]
    fn no_function_over_150_lines() {
        let mut found = Vec::new();
        for (label, dir, file) in roots() {
            for rel in read_real(&label, &dir, file).files() {
                let text = std::fs::read_to_string(dir.join(rel)).expect("source file");
                let shown =
                    dir.join(rel).strip_prefix(root()).map(|p| p.display().to_string()).unwrap_or_default();
                for long in long_functions(&shown, &text).expect("parses") {
                    if !found.contains(&long) {
                        found.push(long);
                    }
                }
            }
        }
        assert!(
            found.is_empty(),
            "functions over {MAX_FN_LINES} lines (ARCHITECTURE.md, \"Invariants\"):\n{}",
            found.join("\n")
        );
    }

    fn synthetic(files: &[(&str, &str)]) -> Crate {
        let files: BTreeMap<String, String> =
            files.iter().map(|(p, t)| (p.to_string(), t.to_string())).collect();
        read_crate("lib.rs", &|p| files.get(p).cloned()).expect("reads")
    }

    #[test]
    fn finds_a_circle_through_paths_and_macros() {
        let krate = synthetic(&[
            ("lib.rs", "mod convert;\nmod validate;\npub use validate::Check;\n"),
            ("convert.rs", "use crate::Check;\n\npub fn convert() {}\n"),
            ("validate/mod.rs", "mod rules;\npub struct Check;\n\npub fn check() {\n    rules::f();\n}\n"),
            (
                "validate/rules.rs",
                "pub fn f() {\n    let _ = format!(\"{}\", super::super::convert::convert());\n}\n",
            ),
        ]);
        assert_eq!(
            krate.circles(),
            ["convert -> validate -> validate::rules -> convert (convert.rs:1 uses crate::Check; \
              validate/mod.rs:5 uses rules::f; validate/rules.rs:2 uses super::super::convert::convert)"]
        );
    }

    #[test]
    fn test_code_and_re_exports_make_no_circle() {
        let krate = synthetic(&[
            ("lib.rs", "mod a;\nmod b;\npub use a::A;\nfn root() { b::run() }\n"),
            ("a.rs", "pub struct A;\n#[cfg(test)]\nmod tests {\n    use crate::b::run;\n}\n#[cfg(test)]\nfn helper() { crate::b::run() }\n"),
            ("b.rs", "pub use crate::a::A;\npub(crate) fn run() { let _ = crate::A; }\n"),
        ]);
        // b -> a and the root -> b, but the root's `pub use a::A` is a re-export, not a use.
        assert_eq!(krate.circles(), Vec::<String>::new());
        let edges: Vec<_> = krate.edges().into_keys().collect();
        assert_eq!(edges, [("b".to_string(), "a".to_string()), ("crate".to_string(), "b".to_string())]);
    }

    #[test]
    fn finds_a_long_function_and_skips_tests() {
        let body = "    let x = 1;\n".repeat(MAX_FN_LINES - 2);
        let text = format!(
            "fn short() {{\n{body}}}\n\nimpl Thing {{\n    pub fn long(&self) {{\n{body}        let y = 2;\n    }}\n}}\n\n\
             #[cfg(test)]\nmod tests {{\n    fn long_test() {{\n{body}{body}}}\n}}\n"
        );
        assert_eq!(
            long_functions("x.rs", &text).unwrap(),
            [format!("x.rs:{} Thing::long is 151 lines", MAX_FN_LINES + 3)]
        );
    }
}
