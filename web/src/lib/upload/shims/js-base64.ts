// Stand-in for js-base64 inside tus-js-client, which only needs `Base64.encode` (UTF-8 text → base64) for metadata.
export const Base64 = {
  encode(text: string): string {
    let binary = '';
    for (const byte of new TextEncoder().encode(text)) binary += String.fromCharCode(byte);
    return btoa(binary);
  },
};
