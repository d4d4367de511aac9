export declare function specsOf(report: unknown): Array<{ title: string; statuses: string[] }>;
export declare function problemWith(report: unknown, titlePart: string): string | null;
