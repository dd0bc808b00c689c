//! kubectl's tables: rows of data, one per object, chosen and then printed by kubectl's
//! tabwriter. AGE has no clock to come from: it is a fixed `5m`.

pub(crate) const AGE: &str = "5m";

/// One column of a kind's table.
pub(crate) struct Column {
    pub(crate) header: &'static str,
    /// Shown only with `-o wide` (kubectl's wide columns come last).
    pub(crate) wide: bool,
}

/// A column every listing shows.
pub(crate) const fn col(header: &'static str) -> Column {
    Column { header, wide: false }
}

/// A column only `-o wide` shows.
pub(crate) const fn wide(header: &'static str) -> Column {
    Column { header, wide: true }
}

/// One object's row: its namespace (`None` for cluster-scoped kinds), its name, and one
/// cell per column of its kind, the name first.
pub(crate) struct Row {
    pub(crate) namespace: Option<String>,
    pub(crate) name: String,
    pub(crate) cells: Vec<String>,
}

impl Row {
    pub(crate) fn new(namespace: Option<&str>, cells: Vec<String>) -> Row {
        let name = cells.first().cloned().unwrap_or_default();
        Row { namespace: namespace.map(str::to_string), name, cells }
    }
}

/// `rows` under `columns`: with a NAMESPACE column first when `namespaced` (a listing of
/// every namespace), the wide columns only when `wide`. The columns are as wide as the
/// widest cell of `sized`, the rows they were sized for.
pub(crate) fn render(
    columns: &[Column],
    rows: &[&Row],
    sized: &[&Row],
    namespaced: bool,
    wide: bool,
) -> String {
    let shown: Vec<usize> = (0..columns.len()).filter(|&i| wide || !columns[i].wide).collect();
    let line = |r: &Row| {
        let mut cells: Vec<String> = Vec::new();
        if namespaced {
            cells.push(r.namespace.clone().unwrap_or_default());
        }
        cells.extend(shown.iter().map(|&i| r.cells.get(i).cloned().unwrap_or_default()));
        cells
    };
    let mut header: Vec<&str> = shown.iter().map(|&i| columns[i].header).collect();
    if namespaced {
        header.insert(0, "NAMESPACE");
    }
    let widths = widths(&header, sized.iter().map(|r| line(r)));
    let mut out = String::new();
    write_line(&mut out, &widths, &header);
    for r in rows {
        write_line(&mut out, &widths, &line(r));
    }
    out
}

/// kubectl's tabwriter: columns padded to the widest cell plus three spaces.
pub(crate) fn table(header: &[&str], rows: Vec<Vec<String>>) -> String {
    let widths = widths(header, rows.iter().cloned());
    let mut out = String::new();
    write_line(&mut out, &widths, header);
    for row in &rows {
        write_line(&mut out, &widths, row);
    }
    out
}

fn widths(header: &[&str], rows: impl Iterator<Item = Vec<String>>) -> Vec<usize> {
    let mut widths: Vec<usize> = header.iter().map(|h| h.len()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(&row) {
            *w = (*w).max(cell.len());
        }
    }
    widths
}

fn write_line<S: AsRef<str>>(out: &mut String, widths: &[usize], cells: &[S]) {
    let last = cells.len().saturating_sub(1);
    let mut s = String::new();
    for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
        if i == last {
            s.push_str(cell.as_ref());
        } else {
            s.push_str(&format!("{:<width$}", cell.as_ref(), width = w + 3));
        }
    }
    out.push_str(s.trim_end());
    out.push('\n');
}
