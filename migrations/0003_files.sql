-- File management: spec §6 (files, file_uploads, file_metadata, file_conversions), plus the virus
-- scan status of chat-data-models.md and what resumable R2 multipart uploads and the HLS pipeline
-- (DESIGN §5) need. Deviations from the spec are commented where they happen.

-- ---------------------------------------------------------------------------------------------
-- §6.1 files
-- ---------------------------------------------------------------------------------------------
CREATE TABLE files (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_files_users REFERENCES users(id) ON DELETE CASCADE,
  filename VARCHAR(255) NOT NULL,
  original_filename VARCHAR(255) NOT NULL,
  mime_type VARCHAR(100) NOT NULL,
  file_size BIGINT NOT NULL, -- bytes
  storage_path TEXT NOT NULL, -- R2/S3 key or local path
  -- deviation: default 'r2' (was 's3': Veza stores objects in Cloudflare R2) and a CHECK on the values
  storage_provider VARCHAR(50) NOT NULL DEFAULT 'r2', -- r2, s3, local, minio
  bucket_name VARCHAR(255),
  url TEXT NOT NULL,
  thumbnail_url TEXT,
  file_hash VARCHAR(64), -- SHA-256 (lowercase hex)
  metadata JSONB, -- Extract metadata (dimensions, duration, etc.)
  is_processed BOOLEAN NOT NULL DEFAULT false,
  processed_at TIMESTAMPTZ,
  processing_error TEXT,
  virus_scanned BOOLEAN NOT NULL DEFAULT false,
  virus_scan_result VARCHAR(50),
  virus_scanned_at TIMESTAMPTZ,
  -- added (chat-data-models.md): the scan's lifecycle; virus_scanned/virus_scan_result kept from the spec
  virus_scan_status virus_scan_status NOT NULL DEFAULT 'pending',
  is_public BOOLEAN NOT NULL DEFAULT false,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT chk_files_size_positive CHECK (file_size > 0),
  -- added
  CONSTRAINT chk_files_storage_provider CHECK (storage_provider IN ('r2', 's3', 'local', 'minio')),
  CONSTRAINT chk_files_file_hash_format CHECK (file_hash IS NULL OR file_hash ~ '^[0-9a-f]{64}$')
);

CREATE INDEX idx_files_user_id ON files(user_id);
CREATE INDEX idx_files_mime_type ON files(mime_type);
CREATE INDEX idx_files_file_hash ON files(file_hash) WHERE file_hash IS NOT NULL;
CREATE INDEX idx_files_created_at_desc ON files(created_at DESC);
-- added: one live copy of a given content per user (upload dedup by SHA-256)
CREATE UNIQUE INDEX uq_files_user_id_file_hash ON files(user_id, file_hash)
  WHERE deleted_at IS NULL AND file_hash IS NOT NULL;
-- added (chat-data-models.md idx_files_virus_scan), partial: the scanner's work queue
CREATE INDEX idx_files_virus_scan ON files(virus_scan_status) WHERE virus_scan_status IN ('pending', 'scanning');

CREATE TRIGGER trg_files_updated_at BEFORE UPDATE ON files
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- §6.2 file_uploads — resumable R2 multipart upload sessions
-- ---------------------------------------------------------------------------------------------
CREATE TABLE file_uploads (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL CONSTRAINT fk_file_uploads_users REFERENCES users(id) ON DELETE CASCADE,
  -- added: the file row created when the upload completes
  file_id UUID CONSTRAINT fk_file_uploads_files REFERENCES files(id) ON DELETE SET NULL,
  filename VARCHAR(255) NOT NULL,
  file_size BIGINT NOT NULL,
  mime_type VARCHAR(100) NOT NULL,
  file_hash VARCHAR(64), -- added: client-declared SHA-256 (lowercase hex), checked on complete
  bytes_uploaded BIGINT NOT NULL DEFAULT 0,
  chunks_uploaded INTEGER NOT NULL DEFAULT 0,
  total_chunks INTEGER,
  part_size INTEGER, -- added: bytes per part (R2: 5 MiB minimum except the last part)
  -- added: R2 multipart parts uploaded so far: [{"partNumber": 1, "etag": "...", "size": 5242880}, ...]
  parts JSONB NOT NULL DEFAULT '[]',
  -- deviation: + 'aborted' and 'expired' (client abort, cleanup job), with a CHECK
  status VARCHAR(50) NOT NULL DEFAULT 'pending', -- pending, uploading, processing, completed, failed, aborted, expired
  storage_key TEXT,
  upload_id TEXT, -- R2/S3 multipart upload ID
  metadata JSONB,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- deviation: defaults to 24 h (DESIGN §6: incomplete uploads are cleaned up after 24 h)
  expires_at TIMESTAMPTZ NOT NULL DEFAULT (NOW() + INTERVAL '24 hours'), -- Auto-cleanup incomplete uploads
  CONSTRAINT chk_file_uploads_bytes_uploaded CHECK (bytes_uploaded >= 0 AND bytes_uploaded <= file_size),
  -- added
  CONSTRAINT chk_file_uploads_status CHECK (status IN ('pending', 'uploading', 'processing', 'completed', 'failed', 'aborted', 'expired')),
  CONSTRAINT chk_file_uploads_file_size_positive CHECK (file_size > 0),
  CONSTRAINT chk_file_uploads_file_hash_format CHECK (file_hash IS NULL OR file_hash ~ '^[0-9a-f]{64}$'),
  CONSTRAINT chk_file_uploads_chunks CHECK (chunks_uploaded >= 0 AND (total_chunks IS NULL OR (total_chunks > 0 AND chunks_uploaded <= total_chunks))),
  CONSTRAINT chk_file_uploads_part_size_positive CHECK (part_size IS NULL OR part_size > 0),
  CONSTRAINT chk_file_uploads_parts_array CHECK (jsonb_typeof(parts) = 'array')
);

