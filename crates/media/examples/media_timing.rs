//! Times the pipeline on a real-size clip (not a test: figures for
//! docs/benchmarks.md). Usage: `cargo run --release -p clipjury-media
//! --example media_timing -- CLIP.mp4 [OUTDIR]`.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let input = PathBuf::from(args.next().ok_or("usage: media_timing CLIP [OUTDIR]")?);
    let out = PathBuf::from(args.next().unwrap_or_else(|| "target/media-timing".into()));
    std::fs::create_dir_all(&out)?;

    let started = Instant::now();
    let probe = clipjury_media::probe(&input)?;
    println!("probe: {:?}", started.elapsed());

    let started = Instant::now();
    let thumbs = clipjury_media::thumbnails(&input, &probe, &out)?;
    println!("thumbnails ({}): {:?}", thumbs.len(), started.elapsed());

    for spec in [
        clipjury_media::RenditionSpec::HD,
        clipjury_media::RenditionSpec::SD,
    ] {
        let started = Instant::now();
        let path = out.join(format!("{}.mp4", spec.long_side));
        let info = clipjury_media::transcode(
            &input,
            &probe,
            &spec,
            &path,
            &mut |_| {},
            &AtomicBool::new(false),
        )?;
        println!(
            "transcode {}: {:?} -> {info:?}",
            spec.long_side,
            started.elapsed()
        );
    }
    Ok(())
}
