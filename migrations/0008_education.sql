-- Education (spec §11): courses, lessons, course_enrollments, lesson_progress, quizzes, quiz_attempts,
-- certificates. The spec only names these tables; the columns are designed here from the product's
-- needs (verified educators publish free or paid courses of ordered text/video/audio lessons; learners
-- enrol, progress, take graded quizzes and receive a publicly verifiable, signed certificate).
-- Depends on users (0002_accounts), files (0003_files), products and orders (0007_marketplace).
--
-- Invariants kept by the database, not the Worker (DESIGN §2):
--   * lesson order is dense and unique per course; a reorder is one UPDATE (the UNIQUE is DEFERRABLE);
--   * courses.lesson_count / enrollment_count are kept by triggers;
--   * course_enrollments.progress_percent = completed lessons / lessons of the course, kept by triggers
--     on lesson_progress and lessons (a lesson added or removed changes every learner's percentage);
--   * progress can only be recorded by an enrolled learner on a lesson of that course (composite FKs);
--   * a learner cannot exceed a quiz's max_attempts (attempt_number is UNIQUE and capped by a trigger).
-- Lessons and quizzes are course content without deleted_at: the course is the soft-deleted unit, and
-- a hard delete keeps lesson positions dense under the deferrable UNIQUE (a partial UNIQUE cannot be
-- deferrable). Issued certificates snapshot what they certify, so they survive the course.

-- ---------------------------------------------------------------------------------------------------
-- 11.1 courses
CREATE TABLE courses (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- the educator (a user with a verified 'educator' user_roles row: checked by the API, not here)
  educator_id UUID NOT NULL CONSTRAINT fk_courses_users REFERENCES users(id) ON DELETE CASCADE,
  title VARCHAR(255) NOT NULL,
  slug VARCHAR(255) NOT NULL,
  description TEXT, -- nullable: a draft may not have one yet
  level VARCHAR(20) NOT NULL DEFAULT 'all',
  language VARCHAR(5) NOT NULL DEFAULT 'en', -- ISO 639-1 (+ region), as user_profiles.language
  -- price 0 = free; a paid course is sold through the marketplace checkout via product_id
  price DECIMAL(10,2) NOT NULL DEFAULT 0,
  currency CHAR(3) NOT NULL DEFAULT 'USD',
  product_id UUID CONSTRAINT fk_courses_products REFERENCES products(id) ON DELETE SET NULL,
  cover_file_id UUID CONSTRAINT fk_courses_files REFERENCES files(id) ON DELETE SET NULL,
  -- archived: off the catalogue, but enrolled learners keep access
  status VARCHAR(20) NOT NULL DEFAULT 'draft',
  lesson_count INTEGER NOT NULL DEFAULT 0,     -- kept by trg_lessons_count
  enrollment_count INTEGER NOT NULL DEFAULT 0, -- kept by trg_course_enrollments_count (active + completed)
  published_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  deleted_at TIMESTAMPTZ,
  CONSTRAINT chk_courses_level_valid CHECK (level IN ('beginner', 'intermediate', 'advanced', 'all')),
  CONSTRAINT chk_courses_status_valid CHECK (status IN ('draft', 'published', 'archived')),
  CONSTRAINT chk_courses_published_at_set CHECK (status <> 'published' OR published_at IS NOT NULL),
  CONSTRAINT chk_courses_slug_format CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
  CONSTRAINT chk_courses_language_format CHECK (language ~ '^[a-z]{2}(-[A-Z]{2})?$'),
  CONSTRAINT chk_courses_price_positive CHECK (price >= 0),
  CONSTRAINT chk_courses_currency_format CHECK (currency ~ '^[A-Z]{3}$'),
  CONSTRAINT chk_courses_lesson_count_non_negative CHECK (lesson_count >= 0),
  CONSTRAINT chk_courses_enrollment_count_non_negative CHECK (enrollment_count >= 0)
);
-- a slug is unique among live courses; a soft-deleted course releases it
CREATE UNIQUE INDEX uq_courses_slug ON courses(slug) WHERE deleted_at IS NULL;
-- one course per product: the paid order's product finds the course to enrol into (also the FK index)
CREATE UNIQUE INDEX uq_courses_product_id ON courses(product_id) WHERE product_id IS NOT NULL;
CREATE INDEX idx_courses_educator_id ON courses(educator_id);
CREATE INDEX idx_courses_cover_file_id ON courses(cover_file_id);
CREATE INDEX idx_courses_status ON courses(status);
CREATE INDEX idx_courses_level ON courses(level);
CREATE INDEX idx_courses_language ON courses(language);
-- the public catalogue, newest first
CREATE INDEX idx_courses_published_at_desc ON courses(published_at DESC)
  WHERE status = 'published' AND deleted_at IS NULL;
-- full-text search, as the spec does for tracks/products
CREATE INDEX idx_courses_search_gin ON courses
  USING GIN(to_tsvector('english', title || ' ' || COALESCE(description, '')));
CREATE TRIGGER trg_courses_updated_at BEFORE UPDATE ON courses
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 11.2 lessons
CREATE TABLE lessons (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  course_id UUID NOT NULL CONSTRAINT fk_lessons_courses REFERENCES courses(id) ON DELETE CASCADE,
  title VARCHAR(255) NOT NULL,
  content_type VARCHAR(10) NOT NULL DEFAULT 'text',
  content TEXT, -- the body of a text lesson (Markdown); notes/transcript of a media lesson
  -- video/audio from uploads, streamed like tracks
  media_file_id UUID CONSTRAINT fk_lessons_files REFERENCES files(id) ON DELETE SET NULL,
  duration_seconds INTEGER, -- media lessons: bounds lesson_progress.position_seconds in the player
  position INTEGER NOT NULL,
  is_preview BOOLEAN NOT NULL DEFAULT false, -- viewable without enrolment (paid course teaser)
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_lessons_content_type_valid CHECK (content_type IN ('text', 'video', 'audio')),
  CONSTRAINT chk_lessons_position_non_negative CHECK (position >= 0),
  CONSTRAINT chk_lessons_duration_positive CHECK (duration_seconds > 0),
  -- deferred to commit, so `UPDATE lessons SET position = v.p FROM (VALUES ...) v ...` reorders atomically
  CONSTRAINT uq_lessons_course_position UNIQUE (course_id, position) DEFERRABLE INITIALLY DEFERRED,
  -- target of the composite FKs of lesson_progress and quizzes (a lesson of *that* course)
  CONSTRAINT uq_lessons_id_course UNIQUE (id, course_id)
);
-- course_id FK: covered by uq_lessons_course_position
CREATE INDEX idx_lessons_media_file_id ON lessons(media_file_id);
CREATE TRIGGER trg_lessons_updated_at BEFORE UPDATE ON lessons
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 11.3 course_enrollments
CREATE TABLE course_enrollments (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  course_id UUID NOT NULL CONSTRAINT fk_course_enrollments_courses REFERENCES courses(id) ON DELETE CASCADE,
  user_id UUID NOT NULL CONSTRAINT fk_course_enrollments_users REFERENCES users(id) ON DELETE CASCADE,
  -- the paid order that granted access (NULL for a free course); orders are kept 7 years (§18)
  order_id UUID CONSTRAINT fk_course_enrollments_orders REFERENCES orders(id) ON DELETE SET NULL,
  -- cancelled: the learner left; refunded: the order was refunded (access revoked)
  status VARCHAR(20) NOT NULL DEFAULT 'active',
  progress_percent INTEGER NOT NULL DEFAULT 0, -- kept by recompute_course_progress()
  completed_at TIMESTAMPTZ, -- all lessons done and required quizzes passed (set with the certificate)
  last_accessed_at TIMESTAMPTZ, -- "continue where I left off" ordering of my courses
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(), -- = enrolled at
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_course_enrollments_status_valid CHECK (status IN ('active', 'completed', 'cancelled', 'refunded')),
  CONSTRAINT chk_course_enrollments_progress_range CHECK (progress_percent BETWEEN 0 AND 100),
  CONSTRAINT chk_course_enrollments_completed_at_set CHECK (status <> 'completed' OR completed_at IS NOT NULL),
  -- re-enrolling reactivates the row (INSERT ... ON CONFLICT (course_id, user_id) DO UPDATE)
  CONSTRAINT uq_course_enrollments_course_user UNIQUE (course_id, user_id)
);
-- course_id FK: covered by uq_course_enrollments_course_user (also the educator's aggregate query)
CREATE INDEX idx_course_enrollments_user_id_created_at ON course_enrollments(user_id, created_at DESC);
CREATE INDEX idx_course_enrollments_order_id ON course_enrollments(order_id) WHERE order_id IS NOT NULL;
CREATE TRIGGER trg_course_enrollments_updated_at BEFORE UPDATE ON course_enrollments
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- courses.enrollment_count counts active and completed enrolments
CREATE FUNCTION sync_course_enrollment_count() RETURNS trigger AS $$
DECLARE
  old_counted boolean := false;
  new_counted boolean := false;
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    old_counted := OLD.status IN ('active', 'completed');
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    new_counted := NEW.status IN ('active', 'completed');
  END IF;
  IF TG_OP = 'UPDATE' THEN
    IF OLD.course_id = NEW.course_id AND old_counted = new_counted THEN
      RETURN NULL;
    END IF;
  END IF;
  IF old_counted THEN
    UPDATE courses SET enrollment_count = GREATEST(enrollment_count - 1, 0) WHERE id = OLD.course_id;
  END IF;
  IF new_counted THEN
    UPDATE courses SET enrollment_count = enrollment_count + 1 WHERE id = NEW.course_id;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_course_enrollments_count AFTER INSERT OR DELETE OR UPDATE OF course_id, status ON course_enrollments
  FOR EACH ROW EXECUTE FUNCTION sync_course_enrollment_count();

-- ---------------------------------------------------------------------------------------------------
-- 11.4 lesson_progress
CREATE TABLE lesson_progress (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id UUID NOT NULL,
  -- course_id is denormalised from the lesson so that the two composite FKs below guarantee that
  -- progress exists only for an enrolled learner and a lesson of that course, and so that a course's
  -- percentage is one index range (course_id, user_id)
  course_id UUID NOT NULL,
  lesson_id UUID NOT NULL,
  status VARCHAR(20) NOT NULL DEFAULT 'started',
  position_seconds INTEGER NOT NULL DEFAULT 0, -- resume point of a media lesson
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  completed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT fk_lesson_progress_course_enrollments FOREIGN KEY (course_id, user_id)
    REFERENCES course_enrollments(course_id, user_id) ON DELETE CASCADE,
  CONSTRAINT fk_lesson_progress_lessons FOREIGN KEY (lesson_id, course_id)
    REFERENCES lessons(id, course_id) ON DELETE CASCADE,
  CONSTRAINT chk_lesson_progress_status_valid CHECK (status IN ('started', 'completed')),
  CONSTRAINT chk_lesson_progress_position_non_negative CHECK (position_seconds >= 0),
  CONSTRAINT chk_lesson_progress_completed_at_set CHECK ((status = 'completed') = (completed_at IS NOT NULL)),
  CONSTRAINT uq_lesson_progress_user_lesson UNIQUE (user_id, lesson_id)
);
CREATE INDEX idx_lesson_progress_course_id_user_id ON lesson_progress(course_id, user_id);
CREATE INDEX idx_lesson_progress_lesson_id_course_id ON lesson_progress(lesson_id, course_id);
CREATE TRIGGER trg_lesson_progress_updated_at BEFORE UPDATE ON lesson_progress
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- (created after lesson_progress: the SQL function body is checked against these tables)
-- Recomputes course_enrollments.progress_percent (floor of completed/lesson_count, so 100 means every
-- lesson is done) for one learner, or for every learner of the course when p_user_id is NULL.
CREATE FUNCTION recompute_course_progress(p_course_id UUID, p_user_id UUID) RETURNS void AS $$
  WITH fresh AS (
    SELECT e.id,
           CASE WHEN c.lesson_count = 0 THEN 0
                ELSE LEAST(100, (100 * (SELECT count(*) FROM lesson_progress lp
                                         WHERE lp.course_id = e.course_id AND lp.user_id = e.user_id
                                           AND lp.status = 'completed')) / c.lesson_count)::integer
           END AS pct
      FROM course_enrollments e
      JOIN courses c ON c.id = e.course_id
     WHERE e.course_id = p_course_id AND (p_user_id IS NULL OR e.user_id = p_user_id)
  )
  UPDATE course_enrollments e SET progress_percent = fresh.pct
    FROM fresh
   WHERE e.id = fresh.id AND e.progress_percent IS DISTINCT FROM fresh.pct;
$$ LANGUAGE sql;

-- courses.lesson_count, and every enrolment's percentage of the course(s) concerned
CREATE FUNCTION sync_course_lesson_count() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF OLD.course_id = NEW.course_id THEN
      RETURN NULL;
    END IF;
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    UPDATE courses SET lesson_count = GREATEST(lesson_count - 1, 0) WHERE id = OLD.course_id;
    PERFORM recompute_course_progress(OLD.course_id, NULL);
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    UPDATE courses SET lesson_count = lesson_count + 1 WHERE id = NEW.course_id;
    PERFORM recompute_course_progress(NEW.course_id, NULL);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER trg_lessons_count AFTER INSERT OR DELETE OR UPDATE OF course_id ON lessons
  FOR EACH ROW EXECUTE FUNCTION sync_course_lesson_count();

-- the learner's course percentage moves when a lesson becomes (or stops being) completed; position
-- updates of the player do not fire it
CREATE FUNCTION sync_lesson_progress_percent() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    IF NEW.status = 'completed' THEN
      PERFORM recompute_course_progress(NEW.course_id, NEW.user_id);
    END IF;
  ELSIF TG_OP = 'DELETE' THEN
    IF OLD.status = 'completed' THEN
      PERFORM recompute_course_progress(OLD.course_id, OLD.user_id);
    END IF;
  ELSIF OLD.status IS DISTINCT FROM NEW.status OR OLD.course_id <> NEW.course_id OR OLD.user_id <> NEW.user_id THEN
    PERFORM recompute_course_progress(OLD.course_id, OLD.user_id);
    PERFORM recompute_course_progress(NEW.course_id, NEW.user_id);
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_lesson_progress_percent AFTER INSERT OR DELETE OR UPDATE OF status, course_id, user_id ON lesson_progress
  FOR EACH ROW EXECUTE FUNCTION sync_lesson_progress_percent();

-- ---------------------------------------------------------------------------------------------------
-- 11.5 quizzes
CREATE TABLE quizzes (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  course_id UUID NOT NULL CONSTRAINT fk_quizzes_courses REFERENCES courses(id) ON DELETE CASCADE,
  lesson_id UUID, -- NULL = a course-level quiz
  title VARCHAR(255) NOT NULL,
  description TEXT,
  -- [{ "id": "q1", "type": "single"|"multiple"|"short", "prompt": "...", "options": ["..."],
  --    "correct": [0] | ["accepted answer", ...], "points": 1 }]
  -- holds the answers: never sent to learners as is
  questions JSONB NOT NULL DEFAULT '[]',
  pass_mark_percent INTEGER NOT NULL DEFAULT 70,
  max_attempts INTEGER, -- NULL = unlimited
  is_required BOOLEAN NOT NULL DEFAULT true, -- must be passed for the certificate
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  -- a lesson quiz belongs to a lesson of the same course (MATCH SIMPLE: skipped when lesson_id is NULL)
  CONSTRAINT fk_quizzes_lessons FOREIGN KEY (lesson_id, course_id)
    REFERENCES lessons(id, course_id) ON DELETE CASCADE,
  CONSTRAINT chk_quizzes_questions_array CHECK (jsonb_typeof(questions) = 'array'),
  -- every question is an object of a known type with non-negative points (jsonpath, core since PG 12)
  CONSTRAINT chk_quizzes_questions_valid CHECK (NOT jsonb_path_exists(questions,
    '$[*] ? (@.type() != "object" || !(@."type" == "single" || @."type" == "multiple" || @."type" == "short") || @."points" < 0)')),
  CONSTRAINT chk_quizzes_pass_mark_range CHECK (pass_mark_percent BETWEEN 0 AND 100),
  CONSTRAINT chk_quizzes_max_attempts_positive CHECK (max_attempts > 0)
);
CREATE INDEX idx_quizzes_course_id ON quizzes(course_id);
CREATE INDEX idx_quizzes_lesson_id_course_id ON quizzes(lesson_id, course_id) WHERE lesson_id IS NOT NULL;
CREATE TRIGGER trg_quizzes_updated_at BEFORE UPDATE ON quizzes
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- ---------------------------------------------------------------------------------------------------
-- 11.6 quiz_attempts
CREATE TABLE quiz_attempts (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  quiz_id UUID NOT NULL CONSTRAINT fk_quiz_attempts_quizzes REFERENCES quizzes(id) ON DELETE CASCADE,
  user_id UUID NOT NULL CONSTRAINT fk_quiz_attempts_users REFERENCES users(id) ON DELETE CASCADE,
  -- 1, 2, ...: inserted as COALESCE(MAX(attempt_number), 0) + 1; two concurrent starts collide on the
  -- UNIQUE instead of both counting as attempt n
  attempt_number INTEGER NOT NULL,
  status VARCHAR(20) NOT NULL DEFAULT 'in_progress',
  answers JSONB NOT NULL DEFAULT '[]', -- [{ "questionId": "q1", "answer": [0] | "text" }]
  score_points DECIMAL(8,2),
  max_points DECIMAL(8,2),
  score_percent DECIMAL(5,2),
  passed BOOLEAN, -- score_percent >= the quiz's pass mark at grading time
  started_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  submitted_at TIMESTAMPTZ,
  graded_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_quiz_attempts_attempt_number_positive CHECK (attempt_number > 0),
  CONSTRAINT chk_quiz_attempts_status_valid CHECK (status IN ('in_progress', 'submitted', 'graded')),
  CONSTRAINT chk_quiz_attempts_answers_array CHECK (jsonb_typeof(answers) = 'array'),
  CONSTRAINT chk_quiz_attempts_score_range CHECK (score_percent BETWEEN 0 AND 100),
  CONSTRAINT chk_quiz_attempts_points_range CHECK (score_points >= 0 AND score_points <= max_points),
  CONSTRAINT chk_quiz_attempts_graded_complete CHECK (status <> 'graded'
    OR (score_percent IS NOT NULL AND passed IS NOT NULL AND graded_at IS NOT NULL)),
  CONSTRAINT uq_quiz_attempts_quiz_user_attempt UNIQUE (quiz_id, user_id, attempt_number)
);
-- quiz_id FK: covered by uq_quiz_attempts_quiz_user_attempt
CREATE INDEX idx_quiz_attempts_user_id_quiz_id ON quiz_attempts(user_id, quiz_id);
CREATE TRIGGER trg_quiz_attempts_updated_at BEFORE UPDATE ON quiz_attempts
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- attempt limit: with attempt_number unique per (quiz, user) and >= 1, capping it at max_attempts caps
-- the number of attempts. Raised as a check violation of chk_quiz_attempts_max_attempts.
CREATE FUNCTION enforce_quiz_max_attempts() RETURNS trigger AS $$
DECLARE
  lim integer;
BEGIN
  SELECT max_attempts INTO lim FROM quizzes WHERE id = NEW.quiz_id;
  IF lim IS NOT NULL AND NEW.attempt_number > lim THEN
    RAISE EXCEPTION 'attempt % exceeds the % attempt(s) allowed for quiz %', NEW.attempt_number, lim, NEW.quiz_id
      USING ERRCODE = 'check_violation', CONSTRAINT = 'chk_quiz_attempts_max_attempts',
            TABLE = 'quiz_attempts', COLUMN = 'attempt_number';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER trg_quiz_attempts_max_attempts BEFORE INSERT OR UPDATE OF quiz_id, attempt_number ON quiz_attempts
  FOR EACH ROW EXECUTE FUNCTION enforce_quiz_max_attempts();

-- ---------------------------------------------------------------------------------------------------
-- 11.7 certificates
CREATE TABLE certificates (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  -- SET NULL, not CASCADE: a credential outlives the course (educator account removed); the snapshot
  -- columns below are what is signed and what GET /v1/certificates/:code shows
  course_id UUID CONSTRAINT fk_certificates_courses REFERENCES courses(id) ON DELETE SET NULL,
  user_id UUID NOT NULL CONSTRAINT fk_certificates_users REFERENCES users(id) ON DELETE CASCADE,
  code VARCHAR(64) NOT NULL, -- public verification code (random, unguessable): /v1/certificates/:code
  course_title VARCHAR(255) NOT NULL,
  learner_name VARCHAR(255) NOT NULL,
  educator_name VARCHAR(255),
  -- signature over the canonical payload (code, course_id, user_id, titles/names, issued_at)
  signature TEXT NOT NULL,
  signature_algorithm VARCHAR(20) NOT NULL DEFAULT 'Ed25519',
  signing_key_id VARCHAR(64), -- which key signed it (key rotation); the public key is published
  issued_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  revoked_at TIMESTAMPTZ, -- verification then answers "revoked" (fraud, refunded order)
  revocation_reason TEXT,
  created_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  updated_at TIMESTAMPTZ NOT NULL DEFAULT NOW(),
  CONSTRAINT chk_certificates_code_format CHECK (code ~ '^[A-Za-z0-9_-]{12,64}$'),
  CONSTRAINT chk_certificates_signature_algorithm_valid CHECK (signature_algorithm IN ('Ed25519', 'ECDSA-P256', 'HMAC-SHA256')),
  CONSTRAINT chk_certificates_signature_not_empty CHECK (length(signature) > 0),
  CONSTRAINT uq_certificates_code UNIQUE (code),
  CONSTRAINT uq_certificates_course_user UNIQUE (course_id, user_id)
);
-- course_id FK: covered by uq_certificates_course_user
CREATE INDEX idx_certificates_user_id ON certificates(user_id);
CREATE TRIGGER trg_certificates_updated_at BEFORE UPDATE ON certificates
  FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();
