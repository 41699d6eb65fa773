//! Blank templates for contributors (`ctdx template`): an XLSX workbook with one column per field
//! of the standard, titles as headers, dropdowns from the code lists and an instructions sheet;
//! or the same header line as CSV. A filled template converts with no `--profile`: its layout is
//! the generated profile `hub-template-<version>`.

use rust_xlsxwriter::{DataValidation, Format, Formula, Workbook, XlsxError};

use crate::model::{SchemaVersion, countries};
use crate::profile::{Kind, template_profile};
use crate::text::csv_line;

/// Rows prepared with dropdowns (a contributor can add more; they are read all the same).
const PREPARED_ROWS: u32 = 1000;

/// The CSV template: the header line.
pub fn csv_template(version: SchemaVersion) -> String {
    let profile = template_profile(version);
    let headers: Vec<&str> = profile.columns.iter().map(|c| c.header.as_str()).collect();
    csv_line(&headers, ',')
}

/// The XLSX template as bytes.
pub fn xlsx_template(version: SchemaVersion) -> Result<Vec<u8>, XlsxError> {
    let profile = template_profile(version);
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_text_wrap();

    let cases = book.add_worksheet();
    cases.set_name("Cases")?;
    cases.set_freeze_panes(1, 0)?;
    for (i, column) in profile.columns.iter().enumerate() {
        let col = u16::try_from(i).unwrap_or(u16::MAX);
        cases.write_string_with_format(0, col, &column.header, &bold)?;
        cases.set_column_width(
            col,
            (column.header.chars().count() as f64).clamp(12.0, 40.0),
        )?;
        let validation = match column.kind {
            Kind::Code | Kind::Flag => {
                let labels: Vec<String> = column.values.keys().cloned().collect();
                DataValidation::new().allow_list_strings(&labels)?
            }
            Kind::Country | Kind::Countries => {
                let range = format!("=Lists!$A$1:$A${}", countries().len());
                DataValidation::new().allow_list_formula(Formula::new(range))
            }
            Kind::Year => DataValidation::new()
                .allow_whole_number(rust_xlsxwriter::DataValidationRule::Between(2000, 2100))
                .set_error_message("A year with four digits, from 2000.")?,
            _ => continue,
        };
        cases.add_data_validation(1, col, PREPARED_ROWS, col, &validation)?;
    }

    let instructions = book.add_worksheet();
    instructions.set_name("Instructions")?;
    instructions.set_column_width(0, 110)?;
    let lines = [
        format!("How to fill in this template (hub case record, version {version})"),
        String::new(),
        "One row per identified or presumed victim. Do not add columns, and do not rename the headers.".into(),
        "Never write a name, a birth date, a phone number, an address, an e-mail or a case number anywhere in this file.".into(),
        "Leave a cell empty when the fact is not known: empty means unknown, it does not mean no.".into(),
        "Choose values from the dropdowns. Countries are listed by their English names; ISO codes (e.g. NA for Namibia) are accepted too.".into(),
        "Where a field holds several countries, separate them with a semicolon (;).".into(),
        "Years have four digits. Age is a band, never an exact age.".into(),
        String::new(),
        "Check the file before you send it:  ctdx validate template.xlsx".into(),
        "Every problem is reported with its cell (e.g. Cases!D14) and what to do about it.".into(),
    ];
    for (row, line) in lines.iter().enumerate() {
        let fmt = if row == 0 {
            bold.clone()
        } else {
            Format::new()
        };
        instructions.write_string_with_format(u32::try_from(row).unwrap_or(0), 0, line, &fmt)?;
    }

    let lists = book.add_worksheet();
    lists.set_name("Lists")?;
    lists.set_hidden(true);
    for (row, c) in countries().iter().enumerate() {
        lists.write_string(u32::try_from(row).unwrap_or(0), 0, c.name_en)?;
    }
    book.save_to_buffer()
}
