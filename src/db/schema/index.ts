// The typed mirror of migrations/: one file per spec module. SQL is the source of truth.
export * from "./enums";
export * from "./accounts";
export * from "./files";
export * from "./streaming";
export * from "./chat";
export * from "./social";
export * from "./marketplace";
export * from "./education";
export * from "./hardware";
export * from "./cloud";
export * from "./search";
export * from "./analytics";
export * from "./admin";
export * from "./operations";
