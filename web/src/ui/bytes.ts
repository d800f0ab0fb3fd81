const numberFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });

/** "840 KB", "12.4 MB", "1.2 GB" (binary multiples, as file managers mostly show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ["KB", "MB", "GB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${numberFormat.format(value)} ${units[unit]}`;
}
