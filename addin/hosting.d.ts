export declare const DEV_ORIGIN: string;
export declare const OFFICE_JS_CDN_DIR: string;
export declare const OFFICE_JS_CDN: string;
/** ADDIN_URL as the base every manifest URL starts with (no trailing slash); throws for anything but a plain https address. */
export declare function addinBase(addinUrl: string): string;
/** manifest.xml with every dev-server URL moved to `base`. */
export declare function manifestFor(devManifest: string, base: string): string;
