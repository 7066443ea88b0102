//! One timed step of the media pipeline, for bench/media.sh (figures go to docs/benchmarks.md).
//!
//! `cargo run --release -p clipjury-media --example bench -- STEP CLIP OUTDIR` with STEP one of `720p`, `both`,
//! `remux`, `poster`. Prints the wall-clock seconds of the step alone (probe excluded, except for `poster`, which
//! measures probe + posters: what a group waits for before seeing its poster).

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use clipjury_media::{RenditionSpec, probe, remux, thumbnails, transcode};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [step, input, out] = args.as_slice() else {
        return Err("usage: bench 720p|both|remux|poster CLIP OUTDIR".into());
    };
    let (input, out) = (PathBuf::from(input), PathBuf::from(out));
    std::fs::create_dir_all(&out)?;
    let cancel = AtomicBool::new(false);
    let started = Instant::now();
    let p = probe(&input)?;
    let after_probe = Instant::now();
    match step.as_str() {
        "poster" => {
            thumbnails(&input, &p, &out)?;
            println!("{:.3}", started.elapsed().as_secs_f64());
            return Ok(());
        }
        "720p" => {
            transcode(
                &input,
                &p,
                &RenditionSpec::HD,
                &out.join("720p.mp4"),
                &mut |_| {},
                &cancel,
            )?;
        }
        "both" => {
            transcode(
                &input,
                &p,
                &RenditionSpec::HD,
                &out.join("720p.mp4"),
                &mut |_| {},
                &cancel,
            )?;
            transcode(
                &input,
                &p,
                &RenditionSpec::SD,
                &out.join("360p.mp4"),
                &mut |_| {},
                &cancel,
            )?;
        }
        "remux" => {
            remux(&input, &p, &out.join("720p.mp4"))?;
        }
        other => return Err(format!("unknown step {other}").into()),
    }
    println!("{:.3}", after_probe.elapsed().as_secs_f64());
    Ok(())
}
