import type { ButtonHTMLAttributes, ComponentChildren } from "preact";
import { Spinner } from "./Spinner";

type Props = Omit<ButtonHTMLAttributes<HTMLButtonElement>, "loading"> & {
  variant?: "primary" | "secondary" | "ghost" | "danger";
  /** Shows a spinner, disables the button and sets aria-busy. */
  busy?: boolean;
  children?: ComponentChildren;
};

/** A button (type="button" unless said otherwise). */
export function Button({ variant = "secondary", busy = false, disabled, class: cls, type = "button", children, ...rest }: Props) {
  return (
    <button
      {...rest}
      type={type}
      class={`btn btn-${variant}${cls ? ` ${String(cls)}` : ""}`}
      disabled={Boolean(disabled) || busy}
      aria-busy={busy || undefined}
    >
      {busy && <Spinner size="small" label="" />}
      {children}
    </button>
  );
}
