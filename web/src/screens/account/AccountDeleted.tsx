/** /account-deleted — where deleting the account (Settings → Privacy & data) ends. */
import "./account.css";
import { paths } from "../../paths";
import { usePageTitle } from "../../ui";

export default function AccountDeleted() {
  usePageTitle("Account deleted");
  return (
    <section class="auth-card account-page" aria-labelledby="deleted-title">
      <h1 id="deleted-title">Your account is deleted</h1>
      <p class="account-ok" role="status">
        You are signed out everywhere, and nobody can see your profile or what you published any more.
      </p>
      <p>Your data will be anonymised in 30 days. Your username and email address are free again, so you can come back with a new account whenever you like.</p>
      <p>Thank you for the music.</p>
      <a class="btn" href={paths.signUp}>
        Create a new account
      </a>
    </section>
  );
}
