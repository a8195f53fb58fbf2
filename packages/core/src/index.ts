export * from "./decimal";
export * from "./errors";
export * from "./sheet";
export { FUNCTIONS, functionNamed } from "./functions";
