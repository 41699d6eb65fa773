//! The reader on small documents: shapes of files, namespaces, entities, and every limit.

use super::*;
use crate::diag::Code;

fn read(text: &str, limits: &XmlLimits) -> (Vec<Document>, Option<Diagnostic>) {
    let limits = Limits {
        xml: *limits,
        ..Limits::default()
    };
    let mut docs = Vec::new();
    let end = read_xml(text.as_bytes(), &limits, &mut |d| {
        docs.push(d);
        Ok(())
    })
    .expect("no i/o error");
    (docs, end.problem)
}

fn code(problem: &Option<Diagnostic>) -> Option<Code> {
    problem.as_ref().map(|d| d.code)
}

#[test]
fn one_submission_gives_leaves_with_paths_and_places() {
    let text = "<?xml version='1.0' encoding='UTF-8' ?>\n<data xmlns:orx=\"http://openrosa.org/xforms\" id=\"f\">\n  <a>x &amp; y&#33;</a>\n  <b/>\n  <orx:meta><orx:instanceID>uuid:1</orx:instanceID></orx:meta>\n</data>\n";
    let (docs, problem) = read(text, &XmlLimits::default());
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].kind, DocumentKind::Submission);
    let leaves: Vec<(String, String, u64, u32)> = docs[0]
        .root
        .leaves()
        .into_iter()
        .map(|(p, e)| (p, e.text.clone(), e.line, e.column))
        .collect();
    assert_eq!(
        leaves,
        vec![
            ("a".into(), "x & y!".into(), 3, 3),
            ("b".into(), String::new(), 4, 3),
            ("meta/instanceID".into(), "uuid:1".into(), 5, 13),
        ]
    );
}

#[test]
fn concatenated_documents_and_wrappers_give_several_submissions() {
    let one = "<?xml version=\"1.0\"?><data id=\"f\"><a>1</a></data>\n";
    let (docs, problem) = read(&format!("{one}{one}{one}"), &XmlLimits::default());
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(docs.iter().map(|d| d.number).collect::<Vec<_>>(), [1, 2, 3]);
    let wrapped =
        "<export>\n<data id=\"f\"><a>1</a></data>\n<data id=\"f\"><a>2</a></data>\n</export>";
    let (docs, problem) = read(wrapped, &XmlLimits::default());
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[1].root.leaves()[0].1.text, "2");
    assert_eq!(docs[1].root.line, 3);
    // Without an id anywhere, the top-level element is the submission.
    let (docs, _) = read("<form><a>1</a><b>2</b></form>", &XmlLimits::default());
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0].root.leaves().len(), 2);
}

#[test]
fn canonical_xml_is_recognised_by_its_root() {
    let text = "<caseRecords xmlns=\"urn:ctdx:xml:case-records\"><caseRecord><schemaVersion>1.0</schemaVersion></caseRecord><caseRecord/></caseRecords>";
    let (docs, problem) = read(text, &XmlLimits::default());
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(docs.len(), 2);
    assert!(docs.iter().all(|d| d.kind == DocumentKind::Canonical));
}

