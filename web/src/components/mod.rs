//! One file per component.

mod editor_panel;
mod lesson;
mod panel;
mod panels;
mod title_bar;

pub use editor_panel::EditorPanel;
pub use lesson::LessonPanel;
pub use panel::Panel;
pub use panels::{TerminalPanel, TopologyPanel};
pub use title_bar::TitleBar;
