// The admin token lives in this tab's sessionStorage only: gone when the tab closes, never in a cookie or localStorage.
const key = 'mail.ops.adminToken';

export function savedToken() {
  return sessionStorage.getItem(key);
}

export function saveToken(token) {
  sessionStorage.setItem(key, token);
}

export function forgetToken() {
  sessionStorage.removeItem(key);
}
