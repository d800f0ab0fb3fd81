import { useEffect } from "preact/hooks";

/** Sets the document title ("Title · Veza") while the screen is shown. */
export function usePageTitle(title: string | null | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Veza` : "Veza";
  }, [title]);
}
