import bcrypt from "bcryptjs";
import type { SqlExecutor } from "./migrations";

/**
 * A small, believable world for local runs: artists and listeners with known logins, profiles,
 * badges, follows, posts with hashtags (a repost, a comment thread), a group with a post, a playlist, a chat room with a conversation, and two shop
 * products with licences. Idempotent: fixed ids and ON CONFLICT DO NOTHING, so re-running changes
 * nothing. Tracks join the world once the media pipeline can turn generated audio into HLS.
 */
export const DEMO_PASSWORD = "veza-demo-2026";

const id = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, "0")}`;

export const demoUsers = [
  { id: id(1), username: "nadia_keys", email: "nadia@demo.veza.dev", display: "Nadia Keller", role: "creator", bio: "Pianist and composer. Felt pianos, tape hiss, late nights.", location: "Lyon, France" },
  { id: id(2), username: "okra_beats", email: "okra@demo.veza.dev", display: "Okra Mensah", role: "creator", bio: "Beatmaker. Highlife samples chopped into lo-fi.", location: "Accra, Ghana" },
  { id: id(3), username: "mira_cello", email: "mira@demo.veza.dev", display: "Mira Lumen", role: "creator", bio: "Cellist. Ambient loops and string quartets.", location: "Montréal, Canada" },
  { id: id(4), username: "sam_listens", email: "sam@demo.veza.dev", display: "Sam Ortega", role: "user", bio: "I make playlists for rainy commutes.", location: "Madrid, Spain" },
  { id: id(5), username: "jo_crate", email: "jo@demo.veza.dev", display: "Jo Park", role: "premium", bio: "Crate digger, vinyl first.", location: "Seoul, South Korea" },
  { id: id(6), username: "veza_admin", email: "admin@demo.veza.dev", display: "Veza Admin", role: "admin", bio: "Keeps the lights on.", location: null },
] as const;

const badges = [
  { id: id(101), name: "Piano", slug: "piano", category: "instrument", color: "#3B82F6" },
  { id: id(102), name: "Cello", slug: "cello", category: "instrument", color: "#A855F7" },
  { id: id(103), name: "Hip-hop", slug: "hip-hop", category: "genre", color: "#F59E0B" },
  { id: id(104), name: "Ambient", slug: "ambient", category: "genre", color: "#10B981" },
  { id: id(105), name: "10+ years", slug: "ten-years", category: "experience", color: "#6B7280" },
];

type Row = (string | number | boolean | null)[];

async function insertAll(db: SqlExecutor, sql: string, rows: Row[]) {
  for (const row of rows) await db.query(sql, row.map((v) => (v === null ? null : String(v))));
}

/**
 * Gear for two artists: Nadia's piano (public, on her profile) and her interface with a warranty
 * ending within 30 days (the daily job's reminder), Mira's cello with a maintenance entry due again.
 * Dates are relative to the day the seed runs, so the reminders stay meaningful.
 */
async function seedEquipment(db: SqlExecutor) {
  const items = [
    [id(1001), id(1), "instruments", "Yamaha", "U1", "The upright", "J2841193", "240", "3800.00", "EUR", true],
    [id(1002), id(1), "audio-interfaces", "RME", "Babyface Pro FS", null, "23874561", "700", "899.00", "EUR", false],
    [id(1003), id(3), "instruments", "Jay Haide", "l'Ancienne cello", "Marguerite", null, "1500", "4200.00", "CAD", true],
  ] as const;
  await insertAll(
    db,
    `INSERT INTO equipment (id, user_id, category_id, brand, model, nickname, serial_number, purchase_date, purchase_price, currency, is_public)
     SELECT $1, $2, c.id, $4, $5, $6, $7, current_date - $8::int, $9, $10, $11 FROM equipment_categories c WHERE c.slug = $3
     ON CONFLICT DO NOTHING`,
    items.map((i) => [...i]),
  );
  await db.query(
    `INSERT INTO equipment_warranties (id, equipment_id, provider, warranty_type, start_date, end_date)
     VALUES ($1, $2, 'RME', 'manufacturer', current_date - 700, current_date + 20) ON CONFLICT DO NOTHING`,
    [id(1011), id(1002)],
  );
  await db.query(
    `INSERT INTO equipment_maintenance (id, equipment_id, performed_on, maintenance_type, performed_by, cost, currency, notes, next_due_date)
     VALUES ($1, $2, current_date - 170, 'setup', 'Atelier Lutherie Montréal', 180.00, 'CAD', 'New bridge and soundpost adjustment.', current_date + 10)
     ON CONFLICT DO NOTHING`,
    [id(1021), id(1003)],
  );
}

export async function seed(db: SqlExecutor, log: (line: string) => void = () => undefined): Promise<void> {
  const already = (await db.query("SELECT count(*)::int FROM users WHERE id = $1", [id(1)]))[0]?.[0];
  const passwordHash = await bcrypt.hash(DEMO_PASSWORD, 12);

  await insertAll(
    db,
    `INSERT INTO users (id, email, username, display_name, password_hash, role, is_verified, email_verified_at,
       data_processing_consent, data_processing_consent_at, marketing_consent)
     VALUES ($1, $2, $3, $4, $5, $6::user_role, true, now(), true, now(), false) ON CONFLICT DO NOTHING`,
    demoUsers.map((u) => [u.id, u.email, u.username, u.display, passwordHash, u.role]),
  );
  // Profiles and settings rows are created by the users trigger; fill in the profile text.
  await insertAll(
    db,
    "UPDATE user_profiles SET bio = $2, location = $3 WHERE user_id = $1 AND bio IS NULL",
    demoUsers.map((u) => [u.id, u.bio, u.location]),
  );
  await insertAll(
    db,
    `INSERT INTO user_roles (user_id, role, verified, verified_at, verified_by) VALUES ($1, $2, true, now(), $3) ON CONFLICT DO NOTHING`,
    [[id(1), "creator", id(6)], [id(2), "producer", id(6)], [id(3), "creator", id(6)], [id(3), "educator", id(6)]],
  );
  await insertAll(
    db,
    `INSERT INTO badges (id, name, slug, category, color) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
    badges.map((b) => [b.id, b.name, b.slug, b.category, b.color]),
  );
  await insertAll(
    db,
    `INSERT INTO user_badges (user_id, badge_id, display_order) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
    [[id(1), id(101), 0], [id(1), id(105), 1], [id(2), id(103), 0], [id(3), id(102), 0], [id(3), id(104), 1]],
  );

  const follows: [number, number][] = [[4, 1], [4, 2], [4, 3], [5, 2], [5, 1], [1, 3], [3, 1], [2, 1]];
  await insertAll(
    db,
    "INSERT INTO follows (follower_id, following_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
    follows.map(([a, b]) => [id(a), id(b)]),
  );

  const posts = [
    { id: id(201), user: 1, content: "New piece coming Friday: recorded on a 1920s upright with the felt down. #piano #neoclassical", tags: ["piano", "neoclassical"] },
    { id: id(202), user: 2, content: "Chopped an old highlife record into something slow. Sample pack is up in the shop. #lofi #samples", tags: ["lofi", "samples"] },
    { id: id(203), user: 3, content: "Four cellos, one room, no click track. #ambient #cello", tags: ["ambient", "cello"] },
  ];
  for (const p of posts) {
    await db.query("INSERT INTO posts (id, user_id, content) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING", [p.id, id(p.user), p.content]);
    for (const tag of p.tags) {
      await db.query("INSERT INTO hashtags (tag, slug) VALUES ($1, $1) ON CONFLICT DO NOTHING", [tag]);
      await db.query(
        `INSERT INTO post_hashtags (post_id, hashtag_id) SELECT $1, h.id FROM hashtags h WHERE lower(h.tag) = lower($2)
         ON CONFLICT DO NOTHING`,
        [p.id, tag],
      );
    }
  }
  await insertAll(db, "INSERT INTO post_likes (user_id, post_id) VALUES ($1, $2) ON CONFLICT DO NOTHING", [[id(4), id(201)], [id(5), id(202)], [id(4), id(203)]]);
  await db.query("INSERT INTO posts (id, user_id, content, repost_of_id) VALUES ($1, $2, '', $3) ON CONFLICT DO NOTHING", [id(204), id(4), id(201)]);
  await insertAll(
    db,
    "INSERT INTO post_comments (id, post_id, user_id, content, parent_comment_id) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
    [
      [id(251), id(201), id(3), "Can't wait. The felt sound is everything.", null],
      [id(252), id(201), id(1), "Thank you! Friday at noon.", id(251)],
    ],
  );

  // A public group with its owner, a moderator, members and a post.
  await db.query(
    `INSERT INTO groups (id, name, slug, description, group_type, creator_id) VALUES ($1, 'Home studio', 'home-studio',
       'Small rooms, big sounds: treatment, mics and workflows for home recordists.', 'public', $2) ON CONFLICT DO NOTHING`,
    [id(801), id(3)],
  );
  await insertAll(
    db,
    "INSERT INTO group_members (group_id, user_id, role, approved_at) VALUES ($1, $2, $3, now()) ON CONFLICT (group_id, user_id) DO NOTHING",
    [[id(801), id(3), "owner"], [id(801), id(1), "moderator"], [id(801), id(2), "member"], [id(801), id(4), "member"]],
  );
  await db.query(
    "INSERT INTO posts (id, user_id, group_id, content) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
    [id(205), id(2), id(801), "Egg cartons do nothing. Rockwool panels behind the monitors changed my low end. #homestudio"],
  );
  await db.query("INSERT INTO hashtags (tag, slug) VALUES ('homestudio', 'homestudio') ON CONFLICT DO NOTHING");
  await db.query(
    "INSERT INTO post_hashtags (post_id, hashtag_id) SELECT $1, h.id FROM hashtags h WHERE lower(h.tag) = 'homestudio' ON CONFLICT DO NOTHING",
    [id(205)],
  );

  await db.query(
    `INSERT INTO playlists (id, user_id, name, description, visibility) VALUES ($1, $2, $3, $4, 'public') ON CONFLICT DO NOTHING`,
    [id(301), id(4), "Rainy commute", "Quiet music for wet windows. Tracks arrive as artists upload them."],
  );

  await db.query(
    `INSERT INTO rooms (id, name, slug, description, room_type, creator_id, topic, rules, welcome_message, room_code)
     VALUES ($1, 'Studio talk', 'studio-talk', 'Gear, mixing, and what you are working on.', 'public', $2,
             'Share works in progress and ask for ears', E'1. Be kind\\n2. Credit samples\\n3. No spam',
             'Welcome! Say what you are making this week.', 'STUDIO01') ON CONFLICT DO NOTHING`,
    [id(401), id(1)],
  );
  await insertAll(
    db,
    "INSERT INTO room_members (room_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
    [[id(401), id(1), "owner"], [id(401), id(2), "moderator"], [id(401), id(3), "member"], [id(401), id(4), "member"]],
  );
  const conversation = [
    [1, "Anyone tried recording piano with the lid off and a ribbon mic above the hammers?"],
    [3, "Yes! Warmer than I expected, but watch the pedal noise."],
    [2, "Pedal noise is a feature. I sample it."],
    [4, "Listening to all of you on the way to work, keep going."],
  ] as const;
  for (const [i, [sender, content]] of conversation.entries()) {
    await db.query(
      `INSERT INTO messages (id, room_id, sender_id, content, seq, created_at)
       SELECT $1, $2, $3, $4, $5, date_trunc('milliseconds', now()) - make_interval(mins => $6)
       WHERE NOT EXISTS (SELECT 1 FROM messages WHERE id = $1)`,
      [id(501 + i), id(401), id(sender), content, String(i + 1), String((conversation.length - i) * 7)],
    );
  }

  const products = [
    { id: id(601), seller: 2, name: "Dusty Highlife Keys", slug: "dusty-highlife-keys", category: "sample", price: "19.00", model: "fixed", min: null, description: "42 one-shots and 12 loops cut from 1970s highlife records, cleared for use. 24-bit WAV, tempo and key in every filename.", bpm: 84, genre: "lo-fi", tags: "{highlife,keys,lofi}" },
    { id: id(602), seller: 1, name: "Felt Piano Presets", slug: "felt-piano-presets", category: "preset", price: "12.00", model: "pwyw", min: "5.00", description: "Twenty felt-piano presets for free sampler instruments, built from multisampled recordings of an upright piano.", bpm: null, genre: "neoclassical", tags: "{piano,felt,sampler}" },
    { id: id(603), seller: 3, name: "Rain on a Tin Roof", slug: "rain-on-a-tin-roof", category: "sample", price: "0.00", model: "free", min: null, description: "Twelve minutes of rain on a tin roof, recorded in Montréal in May. Free for any use.", bpm: null, genre: "ambient", tags: "{rain,foley,field-recording}" },
  ];
  await insertAll(
    db,
    `INSERT INTO products (id, seller_id, name, slug, description, category, price, currency, pricing_model, minimum_price, status, bpm, genre, published_at, tags, formats)
     VALUES ($1, $2, $3, $4, $5, $6, $7, 'EUR', $8, $9, 'active', $10, $11, now(), $12, $13) ON CONFLICT DO NOTHING`,
    products.map((p) => [p.id, id(p.seller), p.name, p.slug, p.description, p.category, p.price, p.model, p.min, p.bpm, p.genre, p.tags, "{WAV}"]),
  );
  await insertAll(
    db,
    `INSERT INTO product_licenses (id, product_id, name, price, terms, is_exclusive, distribution_limit)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [
      [id(701), id(601), "Basic lease", "19.00", "Use in up to 5,000 streams; credit required.", false, null],
      [id(702), id(601), "Premium lease", "49.00", "Unlimited streams, one music video; credit required.", false, 100],
      [id(703), id(601), "Exclusive", "399.00", "Full exclusive rights; the pack leaves the shop once sold.", true, 1],
      [id(704), id(602), "Personal and commercial use", "12.00", "Use the presets in any production; do not resell the presets.", false, null],
    ],
  );
  // A seller's code: 10 % off Okra's packs for a year.
  await insertAll(
    db,
    `INSERT INTO discount_codes (id, code, discount_type, discount_value, valid_from, valid_until, creator_id)
     VALUES ($1, $2, 'percentage', 10, now(), now() + interval '1 year', $3) ON CONFLICT DO NOTHING`,
    [[id(751), "HIGHLIFE10", id(2)]],
  );

  await seedEquipment(db);

  await seedCourses(db);
  await seedQuizzes(db);

  log(already === "1" ? "demo data already present (nothing changed)" : "demo data created");
  log(`demo logins (password for all: ${DEMO_PASSWORD}):`);
  for (const u of demoUsers) log(`  ${u.role.padEnd(8)} ${u.username.padEnd(12)} ${u.email}`);
}

