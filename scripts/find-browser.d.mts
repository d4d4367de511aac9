/** Path of a Chromium to drive, or null when none is found. */
export declare function findBrowser(): Promise<string | null>;
/** Flags that keep headless Chromium quiet on a machine with no outside network. */
export declare const BROWSER_ARGS: readonly string[];
export declare const NO_BROWSER_MESSAGE: string;
