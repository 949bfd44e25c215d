//! A package document as Markdown (for wikis and editing) and as one self-contained HTML
//! page (inline CSS, no script, prints cleanly), with the report's table renderers.

use std::fmt::Write;

use super::{Block, Doc};
use crate::report::{html, markdown};

/// The document as Markdown.
pub fn to_markdown(doc: &Doc) -> String {
    let mut md = format!("# {}\n\n{}\n", line(&doc.title), line(&doc.subtitle));
    for section in &doc.sections {
        let _ = write!(md, "\n## {}\n", line(&section.title));
        for block in &section.blocks {
            md.push('\n');
            match block {
                Block::Heading(text) => {
                    let _ = writeln!(md, "### {}", line(text));
                }
                Block::Paragraph(text) => {
                    let _ = writeln!(md, "{}", text.trim());
                }
                Block::Facts(facts) => {
                    for (name, value) in facts {
                        let _ = writeln!(md, "- **{}:** {}", line(name), line(value));
                    }
                }
                Block::List(items) => {
                    for item in items {
                        let _ = writeln!(md, "- {}", line(item));
                    }
                }
                Block::Table(table) => md.push_str(&markdown::table(table)),
            }
        }
    }
    md
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;\
padding:0 1em;color:#222;line-height:1.4}h1{margin-bottom:.2em}h2{border-bottom:2px solid #ddd;\
padding-bottom:.2em;margin-top:2em}h3{margin-top:1.5em}table{border-collapse:collapse;\
margin:.5em 0;font-size:.92em}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:left;\
vertical-align:top}th{background:#f3f3f3}td.n{text-align:right}.muted{color:#666}\
dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:600}dd{margin:0}\
@media print{h2{break-after:avoid}table{break-inside:avoid}}";

/// The document as a self-contained HTML page.
pub fn to_html(doc: &Doc) -> String {
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><style>{STYLE}</style></head><body>\n\
         <h1>{title}</h1>\n<p class=\"muted\">{subtitle}</p>\n",
        title = html::escape(&doc.title),
        subtitle = html::escape(&doc.subtitle),
    );
    for section in &doc.sections {
        let _ = writeln!(page, "<h2>{}</h2>", html::escape(&section.title));
        for block in &section.blocks {
            match block {
                Block::Heading(text) => {
                    let _ = writeln!(page, "<h3>{}</h3>", html::escape(text));
                }
                Block::Paragraph(text) => {
                    let _ = writeln!(page, "<p>{}</p>", code_spans(text));
                }
                Block::Facts(facts) => {
                    page.push_str("<dl>");
                    for (name, value) in facts {
                        let _ = write!(
                            page,
                            "<dt>{}</dt><dd>{}</dd>",
                            html::escape(name),
                            html::escape(value)
                        );
                    }
                    page.push_str("</dl>\n");
                }
                Block::List(items) => {
                    page.push_str("<ul>");
                    for item in items {
                        let _ = write!(page, "<li>{}</li>", html::escape(item));
                    }
                    page.push_str("</ul>\n");
                }
                Block::Table(table) => page.push_str(&html::table(table)),
            }
        }
    }
    page.push_str("</body></html>\n");
    page
}

/// Text on one line (a heading or a list item must not break the Markdown structure).
fn line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Escaped text with Markdown's `code` spans as `<code>`.
fn code_spans(text: &str) -> String {
    let mut out = String::new();
    for (k, part) in text.split('`').enumerate() {
        if k % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", html::escape(part));
        } else {
            out.push_str(&html::escape(part));
        }
    }
    out
}
