//! One file per component.

mod editor_panel;
mod lesson;
mod panel;
mod panels;
mod terminal;
mod title_bar;

pub use editor_panel::EditorPanel;
pub use lesson::LessonPanel;
pub use panel::Panel;
pub use panels::TopologyPanel;
pub use terminal::TerminalPanel;
pub use title_bar::TitleBar;