#[test]
fn doctypes_are_refused_before_anything_is_read() {
    let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE data [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n<data id=\"f\"><a>&x;</a></data>";
    let (docs, problem) = read(text, &XmlLimits::default());
    assert!(docs.is_empty());
    assert_eq!(code(&problem), Some(Code::XmlDoctypeRefused));
    assert_eq!(problem.and_then(|d| d.location).map(|l| l.line()), Some(2));
}

#[test]
fn a_problem_inside_a_submission_carries_its_number() {
    let text = "<data id=\"f\"><a>1</a></data>\n<data id=\"f\"><a>1</b></data>";
    let (docs, problem) = read(text, &XmlLimits::default());
    assert_eq!(docs.len(), 1);
    let at = problem.and_then(|d| d.location).expect("located");
    assert!(
        matches!(
            at,
            SourceLocation::Xml {
                submission: 2,
                line: 2,
                ..
            }
        ),
        "{at:?}"
    );
}

#[test]
fn undefined_entities_are_not_well_formed() {
    let (_, problem) = read("<data id=\"f\"><a>&x;</a></data>", &XmlLimits::default());
    assert_eq!(code(&problem), Some(Code::InvalidXml));
}

#[test]
fn every_limit_is_enforced_and_named() {
    let small = XmlLimits {
        max_file_bytes: 200,
        max_depth: 3,
        max_attributes: 2,
        max_text_bytes: 10,
        max_elements: 5,
    };
    let cases = [
        (
            "<d id=\"f\"><g><h><i>1</i></h></g></d>",
            "an element is nested 4 levels deep, more than the limit xml.max-depth = 3",
        ),
        (
            "<d id=\"f\" a=\"1\" b=\"2\"><a>1</a></d>",
            "an element has 3 attributes, more than the limit xml.max-attributes = 2",
        ),
        (
            "<d id=\"f\"><a/><a/><a/><a/><a/></d>",
            "a document has at least 6 elements, more than the limit xml.max-elements = 5",
        ),
        (
            "<d id=\"f\"><a>0123456789A</a></d>",
            "an element holds 11 bytes of text, more than the limit xml.max-text-bytes = 10",
        ),
        (
            &format!("<d id=\"f\"><a>{}</a></d>", "1 ".repeat(200)),
            "the file has at least 201 bytes, more than the limit xml.max-file-bytes = 200",
        ),
    ];
    for (text, named) in cases {
        let (docs, problem) = read(text, &small);
        assert!(docs.is_empty(), "{text}");
        let problem = problem.expect("a problem");
        assert_eq!(problem.code, Code::XmlLimitExceeded, "{text}");
        assert!(problem.message.contains(named), "{}", problem.message);
    }
}

#[test]
fn a_file_of_exactly_the_size_limit_is_read() {
    let text = "<d id=\"f\"><a>1</a></d>";
    let limits = XmlLimits {
        max_file_bytes: text.len() as u64,
        ..XmlLimits::default()
    };
    let (docs, problem) = read(text, &limits);
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(docs.len(), 1);
}

#[test]
fn truncated_and_mismatched_documents_are_not_well_formed() {
    for text in [
        "<d id=\"f\"><a>1</a>",
        "<d id=\"f\"><a>1</a",
        "<d id=\"f\"><a>1</b></d>",
        "<d id=\"f\"><a x=1>1</a></d>",
        "<d id=\"f\"></d></d>",
    ] {
        let (_, problem) = read(text, &XmlLimits::default());
        assert_eq!(code(&problem), Some(Code::InvalidXml), "{text}");
    }
}

#[test]
fn encodings_other_than_utf8_are_refused() {
    let (_, problem) = read(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><d id=\"f\"/>",
        &XmlLimits::default(),
    );
    assert_eq!(code(&problem), Some(Code::XmlEncodingMismatch));
    let mut bytes = b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><d id=\"f\"><a>".to_vec();
    bytes.extend([0xE9, b'x']);
    bytes.extend(b"</a></d>");
    let end = read_xml(&bytes[..], &Limits::default(), &mut |_| Ok(())).expect("no i/o error");
    assert_eq!(code(&end.problem), Some(Code::XmlEncodingMismatch));
}

#[test]
fn messages_never_quote_the_file() {
    let (_, problem) = read(
        "<d id=\"f\"><secretname>1</othersecret></d>",
        &XmlLimits::default(),
    );
    let problem = problem.expect("a problem");
    assert!(!problem.message.contains("secret"), "{}", problem.message);
}

#[test]
fn the_hash_and_size_cover_the_whole_file() {
    let text = "<d id=\"f\"><a>1</a></d>\n";
    let end = read_xml(text.as_bytes(), &Limits::default(), &mut |_| Ok(())).expect("reads");
    assert_eq!(end.bytes, text.len() as u64);
    assert_eq!(end.sha256, crate::schema::sha256_hex(text.as_bytes()));
}

#[test]
fn a_huge_text_node_is_refused_before_it_is_buffered() {
    let limits = XmlLimits {
        max_text_bytes: 10,
        ..XmlLimits::default()
    };
    let text = format!("<d id=\"f\"><a>{}</a></d>", "x".repeat(100_000));
    let (docs, problem) = read(&text, &limits);
    assert!(docs.is_empty());
    let problem = problem.expect("a problem");
    assert_eq!(problem.code, Code::XmlLimitExceeded);
    assert!(
        problem
            .message
            .contains("at least 11 bytes of text, more than the limit xml.max-text-bytes = 10"),
        "{}",
        problem.message
    );
}

#[test]
fn documents_beyond_max_records_stop_the_reading() {
    let limits = Limits {
        max_records: 2,
        ..Limits::default()
    };
    let one = "<d id=\"f\"><a>1</a></d>";
    let mut docs = 0;
    let end = read_xml(one.repeat(3).as_bytes(), &limits, &mut |_| {
        docs += 1;
        Ok(())
    })
    .expect("no i/o error");
    assert_eq!(docs, 2);
    let problem = end.problem.expect("a problem");
    assert_eq!(problem.code, Code::LimitExceeded);
    assert_eq!(
        problem.message,
        "the file holds at least 3 records, more than the limit max-records = 2"
    );
}

fn utf16(text: &str, big_endian: bool, mark: bool) -> Vec<u8> {
    let text = if mark {
        format!("\u{feff}{text}")
    } else {
        text.to_owned()
    };
    let unit = |u: u16| {
        if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        }
    };
    text.encode_utf16().flat_map(unit).collect()
}

