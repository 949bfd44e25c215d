//! The master scenario events list (MSEL) as a table of text cells, one row per inject,
//! for trainers who keep their timeline in a spreadsheet.
//!
//! Export reads the cells from the scenario text itself (not from the checked model), so
//! that a condition or an effect comes out as the author wrote it. Import edits the
//! scenario text in place with `toml_edit`: a cell equal to what export would write leaves
//! its field untouched, byte for byte, so exporting and importing an unchanged sheet gives
//! back the same file. Every problem is located by row and column of the sheet: a cell
//! that does not parse directly, and a problem validation finds in the edited scenario by
//! the cell whose field it points at.

use std::ops::Range;

use toml::de::DeTable;
use toml_edit::{Array, ArrayOfTables, DocumentMut, Item, Table, Value};

use super::diagnostic::{Diagnostic, Severity};
use super::load::parse;
use super::spans::{Seg, SpanIndex};

/// How a column's cells are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Plain text (an empty cell leaves the field out).
    Text,
    /// A whole number of ticks.
    Tick,
    /// Names separated by commas.
    List,
    /// One entry per line.
    Lines,
    /// One TOML value, as in the scenario file.
    Toml,
    /// One TOML value per line, the elements of a list.
    TomlLines,
}

/// A column of the MSEL sheet: an inject field.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The header, also the inject field's name in the scenario file.
    pub name: &'static str,
    pub kind: Kind,
    /// What the column holds, for the authoring guide and the sheet's header notes.
    pub help: &'static str,
}

const fn column(name: &'static str, kind: Kind, help: &'static str) -> Column {
    Column { name, kind, help }
}

/// The columns, in the sheet's order: timing first, then who says what to whom, then
/// what the facilitator and evaluators need.
pub const COLUMNS: [Column; 14] = [
    column(
        "id",
        Kind::Text,
        "the inject's id (a new id adds an inject)",
    ),
    column("at", Kind::Tick, "tick it fires at"),
    column(
        "when",
        Kind::Toml,
        "condition it fires on, in TOML: { detected = \"phish\" }",
    ),
    column(
        "after",
        Kind::Toml,
        "fires after another inject, in TOML: { inject = \"x\", delay = 3 }",
    ),
    column(
        "sender",
        Kind::Text,
        "persona it comes from, as role-played",
    ),
    column(
        "channel",
        Kind::Text,
        "email, phone, media, social or briefing",
    ),
    column(
        "to",
        Kind::List,
        "team ids, or all; empty: facilitator only",
    ),
    column(
        "to_roles",
        Kind::List,
        "csirt, regulator, operator, law_enforcement",
    ),
    column("headline", Kind::Text, "one line, shown in timelines"),
    column("text", Kind::Text, "the message itself"),
    column(
        "expect",
        Kind::TomlLines,
        "expected actions, one TOML table a line: { id = \"share\", description = \"...\", action = \"share_indicators\", within = 6 }",
    ),
    column("evaluator_notes", Kind::Text, "what evaluators watch for"),
    column("questions", Kind::Lines, "discussion questions, one a line"),
    column(
        "effects",
        Kind::TomlLines,
        "changes to the world, one TOML table a line: { start_campaign = \"ransom\" }",
    ),
];

/// The name of the sheet (and of the table in other formats).
pub const SHEET: &str = "MSEL";

/// The header row.
pub fn header() -> Vec<String> {
    COLUMNS.iter().map(|c| c.name.to_owned()).collect()
}

/// Why a scenario could not be exported.
#[derive(Debug)]
pub enum ExportError {
    /// The scenario does not validate: these diagnostics, against its text.
    Invalid(Vec<Diagnostic>),
    /// The injects are not `[[inject]]` tables (an inline array of tables).
    NotTables,
}

/// The MSEL of a valid scenario: the header row, then one row per inject in file order.
pub fn export(text: &str) -> Result<Vec<Vec<String>>, ExportError> {
    parse(text).map_err(ExportError::Invalid)?;
    let doc: DocumentMut = text.parse().map_err(|_| ExportError::Invalid(Vec::new()))?;
    let mut rows = vec![header()];
    match doc.get("inject") {
        None => {}
        Some(Item::ArrayOfTables(injects)) => {
            for inject in injects.iter() {
                rows.push(COLUMNS.iter().map(|c| cell(inject, c)).collect());
            }
        }
        Some(_) => return Err(ExportError::NotTables),
    }
    Ok(rows)
}

