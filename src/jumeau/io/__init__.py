"""Every read and write: source readers, the territory manifest, the demo, outputs."""