/**
 * A free course by Mira (a verified educator) with four text lessons, and Sam enrolled halfway
 * through. Quizzes of this course use ids 921 and 922 (added with the quizzes' demo data).
 */
async function seedCourses(db: SqlExecutor): Promise<void> {
  await db.query(
    `INSERT INTO courses (id, educator_id, title, slug, description, level, language, status, published_at)
     VALUES ($1, $2, 'Ambient cello from scratch', 'ambient-cello-from-scratch', $3, 'beginner', 'en', 'published', now()) ON CONFLICT (id) DO NOTHING`,
    [id(901), id(3), "Four short lessons from holding the bow to your first looped drone. No experience needed, just a cello and a looper pedal (or a free app)."],
  );
  await insertAll(
    db,
    `INSERT INTO lessons (id, course_id, title, content_type, content, duration_seconds, position, is_preview)
     VALUES ($1, $2, $3, 'text', $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING`,
    [
      [id(911), id(901), "Holding the bow", "Let the weight of your arm do the work. **Thumb bent**, fingers relaxed over the stick.", 300, 0, true],
      [id(912), id(901), "Open strings and long tones", "Play each open string for eight slow beats. Listen for an even sound from frog to tip.", 480, 1, false],
      [id(913), id(901), "Your first drone", "Record a low C for thirty seconds, loop it, and play long tones on top.", 600, 2, false],
      [id(914), id(901), "Layering a texture", "Add a harmonic on the A string, then a pizzicato pulse. Keep every layer quieter than the last.", 720, 3, false],
    ],
  );
  await db.query("INSERT INTO course_enrollments (course_id, user_id, last_accessed_at) VALUES ($1, $2, now()) ON CONFLICT (course_id, user_id) DO NOTHING", [id(901), id(4)]);
  await insertAll(
    db,
    `INSERT INTO lesson_progress (user_id, course_id, lesson_id, status, position_seconds, completed_at)
     VALUES ($1, $2, $3, $4::varchar, $5::int, CASE WHEN $4::varchar = 'completed' THEN now() END) ON CONFLICT (user_id, lesson_id) DO NOTHING`,
    [
      [id(4), id(901), id(911), "completed", 0],
      [id(4), id(901), id(912), "completed", 0],
      [id(4), id(901), id(913), "started", 0],
    ],
  );
}

