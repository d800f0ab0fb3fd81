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

  log(already === "1" ? "demo data already present (nothing changed)" : "demo data created");
  log(`demo logins (password for all: ${DEMO_PASSWORD}):`);
  for (const u of demoUsers) log(`  ${u.role.padEnd(8)} ${u.username.padEnd(12)} ${u.email}`);
}
