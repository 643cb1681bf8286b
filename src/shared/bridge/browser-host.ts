// How the browser host and its page exchange the bridge token: declared once for both sides.

/** Meta tag in which the host hands each page load its token. */
export const TOKEN_META = 'workstation-bridge-token';
/** Request header carrying the token back (Node lower-cases header names on arrival). */
export const TOKEN_HEADER = 'X-Workstation-Token';