fn read_bytes(bytes: &[u8]) -> (Vec<Document>, Option<Diagnostic>) {
    let mut docs = Vec::new();
    let end = read_xml(bytes, &Limits::default(), &mut |d| {
        docs.push(d);
        Ok(())
    })
    .expect("no i/o error");
    (docs, end.problem)
}

#[test]
fn utf16_is_read_through_its_declaration_with_or_without_a_mark() {
    let text = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<d id=\"f\"><a>Señora</a></d>\n";
    for (big, mark) in [(false, true), (true, true), (false, false), (true, false)] {
        let bytes = utf16(text, big, mark);
        let (docs, problem) = read_bytes(&bytes);
        assert!(problem.is_none(), "{big} {mark}: {problem:?}");
        assert_eq!(docs[0].root.leaves()[0].1.text, "Señora");
        assert_eq!((docs[0].root.line, docs[0].root.column), (2, 1));
    }
    let end = read_xml(
        &utf16(text, false, true)[..],
        &Limits::default(),
        &mut |_| Ok(()),
    )
    .expect("reads");
    assert_eq!(
        end.bytes,
        utf16(text, false, true).len() as u64,
        "the hash covers the raw file"
    );
}

#[test]
fn a_declaration_that_disagrees_with_the_bytes_is_refused() {
    let (_, problem) = read_bytes(&utf16(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><d id=\"f\"/>",
        false,
        true,
    ));
    let problem = problem.expect("refused");
    assert_eq!(problem.code, Code::XmlEncodingMismatch);
    assert!(
        problem
            .message
            .contains("declares `UTF-8`, but its bytes are UTF-16LE"),
        "{}",
        problem.message
    );
    let (_, problem) = read_bytes(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><d id=\"f\"/>");
    assert_eq!(code(&problem), Some(Code::XmlEncodingMismatch));
}

#[test]
fn utf32_workbooks_and_nul_characters_are_named() {
    let utf32: Vec<u8> = "<d id=\"f\"/>"
        .chars()
        .flat_map(|c| u32::from(c).to_le_bytes())
        .collect();
    let (_, problem) = read_bytes(&utf32);
    let problem = problem.expect("refused");
    assert_eq!(problem.code, Code::XmlEncodingMismatch);
    assert!(
        problem.message.starts_with("the file is UTF-32LE text"),
        "{}",
        problem.message
    );
    let (_, problem) = read_bytes(b"PK\x03\x04\x14\x00\x06\x00");
    assert_eq!(code(&problem), Some(Code::SpreadsheetRefused));
    let (docs, problem) = read_bytes(b"<d id=\"f\"><a>1</a></d>\n<d id=\"f\"><a>\x00</a></d>");
    assert_eq!(docs.len(), 1, "the document before it is read");
    let problem = problem.expect("refused");
    assert_eq!(problem.code, Code::InvalidXml);
    assert!(
        problem
            .message
            .starts_with("the file holds a NUL character at byte offset 36,"),
        "{}",
        problem.message
    );
    let (_, problem) = read_bytes(&utf16("<d id=\"f\"><a>\0</a></d>", false, true));
    let problem = problem.expect("refused");
    assert!(
        problem.message.contains("byte offset 28,"),
        "{}",
        problem.message
    );
}

#[test]
fn a_hundred_thousand_attributes_breach_the_attribute_limit() {
    for attribute in ["a{i}=\"\" ", "attribute_number_{i}=\"some value\" "] {
        let attributes: String = (0..100_000)
            .map(|i| attribute.replace("{i}", &i.to_string()))
            .collect();
        let text = format!("<d id=\"f\" {attributes}><a>1</a></d>");
        let (docs, problem) = read(&text, &XmlLimits::default());
        assert!(docs.is_empty());
        let problem = problem.expect("refused");
        assert_eq!(problem.code, Code::XmlLimitExceeded);
        assert!(
            problem.message.starts_with("an element has ")
                && problem
                    .message
                    .contains("attributes, more than the limit xml.max-attributes = 64"),
            "{}",
            problem.message
        );
    }
}

#[test]
fn a_million_empty_siblings_are_refused_at_the_element_limit() {
    let text = format!("<d id=\"f\">{}</d>", "<a/>".repeat(1_000_000));
    let (docs, problem) = read(&text, &XmlLimits::default());
    assert!(docs.is_empty());
    let problem = problem.expect("refused");
    assert_eq!(
        problem.message.split(';').next(),
        Some(
            "a document has at least 10001 elements, more than the limit xml.max-elements = 10000"
        )
    );
    // A wrapper of many small submissions is not one document: each is counted on its own.
    let many = format!(
        "<export>{}</export>",
        "<d id=\"f\"><a>1</a></d>".repeat(20_000)
    );
    let (docs, problem) = read(&many, &XmlLimits::default());
    assert!(problem.is_none(), "{problem:?}");
    assert_eq!(docs.len(), 20_000);
}
