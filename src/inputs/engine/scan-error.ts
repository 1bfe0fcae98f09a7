/** An image export that cannot be read as one: no manifest.json, a layer it names missing, a limit passed. */
export class ScanError extends Error {}

/** One layer that cannot be read (zstd, damaged): only the images built on it go unchecked. */
export class LayerError extends ScanError {}
