//! The curriculum embedded in the wasm (see build.rs): chapters in order, each with its
//! exercises loaded through the same strict loader `switchboard check` uses.

use exercises::Exercise;

include!(concat!(env!("OUT_DIR"), "/curriculum.rs"));

#[derive(Clone, Debug, PartialEq)]
pub struct Chapter {
    pub id: String,
    pub title: String,
    pub exercises: Vec<Exercise>,
}

/// `(id, title)` of each chapter, from chapters.yaml.
fn chapter_list() -> Vec<(String, String)> {
    let Some((_, text)) = CURRICULUM.iter().find(|(p, _)| *p == "chapters.yaml") else { return Vec::new() };
    let mut sink = Vec::new();
    let docs = manifest::yaml::parse("chapters.yaml", text, &mut sink);
    let Some(items) = docs.first().and_then(|d| d.root.as_seq()) else { return Vec::new() };
    items
        .iter()
        .filter_map(|n| Some((n.get("id")?.as_str()?.to_string(), n.get("title")?.as_str()?.to_string())))
        .collect()
}

/// Every chapter with its exercises, in order (file name order within a chapter). Files that
/// do not load are left out (`switchboard check` keeps the shipped ones loading).
pub fn load() -> Vec<Chapter> {
    let mut chapters: Vec<Chapter> =
        chapter_list().into_iter().map(|(id, title)| Chapter { id, title, exercises: Vec::new() }).collect();
    for (path, text) in CURRICULUM {
        let Some((folder, _)) = path.split_once('/') else { continue };
        let Some(ex) = exercises::load(path, text).exercise else { continue };
        match chapters.iter_mut().find(|c| c.id == folder) {
            Some(c) => c.exercises.push(ex),
            None => chapters.push(Chapter {
                id: folder.to_string(),
                title: folder.to_string(),
                exercises: vec![ex],
            }),
        }
    }
    chapters.retain(|c| !c.exercises.is_empty());
    chapters
}
