//! One file per component.

mod dock;
mod editor_panel;
mod import_dialog;
mod lesson;
mod splitter;
mod terminal;
mod title_bar;
mod topology;

pub use dock::Dock;
pub use editor_panel::EditorPanel;
pub use lesson::LessonPanel;
pub use splitter::Splitter;
pub use terminal::TerminalPanel;
pub use title_bar::TitleBar;
pub use topology::TopologyPanel;
