/** Office start-up and the host's theme, for the pane. */

export type ThemeKind = 'light' | 'dark';

export interface HostInfo {
  /** `Outlook` inside Outlook; null when the page was opened outside an Office host. */
  readonly host: string | null;
  readonly platform: string | null;
}

/** Resolves once office.js is initialised. Rejects when office.js did not load at all. */
export function officeReady(): Promise<HostInfo> {
  if (typeof Office === 'undefined') {
    return Promise.reject(new Error('office.js did not load (no network, or blocked by the page).'));
  }
  return Office.onReady().then((info) => ({
    host: info.host ? String(info.host) : null,
    platform: info.platform ? String(info.platform) : null,
  }));
}

/** Relative luminance of a #rrggbb colour, 0 (black) to 1 (white); null if it cannot be read. */
export function luminance(color: string): number | null {
  const m = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color.trim());
  if (!m) return null;
  const [r, g, b] = [m[1], m[2], m[3]].map((hex) => {
    const c = parseInt(hex ?? '0', 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as [number, number, number];
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/**
 * Light or dark, from Office's theme when the host exposes one (`Office.context.officeTheme`),
 * else null (the caller picks its default).
 */
export function officeThemeKind(): ThemeKind | null {
  if (typeof Office === 'undefined') return null;
  const theme = Office.context?.officeTheme as (Office.OfficeTheme & { isDarkTheme?: boolean }) | undefined;
  if (!theme) return null;
  if (typeof theme.isDarkTheme === 'boolean') return theme.isDarkTheme ? 'dark' : 'light';
  const lum = luminance(theme.bodyBackgroundColor ?? '');
  if (lum === null) return null;
  return lum < 0.4 ? 'dark' : 'light';
}
