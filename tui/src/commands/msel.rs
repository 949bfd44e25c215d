//! `cyberdrill msel export|import`: the master scenario events list as a spreadsheet
//! (xlsx or csv), for trainers who keep their timeline in Excel or LibreOffice.
//!
//! The table itself (columns, cells, how a sheet edits the scenario) is the engine's
//! [`sheet`] module; this command only reads and writes the two file formats: xlsx with
//! `rust_xlsxwriter` (write) and `calamine` (read), csv with the `csv` crate.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use cyberdrill_engine::scenario::sheet::{self, COLUMNS, ImportError, Kind, Problem, SHEET};
use cyberdrill_engine::scenario::{self, Severity};

/// Arguments of `cyberdrill msel`.
#[derive(Debug, Args)]
pub struct MselArgs {
    #[command(subcommand)]
    pub action: MselAction,
}

/// What `cyberdrill msel` does.
#[derive(Debug, Subcommand)]
pub enum MselAction {
    /// Write a scenario's injects as a master scenario events list (one row per inject).
    #[command(
        after_help = "Examples:\n  cyberdrill msel export my-drill.toml --out msel.xlsx\n  \
                            cyberdrill msel export tutorial --out msel.csv"
    )]
    Export {
        /// Scenario file (TOML), or a bundled scenario's name.
        file: PathBuf,
        /// The spreadsheet to write: `.xlsx` or `.csv`.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Read a master scenario events list into a scenario: each row updates the inject
    /// with its id, a new id adds an inject; the file is written only if it stays valid.
    #[command(after_help = "Example:\n  cyberdrill msel import msel.xlsx --into my-drill.toml")]
    Import {
        /// The spreadsheet to read: `.xlsx` (its sheet `MSEL`, else its first) or `.csv`.
        sheet: PathBuf,
        /// Scenario file (TOML) to update in place.
        #[arg(long, value_name = "FILE")]
        into: PathBuf,
    },
}

/// The two spreadsheet formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Xlsx,
    Csv,
}

fn format_of(path: &Path) -> anyhow::Result<Format> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("xlsx") => Ok(Format::Xlsx),
        Some("csv") => Ok(Format::Csv),
        _ => bail!(
            "`{}`: name the spreadsheet `.xlsx` (Excel, LibreOffice) or `.csv`",
            path.display()
        ),
    }
}

/// Runs `cyberdrill msel ...`.
pub fn run(args: MselArgs) -> anyhow::Result<ExitCode> {
    match args.action {
        MselAction::Export { file, out } => export(&file, &out),
        MselAction::Import { sheet, into } => import(&sheet, &into),
    }
}

fn export(file: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    let format = format_of(out)?;
    let loaded = crate::commands::outcome::load_named(file)?;
    let rows = match sheet::export(&loaded.source) {
        Ok(rows) => rows,
        Err(sheet::ExportError::Invalid(diagnostics)) => {
            bail!(
                "{}",
                scenario::render(&loaded.name, &loaded.source, &diagnostics)
            )
        }
        Err(sheet::ExportError::NotTables) => bail!(
            "`{}`: write each inject as an `[[inject]]` table to export its MSEL",
            loaded.name
        ),
    };
    match format {
        Format::Xlsx => write_xlsx(&rows, out)?,
        Format::Csv => write_csv(&rows, out)?,
    }
    writeln!(
        std::io::stdout(),
        "{}: {} injects written to {}",
        loaded.name,
        rows.len() - 1,
        out.display()
    )?;
    Ok(ExitCode::SUCCESS)
}

fn write_csv(rows: &[Vec<String>], out: &Path) -> anyhow::Result<()> {
    let mut writer =
        csv::Writer::from_path(out).with_context(|| format!("cannot write `{}`", out.display()))?;
    for row in rows {
        writer.write_record(row)?;
    }
    writer
        .flush()
        .with_context(|| format!("cannot write `{}`", out.display()))
}

/// Widest column (characters) of the xlsx sheet; longer text wraps.
const MAX_WIDTH: usize = 60;

