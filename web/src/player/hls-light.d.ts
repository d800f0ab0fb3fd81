// hls.js ships no declaration for its light build (same API, fewer features: no subtitles, EME, alternate audio).
declare module "hls.js/light" {
  export * from "hls.js";
  export { default } from "hls.js";
}
