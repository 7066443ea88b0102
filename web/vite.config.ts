import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

const shim = (name: string) => decodeURIComponent(new URL(`./src/lib/upload/shims/${name}.ts`, import.meta.url).pathname);

// The Rust server serves web/dist; in dev, Vite proxies the API to a server on :8080.
export default defineConfig({
  plugins: [svelte()],
  resolve: {
    // tus-js-client's default ESM build is transpiled to ES5 with regenerator helpers (16 KB gzipped); its modern
    // source is the same code at about half the weight. Types still come from the package.
    // Its two helpers (js-base64, url-parse) are replaced by a few lines over the browser's own btoa and URL.
    alias: [
      { find: /^tus-js-client$/, replacement: 'tus-js-client/lib/browser/index.js' },
      { find: /^js-base64$/, replacement: shim('js-base64') },
      { find: /^url-parse$/, replacement: shim('url-parse') },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2020',
    // Fonts stay files, even the 1.5 KB label face: a data: URL in the style sheet would need `font-src data:`.
    assetsInlineLimit: (file) => (file.endsWith('.woff2') ? false : undefined),
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
});
