//! One file per component.

mod editor_panel;
mod import_dialog;
mod lesson;
mod panel;
mod terminal;
mod title_bar;
mod topology;

pub use editor_panel::EditorPanel;
pub use lesson::LessonPanel;
pub use panel::Panel;
pub use terminal::TerminalPanel;
pub use title_bar::TitleBar;
pub use topology::TopologyPanel;
