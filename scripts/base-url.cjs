'use strict';
/**
 * The one setting that moves the add-in off the dev server: ADDIN_BASE_URL.
 *
 * manifest.xml is written for https://localhost:3000/. A production build (webpack.config.js) copies it to
 * dist/manifest.xml with every occurrence of that prefix replaced by ADDIN_BASE_URL, and the AppDomain
 * (an origin, no trailing slash) replaced by that URL's origin.
 */
const DEV_BASE_URL = 'https://localhost:3000/';
const DEV_ORIGIN = 'https://localhost:3000';

/**
 * Check and normalise a base URL: https, no query or fragment, ends with "/".
 * @param {string | undefined} value
 * @returns {string | null} the normalised URL, or null when value is empty (keep the dev URL)
 */
function parseBaseUrl(value) {
  if (value === undefined || value.trim() === '') return null;
  let url;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`ADDIN_BASE_URL is not a URL: "${value}"`);
  }
  if (url.protocol !== 'https:')
    throw new Error(`ADDIN_BASE_URL must use https (Outlook loads add-ins over https only): "${value}"`);
  if (url.search || url.hash) throw new Error(`ADDIN_BASE_URL must not have a query or fragment: "${value}"`);
  if (url.username || url.password) throw new Error(`ADDIN_BASE_URL must not contain credentials`);
  const href = url.href.endsWith('/') ? url.href : `${url.href}/`;
  return href;
}

/** Escape text for use inside an XML attribute or element. */
function xmlEscape(text) {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * Rewrite the development URLs of a manifest to a base URL.
 * @param {string} xml manifest text written for https://localhost:3000/
 * @param {string} baseUrl a value returned by parseBaseUrl
 */
function rewriteManifest(xml, baseUrl) {
  const origin = new URL(baseUrl).origin;
  const out = xml
    .split(DEV_BASE_URL)
    .join(xmlEscape(baseUrl))
    .split(`<AppDomain>${DEV_ORIGIN}</AppDomain>`)
    .join(`<AppDomain>${xmlEscape(origin)}</AppDomain>`);
  if (new URL(baseUrl).origin !== DEV_ORIGIN && out.includes('localhost:3000')) {
    throw new Error('manifest.xml has a localhost:3000 URL that the base-URL rewrite does not cover');
  }
  return out;
}

module.exports = { DEV_BASE_URL, DEV_ORIGIN, parseBaseUrl, rewriteManifest };