/// What export writes in `column` for an inject table.
fn cell(inject: &Table, column: &Column) -> String {
    let Some(item) = inject.get(column.name) else {
        return String::new();
    };
    let value = match item.clone().into_value() {
        Ok(value) => value,
        Err(_) => return String::new(),
    };
    match column.kind {
        Kind::Text => value.as_str().unwrap_or_default().to_owned(),
        Kind::Tick => value
            .as_integer()
            .map(|t| t.to_string())
            .unwrap_or_default(),
        Kind::List | Kind::Lines => {
            let separator = if column.kind == Kind::List {
                ", "
            } else {
                "\n"
            };
            let words: Vec<&str> = value
                .as_array()
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            words.join(separator)
        }
        Kind::Toml => bare(&value),
        Kind::TomlLines => match value.as_array() {
            Some(items) => items.iter().map(bare).collect::<Vec<_>>().join("\n"),
            None => bare(&value),
        },
    }
}

/// A value as TOML without the whitespace and comments around it.
fn bare(value: &Value) -> String {
    value.clone().decorated("", "").to_string()
}

/// A problem of an imported sheet, at a row (1-based, as spreadsheets number them: the
/// header is row 1) and a column (0-based index into the sheet's columns; `None`: the
/// whole row, or the file when `row` is 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub severity: Severity,
    pub row: usize,
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
}

impl Problem {
    fn error(row: usize, column: Option<usize>, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            row,
            column,
            message: message.into(),
            hint: None,
        }
    }

    fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The result of importing a sheet into a scenario.
#[derive(Debug, Clone, Default)]
pub struct Imported {
    /// The scenario's new text (the old one when nothing changed).
    pub text: String,
    /// Ids of injects the sheet added, and of those whose fields it changed.
    pub added: Vec<String>,
    pub changed: Vec<String>,
    /// How many rows left their inject as it was.
    pub unchanged: usize,
    /// Injects of the file that the sheet does not list (kept as they are).
    pub not_in_sheet: Vec<String>,
    /// Warnings of the new scenario located in the sheet.
    pub warnings: Vec<Problem>,
}

/// Why a sheet could not be imported.
#[derive(Debug)]
pub enum ImportError {
    /// The scenario itself does not validate (fix it first): its diagnostics.
    Scenario(Vec<Diagnostic>),
    /// Problems located in the sheet (errors, and any warnings found with them).
    Sheet(Vec<Problem>),
    /// Problems of the edited scenario that no cell explains: the edited text and its
    /// diagnostics, to render against it.
    Elsewhere {
        text: String,
        diagnostics: Vec<Diagnostic>,
        located: Vec<Problem>,
    },
}

