export * from "./decimal";
export * from "./errors";
export * from "./sheet";
export { DOMAINS, FUNCTIONS, functionNamed } from "./functions";
export type { Domain } from "./registry";
