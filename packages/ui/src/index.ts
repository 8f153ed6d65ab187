/**
 * @treaty/ui for Node: where the built web UI lives. The browser app itself is under src/app and is bundled
 * by build.mjs into dist/assets, which the broker serves at `/`.
 */
import { fileURLToPath } from 'node:url'

/** The directory of the built static assets (index.html, app.js, app.css). Same path from src/ and dist/. */
export const assetsDir = fileURLToPath(new URL('../dist/assets/', import.meta.url))
