// Vite's `?inline` imports (used for the binary audio fixtures): the file as a base64 data: URL.
declare module "*?inline" {
  const dataUrl: string;
  export default dataUrl;
}
