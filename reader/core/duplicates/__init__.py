"""Re-published copies of one story: fingerprints of normalised text and an incremental index.

`fingerprint` normalises a body and computes its MinHash (in worker processes for a whole
folder); `index.DuplicateIndex` groups the posts whose fingerprints are similar, earliest first.
"""
