//! MP4 output shared by transcode and remux: written to a temporary sibling
//! file, no metadata, `moov` moved to the front, renamed into place when done.

use std::path::{Path, PathBuf};

use ffmpeg_next::{Dictionary, ffi, format};

use crate::MediaError;

/// An MP4 being written; dropped unfinished, its temporary file is removed.
pub(crate) struct Mp4Output {
    pub(crate) context: format::context::Output,
    part: PathBuf,
    target: PathBuf,
}

impl Mp4Output {
    pub(crate) fn create(target: &Path) -> Result<Self, MediaError> {
        let name = target
            .file_name()
            .map_or_else(|| "output".into(), |n| n.to_string_lossy().into_owned());
        let part = target.with_file_name(format!(".{name}.part"));
        let mut context = format::output_as(&part, "mp4")
            .map_err(MediaError::ffmpeg("creating the output file"))?;
        // Bitexact: no encoder tag, no creation time; with no metadata copied
        // this leaves nothing about the device, place or time in the file.
        // SAFETY: plain field write on a live format context.
        unsafe { (*context.as_mut_ptr()).flags |= ffi::AVFMT_FLAG_BITEXACT };
        Ok(Self {
            context,
            part,
            target: target.to_path_buf(),
        })
    }

    /// True when encoders must put codec headers in extradata.
    pub(crate) fn needs_global_header(&self) -> bool {
        self.context
            .format()
            .flags()
            .contains(format::Flags::GLOBAL_HEADER)
    }

    pub(crate) fn write_header(&mut self) -> Result<(), MediaError> {
        let mut options = Dictionary::new();
        options.set("movflags", "+faststart");
        self.context
            .write_header_with(options)
            .map_err(MediaError::ffmpeg("writing the MP4 header"))?;
        Ok(())
    }

    /// Writes the index, moves it to the front and renames the file into place.
    /// Returns the final size in bytes.
    pub(crate) fn finish(mut self) -> Result<u64, MediaError> {
        self.context
            .write_trailer()
            .map_err(MediaError::ffmpeg("finishing the MP4"))?;
        std::fs::rename(&self.part, &self.target)
            .map_err(MediaError::io("moving the rendition into place"))?;
        let bytes = std::fs::metadata(&self.target)
            .map_err(MediaError::io("reading the rendition's size"))?
            .len();
        Ok(bytes)
    }
}

impl Drop for Mp4Output {
    fn drop(&mut self) {
        // After a successful finish the part file is gone and this is a no-op.
        let _ = std::fs::remove_file(&self.part);
    }
}
