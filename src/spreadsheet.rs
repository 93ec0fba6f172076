//! Tables as CSV for spreadsheets, safe to open.
//!
//! A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
//! formula (and some also one that starts with a tab or carriage return), so
//! a process named `=HYPERLINK(...)` would run in the quality manager's
//! Excel. Text cells that start so get a leading `'`, which spreadsheets
//! read as "this is text"; numbers are written as numbers.

use actix_web::HttpResponse;

use crate::error::{AppError, AppResult};
use crate::i18n::Lang;

/// How a spreadsheet in the reader's language expects CSV: Excel set to
/// Finnish splits columns at `;` and writes decimals with a comma.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CsvStyle {
    /// The byte between columns (`,` or `;`).
    pub delimiter: u8,
    /// Whether decimals are written with a comma.
    pub decimal_comma: bool,
}

impl CsvStyle {
    /// The CSV a spreadsheet set to `lang` reads.
    pub fn for_lang(lang: Lang) -> CsvStyle {
        match lang {
            Lang::En => CsvStyle {
                delimiter: b',',
                decimal_comma: false,
            },
            Lang::Fi => CsvStyle {
                delimiter: b';',
                decimal_comma: true,
            },
        }
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Free text: neutralised when it could run as a formula.
    Text(String),
    /// A count.
    Count(i64),
    /// A measure with one decimal; empty when there is none.
    Decimal(Option<f64>),
    /// A number as it was given (a reading of a record), every decimal kept.
    Number(f64),
}

impl Cell {
    fn written(&self, style: CsvStyle) -> String {
        match self {
            Cell::Text(s) => neutralise(s),
            Cell::Count(n) => n.to_string(),
            Cell::Decimal(Some(v)) if style.decimal_comma => format!("{v:.1}").replace('.', ","),
            Cell::Decimal(Some(v)) => format!("{v:.1}"),
            Cell::Decimal(None) => String::new(),
            Cell::Number(v) if style.decimal_comma => v.to_string().replace('.', ","),
            Cell::Number(v) => v.to_string(),
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

impl From<String> for Cell {
    fn from(s: String) -> Cell {
        Cell::Text(s)
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Count(n)
    }
}

/// A text as a spreadsheet will show it rather than run it.
pub fn neutralise(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

/// The table as CSV (RFC 4180 quoting, `\r\n` line ends), preceded by a
/// UTF-8 byte-order mark so that Excel reads `ä` and `ö` as such.
///
/// # Errors
/// Internal, if the CSV writer fails (it writes to memory).
pub fn to_csv(header: &[String], rows: &[Vec<Cell>], style: CsvStyle) -> AppResult<Vec<u8>> {
    let mut out = Vec::with_capacity(64 * (rows.len() + 1));
    out.extend_from_slice("\u{feff}".as_bytes());
    let mut w = csv::WriterBuilder::new()
        .delimiter(style.delimiter)
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    w.write_record(header.iter().map(|h| neutralise(h)))
        .map_err(AppError::internal)?;
    for row in rows {
        w.write_record(row.iter().map(|c| c.written(style)))
            .map_err(AppError::internal)?;
    }
    w.into_inner()
        .map_err(|e| AppError::internal(anyhow::anyhow!("CSV: {e}")))
}

/// A CSV written row by row to `W` (the same quoting, byte-order mark
/// and neutralising as [`to_csv`]), so that a long register is never held
/// in memory: the evidence export streams its registers through it.
pub struct CsvRows<W: std::io::Write> {
    w: csv::Writer<W>,
    style: CsvStyle,
}

impl<W: std::io::Write> CsvRows<W> {
    /// Starts the CSV on `out` with its header row.
    ///
    /// # Errors
    /// When `out` fails.
    pub fn new(mut out: W, header: &[String], style: CsvStyle) -> AppResult<Self> {
        out.write_all("\u{feff}".as_bytes())
            .map_err(AppError::internal)?;
        let mut w = csv::WriterBuilder::new()
            .delimiter(style.delimiter)
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        w.write_record(header.iter().map(|h| neutralise(h)))
            .map_err(AppError::internal)?;
        Ok(CsvRows { w, style })
    }

    /// Writes one row.
    ///
    /// # Errors
    /// When the output fails.
    pub fn row(&mut self, row: &[Cell]) -> AppResult<()> {
        let style = self.style;
        self.w
            .write_record(row.iter().map(|c| c.written(style)))
            .map_err(AppError::internal)
    }

    /// Flushes what is left.
    ///
    /// # Errors
    /// When the output fails.
    pub fn finish(mut self) -> AppResult<()> {
        self.w.flush().map_err(AppError::internal)
    }
}

/// The table as a CSV download named `filename` (a fixed name of ours).
///
/// # Errors
/// As [`to_csv`].
pub fn csv_download(
    filename: &str,
    header: &[String],
    rows: &[Vec<Cell>],
    lang: Lang,
) -> AppResult<HttpResponse> {
    let body = to_csv(header, rows, CsvStyle::for_lang(lang))?;
    Ok(crate::download::attachment(
        filename,
        "text/csv; charset=utf-8",
        body,
    ))
}

/// The table as an XLSX workbook of one sheet: a bold header row that
/// stays in view, text as text (a cell of an XLSX file is never run as a
/// formula unless it is written as one), numbers as numbers.
///
/// # Errors
/// Internal, if the workbook cannot be written (it is written to memory).
pub fn to_xlsx(sheet: &str, header: &[String], rows: &[Vec<Cell>]) -> AppResult<Vec<u8>> {
    use rust_xlsxwriter::{Format, Workbook};
    let fault = |e: rust_xlsxwriter::XlsxError| AppError::internal(anyhow::anyhow!("XLSX: {e}"));
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let ws = book.add_worksheet();
    // Sheet names are at most 31 characters, without []:*?/\.
    let name: String = sheet
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .take(31)
        .collect();
    ws.set_name(if name.is_empty() { "Sheet1" } else { &name })
        .map_err(fault)?;
    for (c, h) in header.iter().enumerate() {
        let c = u16::try_from(c).map_err(AppError::internal)?;
        ws.write_string_with_format(0, c, h, &bold).map_err(fault)?;
        ws.set_column_width(c, if c == 0 { 28 } else { 16 })
            .map_err(fault)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let r = u32::try_from(r + 1).map_err(AppError::internal)?;
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).map_err(AppError::internal)?;
            match cell {
                Cell::Text(s) => {
                    ws.write_string(r, c, s).map_err(fault)?;
                }
                Cell::Count(n) => {
                    #[allow(clippy::cast_precision_loss)]
                    ws.write_number(r, c, *n as f64).map_err(fault)?;
                }
                Cell::Decimal(Some(v)) | Cell::Number(v) => {
                    ws.write_number(r, c, *v).map_err(fault)?;
                }
                Cell::Decimal(None) => {}
            }
        }
    }
    ws.set_freeze_panes(1, 1).map_err(fault)?;
    book.save_to_buffer().map_err(fault)
}

/// The table as an XLSX download named `filename` (a fixed name of ours).
///
/// # Errors
/// As [`to_xlsx`].
pub fn xlsx_download(
    filename: &str,
    sheet: &str,
    header: &[String],
    rows: &[Vec<Cell>],
) -> AppResult<HttpResponse> {
    let body = to_xlsx(sheet, header, rows)?;
    Ok(crate::download::attachment(
        filename,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(bytes: &[u8], delimiter: u8) -> Vec<Vec<String>> {
        let text = std::str::from_utf8(bytes).unwrap();
        let text = text.strip_prefix('\u{feff}').unwrap();
        csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .from_reader(text.as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn formulas_are_neutralised_and_other_text_kept() {
        for (given, written) in [
            ("=SUM(A1)", "'=SUM(A1)"),
            ("+358 40", "'+358 40"),
            ("-1", "'-1"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("Sisäinen reklamaatio", "Sisäinen reklamaatio"),
            ("a=b", "a=b"),
            ("", ""),
        ] {
            assert_eq!(neutralise(given), written);
        }
    }

    #[test]
    fn a_table_round_trips_with_quoting() {
        let header = vec!["Process".to_string(), "Cases".to_string()];
        let rows = vec![
            vec![Cell::from("=SUM(A1)"), Cell::Count(3)],
            vec![Cell::from("Sales, \"north\"\nand south"), Cell::Count(-2)],
            vec![Cell::from("Mean"), Cell::Decimal(Some(2.26))],
            vec![Cell::from("None"), Cell::Decimal(None)],
        ];
        let bytes = to_csv(&header, &rows, CsvStyle::for_lang(Lang::En)).unwrap();
        assert!(bytes.starts_with("\u{feff}".as_bytes()));
        assert!(std::str::from_utf8(&bytes).unwrap().contains("\r\n"));
        let back = read(&bytes, b',');
        assert_eq!(back[0], ["'=SUM(A1)", "3"]);
        assert_eq!(
            back[1],
            ["Sales, \"north\"\nand south", "-2"],
            "numbers are not text"
        );
        assert_eq!(back[2], ["Mean", "2.3"]);
        assert_eq!(back[3], ["None", ""]);
    }

    #[test]
    fn finnish_spreadsheets_get_semicolons_and_decimal_commas() {
        let header = vec!["Prosessi".to_string(), "Keskiarvo".to_string()];
        let rows = vec![vec![
            Cell::from("Hankinta; osto"),
            Cell::Decimal(Some(68.64)),
        ]];
        let bytes = to_csv(&header, &rows, CsvStyle::for_lang(Lang::Fi)).unwrap();
        let text = std::str::from_utf8(&bytes).unwrap();
        assert!(text.contains("Prosessi;Keskiarvo\r\n"), "{text}");
        let back = read(&bytes, b';');
        assert_eq!(back[0], ["Hankinta; osto", "68,6"]);
    }
}
