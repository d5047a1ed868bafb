/** Types for mutation-units.mjs (plain JavaScript so that stryker.config.mjs can import it). */
export declare const UNITS: Record<string, { mutate: string[]; testFiles: string[] }>;
