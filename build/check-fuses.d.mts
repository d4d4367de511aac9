export declare const FuseState: { DISABLE: 48; ENABLE: 49; REMOVED: 114 };
export declare const FUSE_OF_OPTION: Record<string, number>;
export declare function expectedFuses(builderYaml: string): Record<number, boolean>;
export declare function fuseMismatches(
  expected: Record<number, boolean>,
  wire: Record<string | number, unknown>,
): string[];
export declare function packagedBinaries(dist: string): string[];
