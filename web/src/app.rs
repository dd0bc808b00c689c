//! The app's state and the flow around it: which exercise is open (named by the URL hash
//! `#/<chapter>/<exercise>`), the learner's files (saved on every change), and the grade,
//! recomputed on the next animation frame after a change.

use exercises::{CheckResult, Exercise, Grade};
use leptos::prelude::*;
use manifest::{Diagnostic, SourceFile};

use crate::curriculum::{self, Chapter, Entry};
use crate::playback::Playback;
use crate::sandbox;
use crate::store::{self, Progress};
use crate::transfer::{self, Backup, Export};

/// A status message: what an action changed, with an Undo button when it can be undone.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub text: String,
    pub undo: bool,
}

/// Shared by every component through the context.
#[derive(Clone, Copy)]
pub struct AppState {
    pub chapters: StoredValue<Vec<Chapter>>,
    /// `(chapter index, exercise index)` of the open exercise.
    pub current: RwSignal<Option<(usize, usize)>>,
    /// The learner's version of the open exercise's files.
    pub files: RwSignal<Vec<SourceFile>>,
    /// Bumped when the files were replaced from outside the editor (reset, solution).
    pub replaced: RwSignal<u64>,
    pub grade: RwSignal<Option<Grade>>,
    /// The grade's check results, changed only when they change (not on every keystroke that
    /// leaves them as they were): the checks list, read aloud as it changes, is redrawn from it.
    pub results: Memo<Option<Vec<CheckResult>>>,
    /// The grade's diagnostics, changed only when they change (the editors' marks and the
    /// Problems list are redrawn from it).
    pub diagnostics: Memo<Option<Vec<Diagnostic>>>,
    pub progress: RwSignal<Progress>,
    /// A problem the learner must know about (a failed save, a crash).
    pub banner: RwSignal<Option<String>>,
    /// What the last action changed (an import, a reset), shown as a status message.
    pub notice: RwSignal<Option<Notice>>,
    /// The action the kept backup undoes ("import", "reset", ...), while there is one.
    pub undo: RwSignal<Option<String>>,
    /// The files came from a share link: shown read-only, not saved, until copied.
    pub shared: RwSignal<bool>,
    /// The last share link made, shown for copying.
    pub share_link: RwSignal<Option<String>>,
    /// The requests played over the picture (from the composer or the terminal).
    pub play: Playback,
    /// A place in the files to show in the editor (file, byte offset): a hop's cause.
    pub jump: RwSignal<Option<(String, usize)>>,
    /// Why the open exercise's file could not be fetched (shown in the lesson panel).
    pub unavailable: RwSignal<Option<String>>,
    /// Whether a grade is already scheduled for the next frame.
    scheduled: StoredValue<bool>,
    /// Whether the Gateway API's part of the model is being fetched (`parts_when_named`).
    gateway_loading: StoredValue<bool>,
    /// Whether the ingress controller's routing is being fetched (`parts_when_named`).
    ingress_loading: StoredValue<bool>,
    /// Whether kube-proxy's rules are being fetched (`parts_when_named`).
    rules_loading: StoredValue<bool>,
    /// The last reading of each file, reused for the documents an edit left as they were.
    parses: StoredValue<manifest::yaml::Parses>,
    /// How many times an exercise was opened (see `with_exercise`).
    openings: StoredValue<u64>,
}

impl AppState {
    pub fn new() -> AppState {
        let grade = RwSignal::new(None::<Grade>);
        AppState {
            chapters: StoredValue::new(saved_chapters()),
            current: RwSignal::new(None),
            files: RwSignal::new(Vec::new()),
            replaced: RwSignal::new(0),
            grade,
            results: Memo::new(move |_| grade.with(|g| g.as_ref().map(|g| g.results.clone()))),
            diagnostics: Memo::new(move |_| grade.with(|g| g.as_ref().map(|g| g.diagnostics.clone()))),
            progress: RwSignal::new(store::load_progress()),
            banner: RwSignal::new(None),
            notice: RwSignal::new(None),
            undo: RwSignal::new(store::backup_action()),
            shared: RwSignal::new(false),
            share_link: RwSignal::new(None),
            play: Playback::new(),
            jump: RwSignal::new(None),
            unavailable: RwSignal::new(None),
            scheduled: StoredValue::new(false),
            gateway_loading: StoredValue::new(false),
            ingress_loading: StoredValue::new(false),
            rules_loading: StoredValue::new(false),
            parses: StoredValue::new(manifest::yaml::Parses::new()),
            openings: StoredValue::new(0),
        }
    }

    /// The open exercise, once loaded (`None` while a built-in one is being fetched).
    pub fn exercise(&self) -> Option<Exercise> {
        self.body(self.current.get()?)
    }

    pub fn exercise_untracked(&self) -> Option<Exercise> {
        self.body(self.current.get_untracked()?)
    }

