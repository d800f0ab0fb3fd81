import type { ComponentChildren } from "preact";
import { errorMessage } from "../../api";
import { Button, Empty, FormError, Loading } from "../../ui";
import type { Paged } from "./usePaged";

/** A paged list's states: loading, error (with a retry), empty, the items, and "Load more". */
export function PagedList<T>({
  list,
  label,
  loadingLabel,
  empty,
  listClass = "library-list",
  children,
}: {
  list: Paged<T>;
  label: string;
  loadingLabel: string;
  empty: ComponentChildren;
  listClass?: string;
  children: (item: T) => ComponentChildren;
}) {
  if (list.loading) return <Loading label={loadingLabel} />;
  if (list.error && list.items.length === 0) {
    return (
      <div role="alert" class="form-error">
        {errorMessage(list.error)} <Button onClick={list.reload}>Try again</Button>
      </div>
    );
  }
  if (list.items.length === 0) return <>{empty}</>;
  return (
    <>
      <ul class={listClass} aria-label={label}>
        {list.items.map(children)}
      </ul>
      <FormError error={list.moreError} />
      {list.hasMore && (
        <Button onClick={() => void list.loadMore()} busy={list.loadingMore}>
          Load more
        </Button>
      )}
    </>
  );
}

export { Empty };
