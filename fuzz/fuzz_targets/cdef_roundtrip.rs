//! Parse, print back, parse again: the second print must equal the first,
//! so the printer and the parser agree on everything the tree holds.
#![no_main]

use cdef_parse::{parse_cdef, ParseErrorKind, Predeclared};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(src) = std::str::from_utf8(data) else { return };
    let Ok(cdef) = parse_cdef(src, &Predeclared) else { return };
    let printed = cdef.to_string();
    let again = match parse_cdef(&printed, &Predeclared) {
        Ok(again) => again,
        // The tree holds one copy of a struct body per declarator, and the
        // printer writes each; the parser's guard against repeated bodies
        // (counted over the whole text) may then refuse what the shorter
        // source passed. A known limit, not a disagreement.
        Err(e) if e.kind == ParseErrorKind::TooLarge => return,
        Err(e) => panic!(
            "printed text does not parse: {e}\n--- from ---\n{src}\n--- printed ---\n{printed}"
        ),
    };
    assert_eq!(again.to_string(), printed, "\n--- from ---\n{src}");
});