    /// Runs `f` on the open exercise where it is stored (no clone), once it is loaded. Tracks
    /// which exercise is open.
    pub fn with_open<R>(&self, f: impl FnOnce(&Exercise) -> R) -> Option<R> {
        let (c, e) = self.current.get()?;
        self.chapters.with_value(|chs| Some(f(chs.get(c)?.exercises.get(e)?.body.as_ref()?)))
    }

    fn body(&self, (c, e): (usize, usize)) -> Option<Exercise> {
        self.chapters.with_value(|chs| chs.get(c)?.exercises.get(e)?.body.clone())
    }

    /// Runs `then` with the exercise at `at`: at once when it is loaded, else after fetching
    /// its file, if `at` is still the open exercise by then. Until it arrives the editor and
    /// the checks are empty (nothing can be typed into the wrong exercise); a failed fetch is
    /// shown in the lesson panel, with a button to try again.
    fn with_exercise(&self, at: (usize, usize), then: impl FnOnce(Exercise) + 'static) {
        // Each opening has a number: a fetch that completes after another opening (even of
        // the same exercise, A -> B -> A) is stored but does not open anything.
        let opening = self.openings.get_value() + 1;
        self.openings.set_value(opening);
        self.unavailable.set(None);
        if let Some(ex) = self.body(at) {
            then(ex);
            return;
        }
        let Some((id, path)) = self
            .chapters
            .with_value(|chs| chs.get(at.0)?.exercises.get(at.1).map(|e| (e.id.clone(), e.path)))
        else {
            return;
        };
        let Some(path) = path else { return };
        self.files.set(Vec::new());
        self.grade.set(None);
        self.replaced.update(|n| *n += 1);
        let this = *self;
        wasm_bindgen_futures::spawn_local(async move {
            let fetched = curriculum::fetch(path).await.and_then(|ex| {
                // The listing is built into the wasm; the file comes from the server. They
                // disagree only when the site changed under an open page.
                if ex.id == id {
                    Ok(ex)
                } else {
                    Err(format!(
                        "{path} is now the exercise `{}`, not `{id}`: the site was updated since this page was loaded; reload the page",
                        ex.id
                    ))
                }
            });
            match fetched {
                Ok(ex) => {
                    this.chapters.update_value(|chs| {
                        if let Some(slot) = chs.get_mut(at.0).and_then(|ch| ch.exercises.get_mut(at.1)) {
                            slot.body = Some(ex.clone());
                        }
                    });
                    if this.openings.get_value() == opening {
                        // Tells everything showing the open exercise that it has arrived.
                        this.current.set(Some(at));
                        then(ex);
                    }
                }
                Err(e) => {
                    if this.openings.get_value() == opening {
                        this.unavailable.set(Some(e));
                    }
                }
            }
        });
    }

    /// Opens the open exercise again (after its file could not be fetched), as the URL names
    /// it: a share link's files again, else the learner's own.
    pub fn retry(&self) {
        let hash = crate::address::current_hash();
        if hash.starts_with(crate::share::PREFIX) {
            self.open_shared(&hash);
        } else if let Some(at) = self.current.get_untracked() {
            self.open(at);
        }
    }

    /// `(chapter, exercise)` indexes for a hash like `#/03-dns/srv-records`.
    pub fn find(&self, hash: &str) -> Option<(usize, usize)> {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (chapter, id) = path.split_once('/')?;
        self.chapters.with_value(|chs| {
            let c = chs.iter().position(|ch| ch.id == chapter)?;
            let e = chs[c].exercises.iter().position(|ex| ex.id == id)?;
            Some((c, e))
        })
    }

    /// Starts fetching the file of the exercise `hash` names (else the first one), so that it
    /// arrives while the page is first drawn.
    pub fn prefetch(&self, hash: &str) {
        let at = self.find(hash).unwrap_or((0, 0));
        if let Some(path) = self.chapters.with_value(|chs| chs.get(at.0)?.exercises.get(at.1)?.path) {
            curriculum::prefetch(path);
        }
    }

    pub fn hash_of(&self, c: usize, e: usize) -> Option<String> {
        self.chapters.with_value(|chs| {
            let ch = chs.get(c)?;
            Some(format!("#/{}/{}", ch.id, ch.exercises.get(e)?.id))
        })
    }

    /// The exercise after `(c, e)`, across chapters.
    pub fn next(&self, c: usize, e: usize) -> Option<(usize, usize)> {
        self.chapters.with_value(|chs| {
            if e + 1 < chs.get(c)?.exercises.len() {
                Some((c, e + 1))
            } else {
                (c + 1 < chs.len()).then_some((c + 1, 0))
            }
        })
    }

    /// Opens an exercise: its files come from storage, else from its starting text.
    pub fn open(&self, at: (usize, usize)) {
        self.shared.set(false);
        self.play.clear();
        self.current.set(Some(at));
        let this = *self;
        self.with_exercise(at, move |ex| {
            this.show(starting_files(&ex, |name| store::load_file(&ex.id, name)))
        });
    }

