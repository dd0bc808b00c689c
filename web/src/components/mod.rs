//! One file per component.

mod panel;
mod panels;
mod title_bar;

pub use panel::Panel;
pub use panels::{EditorPanel, LessonPanel, TerminalPanel, TopologyPanel};
pub use title_bar::TitleBar;
