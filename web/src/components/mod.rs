//! One file per component.

mod dock;
mod editor_panel;
mod import_dialog;
mod lesson;
mod splitter;
mod terminal;
mod title_bar;
mod topology;

pub use dock::{dock_part, Dock};
pub use editor_panel::{editor_part, EditorPanel};
pub use lesson::LessonPanel;
pub use splitter::Splitter;
pub use terminal::TerminalPanel;
pub use title_bar::TitleBar;
pub use topology::{picture_part, TopologyPanel};
