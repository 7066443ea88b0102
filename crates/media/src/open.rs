//! Opening an upload for demuxing, sandboxed: only the demuxers phones write
//! (MP4/MOV/3GP, Matroska/WebM), only the `file` protocol, a cap on streams, and
//! decoders that refuse frames above 8K. A playlist (HLS), a concat script or
//! an image named `.mp4` is refused before any of its demuxer's code runs on
//! the rest of the file.

use std::ffi::{CStr, CString};
use std::os::unix::ffi::OsStrExt as _;
use std::path::Path;
use std::ptr;

use ffmpeg_next::{Dictionary, codec, ffi, format};

use crate::MediaError;

/// Demuxers an upload may use (FFmpeg matches any name of a demuxer's
/// comma-separated list: `mov` is `mov,mp4,m4a,3gp,3g2,mj2`, `matroska` is
/// `matroska,webm`).
pub const DEMUXER_WHITELIST: &str = "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm";
/// Largest decoded picture accepted, in pixels (8K UHD). Decoders refuse
/// larger frames, whatever the container declares.
pub const MAX_PIXELS: i64 = 7680 * 4320;
/// Phones write at most a handful of tracks (video, audio, metadata, timecode).
const MAX_STREAMS: &str = "32";

/// Opens `path` through the whitelisted demuxers and reads its stream info.
///
/// # Errors
/// [`MediaError::Io`] when the file cannot be opened at all (ours);
/// [`MediaError::StillImage`] for a picture, [`MediaError::UnsupportedFormat`]
/// for a container outside the whitelist, [`MediaError::Unreadable`] otherwise.
pub(crate) fn open_input(path: &Path) -> Result<format::context::Input, MediaError> {
    crate::init();
    std::fs::File::open(path).map_err(MediaError::io("opening the upload"))?;
    let c_path = CString::new(path.as_os_str().as_bytes())
        .map_err(|_| MediaError::Unreadable("the file name holds a NUL byte".into()))?;
    let mut options = Dictionary::new();
    options.set("format_whitelist", DEMUXER_WHITELIST);
    options.set("protocol_whitelist", "file");
    options.set("max_streams", MAX_STREAMS);
    let mut ps = ptr::null_mut();
    // SAFETY: `ps` starts null as avformat_open_input requires; the dictionary is handed over and taken back.
    let opened = unsafe {
        let mut opts = options.disown();
        let r = ffi::avformat_open_input(&mut ps, c_path.as_ptr(), ptr::null(), &mut opts);
        Dictionary::own(opts);
        r
    };
    if opened < 0 {
        return Err(classify(path, ffmpeg_next::Error::from(opened)));
    }
    // SAFETY: `ps` is a live context; one options dictionary per stream, freed after the call.
    let info = unsafe {
        let n = (*ps).nb_streams as usize;
        let max_pixels = CString::new(MAX_PIXELS.to_string()).unwrap_or_default();
        let mut per_stream: Vec<*mut ffi::AVDictionary> = (0..n)
            .map(|_| {
                let mut d = ptr::null_mut();
                ffi::av_dict_set(&mut d, c"max_pixels".as_ptr(), max_pixels.as_ptr(), 0);
                d
            })
            .collect();
        let r = ffi::avformat_find_stream_info(ps, per_stream.as_mut_ptr());
        for d in &mut per_stream {
            ffi::av_dict_free(d);
        }
        r
    };
    if info < 0 {
        // SAFETY: closes the context opened above.
        unsafe { ffi::avformat_close_input(&mut ps) };
        return Err(MediaError::Unreadable(
            ffmpeg_next::Error::from(info).to_string(),
        ));
    }
    // SAFETY: a fully opened input context, owned from here on by the wrapper.
    Ok(unsafe { format::context::Input::wrap(ps) })
}

/// Caps a decoder's picture size before it is opened.
pub(crate) fn limit_decoder(context: &mut codec::Context) {
    // SAFETY: plain field write on a codec context that is not open yet.
    unsafe { (*context.as_mut_ptr()).max_pixels = MAX_PIXELS };
}

/// Why a file did not open: guessed from its first bytes without running any
/// demuxer on it.
fn classify(path: &Path, error: ffmpeg_next::Error) -> MediaError {
    match sniff(path).as_deref() {
        Some(name) if is_image(name) => MediaError::StillImage,
        Some(name) if !on_whitelist(name) => MediaError::UnsupportedFormat(name.to_owned()),
        _ => MediaError::Unreadable(error.to_string()),
    }
}

fn on_whitelist(name: &str) -> bool {
    name.split(',')
        .any(|n| DEMUXER_WHITELIST.split(',').any(|w| w == n))
}

fn is_image(name: &str) -> bool {
    name == "image2" || name == "gif" || name.ends_with("_pipe")
}

/// The demuxer FFmpeg would pick for the first 64 KiB of the file.
fn sniff(path: &Path) -> Option<String> {
    use std::io::Read as _;
    const PROBE: usize = 64 * 1024;
    let mut head = Vec::with_capacity(PROBE + ffi::AVPROBE_PADDING_SIZE as usize);
    std::fs::File::open(path)
        .ok()?
        .take(PROBE as u64)
        .read_to_end(&mut head)
        .ok()?;
    let size = head.len();
    head.resize(size + ffi::AVPROBE_PADDING_SIZE as usize, 0);
    let name = CString::new(path.as_os_str().as_bytes()).ok()?;
    let probe = ffi::AVProbeData {
        filename: name.as_ptr(),
        buf: head.as_mut_ptr(),
        buf_size: i32::try_from(size).ok()?,
        mime_type: ptr::null(),
    };
    // SAFETY: the probe data points at a padded buffer that outlives the call.
    let format = unsafe { ffi::av_probe_input_format(&probe, 1) };
    if format.is_null() {
        return None;
    }
    // SAFETY: a registered demuxer's name is a static C string.
    Some(
        unsafe { CStr::from_ptr((*format).name) }
            .to_string_lossy()
            .into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitelist_matches_demuxer_name_lists() {
        assert!(on_whitelist("mov,mp4,m4a,3gp,3g2,mj2"));
        assert!(on_whitelist("matroska,webm"));
        assert!(!on_whitelist("hls"));
        assert!(!on_whitelist("concat"));
        assert!(!on_whitelist("avi"));
        assert!(is_image("png_pipe") && is_image("image2") && !is_image("mov,mp4,m4a,3gp,3g2,mj2"));
    }
}