    /// Loads an instructor's exercise file: it must pass what `switchboard check` asks (loads
    /// without error, solution passes, start fails); then it is saved and opened, its progress
    /// apart from the built-in exercises (chapter `custom`, id prefixed `custom-`).
    pub fn add_scenario(&self, text: &str, file: &str) -> Result<(), Vec<String>> {
        if exercises::pack::is_pack(text) {
            return self.add_pack(text, file);
        }
        let ex = scenario(text, file, Audit::Now)?;
        if let Err(e) = store::save_scenario(&ex.id, text) {
            self.banner.set(Some(e));
        }
        let id = ex.id.clone();
        self.chapters.update_value(|chs| add_custom(chs, ex));
        if let Some(at) = self.find(&format!("#/{CUSTOM}/{id}")) {
            if let Some(hash) = self.hash_of(at.0, at.1) {
                crate::address::set_hash(&hash);
            }
            self.open(at);
        }
        Ok(())
    }

    /// Runs `then` once the course packs saved here are chapters of the listing: at once when
    /// there are none, else after their reader (a wasm module of its own: few visits have a
    /// pack, so the first grade does not wait for it) has read them.
    pub fn with_packs(&self, then: impl FnOnce() + 'static) {
        if !store::load_scenarios().iter().any(|(_, text)| exercises::pack::is_pack(text)) {
            return then();
        }
        let this = *self;
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(why) = read_packs_later(this).await {
                this.banner.set(Some(why.to_string()));
            }
            then();
        });
    }

    /// Adds each course pack saved here to the listing, as a chapter of its own.
    fn read_packs_now(&self) {
        for (_, text) in store::load_scenarios() {
            if !exercises::pack::is_pack(&text) {
                continue;
            }
            if let Ok(chapter) = pack(&text, "pack.yaml") {
                self.chapters.update_value(|chs| add_chapter(chs, chapter));
            }
        }
        self.replaced.update(|n| *n += 1);
    }

    /// Loads a course pack as `add_scenario` loads one exercise: checked, saved (as one
    /// scenario file, so that export and import carry it), shown as a chapter of its own in
    /// place of an earlier version of the same pack, and its first exercise opened.
    fn add_pack(&self, text: &str, file: &str) -> Result<(), Vec<String>> {
        let chapter = pack(text, file)?;
        if let Err(e) = store::save_scenario(&chapter.id, text) {
            self.banner.set(Some(e));
        }
        let first = chapter.exercises.first().map(|e| format!("#/{}/{}", chapter.id, e.id));
        self.chapters.update_value(|chs| add_chapter(chs, chapter));
        self.replaced.update(|n| *n += 1);
        if let Some(at) = first.and_then(|hash| self.find(&hash)) {
            if let Some(hash) = self.hash_of(at.0, at.1) {
                crate::address::set_hash(&hash);
            }
            self.open(at);
        }
        Ok(())
    }

    /// The text of a file of the open exercise: the learner's, or the read-only cluster.
    pub fn file_text(&self, name: &str) -> Option<String> {
        if let Some(t) =
            self.files.with_untracked(|fs| fs.iter().find(|f| f.name == name).map(|f| f.text.clone()))
        {
            return Some(t);
        }
        (name == exercises::CLUSTER_FILE).then(|| self.exercise_untracked().map(|ex| ex.cluster)).flatten()
    }

    /// Whether the open exercise is a sandbox.
    pub fn in_sandbox(&self) -> bool {
        self.exercise().is_some_and(|ex| ex.chapter == sandbox::CHAPTER)
    }

    /// Creates (or opens) the sandbox `name` and opens it.
    /// With a `starter` (file name, text), a new sandbox holds that file; one that exists
    /// already is opened as it is, and the banner says so: nothing of it is overwritten.
    pub fn new_sandbox(&self, name: &str, starter: Option<(&str, &str)>) -> Result<(), String> {
        let slug = sandbox::slug(name).ok_or("a sandbox name needs letters or digits")?;
        let first = starter.map_or(sandbox::FIRST_FILE, |s| s.0);
        let files = vec![first.to_string()];
        let id = format!("sandbox-{slug}");
        let exists = self.find(&format!("#/{}/{id}", sandbox::CHAPTER)).is_some();
        if exists && starter.is_some() {
            self.banner.set(Some(format!(
                "A sandbox named {slug} exists already: it is open, as you left it. Name the new one otherwise."
            )));
        }
        if !exists {
            if let Some((file, text)) = starter {
                store::save_file(&id, file, text)?;
            }
            store::save_sandbox(&slug, &files)?;
            self.chapters.update_value(|chs| {
                if let Some(c) = chs.iter_mut().find(|c| c.id == sandbox::CHAPTER) {
                    c.exercises.push(Entry::of(sandbox::exercise(&slug, &files)));
                }
            });
        }
        if let Some(at) = self.find(&format!("#/{}/{id}", sandbox::CHAPTER)) {
            if let Some(hash) = self.hash_of(at.0, at.1) {
                crate::address::set_hash(&hash);
            }
            self.open(at);
        }
        Ok(())
    }

    /// Runs kube-proxy in nftables mode (`on`) or iptables mode in every sandbox from now on,
    /// and grades the open one again. The learners' files are untouched.
    pub fn set_sandbox_nftables(&self, on: bool) {
        if let Err(e) = store::save_sandbox_nftables(on) {
            self.banner.set(Some(e));
        }
        self.chapters.update_value(|chs| {
            for c in chs.iter_mut().filter(|c| c.id == sandbox::CHAPTER) {
                for e in &mut c.exercises {
                    if let Some(ex) = &mut e.body {
                        ex.topology = sandbox::exercise("", &[]).topology;
                    }
                }
            }
        });
        self.regrade_now();
    }

    /// Adds an empty file to the open sandbox.
    pub fn add_file(&self, name: &str) -> Result<(), String> {
        let Some(ex) = self.exercise_untracked().filter(|ex| ex.chapter == sandbox::CHAPTER) else {
            return Err("files can be added in a sandbox only".into());
        };
        let file = sandbox::file_name(name)
            .ok_or("a file name is letters, digits, '-', '_' and '.', ending in .yaml (not cluster.yaml)")?;
        if ex.files.iter().any(|f| f.name == file) {
            return Err(format!("{file} already exists"));
        }
        let slug = ex.id.trim_start_matches("sandbox-").to_string();
        let mut names: Vec<String> = ex.files.iter().map(|f| f.name.clone()).collect();
        names.push(file.clone());
        store::save_sandbox(&slug, &names)?;
        let updated = sandbox::exercise(&slug, &names);
        let Some((c, e)) = self.current.get_untracked() else { return Ok(()) };
        self.chapters.update_value(|chs| {
            if let Some(slot) = chs.get_mut(c).and_then(|ch| ch.exercises.get_mut(e)) {
                *slot = Entry::of(updated);
            }
        });
        self.files.update(|fs| fs.push(SourceFile { name: file, text: String::new() }));
        self.replaced.update(|n| *n += 1);
        self.regrade_now();
        Ok(())
    }

    /// Writes the Gateway API objects that route as the Ingresses of sandbox file `file` do
    /// (`kubectl::converted_ingresses_yaml`, as `switchboard convert ingress`) into a new file
    /// beside it, `<file>-gateway.yaml` (never over another), and returns its name.
    pub fn convert_ingresses(&self, file: &str) -> Option<String> {
        let ex = self.exercise_untracked()?;
        let files = self.files.get_untracked();
        let (loaded, _) = exercises::model(&ex, &files);
        let mut s = loaded.scenario;
        s.ingresses.retain(|i| i.source.as_ref().is_some_and(|src| src.file == file));
        if s.ingresses.is_empty() {
            self.banner.set(Some(format!(
                "{file} holds no Ingress that reads without error: fix its Problems first"
            )));
            return None;
        }
        let yaml = kubectl::converted_ingresses_yaml(&s, kubectl::DEFAULT_GATEWAY_CLASS);
        let stem = file.trim_end_matches(".yaml").trim_end_matches(".yml");
        let name = (1..100)
            .map(|n| if n == 1 { format!("{stem}-gateway.yaml") } else { format!("{stem}-gateway-{n}.yaml") })
            .find(|n| !files.iter().any(|f| &f.name == n))?;
        if let Err(e) = self.add_file(&name) {
            self.banner.set(Some(e));
            return None;
        }
        self.edit(&name, yaml);
        self.replaced.update(|n| *n += 1);
        self.notice.set(Some(Notice {
            text: format!("Converted the Ingresses of {file} into {name}; the Replay tab compares the two"),
            undo: false,
        }));
        Some(name)
    }

    /// Opens a share link's attempt read-only; a bad link changes nothing. The decoder is
    /// loaded when first needed (`crate::later`).
    pub fn open_shared(&self, fragment: &str) {
        crate::later::run(open_shared_later(*self, fragment.to_string()), self.banner);
    }

    /// `open_shared`, with the decoder at hand.
    pub fn open_shared_now(&self, fragment: &str) {
        let shared = match crate::share::decode(fragment) {
            Ok(s) => s,
            Err(e) => {
                self.banner.set(Some(format!("This share link cannot be opened: {e}")));
                return;
            }
        };
        let at = self.chapters.with_value(|chs| {
            chs.iter().enumerate().find_map(|(c, ch)| {
                ch.exercises.iter().position(|ex| ex.id == shared.exercise).map(|e| (c, e))
            })
        });
        // A shared sandbox this browser does not have: play it as a new, unsaved sandbox.
        let at = at.or_else(|| {
            let slug = shared.exercise.strip_prefix("sandbox-").and_then(sandbox::slug)?;
            let names: Vec<String> = shared.files.keys().filter_map(|n| sandbox::file_name(n)).collect();
            let names = if names.is_empty() { vec![sandbox::FIRST_FILE.to_string()] } else { names };
            self.chapters.update_value(|chs| {
                if let Some(c) = chs.iter_mut().find(|c| c.id == sandbox::CHAPTER) {
                    c.exercises.push(Entry::of(sandbox::exercise(&slug, &names)));
                }
            });
            self.find(&format!("#/{}/sandbox-{slug}", sandbox::CHAPTER))
        });
        let Some(at) = at else {
            self.banner.set(Some(format!(
                "This share link is for an exercise this site does not have (`{}`)",
                shared.exercise.chars().take(80).collect::<String>()
            )));
            return;
        };
        self.current.set(Some(at));
        self.shared.set(true);
        let this = *self;
        self.with_exercise(at, move |ex| {
            this.show(starting_files(&ex, |name| shared.files.get(name).cloned()))
        });
    }

    /// Makes the shared files the learner's own attempt (saved, editable).
    pub fn copy_shared(&self) {
        let files = self.files.get_untracked();
        if let Some(ex) = self.exercise_untracked().filter(|ex| ex.chapter == sandbox::CHAPTER) {
            let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
            if let Err(e) = store::save_sandbox(ex.id.trim_start_matches("sandbox-"), &names) {
                self.banner.set(Some(e));
            }
        }
        self.shared.set(false);
        self.replace(files, "copy", "Copied the shared files into your attempt");
        if let Some((c, e)) = self.current.get_untracked() {
            if let Some(hash) = self.hash_of(c, e) {
                crate::address::set_hash(&hash);
            }
        }
    }

    /// A share link for the open attempt, as a full URL.
    pub fn make_share_link(&self) -> Option<String> {
        let ex = self.exercise_untracked()?;
        let files: Vec<(String, String)> =
            self.files.get_untracked().into_iter().map(|f| (f.name, f.text)).collect();
        let fragment = crate::share::encode(&ex.id, &files);
        let location = web_sys::window()?.location();
        let base = format!("{}{}", location.origin().ok()?, location.pathname().ok()?);
        Some(format!("{base}{fragment}"))
    }

    /// A file changed in the editor: save it, then grade on the next frame.
    pub fn edit(&self, name: &str, text: String) {
        if self.shared.get_untracked() {
            return;
        }
        mark("switchboard-edit");
        let id = self.current.get_untracked().and_then(|at| {
            self.chapters
                .with_value(|chs| Some(chs.get(at.0)?.exercises.get(at.1)?.body.as_ref()?.id.clone()))
        });
        if let Some(id) = id {
            if let Err(e) = store::save_file(&id, name, &text) {
                self.banner.set(Some(e));
            }
        }
        self.files.update(|files| {
            if let Some(f) = files.iter_mut().find(|f| f.name == name) {
                f.text = text;
            }
        });
        self.schedule();
    }

    /// Replaces every file of the open exercise (reset to start, show solution, copy of a
    /// shared attempt: the `action`) and saves them, keeping the files it replaces as the
    /// backup that "Undo" puts back. When the backup cannot be kept, nothing is replaced.
    pub fn replace(&self, files: Vec<SourceFile>, action: &str, done: &str) {
        if let Some(ex) = self.exercise_untracked() {
            let kept = store::snapshot()
                .and_then(|doc| store::save_backup(&Backup::of_exercise(action, &ex.id, &doc)));
            if let Err(e) = kept {
                self.banner.set(Some(format!(
                    "Nothing was changed: your files could not be kept for undoing ({e})"
                )));
                return;
            }
            self.undo.set(Some(action.to_string()));
            for f in &files {
                let saved = if ex.files.iter().any(|s| s.name == f.name && s.text == f.text) {
                    store::forget_file(&ex.id, &f.name)
                } else {
                    store::save_file(&ex.id, &f.name, &f.text)
                };
                if let Err(e) = saved {
                    self.banner.set(Some(e));
                }
            }
            self.notice.set(Some(Notice { text: done.to_string(), undo: true }));
        }
        self.show(files);
    }

    /// Writes `after` in place of everything saved (`before`), keeping `before` as the
    /// backup of `action`, then shows it; the notice says what changed, starting with
    /// `done` ("Merged", "Replaced").
    pub fn replace_all(&self, action: &str, done: &str, before: &Export, after: &Export) {
        match store::replace_all(action, before, after) {
            Ok(()) => {
                self.undo.set(Some(action.to_string()));
                self.reread();
                let text = transfer::changes(before, after).message(done);
                self.notice.set(Some(Notice { text, undo: true }));
            }
            Err(e) => {
                self.undo.set(store::backup_action());
                self.reread();
                self.banner.set(Some(format!("The {action} failed: {e}")));
            }
        }
    }

    /// Puts back what the kept backup holds (the progress before an import, or an exercise's
    /// files before a reset), then forgets the backup.
    pub fn undo(&self) {
        crate::later::run(undo_later(*self), self.banner);
    }

    /// `undo`, with its code at hand (`crate::later`).
    pub fn undo_now(&self) {
        let Some(backup) = store::load_backup() else {
            self.undo.set(None);
            self.banner
                .set(Some("There is nothing to undo: no readable backup is kept in this browser".into()));
            return;
        };
        let before = match store::snapshot() {
            Ok(doc) => doc,
            Err(e) => return self.banner.set(Some(format!("Undo failed: {e}"))),
        };
        let after = backup.restored(&before);
        let written = store::write(&after).map_err(|e| match store::write(&before) {
            Ok(()) => format!("Undo failed, nothing was changed: {e}"),
            Err(_) => format!("Undo failed halfway: {e}"),
        });
        match written.and_then(|()| store::forget_backup()) {
            Ok(()) => {
                self.undo.set(None);
                let what = format!("Undid the {}", backup.action);
                let text = transfer::changes(&before, &after).message(&what);
                self.notice.set(Some(Notice { text, undo: false }));
            }
            Err(e) => self.banner.set(Some(e)),
        }
        self.reread();
    }

    /// Reads the chapters (scenarios, sandboxes), the progress and the open exercise's files
    /// again from storage, after it was written from outside the editor.
    fn reread(&self) {
        let hash = self.current.get_untracked().and_then(|(c, e)| self.hash_of(c, e));
        let mut fresh = saved_chapters();
        // Built-in exercises fetched already stay loaded.
        self.chapters.with_value(|old| {
            for (new, old) in fresh.iter_mut().zip(old) {
                for entry in new.exercises.iter_mut().filter(|e| e.body.is_none()) {
                    let loaded = old.exercises.iter().find(|o| o.id == entry.id);
                    entry.body = loaded.and_then(|o| o.body.clone());
                }
            }
        });
        self.chapters.set_value(fresh);
        self.progress.set(store::load_progress());
        let this = *self;
        self.with_packs(move || this.reopen(hash));
    }

    /// Opens `hash` again after the chapters were read anew (`reread`): the first exercise if
    /// it is gone.
    fn reopen(&self, hash: Option<String>) {
        match hash.and_then(|h| self.find(&h)) {
            Some(at) if self.shared.get_untracked() => {
                self.current.set(Some(at));
                self.replaced.update(|n| *n += 1);
            }
            Some(at) => self.open(at),
            None => {
                if let Some(hash) = self.hash_of(0, 0) {
                    crate::address::set_hash(&hash);
                }
                self.open((0, 0));
            }
        }
    }

    /// Puts `files` in the editor (replacing what it shows) and grades them.
    fn show(&self, files: Vec<SourceFile>) {
        self.files.set(files);
        self.replaced.update(|n| *n += 1);
        self.regrade_now();
    }

    fn schedule(&self) {
        if self.scheduled.get_value() {
            return;
        }
        self.scheduled.set_value(true);
        let this = *self;
        request_animation_frame(move || {
            mark("switchboard-frame");
            this.scheduled.set_value(false);
            this.regrade_now();
        });
    }

    /// Fetches a part of the model the first time a file, the exercise's cluster or one of
    /// its checks names it, then grades again: the Gateway API's (its kinds are warned as not
    /// loaded meanwhile) on its API group, the ingress controller's routing on a line with
    /// `kind` and `Ingress`, kube-proxy's iptables rules on a `kube_proxy` check. If one cannot be fetched the banner says so, and the next grade tries again.
    fn parts_when_named(&self) {
        if !manifest::plug::gateway_api()
            && self.names(
                |text| {
                    text.contains("gateway.networking.k8s.io") || text.contains("policy.networking.k8s.io")
                },
                |k| matches!(k, exercises::CheckKind::Route(_)),
            )
        {
            self.fetch_part(self.gateway_loading, gateway_api_later);
        }
        // A line with `kind` and `Ingress` (`kind: Ingress`, `"kind": "Ingress"`).
        let ingress = |text: &str| text.lines().any(|l| l.contains("kind") && l.contains("Ingress"));
        if !netsim::ingress::routing_installed()
            && self.names(ingress, |k| matches!(k, exercises::CheckKind::Ingress(_)))
        {
            self.fetch_part(self.ingress_loading, ingress_routing_later);
        }
        if !netsim::iptables::rules_installed()
            && self.names(|_| false, |k| matches!(k, exercises::CheckKind::KubeProxy(_)))
        {
            self.fetch_part(self.rules_loading, kube_proxy_rules_later);
        }
    }

    /// Whether a learner's file or the open exercise's cluster is a text `text` accepts, or one
    /// of its checks is of the kind `check` asks for.
    fn names(&self, text: fn(&str) -> bool, check: fn(&exercises::CheckKind) -> bool) -> bool {
        self.files.with_untracked(|fs| fs.iter().any(|f| text(&f.text)))
            || untrack(|| self.with_open(|ex| text(&ex.cluster) || ex.checks.iter().any(|c| check(&c.kind))))
                .unwrap_or(false)
    }

    /// Fetches a part of the model (`fetch`) unless it is being fetched, then grades again.
    fn fetch_part<F>(&self, loading: StoredValue<bool>, fetch: fn() -> F)
    where
        F: std::future::Future<Output = Result<(), crate::later::Unavailable>> + 'static,
    {
        if loading.get_value() {
            return;
        }
        loading.set_value(true);
        let this = *self;
        wasm_bindgen_futures::spawn_local(async move {
            let loaded = fetch().await;
            loading.set_value(false);
            match loaded {
                Ok(()) => this.regrade_now(),
                Err(why) => this.banner.set(Some(why.to_string())),
            }
        });
    }

    pub fn regrade_now(&self) {
        self.parts_when_named();
        // Graded where it is stored: on every keystroke, a clone of the exercise is waste.
        let graded = untrack(|| {
            self.with_open(|ex| {
                let g = self.files.with_untracked(|files| {
                    exercises::grade_again(ex, files, &mut self.parses.write_value())
                });
                (g, ex.id.clone(), !ex.checks.is_empty())
            })
        });
        let Some((g, id, has_checks)) = graded else { return };
        // An exercise whose solution was shown counts as revealed, not solved.
        let counted = self.progress.with_untracked(|p| p.solved.contains(&id) || p.revealed.contains(&id));
        if g.solved() && has_checks && !counted {
            self.progress.update(|p| {
                p.solved.insert(id);
            });
            self.save_progress();
        }
        self.grade.set(Some(g));
        mark("switchboard-graded");
        // The view updates in tasks queued by the set above; this one runs after them.
        wasm_bindgen_futures::spawn_local(async {
            mark("switchboard-rendered");
            measure("switchboard-edit-to-checks", "switchboard-edit", "switchboard-rendered");
            measure("switchboard-grade-and-render", "switchboard-frame", "switchboard-rendered");
        });
    }

    pub fn save_progress(&self) {
        if let Err(e) = self.progress.with_untracked(store::save_progress) {
            self.banner.set(Some(e));
        }
    }
}

