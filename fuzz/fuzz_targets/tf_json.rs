//! The tf_json loader and everything after it, on arbitrary bytes.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    trustlint_fuzz::check_bytes("fuzz.tf.json", data);
});
