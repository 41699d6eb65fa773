//! How each reader's work and memory grow with its input (issue 18, item 4): every reader (CSV,
//! JSON Lines, JSON array, XML, XLSX) reads inputs of 1×, 4× and 16× a base size, and the test
//! counts what it allocates (dhat's counting allocator: deterministic, unlike time):
//!
//! - the work grows at most linearly: the allocations (blocks and bytes) added from 4× to 16×
//!   are at most about four times those added from 1× to 4× (a quadratic reader gives sixteen);
//! - the streaming readers' peak heap stays flat: at 16× it is within a small margin of 1×.
//!   The XLSX reader holds the workbook's bytes and its shared strings by design, so its peak
//!   may grow, but only linearly.
//!
//! The counts are process-wide, so this binary has one test, and nothing else allocates while a
//! reader is measured: inputs are built before each measurement.

use std::io::{BufReader, Cursor};

use ctdx::read::csv::{CsvOptions, CsvTable};
use ctdx::read::xlsx::{preflight, read_sheet};
use ctdx::read::xml::read_xml;
use ctdx::read::{JsonReader, Limits};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// What one reading allocated.
#[derive(Debug, Clone, Copy)]
struct Cost {
    blocks: u64,
    bytes: u64,
    peak: u64,
}

fn measure(read: impl FnOnce()) -> Cost {
    let profiler = dhat::Profiler::builder().testing().build();
    read();
    let stats = dhat::HeapStats::get();
    drop(profiler);
    Cost {
        blocks: stats.total_blocks,
        bytes: stats.total_bytes,
        peak: stats.max_bytes as u64,
    }
}

/// One reader: builds its input of `n` units, and reads it all.
struct Reader {
    name: &'static str,
    base: usize,
    make: fn(usize) -> Vec<u8>,
    read: fn(&[u8]),
    streams: bool,
}

fn record(i: usize) -> String {
    format!(
        "{{\"schemaVersion\":\"1.0\",\"yearOfRegistration\":{},\"gender\":\"female\",\"ageBand\":\"18--20\",\"citizenship\":\"UA\"}}",
        2015 + i % 8
    )
}

fn csv(n: usize) -> Vec<u8> {
    let mut out =
        String::from("yearOfRegistration,gender,ageBroad,citizenship,CountryOfExploitation\n");
    for i in 0..n {
        out.push_str(&format!("{},Female,18--20,UA,PL\n", 2015 + i % 8));
    }
    out.into_bytes()
}

fn json_lines(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| record(i) + "\n")
        .collect::<String>()
        .into_bytes()
}

fn json_array(n: usize) -> Vec<u8> {
    let records: Vec<String> = (0..n).map(record).collect();
    format!("[\n{}\n]", records.join(",\n")).into_bytes()
}

fn xml(n: usize) -> Vec<u8> {
    let one = "<data id=\"htcds_xlsform\"><gender>female</gender><age>19</age><citizenship>UA</citizenship><meta><instanceID>uuid:1</instanceID></meta></data>\n";
    format!("<export>\n{}</export>\n", one.repeat(n)).into_bytes()
}

fn xlsx(n: usize) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let headers = ["yearOfRegistration", "gender", "ageBroad", "citizenship"];
    for (c, h) in headers.iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("header");
    }
    for i in 0..n {
        let row = i as u32 + 1;
        sheet
            .write_number(row, 0, (2015 + i % 8) as f64)
            .expect("cell");
        sheet.write_string(row, 1, "Female").expect("cell");
        sheet.write_string(row, 2, "18--20").expect("cell");
        sheet.write_string(row, 3, "UA").expect("cell");
    }
    book.save_to_buffer().expect("workbook")
}

fn read_csv(bytes: &[u8]) {
    let mut table = CsvTable::open(bytes, &CsvOptions::default())
        .expect("in memory")
        .expect("opens");
    let mut rows = 0;
    while let Some(chunk) = table.next_rows(1024) {
        rows += chunk.len();
    }
    assert!(rows > 0);
}

fn read_json(bytes: &[u8]) {
    let reader = JsonReader::new(BufReader::new(bytes), Limits::default()).expect("in memory");
    let mut items = 0;
    for item in reader {
        item.expect("in memory");
        items += 1;
    }
    assert!(items > 0);
}

fn read_xml_file(bytes: &[u8]) {
    let mut documents = 0;
    let end = read_xml(bytes, &Limits::default(), &mut |_| {
        documents += 1;
        Ok(())
    })
    .expect("in memory");
    assert!(end.problem.is_none() && documents > 0, "{:?}", end.problem);
}

fn read_xlsx(bytes: &[u8]) {
    let limits = Limits::default();
    let checked = preflight(Cursor::new(bytes), &limits.xlsx).expect("a plain workbook");
    let mut rows = 0;
    read_sheet(
        Cursor::new(bytes),
        &checked,
        None,
        1,
        None,
        &limits,
        &mut |_| rows += 1,
    )
    .expect("reads");
    assert!(rows > 1);
}

const READERS: &[Reader] = &[
    Reader {
        name: "CSV",
        base: 4096,
        make: csv,
        read: read_csv,
        streams: true,
    },
    Reader {
        name: "JSON Lines",
        base: 2048,
        make: json_lines,
        read: read_json,
        streams: true,
    },
    Reader {
        name: "JSON array",
        base: 2048,
        make: json_array,
        read: read_json,
        streams: true,
    },
    Reader {
        name: "XML",
        base: 256,
        make: xml,
        read: read_xml_file,
        streams: true,
    },
    Reader {
        name: "XLSX",
        base: 1024,
        make: xlsx,
        read: read_xlsx,
        streams: false,
    },
];

/// Going from 4× to 16× adds 12 units, from 1× to 4× adds 3: a linear reader's growth ratio is
/// 4 (a quadratic one's is 16). A margin covers buffers that grow in steps.
fn at_most_linear(name: &str, what: &str, one: u64, four: u64, sixteen: u64) {
    let (first, second) = (four.saturating_sub(one), sixteen.saturating_sub(four));
    assert!(
        second <= first.saturating_mul(5) + 4096,
        "{name}: {what} grows faster than the input: {one} at 1x, {four} at 4x, {sixteen} at 16x"
    );
}

#[test]
fn readers_work_linearly_and_stream_in_flat_memory() {
    for reader in READERS {
        let costs: Vec<Cost> = [1, 4, 16]
            .into_iter()
            .map(|k| {
                let input = (reader.make)(reader.base * k);
                measure(|| (reader.read)(&input))
            })
            .collect();
        let [one, four, sixteen] = [costs[0], costs[1], costs[2]];
        at_most_linear(
            reader.name,
            "allocations",
            one.blocks,
            four.blocks,
            sixteen.blocks,
        );
        at_most_linear(
            reader.name,
            "bytes allocated",
            one.bytes,
            four.bytes,
            sixteen.bytes,
        );
        at_most_linear(reader.name, "peak heap", one.peak, four.peak, sixteen.peak);
        if reader.streams {
            // Flat: 16 times the input, the same peak (within buffers that settle in steps).
            assert!(
                sixteen.peak <= one.peak + one.peak / 2 + 64 * 1024,
                "{}: the peak heap grows with the input: {} bytes at 1x, {} at 16x",
                reader.name,
                one.peak,
                sixteen.peak
            );
        }
        // The work does grow: a reader that read nothing would pass the checks above.
        assert!(
            sixteen.blocks > four.blocks && four.blocks > one.blocks,
            "{}: {costs:?}",
            reader.name
        );
    }
}