fn write_xlsx(rows: &[Vec<String>], out: &Path) -> anyhow::Result<()> {
    use rust_xlsxwriter::{Format as CellFormat, FormatAlign, Workbook, XlsxError};
    let mut workbook = Workbook::new();
    let bold = CellFormat::new().set_bold();
    let wrap = CellFormat::new()
        .set_text_wrap()
        .set_align(FormatAlign::Top);
    let sheet = workbook.add_worksheet();
    sheet.set_name(SHEET)?;
    for (r, row) in rows.iter().enumerate() {
        for (c, text) in row.iter().enumerate() {
            let (r32, c16) = (r as u32, c as u16);
            let tick = COLUMNS.get(c).is_some_and(|col| col.kind == Kind::Tick);
            let written = match text.parse::<u32>() {
                _ if r == 0 => sheet.write_string_with_format(r32, c16, text, &bold),
                Ok(n) if tick => sheet.write_number_with_format(r32, c16, n, &wrap),
                _ => sheet.write_string_with_format(r32, c16, text, &wrap),
            };
            match written {
                Ok(_) => {}
                Err(XlsxError::MaxStringLengthExceeded) => bail!(
                    "row {}, column {}: more than the 32,767 characters an xlsx cell holds; export to .csv instead",
                    r + 1,
                    sheet::column_letters(c)
                ),
                Err(e) => return Err(e.into()),
            }
        }
    }
    for c in 0..rows.first().map_or(0, Vec::len) {
        let widest = rows
            .iter()
            .filter_map(|row| row.get(c))
            .flat_map(|text| text.lines())
            .map(|line| line.chars().count())
            .max()
            .unwrap_or(0);
        sheet.set_column_width(c as u16, widest.clamp(6, MAX_WIDTH) as f64 + 1.0)?;
    }
    sheet.set_freeze_panes(1, 1)?;
    let help = workbook.add_worksheet();
    help.set_name("Columns")?;
    help.write_string_with_format(0, 0, "column", &bold)?;
    help.write_string_with_format(0, 1, "what it holds", &bold)?;
    for (k, column) in COLUMNS.iter().enumerate() {
        help.write_string(k as u32 + 1, 0, column.name)?;
        help.write_string(k as u32 + 1, 1, column.help)?;
    }
    help.set_column_width(0, 18)?;
    help.set_column_width(1, 100)?;
    workbook
        .save(out)
        .with_context(|| format!("cannot write `{}`", out.display()))
}

/// A sheet as read: its rows of text cells from A1, and its name (xlsx only).
struct Read {
    rows: Vec<Vec<String>>,
    sheet: Option<String>,
}

fn read_csv(path: &Path) -> anyhow::Result<Read> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .with_context(|| format!("cannot read `{}`", path.display()))?;
    let mut rows = Vec::new();
    for (k, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            anyhow::anyhow!(
                "{}: row {}: cannot read the csv: {e}",
                path.display(),
                k + 1
            )
        })?;
        rows.push(record.iter().map(str::to_owned).collect());
    }
    Ok(Read { rows, sheet: None })
}

fn read_xlsx(path: &Path) -> anyhow::Result<Read> {
    use calamine::{Data, Reader, Xlsx, open_workbook};
    let mut workbook: Xlsx<_> = open_workbook(path)
        .with_context(|| format!("cannot read `{}` as an xlsx workbook", path.display()))?;
    let names = workbook.sheet_names();
    let Some(name) = names
        .iter()
        .find(|n| n.as_str() == SHEET)
        .or_else(|| names.first())
        .cloned()
    else {
        bail!("`{}` has no sheet", path.display());
    };
    let range = workbook
        .worksheet_range(&name)
        .with_context(|| format!("cannot read sheet `{name}` of `{}`", path.display()))?;
    let (top, left) = range.start().unwrap_or((0, 0));
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); top as usize];
    for (r, cells) in range.rows().enumerate() {
        let mut row = vec![String::new(); left as usize];
        for (c, cell) in cells.iter().enumerate() {
            let text = match cell {
                Data::Empty => String::new(),
                Data::String(s) => s.clone(),
                Data::Int(n) => n.to_string(),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
                Data::Float(f) => f.to_string(),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(_) | Data::DateTimeIso(_) | Data::DurationIso(_) => bail!(
                    "{}: sheet {name}, row {}, column {}: a date or time; write ticks as whole numbers and text as text",
                    path.display(),
                    top as usize + r + 1,
                    sheet::column_letters(left as usize + c)
                ),
                Data::Error(e) => bail!(
                    "{}: sheet {name}, row {}, column {}: the cell holds the spreadsheet error {e}",
                    path.display(),
                    top as usize + r + 1,
                    sheet::column_letters(left as usize + c)
                ),
            };
            row.push(text);
        }
        rows.push(row);
    }
    Ok(Read {
        rows,
        sheet: Some(name),
    })
}

