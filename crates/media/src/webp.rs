//! Lossy WebP through FFmpeg's libwebp encoder. The `image` crate only writes
//! lossless WebP, which for camera frames is about five times the size of the
//! JPEG (a 1280 px poster near 1 MB): wrong for jurors on mobile data. Lossy
//! WebP at quality 75 is about half the JPEG's size.

use std::path::Path;

use ffmpeg_next::{Dictionary, Packet, Rational, codec, encoder, format::Pixel, frame};
use image::RgbImage;

use crate::MediaError;

const QUALITY: &str = "75";

/// Writes `image` as a lossy WebP file. Returns `false`, writing nothing, when
/// this FFmpeg build has no libwebp encoder.
pub(crate) fn write_lossy(image: &RgbImage, path: &Path) -> Result<bool, MediaError> {
    let Some(webp) = encoder::find_by_name("libwebp") else {
        return Ok(false);
    };
    let (width, height) = image.dimensions();
    // libwebp takes native-endian RGB32, which is BGRA in memory here.
    let mut bgra = frame::Video::new(Pixel::BGRA, width, height);
    let stride = bgra.stride(0);
    let data = bgra.data_mut(0);
    for (y, row) in image.rows().enumerate() {
        let line = &mut data[y * stride..y * stride + width as usize * 4];
        for (out, pixel) in line.chunks_exact_mut(4).zip(row) {
            let [r, g, b] = pixel.0;
            out.copy_from_slice(&[b, g, r, 255]);
        }
    }
    bgra.set_pts(Some(0));

    let mut enc = codec::Context::new_with_codec(webp)
        .encoder()
        .video()
        .map_err(MediaError::ffmpeg("creating the WebP encoder"))?;
    enc.set_width(width);
    enc.set_height(height);
    enc.set_format(Pixel::BGRA);
    enc.set_time_base(Rational(1, 25));
    let mut options = Dictionary::new();
    options.set("quality", QUALITY);
    options.set("lossless", "0");
    let mut encoder = enc
        .open_as_with(webp, options)
        .map_err(MediaError::ffmpeg("opening the WebP encoder"))?;
    encoder
        .send_frame(&bgra)
        .map_err(MediaError::ffmpeg("encoding WebP"))?;
    encoder
        .send_eof()
        .map_err(MediaError::ffmpeg("encoding WebP"))?;
    let mut packet = Packet::empty();
    encoder
        .receive_packet(&mut packet)
        .map_err(MediaError::ffmpeg("encoding WebP"))?;
    let bytes = packet.data().unwrap_or_default();
    std::fs::write(path, bytes).map_err(MediaError::io("writing a WebP thumbnail"))?;
    Ok(true)
}
