import { useEffect, useState } from "preact/hooks";
import { Spinner } from "../../ui";

/**
 * A QR code of `value`, drawn as one SVG path. The encoder (uqr, ~4 KB gzip) is loaded only when a
 * QR code is shown, in its own chunk. Dark modules on white whatever the theme: scanners expect it.
 */
export function QrCode({ value, label, size = 200 }: { value: string; label: string; size?: number }) {
  const [path, setPath] = useState<{ d: string; n: number } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    setPath(null);
    import("uqr")
      .then(({ encode }) => {
        if (!live) return;
        const { data, size: n } = encode(value, { ecc: "M", border: 2 });
        let d = "";
        data.forEach((row, y) => row.forEach((dark, x) => dark && (d += `M${x} ${y}h1v1h-1z`)));
        setPath({ d, n });
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
    };
  }, [value]);

  if (failed) return <p class="field-error">The QR code could not be drawn: type the key below into your app instead.</p>;
  if (!path) {
    return (
      <div class="qr qr-loading" style={{ width: `${size}px`, height: `${size}px` }}>
        <Spinner label="Drawing the QR code…" />
      </div>
    );
  }
  return (
    <svg class="qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${path.n} ${path.n}`} shape-rendering="crispEdges">
      <rect width={path.n} height={path.n} fill="#fff" />
      <path d={path.d} fill="#000" />
    </svg>
  );
}