impl Default for AppState {
    fn default() -> Self {
        AppState::new()
    }
}

/// The exercise's files, each from `kept` when it has a text for it (the learner's saved
/// file, a share link's), else the starting text.
fn starting_files(ex: &Exercise, kept: impl Fn(&str) -> Option<String>) -> Vec<SourceFile> {
    ex.files
        .iter()
        .map(|f| SourceFile { name: f.name.clone(), text: kept(&f.name).unwrap_or_else(|| f.text.clone()) })
        .collect()
}

/// The curriculum's listing with the instructors' scenarios and the sandboxes saved here;
/// the course packs saved here are added later (`AppState::with_packs`).
fn saved_chapters() -> Vec<Chapter> {
    let mut chapters = curriculum::listing();
    for (_, text) in store::load_scenarios() {
        if exercises::pack::is_pack(&text) {
            continue;
        }
        if let Ok(ex) = scenario(&text, "scenario.yaml", Audit::WhenAdded) {
            add_custom(&mut chapters, ex);
        }
    }
    let mut sandboxes = store::load_sandboxes();
    if !sandboxes.iter().any(|(n, _)| n == "playground") {
        sandboxes.insert(0, ("playground".into(), vec![sandbox::FIRST_FILE.into()]));
    }
    chapters.push(Chapter {
        id: sandbox::CHAPTER.into(),
        title: "Sandboxes".into(),
        intro: String::new(),
        exercises: sandboxes.iter().map(|(n, f)| Entry::of(sandbox::exercise(n, f))).collect(),
    });
    chapters
}

