#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| gotong_fuzz::event(data));
