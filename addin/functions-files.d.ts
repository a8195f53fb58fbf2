/** Absolute path of addin/src/functions/. */
export declare const functionsDir: string;
/** Absolute paths of the worksheet-function files, sorted. */
export declare function functionFiles(): string[];