/// The chapter of instructors' scenarios loaded in the browser.
pub const CUSTOM: &str = "custom";

/// The errors among `diagnostics`, each as `file:line:col: message`.
fn errors_in(file: &str, text: &str, diagnostics: &[manifest::Diagnostic]) -> Vec<String> {
    diagnostics
        .iter()
        .filter(|d| d.severity == manifest::Severity::Error)
        .map(|d| {
            let (line, col) = manifest::line_col(text, d.start);
            format!("{file}:{line}:{col}: {}", d.message)
        })
        .collect()
}

/// Reads and audits a scenario file, renaming it into the custom chapter.
fn scenario(text: &str, file: &str, audited: Audit) -> Result<Exercise, Vec<String>> {
    let loaded = exercises::load(file, text);
    let errors = errors_in(file, text, &loaded.diagnostics);
    let Some(mut ex) = loaded.exercise.filter(|_| errors.is_empty()) else {
        return Err(if errors.is_empty() { vec![format!("{file} holds no exercise")] } else { errors });
    };
    let problems = match audited {
        Audit::Now => exercises::audit(&ex),
        Audit::WhenAdded => Vec::new(),
    };
    if !problems.is_empty() {
        return Err(problems.into_iter().map(|p| format!("{file}: {p}")).collect());
    }
    if !ex.id.starts_with("custom-") {
        ex.id = format!("custom-{}", ex.id);
    }
    ex.chapter = CUSTOM.to_string();
    Ok(ex)
}

