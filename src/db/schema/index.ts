// The typed mirror of migrations/: one file per spec module. SQL is the source of truth.
export * from "./enums";
export * from "./accounts";
export * from "./files";
export * from "./streaming";
export * from "./social";
export * from "./marketplace";