/// Imports `rows` (the header row first) into the scenario `text`: an inject whose id is
/// in the file gets the sheet's fields, a new id becomes a new inject after the others.
/// Only the sheet's columns are touched; an empty cell removes its field. Nothing is
/// returned unless the edited scenario validates.
pub fn import(text: &str, rows: &[Vec<String>]) -> Result<Imported, ImportError> {
    parse(text).map_err(ImportError::Scenario)?;
    let mut doc: DocumentMut = text
        .parse()
        .map_err(|_| ImportError::Scenario(Vec::new()))?;
    let columns = read_header(rows)?;
    let edits = read_rows(rows, &columns)?;
    let mut imported = Imported::default();
    let injects = injects_of(&mut doc)?;
    let mut placed = Vec::with_capacity(edits.len());
    for edit in &edits {
        let existing = injects
            .iter()
            .position(|t| t.get("id").and_then(Item::as_str) == Some(edit.id.as_str()));
        let index = match existing {
            Some(i) => i,
            None => {
                let mut table = Table::new();
                table.insert("id", toml_edit::value(edit.id.as_str()));
                injects.push(table);
                imported.added.push(edit.id.clone());
                injects.len() - 1
            }
        };
        let Some(table) = injects.get_mut(index) else {
            continue;
        };
        let mut changed = false;
        for (column, new) in &edit.cells {
            if cell(table, column).trim() == new.text {
                continue;
            }
            changed = true;
            match &new.item {
                Some(item) => {
                    table.insert(column.name, item.clone());
                }
                None => {
                    table.remove(column.name);
                }
            }
        }
        if existing.is_some() {
            if changed {
                imported.changed.push(edit.id.clone());
            } else {
                imported.unchanged += 1;
            }
        }
        placed.push((edit.row, index));
    }
    imported.not_in_sheet = injects
        .iter()
        .filter_map(|t| t.get("id").and_then(Item::as_str))
        .filter(|id| !edits.iter().any(|e| e.id == *id))
        .map(str::to_owned)
        .collect();
    let new_text = if imported.added.is_empty() && imported.changed.is_empty() {
        text.to_owned()
    } else {
        doc.to_string()
    };
    let diagnostics = match parse(&new_text) {
        Ok(checked) => checked.warnings,
        Err(diagnostics) => diagnostics,
    };
    let (located, elsewhere) = locate(&new_text, &diagnostics, &placed, &columns);
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    if failed && elsewhere.iter().any(Diagnostic::is_error) {
        return Err(ImportError::Elsewhere {
            text: new_text,
            diagnostics: elsewhere,
            located,
        });
    }
    if failed {
        return Err(ImportError::Sheet(located));
    }
    imported.warnings = located;
    imported.text = new_text;
    Ok(imported)
}

/// A cell to write: the text as read (to compare with the field's current cell) and the
/// field's new value (`None`: remove it).
struct NewCell {
    text: String,
    item: Option<Item>,
}

/// One data row of the sheet.
struct Edit {
    row: usize,
    id: String,
    cells: Vec<(&'static Column, NewCell)>,
}

/// The sheet's columns by position (`None`: a column this format does not have, already
/// reported), checked against [`COLUMNS`].
fn read_header(rows: &[Vec<String>]) -> Result<Vec<Option<&'static Column>>, ImportError> {
    let Some(header) = rows.first() else {
        return Err(ImportError::Sheet(vec![
            Problem::error(1, None, "the sheet is empty")
                .hint("the first row names the columns: `cyberdrill msel export` writes one to start from"),
        ]));
    };
    let mut problems = Vec::new();
    let mut columns: Vec<Option<&'static Column>> = Vec::with_capacity(header.len());
    for (k, name) in header.iter().enumerate() {
        let name = name.trim();
        let found = COLUMNS.iter().find(|c| c.name == name);
        if found.is_none() && !name.is_empty() {
            let names: Vec<&str> = COLUMNS.iter().map(|c| c.name).collect();
            let hint = match super::suggest::closest(name, names.iter().copied()) {
                Some(best) => format!("did you mean `{best}`?"),
                None => format!("the columns are: {}", names.join(", ")),
            };
            problems
                .push(Problem::error(1, Some(k), format!("unknown column `{name}`")).hint(hint));
        }
        if let Some(column) = found
            && columns.iter().flatten().any(|c| c.name == column.name)
        {
            problems.push(
                Problem::error(1, Some(k), format!("the column `{name}` appears twice"))
                    .hint("keep one of them"),
            );
        }
        columns.push(found);
    }
    if !columns.iter().flatten().any(|c| c.name == "id") {
        problems.push(
            Problem::error(1, None, "the sheet has no `id` column")
                .hint("the first row names the columns; `id` says which inject each row is"),
        );
    }
    if problems.is_empty() {
        Ok(columns)
    } else {
        Err(ImportError::Sheet(problems))
    }
}