CREATE INDEX idx_file_uploads_user_id ON file_uploads(user_id);
CREATE INDEX idx_file_uploads_status ON file_uploads(status);
CREATE INDEX idx_file_uploads_expires_at ON file_uploads(expires_at);
CREATE INDEX idx_file_uploads_file_id ON file_uploads(file_id) WHERE file_id IS NOT NULL; -- added: FK index

CREATE TRIGGER trg_file_uploads_updated_at BEFORE UPDATE ON file_uploads
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- §6.3 file_metadata
-- ---------------------------------------------------------------------------------------------
CREATE TABLE file_metadata (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- deviation: column-level UNIQUE dropped, idx_file_metadata_file_id (UNIQUE) enforces it
  file_id UUID NOT NULL CONSTRAINT fk_file_metadata_files REFERENCES files(id) ON DELETE CASCADE,
  title VARCHAR(255),
  artist VARCHAR(255),
  album VARCHAR(255),
  genre VARCHAR(100),
  year INTEGER,
  duration INTEGER, -- seconds
  duration_ms INTEGER, -- added: exact duration in milliseconds (HLS playlists, waveform timing)
  bitrate INTEGER, -- kbps
  sample_rate INTEGER, -- Hz
  channels INTEGER,
  codec VARCHAR(50),
  -- added: EBU R128 loudness measured by the media pipeline (DESIGN §5)
  integrated_lufs NUMERIC(6,2),
  true_peak_dbtp NUMERIC(6,2),
  replay_gain_db NUMERIC(6,2),
  width INTEGER,
  height INTEGER,
  format VARCHAR(50),
  video_codec VARCHAR(50),
  audio_codec VARCHAR(50),
  framerate DECIMAL(10,2),
  bpm INTEGER, -- Beats per minute
  musical_key VARCHAR(10), -- C, C#, D, etc.
  time_signature VARCHAR(10), -- 4/4, 3/4, etc.
  raw_metadata JSONB, -- Full ID3/EXIF data
  extracted_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- added: immutable rule (re-extraction updates the row)
  -- added: sanity checks on measured values
  CONSTRAINT chk_file_metadata_duration_non_negative CHECK (duration IS NULL OR duration >= 0),
  CONSTRAINT chk_file_metadata_duration_ms_non_negative CHECK (duration_ms IS NULL OR duration_ms >= 0),
  CONSTRAINT chk_file_metadata_bitrate_positive CHECK (bitrate IS NULL OR bitrate > 0),
  CONSTRAINT chk_file_metadata_sample_rate_positive CHECK (sample_rate IS NULL OR sample_rate > 0),
  CONSTRAINT chk_file_metadata_channels_positive CHECK (channels IS NULL OR channels > 0),
  CONSTRAINT chk_file_metadata_dimensions_positive CHECK ((width IS NULL OR width > 0) AND (height IS NULL OR height > 0)),
  CONSTRAINT chk_file_metadata_bpm_positive CHECK (bpm IS NULL OR bpm > 0)
);

CREATE UNIQUE INDEX idx_file_metadata_file_id ON file_metadata(file_id);
CREATE INDEX idx_file_metadata_genre ON file_metadata(genre) WHERE genre IS NOT NULL;
CREATE INDEX idx_file_metadata_duration ON file_metadata(duration) WHERE duration IS NOT NULL;

CREATE TRIGGER trg_file_metadata_updated_at BEFORE UPDATE ON file_metadata
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------
-- §6.4 file_conversions
-- ---------------------------------------------------------------------------------------------
CREATE TABLE file_conversions (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  source_file_id UUID NOT NULL CONSTRAINT fk_file_conversions_source_file REFERENCES files(id) ON DELETE CASCADE,
  converted_file_id UUID CONSTRAINT fk_file_conversions_converted_file REFERENCES files(id) ON DELETE SET NULL,
  target_format VARCHAR(50) NOT NULL,
  target_quality VARCHAR(50),
  status VARCHAR(50) NOT NULL DEFAULT 'pending', -- pending, processing, completed, failed
  progress INTEGER NOT NULL DEFAULT 0, -- 0-100%
  attempts INTEGER NOT NULL DEFAULT 0, -- added: processing attempts (queue retries with backoff)
  error_message TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  completed_at TIMESTAMPTZ,
  -- added
  CONSTRAINT chk_file_conversions_status CHECK (status IN ('pending', 'processing', 'completed', 'failed')),
  CONSTRAINT chk_file_conversions_progress_range CHECK (progress BETWEEN 0 AND 100),
  CONSTRAINT chk_file_conversions_attempts_non_negative CHECK (attempts >= 0)
);

CREATE INDEX idx_file_conversions_source_file_id ON file_conversions(source_file_id);
CREATE INDEX idx_file_conversions_status ON file_conversions(status);
-- added: FK index
CREATE INDEX idx_file_conversions_converted_file_id ON file_conversions(converted_file_id) WHERE converted_file_id IS NOT NULL;

CREATE TRIGGER trg_file_conversions_updated_at BEFORE UPDATE ON file_conversions
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
