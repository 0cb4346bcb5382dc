//! The ION round trip of `gostkit demo` as a library user writes it: `cargo run --example
//! ion_demo [OUT_DIR]`.

fn main() {
    let dir = std::env::args_os().nth(1).map(std::path::PathBuf::from);
    let mut step = 0;
    if let Err(e) = gostkit::demo::run(dir.as_deref(), &mut |line| {
        step += 1;
        println!("{step:2}. {line}");
    }) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