fn import(path: &Path, into: &Path) -> anyhow::Result<ExitCode> {
    let format = format_of(path)?;
    let read = match format {
        Format::Xlsx => read_xlsx(path)?,
        Format::Csv => read_csv(path)?,
    };
    let name = into.display().to_string();
    // Its message says it all (the file, the reason); no cause chain to print twice.
    let text = scenario::read_text(into).map_err(|e| anyhow::anyhow!("{e}"))?;
    let place = |p: &Problem| place(path, &read, p);
    match sheet::import(&text, &read.rows) {
        Ok(imported) => {
            for warning in &imported.warnings {
                eprint!("{}", place(warning));
            }
            if imported.text != text {
                write_atomically(into, &imported.text)?;
            }
            let mut out = std::io::stdout();
            writeln!(
                out,
                "{} -> {name}: {} added, {} changed, {} unchanged",
                path.display(),
                count(&imported.added),
                count(&imported.changed),
                imported.unchanged,
            )?;
            if !imported.not_in_sheet.is_empty() {
                writeln!(
                    out,
                    "kept as they are (not in the sheet): {}",
                    imported.not_in_sheet.join(", ")
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Scenario(diagnostics)) => {
            eprint!("{}", scenario::render(&name, &text, &diagnostics));
            eprintln!("{name} has errors: fix them before importing a sheet into it");
            Ok(ExitCode::FAILURE)
        }
        Err(ImportError::Sheet(problems)) => {
            for problem in &problems {
                eprint!("{}", place(problem));
            }
            eprintln!("{name} was not changed");
            Ok(ExitCode::FAILURE)
        }
        Err(ImportError::Elsewhere {
            text: edited,
            diagnostics,
            located,
        }) => {
            for problem in &located {
                eprint!("{}", place(problem));
            }
            let label = format!("{name} (as the import would write it)");
            eprint!("{}", scenario::render(&label, &edited, &diagnostics));
            eprintln!("{name} was not changed");
            Ok(ExitCode::FAILURE)
        }
    }
}

/// `N (a, b)` or `0`.
fn count(ids: &[String]) -> String {
    if ids.is_empty() {
        "0".into()
    } else {
        format!("{} ({})", ids.len(), ids.join(", "))
    }
}

/// A problem as `FILE: sheet S, row R, column C (name): message` with its hint.
fn place(path: &Path, read: &Read, problem: &Problem) -> String {
    let mut at = format!("{}:", path.display());
    if let Some(sheet) = &read.sheet {
        at.push_str(&format!(" sheet {sheet},"));
    }
    if problem.row > 0 {
        at.push_str(&format!(" row {}", problem.row));
    }
    if let Some(c) = problem.column {
        let header = read
            .rows
            .first()
            .and_then(|h| h.get(c))
            .map(|h| h.trim())
            .unwrap_or_default();
        at.push_str(&format!(", column {} ({header})", sheet::column_letters(c)));
    }
    let mut message = problem.message.clone();
    if !message.starts_with("error[") && !message.starts_with("warning[") {
        let severity = match problem.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        message = format!("{severity}: {message}");
    }
    let mut text = format!("{at}: {message}\n");
    if let Some(hint) = &problem.hint {
        text.push_str(&format!("  = hint: {hint}\n"));
    }
    text
}

/// Replaces `path` by `text` through a temporary file beside it, so that a failure
/// midway leaves the old file whole.
pub(crate) fn write_atomically(path: &Path, text: &str) -> anyhow::Result<()> {
    let mut temporary = PathBuf::from(path);
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    temporary.set_file_name(format!(".{file_name}.import"));
    std::fs::write(&temporary, text)
        .with_context(|| format!("cannot write `{}`", temporary.display()))?;
    std::fs::rename(&temporary, path)
        .with_context(|| format!("cannot replace `{}`", path.display()))
}