/// Whether an instructor's exercise is audited as it is read: when it is added (with every
/// part of the model there: [`install_model`]), not again when it is read back from this
/// browser's storage at startup, where the parts its checks need may not be fetched yet.
#[derive(Clone, Copy)]
enum Audit {
    Now,
    WhenAdded,
}

/// Every part of the model a check may need, for auditing an instructor's exercise or pack
/// (its solution passes, its start fails): the Gateway API's, the ingress controller's
/// routing and kube-proxy's rules. Called from the module that reads them, so the first
/// module does not carry these.
pub fn install_model() {
    exercises::install_gateway_api();
    netsim::ingress::install();
    netsim::iptables::install();
}

/// The chapter id of the pack `id`: `pack-<id>`, apart from the built-in chapters.
fn pack_chapter_id(id: &str) -> String {
    format!("pack-{id}")
}

/// Reads and audits a course pack (`exercises::pack`) into a chapter of its own; each
/// exercise's id is prefixed with the chapter's, so that its progress is its own.
fn pack(text: &str, file: &str) -> Result<Chapter, Vec<String>> {
    let read = exercises::pack::load_pack(file, text);
    let mut errors = errors_in(file, text, &read.all_diagnostics());
    let head = match &read.head {
        Some(head) if errors.is_empty() && read.ok() => head.clone(),
        _ if errors.is_empty() => return Err(vec![format!("{file} holds no readable pack")]),
        _ => return Err(errors),
    };
    let chapter = pack_chapter_id(&head.id);
    let mut list = Vec::new();
    for part in read.exercises {
        let Some(mut ex) = part.loaded.exercise else { continue };
        let (line, _) = manifest::line_col(text, part.range.start);
        errors.extend(exercises::audit(&ex).into_iter().map(|p| format!("{file}:{line}: {}: {p}", ex.id)));
        ex.id = format!("{chapter}-{}", ex.id);
        ex.chapter = chapter.clone();
        list.push(Entry::of(ex));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(Chapter { id: chapter, title: head.title, intro: String::new(), exercises: list })
}

/// Adds `chapter` before the sandboxes, in place of one with its id.
fn add_chapter(chapters: &mut Vec<Chapter>, chapter: Chapter) {
    if let Some(old) = chapters.iter_mut().find(|c| c.id == chapter.id) {
        *old = chapter;
        return;
    }
    let at = chapters.iter().position(|c| c.id == sandbox::CHAPTER).unwrap_or(chapters.len());
    chapters.insert(at, chapter);
}

fn add_custom(chapters: &mut Vec<Chapter>, ex: Exercise) {
    if !chapters.iter().any(|c| c.id == CUSTOM) {
        chapters.push(Chapter {
            id: CUSTOM.into(),
            title: "Your scenarios".into(),
            intro: String::new(),
            exercises: Vec::new(),
        });
    }
    if let Some(c) = chapters.iter_mut().find(|c| c.id == CUSTOM) {
        c.exercises.retain(|e| e.id != ex.id);
        c.exercises.push(Entry::of(ex));
    }
}

fn performance() -> Option<web_sys::Performance> {
    web_sys::window()?.performance()
}

pub(crate) fn mark(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(name);
    }
}

