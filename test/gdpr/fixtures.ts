import { createFile, createUser, id, sql, unique, type TestUser } from "../helpers/db";

export interface OwnedData {
  bio: string;
  playlistName: string;
  trackId: string;
  postContent: string;
  messageContent: string;
  dmSent: string;
  dmReceived: string;
  orderId: string;
  searchQuery: string;
}

/**
 * Gives `user` one of most things an account can own: a profile bio, a changed setting, a track in
 * a playlist, a post, a room message, direct messages both ways, an order, a search, a linked
 * provider and a cloud account (both with encrypted secrets that an export must never contain).
 */
export async function giveOwnedData(user: TestUser, other?: TestUser): Promise<OwnedData> {
  const tag = unique();
  const peer = other ?? (await createUser());
  const data: OwnedData = {
    bio: `bio ${tag}`,
    playlistName: `playlist ${tag}`,
    trackId: "",
    postContent: `post ${tag}`,
    messageContent: `message ${tag}`,
    dmSent: `dm to peer ${tag}`,
    dmReceived: `dm from peer ${tag}`,
    orderId: "",
    searchQuery: `search ${tag}`,
  };
  await sql.query("UPDATE user_profiles SET bio = $2, location = 'Lyon' WHERE user_id = $1", [user.id, data.bio]);
  await sql.query("UPDATE user_settings SET autoplay = false WHERE user_id = $1", [user.id]);
  await sql.query("UPDATE users SET first_name = 'Ada', last_name = 'Lovelace', last_login_ip = '198.51.100.4' WHERE id = $1", [user.id]);
  const file = await createFile(user.id);
  data.trackId = await id("INSERT INTO tracks (creator_id, file_id, title) VALUES ($1, $2, $3) RETURNING id", [user.id, file.id, `track ${tag}`]);
  const playlist = await id("INSERT INTO playlists (user_id, name) VALUES ($1, $2) RETURNING id", [user.id, data.playlistName]);
  await sql.query("INSERT INTO playlist_tracks (playlist_id, track_id, position, added_by) VALUES ($1, $2, 0, $3)", [playlist, data.trackId, user.id]);
  await sql.query("INSERT INTO posts (user_id, content) VALUES ($1, $2)", [user.id, data.postContent]);
  const room = await id("INSERT INTO rooms (name, room_type, creator_id) VALUES ($1, 'public', $2) RETURNING id", [`room ${tag}`, peer.id]);
  await sql.query("INSERT INTO messages (room_id, sender_id, content) VALUES ($1, $2, $3)", [room, user.id, data.messageContent]);
  await sql.query("INSERT INTO direct_messages (sender_id, recipient_id, content) VALUES ($1, $2, $3), ($2, $1, $4)", [user.id, peer.id, data.dmSent, data.dmReceived]);
  data.orderId = await id(
    `INSERT INTO orders (user_id, subtotal, tax_total, total, billing_email, billing_name, billing_address)
     VALUES ($1, 10, 2, 12, $2, 'Ada Lovelace', '{"line1": "1 rue de la Paix", "city": "Paris", "country": "FR"}') RETURNING id`,
    [user.id, user.email],
  );
  await sql.query("INSERT INTO search_queries (user_id, query) VALUES ($1, $2)", [user.id, data.searchQuery]);
  await sql.query(
    `INSERT INTO federated_identities (user_id, provider, provider_user_id, access_token, refresh_token, provider_email)
     VALUES ($1, 'github', $2, 'v1.secret-access-ciphertext', 'v1.secret-refresh-ciphertext', $3)`,
    [user.id, `gh-${tag}`, user.email],
  );
  await sql.query(
    `INSERT INTO cloud_accounts (user_id, provider, server_url, username, encrypted_password)
     VALUES ($1, 'nextcloud', 'https://cloud.example.com', 'ada', 'k1:secret-cloud-ciphertext')`,
    [user.id],
  );
  return data;
}