/// The data rows as edits; every cell that does not parse is reported.
fn read_rows(
    rows: &[Vec<String>],
    columns: &[Option<&'static Column>],
) -> Result<Vec<Edit>, ImportError> {
    let mut problems = Vec::new();
    let mut edits: Vec<Edit> = Vec::new();
    for (r, cells) in rows.iter().enumerate().skip(1) {
        let row = r + 1;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut id = String::new();
        let mut parsed = Vec::new();
        for (k, column) in columns.iter().enumerate() {
            let Some(column) = column else { continue };
            let text = cells
                .get(k)
                .map(|c| c.replace("\r\n", "\n").trim().to_owned())
                .unwrap_or_default();
            if column.name == "id" {
                id = text;
                continue;
            }
            match read_cell(column, &text) {
                Ok(item) => parsed.push((*column, NewCell { text, item })),
                Err(problem) => problems.push(Problem {
                    row,
                    column: Some(k),
                    ..problem
                }),
            }
        }
        let id_column = columns
            .iter()
            .position(|c| c.is_some_and(|c| c.name == "id"));
        if id.is_empty() {
            problems.push(
                Problem::error(row, id_column, "the row has no inject id")
                    .hint("give every row an `id`; a new id adds an inject"),
            );
            continue;
        }
        if let Some(first) = edits.iter().find(|e| e.id == id) {
            problems.push(
                Problem::error(
                    row,
                    id_column,
                    format!("inject `{id}` is already on row {}", first.row),
                )
                .hint("one row per inject; merge the two rows"),
            );
            continue;
        }
        edits.push(Edit {
            row,
            id,
            cells: parsed,
        });
    }
    if problems.is_empty() {
        Ok(edits)
    } else {
        Err(ImportError::Sheet(problems))
    }
}

/// The field's new value from a cell (already trimmed). The problem has no place yet.
fn read_cell(column: &Column, text: &str) -> Result<Option<Item>, Problem> {
    if text.is_empty() {
        return Ok(None);
    }
    let item = match column.kind {
        Kind::Text => toml_edit::value(text),
        Kind::Tick => match text.parse::<u32>() {
            Ok(tick) => toml_edit::value(i64::from(tick)),
            Err(_) => {
                return Err(Problem::error(0, None, format!("`{text}` is not a tick"))
                    .hint("write a whole number of ticks from the start, e.g. 12"));
            }
        },
        Kind::List | Kind::Lines => {
            let separator = if column.kind == Kind::List { ',' } else { '\n' };
            let mut array = Array::new();
            for word in text
                .split(separator)
                .map(str::trim)
                .filter(|w| !w.is_empty())
            {
                array.push(word);
            }
            toml_edit::value(array)
        }
        Kind::Toml => toml_edit::value(toml_value(text)?),
        Kind::TomlLines => {
            let mut array = Array::new();
            for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
                array.push_formatted(toml_value(line)?.decorated("\n  ", ""));
            }
            array.set_trailing("\n");
            array.set_trailing_comma(true);
            toml_edit::value(array)
        }
    };
    Ok(Some(item))
}

/// One TOML value written in a cell.
fn toml_value(text: &str) -> Result<Value, Problem> {
    let invalid = |why: &str| {
        Problem::error(0, None, format!("`{text}` is not a TOML value: {why}"))
            .hint("write it as in the scenario file, e.g. { detected = \"phish\" }: strings in double quotes, tables in braces")
    };
    if text.contains('\n') {
        return Err(invalid("it spans several lines; write one value a line"));
    }
    let doc: DocumentMut = format!("v = {text}")
        .parse()
        .map_err(|e: toml_edit::TomlError| invalid(e.message().trim_end()))?;
    match doc.get("v").and_then(|v| v.as_value()) {
        Some(value) => Ok(value.clone().decorated("", "")),
        None => Err(invalid("not one value")),
    }
}

/// The file's `[[inject]]` tables, created when the file has none.
fn injects_of(doc: &mut DocumentMut) -> Result<&mut ArrayOfTables, ImportError> {
    if doc.get("inject").is_none() {
        doc.insert("inject", Item::ArrayOfTables(ArrayOfTables::new()));
    }
    match doc.get_mut("inject") {
        Some(Item::ArrayOfTables(injects)) => Ok(injects),
        _ => Err(ImportError::Sheet(vec![
            Problem::error(
                0,
                None,
                "the scenario's injects are not `[[inject]]` tables",
            )
            .hint("write each inject as an `[[inject]]` table to import a sheet into the file"),
        ])),
    }
}

