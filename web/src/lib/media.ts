/** Where a video's renditions are, as the API sends them: a URL for each one stored so far. */
export interface Renditions {
  video_720p_url?: string | null;
  video_360p_url?: string | null;
  video_original_url?: string | null;
}

/**
 * The rendition to play: the preferred size when it is stored, else the first one that is. A video plays as soon as
 * one rendition is stored (for a phone's H.264 video, the stream-copied original within seconds of the upload); the
 * others follow, and the next load picks them up.
 */
export function pickRendition(r: Renditions, dataSaver: boolean): string | undefined {
  const order = dataSaver
    ? [r.video_360p_url, r.video_720p_url, r.video_original_url]
    : [r.video_720p_url, r.video_original_url, r.video_360p_url];
  return order.find((u): u is string => Boolean(u));
}
