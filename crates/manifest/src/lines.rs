//! Byte offsets to lines, columns and UTF-16 offsets.

pub(crate) fn floor_char(text: &str, mut byte: usize) -> usize {
    byte = byte.min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// Positions in one text, for many lookups: the start of every line is found once, so each
/// lookup costs a binary search and the length of one line, not the length of the text before
/// it, where counting from the start for every lookup is quadratic in the size of the text.
pub struct LineIndex<'t> {
    text: &'t str,
    /// Byte offset of each line's first byte.
    starts: Vec<usize>,
    /// UTF-16 offset of each line's first byte (the editor counts in UTF-16 units).
    utf16_starts: Vec<usize>,
}

impl<'t> LineIndex<'t> {
    pub fn new(text: &'t str) -> LineIndex<'t> {
        let mut starts = vec![0];
        let mut utf16_starts = vec![0];
        let mut utf16 = 0;
        for (i, c) in text.char_indices() {
            utf16 += c.len_utf16();
            if c == '\n' {
                starts.push(i + 1);
                utf16_starts.push(utf16);
            }
        }
        LineIndex { text, starts, utf16_starts }
    }

    /// The 0-based index of the line holding `byte` (a char boundary).
    fn line_of(&self, byte: usize) -> usize {
        self.starts.partition_point(|&s| s <= byte).saturating_sub(1)
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, byte: usize) -> usize {
        self.line_of(floor_char(self.text, byte)) + 1
    }

    /// The same as [`line_col`]: 1-based line and column in characters, clamped.
    pub fn line_col(&self, byte: usize) -> (usize, usize) {
        let byte = floor_char(self.text, byte);
        let line = self.line_of(byte);
        let start = self.starts[line];
        let mut col = self.text[start..byte].chars().count() + 1;
        if line == 0 && self.text[..byte].starts_with('\u{feff}') {
            col -= 1;
        }
        (line + 1, col)
    }

    /// The UTF-16 offset of a byte offset (clamped to the text and to a char boundary).
    pub fn utf16(&self, byte: usize) -> usize {
        let byte = floor_char(self.text, byte);
        let line = self.line_of(byte);
        self.utf16_starts[line] + self.text[self.starts[line]..byte].encode_utf16().count()
    }
}

/// 1-based line and column (in characters) of a byte offset; offsets past the end or inside
/// a character are clamped.
pub fn line_col(text: &str, byte: usize) -> (usize, usize) {
    let byte = floor_char(text, byte);
    let before = &text[..byte];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut col = before[line_start..].chars().count() + 1;
    // A byte-order mark is not a column.
    if line == 1 && before.starts_with('\u{feff}') {
        col -= 1;
    }
    (line, col)
}
