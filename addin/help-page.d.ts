/** The function reference as a static HTML page, from functions.json's text. */
export declare function helpPage(metadataJson: string): string;
/** functions.json with each function's helpUrl pointing at its entry in help.html under `base`. */
export declare function withHelpUrls(metadataJson: string, base: string): string;
