/** R2's smallest multipart part (every part but the last must have the same size, at least this). */
export const R2_MIN_PART_BYTES = 5 * 1024 * 1024;

/**
 * Writes one R2 object from text produced piece by piece, holding at most one part in memory: an
 * archive of any size costs ~`partBytes` of the Worker's 128 MB. Small archives (under one part)
 * are a single `put`; larger ones become a multipart upload of equal, exactly cut parts (R2 wants
 * every part but the last to be the same size).
 */
export class R2TextWriter {
  private readonly encoder = new TextEncoder();
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private upload: R2MultipartUpload | null = null;
  private readonly parts: R2UploadedPart[] = [];
  private written = 0;

  constructor(
    private readonly bucket: R2Bucket,
    private readonly key: string,
    private readonly options: R2PutOptions & R2MultipartOptions = {},
    private readonly partBytes = R2_MIN_PART_BYTES,
  ) {}

  /** Bytes accepted so far. */
  get bytes(): number {
    return this.written;
  }

  async write(text: string): Promise<void> {
    if (!text) return;
    const bytes = this.encoder.encode(text);
    this.chunks.push(bytes);
    this.buffered += bytes.length;
    this.written += bytes.length;
    while (this.buffered >= this.partBytes) await this.flushPart(this.take(this.partBytes));
  }

  /** Stores what is left and completes the object. */
  async close(): Promise<R2Object> {
    if (!this.upload) return this.bucket.put(this.key, this.take(this.buffered), this.options);
    if (this.buffered > 0) await this.flushPart(this.take(this.buffered));
    return this.upload.complete(this.parts);
  }

  /** Drops a started multipart upload (its parts would otherwise linger, billed, for days). */
  async abort(): Promise<void> {
    this.chunks = [];
    this.buffered = 0;
    if (this.upload) await this.upload.abort().catch(() => undefined);
  }

  private async flushPart(part: Uint8Array): Promise<void> {
    this.upload ??= await this.bucket.createMultipartUpload(this.key, this.options);
    this.parts.push(await this.upload.uploadPart(this.parts.length + 1, part));
  }

  /** The first `n` buffered bytes as one array; the rest stays buffered. */
  private take(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let filled = 0;
    let i = 0;
    while (filled < n) {
      const head = this.chunks[i]!;
      const used = Math.min(head.length, n - filled);
      out.set(used === head.length ? head : head.subarray(0, used), filled);
      filled += used;
      if (used === head.length) i++;
      else this.chunks[i] = head.subarray(used);
    }
    this.chunks = this.chunks.slice(i);
    this.buffered -= n;
    return out;
  }
}
