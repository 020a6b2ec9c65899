//! The whole pipeline on arbitrary bytes under each `--kind` (the first byte
//! picks the kind, or detection): parse, detect, every rule, every renderer.
//! Nothing may panic (the driver turns a panic into an internal-error finding,
//! but the fuzzer's panic hook aborts first, so every panic is a crash here),
//! and every span must lie in the file on character boundaries.
#![no_main]

use libfuzzer_sys::fuzz_target;
use policy_lint::documents::KindFlag;
use policy_lint::render::{self, Format, RenderOptions};
use policy_lint::source::Span;
use policy_lint::{Input, Linter, Options};

fn check_span(text: &str, span: Span) {
    assert!(span.start <= span.end, "reversed span {span:?}");
    assert!(span.end as usize <= text.len(), "span {span:?} past the end");
    assert!(text.is_char_boundary(span.start as usize), "{span:?}");
    assert!(text.is_char_boundary(span.end as usize), "{span:?}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, bytes)) = data.split_first() else {
        return;
    };
    let names: Vec<&str> = KindFlag::names().collect();
    let kind = match selector as usize % (names.len() + 1) {
        0 => None,
        k => names.get(k - 1).and_then(|n| KindFlag::parse(n)),
    };
    let linter = Linter::new(Options {
        kind,
        ..Options::default()
    });
    let result = linter.lint(vec![Input::new("fuzz.json", bytes.to_vec())]);
    for d in &result.diagnostics {
        let file = result.file(d.primary.file).expect("primary file");
        check_span(file.text(), d.primary.span);
        for l in &d.labels {
            let f = result.file(l.location.file).expect("label file");
            check_span(f.text(), l.location.span);
        }
    }
    for format in [Format::Human, Format::Concise, Format::Json] {
        let out = render::render(&result, format, RenderOptions { color: false, ..Default::default() });
        assert!(!out.contains('\u{1b}'), "escape character in {format:?} output");
    }
});