/// Splits diagnostics of the edited text into those located in the sheet (by the cell
/// whose field they point at, else the row of their inject) and the others.
fn locate(
    text: &str,
    diagnostics: &[Diagnostic],
    placed: &[(usize, usize)],
    columns: &[Option<&'static Column>],
) -> (Vec<Problem>, Vec<Diagnostic>) {
    let Ok(root) = DeTable::parse(text) else {
        return (Vec::new(), diagnostics.to_vec());
    };
    let spans = SpanIndex::new(&root);
    // (span, row, column) of every imported field, and of every imported inject.
    let mut places: Vec<(Range<usize>, usize, Option<usize>)> = Vec::new();
    for &(row, index) in placed {
        for (k, column) in columns.iter().enumerate() {
            let Some(column) = column else { continue };
            if spans.key_span("inject", Some(index), column.name).is_some() {
                let value = spans.span("inject", Some(index), &[Seg::Key(column.name)]);
                places.push((value, row, Some(k)));
            }
        }
        places.push((spans.span("inject", Some(index), &[]), row, None));
    }
    let mut located = Vec::new();
    let mut elsewhere = Vec::new();
    for d in diagnostics {
        let inside = places
            .iter()
            .filter(|(span, _, _)| span.start <= d.span.start && d.span.end <= span.end)
            .min_by_key(|(span, _, column)| (column.is_none(), span.end - span.start));
        match inside {
            Some((_, row, column)) => located.push(Problem {
                severity: d.severity,
                row: *row,
                column: *column,
                message: format!("{}[{}]: {}", d.severity.label(), d.code, d.message),
                hint: d.hint.clone(),
            }),
            None => elsewhere.push(d.clone()),
        }
    }
    (located, elsewhere)
}

/// Spreadsheet letters of a 0-based column: A, B, ..., Z, AA, AB, ...
pub fn column_letters(mut column: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (column % 26) as u8);
        if column < 26 {
            break;
        }
        column = column / 26 - 1;
    }
    letters.iter().rev().map(|&b| b as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = include_str!("../../../tests/good/exercise-package.toml");

    fn rows(text: &str) -> Vec<Vec<String>> {
        match export(text) {
            Ok(rows) => rows,
            Err(e) => panic!("export failed: {e:?}"),
        }
    }

    fn column(name: &str) -> usize {
        COLUMNS
            .iter()
            .position(|c| c.name == name)
            .unwrap_or(usize::MAX)
    }

    fn import_ok(text: &str, rows: &[Vec<String>]) -> Imported {
        match import(text, rows) {
            Ok(imported) => imported,
            Err(e) => panic!("import failed: {e:?}"),
        }
    }

    fn problems(text: &str, rows: &[Vec<String>]) -> Vec<Problem> {
        match import(text, rows) {
            Err(ImportError::Sheet(problems)) => problems,
            other => panic!("expected problems in the sheet, got {other:?}"),
        }
    }

    #[test]
    fn export_then_import_gives_back_the_same_file() {
        for text in [FILE, crate::scenario::bundled::TUTORIAL] {
            let sheet = rows(text);
            let imported = import_ok(text, &sheet);
            assert_eq!(imported.text, text);
            assert!(imported.added.is_empty() && imported.changed.is_empty());
            assert!(imported.not_in_sheet.is_empty());
        }
    }

    #[test]
    fn export_writes_the_msel_columns_as_written() {
        let sheet = rows(FILE);
        assert_eq!(sheet[0], header());
        let row = sheet
            .iter()
            .find(|r| r[0] == "ransom-begins")
            .expect("the inject's row");
        assert_eq!(row[column("channel")], "phone");
        assert_eq!(row[column("sender")], "Switch operator's duty manager");
        assert_eq!(
            row[column("when")],
            "{ all = [{ tick_at_least = 6 }, { detected = \"phish-banks\" }] }"
        );
        assert_eq!(row[column("expect")].lines().count(), 2);
        assert_eq!(
            row[column("questions")],
            "What did Borlandia learn, and from whom?\nWho decides to take the switch offline?"
        );
    }

    #[test]
    fn a_changed_cell_changes_only_its_field_and_a_new_row_adds_an_inject() {
        let mut sheet = rows(FILE);
        let r = sheet
            .iter()
            .position(|r| r[0] == "news-phish")
            .expect("row");
        sheet[r][column("channel")] = "social".into();
        sheet[r][column("questions")] = String::new();
        let mut new = vec![String::new(); COLUMNS.len()];
        new[column("id")] = "press-call".into();
        new[column("at")] = "4".into();
        new[column("headline")] = "A journalist calls".into();
        new[column("to")] = "ar-csirt, bo-csirt".into();
        new[column("expect")] =
            "{ id = \"statement\", description = \"Agree what to say\" }".into();
        sheet.push(new);
        let imported = import_ok(FILE, &sheet);
        assert_eq!(imported.changed, ["news-phish"]);
        assert_eq!(imported.added, ["press-call"]);
        let scenario = match parse(&imported.text) {
            Ok(checked) => checked.scenario,
            Err(d) => panic!("{d:?}"),
        };
        let news = scenario
            .injects
            .iter()
            .find(|i| i.id == "news-phish")
            .expect("kept");
        assert_eq!(
            news.msel.channel,
            Some(crate::scenario::model::Channel::Social)
        );
        assert!(news.msel.questions.is_empty());
        let press = scenario.injects.last().expect("added last");
        assert_eq!(press.id, "press-call");
        assert_eq!(press.msel.expectations[0].id, "statement");
        // The rest of the file is untouched: only the edited lines differ.
        let before: Vec<&str> = FILE.lines().collect();
        let after: Vec<&str> = imported.text.lines().collect();
        let kept = before.iter().filter(|l| after.contains(l)).count();
        assert!(
            before.len() - kept <= 2,
            "{} lines changed",
            before.len() - kept
        );
        // Importing the new export again changes nothing.
        assert_eq!(
            import_ok(&imported.text, &rows(&imported.text)).text,
            imported.text
        );
    }

    #[test]
    fn problems_are_located_by_row_and_column() {
        let mut sheet = rows(FILE);
        sheet[0].push("chanel".into());
        let found = problems(FILE, &sheet);
        assert_eq!((found[0].row, found[0].column), (1, Some(COLUMNS.len())));
        assert_eq!(found[0].message, "unknown column `chanel`");
        assert_eq!(found[0].hint.as_deref(), Some("did you mean `channel`?"));

        let mut sheet = rows(FILE);
        sheet[2][column("at")] = "soon".into();
        sheet[3][column("when")] = "{ detected = }".into();
        let found = problems(FILE, &sheet);
        assert_eq!((found[0].row, found[0].column), (3, Some(column("at"))));
        assert_eq!(found[0].message, "`soon` is not a tick");
        assert_eq!((found[1].row, found[1].column), (4, Some(column("when"))));

        // Problems validation finds are located by the cell they come from.
        let mut sheet = rows(FILE);
        sheet[2][column("channel")] = "fax".into();
        sheet[3][column("to")] = "ar-csirt, nobody".into();
        let found = problems(FILE, &sheet);
        assert_eq!(found.len(), 2, "{found:?}");
        assert_eq!(
            (found[0].row, found[0].column),
            (3, Some(column("channel")))
        );
        assert!(
            found[0].message.starts_with("error[unknown-value]"),
            "{}",
            found[0].message
        );
        assert_eq!((found[1].row, found[1].column), (4, Some(column("to"))));
        assert!(
            found[1].message.contains("`nobody`"),
            "{}",
            found[1].message
        );
    }

    #[test]
    fn rows_without_id_or_twice_are_refused() {
        let mut sheet = rows(FILE);
        let copy = sheet[2].clone();
        sheet.push(copy);
        sheet[3][0] = String::new();
        let found = problems(FILE, &sheet);
        assert_eq!(
            (found[0].row, found[0].message.as_str()),
            (4, "the row has no inject id")
        );
        assert_eq!(found[1].row, sheet.len());
        assert!(
            found[1].message.ends_with("is already on row 3"),
            "{}",
            found[1].message
        );
        assert!(matches!(
            import(FILE, &[]),
            Err(ImportError::Sheet(p)) if p[0].message == "the sheet is empty"
        ));
    }

    #[test]
    fn column_letters_as_spreadsheets_write_them() {
        let letters: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702]
            .into_iter()
            .map(column_letters)
            .collect();
        assert_eq!(
            letters,
            ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
        );
    }
}
