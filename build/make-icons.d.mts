export declare const ICON_SIZE: number;
export declare function crc32(bytes: Uint8Array): number;
export declare function encodePng(width: number, height: number, rgba: Uint8Array): Buffer;
export declare function renderLogo(size?: number): Uint8Array;
