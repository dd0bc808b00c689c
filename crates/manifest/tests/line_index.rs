//! `LineIndex` answers exactly what `line_col` and a UTF-16 count from the start answer, for
//! every byte offset (including offsets inside a character and past the end) of texts with
//! multi-byte and astral characters, CRLF, a byte-order mark and empty lines.

use manifest::{line_col, LineIndex};

fn utf16_from_start(text: &str, byte: usize) -> usize {
    let mut b = byte.min(text.len());
    while !text.is_char_boundary(b) {
        b -= 1;
    }
    text[..b].encode_utf16().count()
}

#[test]
fn line_index_agrees_with_counting_from_the_start() {
    let texts = [
        "",
        "\n",
        "a",
        "apiVersion: v1\nkind: Service\n",
        "\u{feff}kind: Pod\nmetadata:\n  name: ü\n",
        "\u{feff}",
        "x: \"😀😀\"\r\ny: é\r\n\r\nz: 中文\n\n",
        "no newline at the end: ñ",
        "\n\n\n😀\n",
    ];
    for text in texts {
        let index = LineIndex::new(text);
        for byte in 0..=text.len() + 3 {
            assert_eq!(index.line_col(byte), line_col(text, byte), "{text:?} at {byte}");
            assert_eq!(index.utf16(byte), utf16_from_start(text, byte), "{text:?} at {byte}");
        }
    }
}
