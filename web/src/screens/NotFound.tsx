import { paths } from "../paths";
import { usePageTitle } from "../ui";

export function NotFound() {
  usePageTitle("Page not found");
  return (
    <section aria-labelledby="not-found-title">
      <h1 id="not-found-title">Page not found</h1>
      <p>There is nothing at this address.</p>
      <p>
        <a href={paths.home}>Go to your feed</a> or <a href={paths.search()}>search Veza</a>.
      </p>
    </section>
  );
}