/**
 * Mira's course gets a lesson quiz on "Open strings and long tones" (optional, three attempts) and a
 * required final quiz (the certificate waits for it), one question of each kind. Sam has passed the
 * lesson quiz on the second attempt.
 */
async function seedQuizzes(db: SqlExecutor): Promise<void> {
  const lessonQuiz = [
    { id: "strings", type: "single", prompt: "Which is the lowest open string of the cello?", options: ["G", "C", "D", "A"], correct: [1], points: 1 },
    { id: "even", type: "multiple", prompt: "What helps a long tone sound even from frog to tip?", options: ["Steady bow speed", "Pressing harder at the tip", "Arm weight, not finger pressure", "Stopping at the middle"], correct: [0, 2], points: 2 },
  ];
  const finalQuiz = [
    { id: "drone", type: "short", prompt: "A sustained low note other layers play over is called a…", correct: ["drone", "pedal tone", "pedal"], points: 1 },
    { id: "layers", type: "single", prompt: "Each new layer of a texture should be…", options: ["louder than the last", "quieter than the last", "in a new key"], correct: [1], points: 1 },
    { id: "tools", type: "multiple", prompt: "What do you need for this course?", options: ["A cello", "A looper pedal or app", "A bass amplifier"], correct: [0, 1], points: 1 },
  ];
  await insertAll(
    db,
    `INSERT INTO quizzes (id, course_id, lesson_id, title, description, questions, pass_mark_percent, max_attempts, is_required)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::int, $8::int, $9::boolean) ON CONFLICT (id) DO NOTHING`,
    [
      [id(921), id(901), id(912), "Open strings check", "Two questions on long tones.", JSON.stringify(lessonQuiz), 70, 3, false],
      [id(922), id(901), null, "Final quiz", "Pass it to receive your certificate.", JSON.stringify(finalQuiz), 70, 2, true],
    ],
  );
  const graded = (correct: boolean[]) =>
    JSON.stringify(lessonQuiz.map((q, i) => ({ questionId: q.id, answer: correct[i] ? q.correct : [3], answered: true, correct: correct[i], points: correct[i] ? q.points : 0, maxPoints: q.points })));
  await insertAll(
    db,
    `INSERT INTO quiz_attempts (quiz_id, user_id, attempt_number, status, answers, score_points, max_points, score_percent, passed, submitted_at, graded_at)
     VALUES ($1, $2, $3::int, 'graded', $4::jsonb, $5::numeric, 3, $6::numeric, $7::boolean, now(), now())
     ON CONFLICT (quiz_id, user_id, attempt_number) DO NOTHING`,
    [
      [id(921), id(4), 1, graded([true, false]), 1, 33.33, false],
      [id(921), id(4), 2, graded([true, true]), 3, 100, true],
    ],
  );
}
