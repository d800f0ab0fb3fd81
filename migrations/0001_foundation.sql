-- Foundation: the enums of spec §3.2 and chat-data-models, the updated_at trigger function of §22.1,
-- and the monthly partition helpers used by every partitioned table (§21).

CREATE TYPE user_role AS ENUM ('user', 'creator', 'premium', 'moderator', 'admin');
CREATE TYPE visibility AS ENUM ('public', 'unlisted', 'private');
CREATE TYPE order_status AS ENUM ('pending', 'paid', 'processing', 'completed', 'cancelled', 'refunded');
CREATE TYPE message_type AS ENUM ('text', 'image', 'audio', 'video', 'file');
CREATE TYPE notification_type AS ENUM ('follow', 'like', 'comment', 'message', 'mention', 'system');
-- chat-data-models.md
CREATE TYPE notification_level AS ENUM ('none', 'mentions', 'all');
CREATE TYPE moderation_status AS ENUM ('pending', 'approved', 'rejected', 'flagged');
CREATE TYPE virus_scan_status AS ENUM ('pending', 'scanning', 'clean', 'infected', 'failed');
CREATE TYPE audit_severity AS ENUM ('debug', 'info', 'warning', 'error', 'critical');

CREATE FUNCTION update_updated_at_column() RETURNS trigger AS $$
BEGIN
  NEW.updated_at = NOW();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- Creates the partition of `parent` for the month starting at `month_start` (named parent_YYYY_MM)
-- unless it exists. Rows already sitting in parent_default for that month are moved into the new
-- partition first, so attaching never fails and no row is lost. Idempotent.
-- Moving is a DELETE + INSERT, which would fire the ON DELETE actions of foreign keys pointing at
-- the table (a message's reactions would be cascaded away). So for a table that other tables
-- reference, a month whose rows already sit in the default partition is left there (still
-- readable, just not pruned) with a warning, and NULL is returned; the maintenance job keeps
-- partitions created months ahead so this does not happen in practice.
CREATE FUNCTION ensure_monthly_partition(parent text, month_start date) RETURNS text AS $$
DECLARE
  lo date := date_trunc('month', month_start)::date;
  hi date := (date_trunc('month', month_start) + interval '1 month')::date;
  part text := parent || '_' || to_char(lo, 'YYYY_MM');
  dflt text := parent || '_default';
  keycol text;
  has_rows boolean := false;
BEGIN
  IF to_regclass(quote_ident(part)) IS NOT NULL THEN
    RETURN part;
  END IF;
  SELECT a.attname INTO keycol
    FROM pg_partitioned_table pt
    JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
   WHERE pt.partrelid = parent::regclass;
  IF keycol IS NULL THEN
    RAISE EXCEPTION '% is not a range-partitioned table', parent;
  END IF;
  IF to_regclass(quote_ident(dflt)) IS NOT NULL THEN
    EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE %I >= %L AND %I < %L)', dflt, keycol, lo, keycol, hi) INTO has_rows;
    IF has_rows AND EXISTS (SELECT 1 FROM pg_constraint WHERE contype = 'f' AND confrelid = parent::regclass) THEN
      RAISE WARNING 'partition % not created: % holds rows of that month and % is referenced by foreign keys', part, dflt, parent;
      RETURN NULL;
    END IF;
  END IF;
  EXECUTE format('CREATE TABLE %I (LIKE %I INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part, parent);
  IF has_rows THEN
    EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) INSERT INTO %I SELECT * FROM moved',
                   dflt, keycol, lo, keycol, hi, part);
  END IF;
  EXECUTE format('ALTER TABLE %I ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part, lo, hi);
  RETURN part;
END;
$$ LANGUAGE plpgsql;

-- ensure_monthly_partition for `months` consecutive months from `first_month`, plus the default
-- partition. Returns how many partitions now exist for that span.
CREATE FUNCTION ensure_monthly_partitions(parent text, first_month date, months integer) RETURNS integer AS $$
DECLARE
  i integer;
BEGIN
  IF to_regclass(quote_ident(parent || '_default')) IS NULL THEN
    EXECUTE format('CREATE TABLE %I PARTITION OF %I DEFAULT', parent || '_default', parent);
  END IF;
  FOR i IN 0 .. months - 1 LOOP
    PERFORM ensure_monthly_partition(parent, (date_trunc('month', first_month) + make_interval(months => i))::date);
  END LOOP;
  RETURN months;
END;
$$ LANGUAGE plpgsql;
