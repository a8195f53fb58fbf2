/** Absolute path of README.md. */
export declare const README: string;
/** Markdown for every worksheet function, one section per domain file. */
export declare function functionReference(): Promise<string>;
/** The README text with its reference section replaced. */
export declare function withReference(readme: string, reference: string): string;
