//! The skeleton of a name: what it reads as once Unicode forms, look-alike letters of other
//! scripts (homoglyphs), compatibility forms (fullwidth letters) and accents are folded away.

use unicode_normalization::UnicodeNormalization;

/// NFC, then look-alike letters mapped to Latin, then NFKC (fullwidth letters), then accents
/// removed. Returns the folded text and whether any look-alike or compatibility letter was seen.
pub fn skeleton(name: &str) -> (String, bool) {
    let mut homoglyph = false;
    let mut mapped = String::with_capacity(name.len());
    for c in name.nfc() {
        if let Some(latin) = confusable(c) {
            homoglyph = true;
            mapped.push(latin);
        } else {
            mapped.push(c);
        }
    }
    let compat: String = mapped.nfkc().collect();
    if compat != mapped {
        homoglyph = true;
    }
    let folded: String = compat
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .collect();
    (folded, homoglyph)
}

/// Cyrillic and Greek letters that look like Latin ones, and the dotless i.
fn confusable(c: char) -> Option<char> {
    Some(match c {
        'а' => 'a',
        'в' => 'b',
        'е' => 'e',
        'о' => 'o',
        'р' => 'p',
        'с' => 'c',
        'у' => 'y',
        'х' => 'x',
        'і' => 'i',
        'ј' => 'j',
        'ѕ' => 's',
        'һ' => 'h',
        'ԁ' => 'd',
        'ԛ' => 'q',
        'ԝ' => 'w',
        'ӏ' => 'l',
        'к' => 'k',
        'м' => 'm',
        'н' => 'h',
        'т' => 't',
        'А' => 'A',
        'В' => 'B',
        'Е' => 'E',
        'К' => 'K',
        'М' => 'M',
        'Н' => 'H',
        'О' => 'O',
        'Р' => 'P',
        'С' => 'C',
        'Т' => 'T',
        'У' => 'Y',
        'Х' => 'X',
        'І' => 'I',
        'Ј' => 'J',
        'Ѕ' => 'S',
        'α' => 'a',
        'ο' => 'o',
        'ρ' => 'p',
        'ν' => 'v',
        'ι' => 'i',
        'κ' => 'k',
        'υ' => 'u',
        'Α' => 'A',
        'Β' => 'B',
        'Ε' => 'E',
        'Ζ' => 'Z',
        'Η' => 'H',
        'Ι' => 'I',
        'Κ' => 'K',
        'Μ' => 'M',
        'Ν' => 'N',
        'Ο' => 'O',
        'Ρ' => 'P',
        'Τ' => 'T',
        'Υ' => 'Y',
        'Χ' => 'X',
        'ı' => 'i',
        _ => return None,
    })
}
