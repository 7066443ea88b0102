//! Which way up a video is shown, from its display matrix.

use ffmpeg_next::ffi;

/// How the decoded pixels must be turned to show the picture upright, from the
/// stream's display matrix. Mirrored variants are rare (some front cameras).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Orientation {
    /// Shown as stored.
    Normal,
    /// Turn a quarter clockwise (most portrait phone videos: matrix −90°).
    Rotate90,
    /// Turn upside down.
    Rotate180,
    /// Turn a quarter counter-clockwise.
    Rotate270,
    /// Mirror left–right.
    FlipHorizontal,
    /// Mirror top–bottom.
    FlipVertical,
    /// Swap rows and columns (top-left stays top-left).
    Transpose,
    /// Swap rows and columns across the other diagonal.
    AntiTranspose,
}

impl Orientation {
    /// Clockwise degrees the picture is turned for display: 0, 90, 180 or 270.
    #[must_use]
    pub fn rotation_degrees(self) -> i32 {
        match self {
            Self::Normal | Self::FlipHorizontal | Self::FlipVertical => 0,
            Self::Rotate90 | Self::Transpose => 90,
            Self::Rotate180 => 180,
            Self::Rotate270 | Self::AntiTranspose => 270,
        }
    }

    /// True when display width and height are the stored height and width.
    #[must_use]
    pub fn swaps_dimensions(self) -> bool {
        matches!(
            self,
            Self::Rotate90 | Self::Rotate270 | Self::Transpose | Self::AntiTranspose
        )
    }

    /// Reads a display matrix the way FFmpeg 6's command line applies it.
    pub(crate) fn from_display_matrix(m: &[i32; 9]) -> Self {
        // SAFETY: the pointer is to nine i32 values, as the function requires.
        let ccw = unsafe { ffi::av_display_rotation_get(m.as_ptr()) };
        if ccw.is_nan() {
            return Self::Normal;
        }
        let theta = (-ccw).rem_euclid(360.0);
        let near = |d: f64| (theta - d).abs() < 1.0 || (theta - d - 360.0).abs() < 1.0;
        if near(90.0) {
            if m[3] > 0 {
                Self::Transpose
            } else {
                Self::Rotate90
            }
        } else if near(180.0) {
            match (m[0] < 0, m[4] < 0) {
                (true, false) => Self::FlipHorizontal,
                (false, true) => Self::FlipVertical,
                _ => Self::Rotate180,
            }
        } else if near(270.0) {
            if m[3] < 0 {
                Self::AntiTranspose
            } else {
                Self::Rotate270
            }
        } else if m[4] < 0 {
            Self::FlipVertical
        } else {
            Self::Normal
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const ONE: i32 = 1 << 16;

    #[test]
    fn display_matrices_map_to_orientations() {
        // ffprobe "rotation=-90": the iPhone portrait case.
        let iphone = [0, ONE, 0, -ONE, 0, 0, 0, 0, 1 << 30];
        assert_eq!(
            Orientation::from_display_matrix(&iphone),
            Orientation::Rotate90
        );
        let upside_down = [-ONE, 0, 0, 0, -ONE, 0, 0, 0, 1 << 30];
        assert_eq!(
            Orientation::from_display_matrix(&upside_down),
            Orientation::Rotate180
        );
        let counter = [0, -ONE, 0, ONE, 0, 0, 0, 0, 1 << 30];
        assert_eq!(
            Orientation::from_display_matrix(&counter),
            Orientation::Rotate270
        );
        let mirror = [-ONE, 0, 0, 0, ONE, 0, 0, 0, 1 << 30];
        assert_eq!(
            Orientation::from_display_matrix(&mirror),
            Orientation::FlipHorizontal
        );
        let identity = [ONE, 0, 0, 0, ONE, 0, 0, 0, 1 << 30];
        assert_eq!(
            Orientation::from_display_matrix(&identity),
            Orientation::Normal
        );
    }
}