/// A `performance.measure` between two marks, when the start mark exists (it is then
/// cleared, so each edit is measured once).
fn measure(name: &str, start: &str, end: &str) {
    if let Some(p) = performance() {
        if p.get_entries_by_name(start).length() > 0 {
            let _ = p.measure_with_start_mark_and_end_mark(name, start, end);
            p.clear_marks_with_mark_name(start);
        }
    }
}

crate::later::later! {
    /// `AppState::open_shared_now`, with the share link's decoder (inflate and the link's
    /// format) loaded when first used.
    share: fn open_shared_later(state: AppState, fragment: String) -> () {
        state.open_shared_now(&fragment)
    }
}

crate::later::later! {
    /// `AppState::read_packs_now`, with the course pack reader.
    packs: fn read_packs_later(state: AppState) -> () {
        install_model();
        state.read_packs_now()
    }
}

crate::later::later! {
    /// The kinds defined by CRDs: the Gateway API's part of the model (the reading of its
    /// kinds, its routing and statuses and the grader's checks of it) and cluster-wide policy
    /// (its kinds and tiers), `exercises::install_gateway_api`, fetched when a file first
    /// names `gateway.networking.k8s.io` or `policy.networking.k8s.io`.
    gateway: fn gateway_api_later() -> () {
        exercises::install_gateway_api()
    }
}

crate::later::later! {
    /// The ingress controller's routing (`netsim::ingress::install`), fetched when a file
    /// first names an Ingress.
    ingress: fn ingress_routing_later() -> () {
        netsim::ingress::install()
    }
}

crate::later::later! {
    /// kube-proxy's iptables rules (`netsim::iptables::install`), fetched for an exercise
    /// with a `kube_proxy` check (the terminal brings them too).
    rules: fn kube_proxy_rules_later() -> () {
        netsim::iptables::install()
    }
}

crate::later::later! {
    /// `AppState::undo_now`, its code loaded when first used.
    transfer: fn undo_later(state: AppState) -> () {
        state.undo_now()
    }
}
