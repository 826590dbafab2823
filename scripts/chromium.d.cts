import type { Browser, LaunchOptions } from 'playwright-core';

export declare const HEADLESS_ARGS: readonly string[];
export declare function chromiumPath(): Promise<string>;
export declare function launchChromium(options?: LaunchOptions): Promise<Browser>;
