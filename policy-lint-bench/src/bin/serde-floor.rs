//! The floor: read every `*.json` file under the given paths and parse it
//! into `serde_json::Value`, one after the other, as a minimal Rust program
//! would. Prints the number of files and of values.

use std::path::Path;

fn count(v: &serde_json::Value) -> usize {
    match v {
        serde_json::Value::Array(a) => 1 + a.iter().map(count).sum::<usize>(),
        serde_json::Value::Object(m) => 1 + m.values().map(count).sum::<usize>(),
        _ => 1,
    }
}

fn main() {
    let (mut files, mut values, mut invalid) = (0usize, 0usize, 0usize);
    for arg in std::env::args().skip(1) {
        for path in policy_lint_bench::json_files(Path::new(&arg)) {
            let Ok(bytes) = std::fs::read(&path) else {
                continue;
            };
            files += 1;
            match serde_json::from_slice::<serde_json::Value>(&bytes) {
                Ok(v) => values += count(&v),
                Err(_) => invalid += 1,
            }
        }
    }
    println!("{files} files, {values} values, {invalid} not JSON");
}
