//! The whole pipeline: the first byte picks the file name (and so the
//! format), the rest is the file's bytes, decoded as the CLI decodes them.
#![no_main]

const NAMES: &[&str] = &[
    "f.json",
    "f.yaml",
    "f.yml",
    "f.tf",
    "f.tf.json",
    "f.template",
    "noext",
];

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[usize::from(first) % NAMES.len()];
    trustlint_fuzz::check_bytes(name, rest);
});
