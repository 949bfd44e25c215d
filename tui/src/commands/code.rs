//! Where `join` and `bot` get a seat's join code: `--code`, a file (`--code-file`), the
//! `CYBERDRILL_CODE` environment variable, or a prompt at the terminal that does not
//! echo it. A code is a secret: on the command line it shows in `ps` and in the shell's
//! history, so the file, the variable and the prompt are the recommended ways.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, bail};
use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
use crossterm::terminal;

/// The environment variable a join code may come from.
pub const CODE_ENV: &str = "CYBERDRILL_CODE";

/// Longest code accepted from a file or the prompt (codes are 14 characters; anything
/// much longer is the wrong file).
const MAX_CODE_CHARS: usize = 64;

/// Where the join code comes from.
#[derive(Debug, Clone, clap::Args)]
pub struct CodeArgs {
    /// The seat's join code. Other users of this machine can see it in the process
    /// list: prefer --code-file, the CYBERDRILL_CODE variable, or typing it when asked.
    #[arg(long)]
    pub code: Option<String>,
    /// Read the join code from this file (its first line).
    #[arg(long, value_name = "FILE", conflicts_with = "code")]
    pub code_file: Option<PathBuf>,
}

impl CodeArgs {
    /// The code: from `--code`, `--code-file`, `CYBERDRILL_CODE`, else asked for at
    /// the terminal (an error without one).
    pub fn resolve(&self) -> anyhow::Result<String> {
        if let Some(code) = &self.code {
            return Ok(code.clone());
        }
        if let Some(path) = &self.code_file {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the join code from {}", path.display()))?;
            let code = text.lines().next().unwrap_or("").trim().to_string();
            if code.is_empty() || code.chars().count() > MAX_CODE_CHARS {
                bail!(
                    "{} does not hold a join code on its first line (a code looks like \
                     7KQ4-M2XD-9PRT)",
                    path.display()
                );
            }
            return Ok(code);
        }
        if let Ok(code) = std::env::var(CODE_ENV)
            && !code.trim().is_empty()
        {
            return Ok(code.trim().to_string());
        }
        if !std::io::stdin().is_terminal() {
            bail!(
                "no join code: give it with --code-file FILE, the {CODE_ENV} environment \
                 variable, or --code CODE"
            );
        }
        prompt()
    }
}

/// Asks for the code at the terminal, showing `*` for each character typed.
fn prompt() -> anyhow::Result<String> {
    let mut err = std::io::stderr();
    // Echo is off before the prompt shows: keys typed (or pasted) as soon as it appears
    // are never echoed.
    terminal::enable_raw_mode().context("cannot read the code from the terminal")?;
    let typed = write!(err, "join code (from your slip): ")
        .and_then(|()| err.flush())
        .map_err(anyhow::Error::from)
        .and_then(|()| read_hidden(&mut err));
    let _ = terminal::disable_raw_mode();
    writeln!(err)?;
    let code = typed?;
    if code.trim().is_empty() {
        bail!("no join code typed: run the command again and type the code from your slip");
    }
    Ok(code.trim().to_string())
}

fn read_hidden(err: &mut std::io::Stderr) -> anyhow::Result<String> {
    let mut code = String::new();
    loop {
        let Event::Key(key) = event::read().context("cannot read the terminal")? else {
            continue;
        };
        if key.kind == KeyEventKind::Release {
            continue;
        }
        match key.code {
            KeyCode::Enter => return Ok(code),
            KeyCode::Char('c') if key.modifiers.contains(KeyModifiers::CONTROL) => {
                bail!("cancelled")
            }
            KeyCode::Esc => bail!("cancelled"),
            KeyCode::Backspace if code.pop().is_some() => write!(err, "\u{8} \u{8}")?,
            KeyCode::Char(c) if code.chars().count() < MAX_CODE_CHARS => {
                code.push(c);
                write!(err, "*")?;
            }
            _ => {}
        }
        err.flush()?;
    }
}
