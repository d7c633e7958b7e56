// The /v1/admin JSON API with the admin token as a Bearer credential (the only thing the console talks to).

/** A non-2xx answer: the HTTP status and the problem+json detail (RFC 9457), or the status text. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail);
    this.status = status;
  }
}

export class AdminApi {
  #token = null;

  /** The admin token sent from now on (null: logged out). */
  set token(value) {
    this.#token = value;
  }

  get(path) {
    return this.#request('GET', path);
  }

  post(path, body) {
    return this.#request('POST', path, body ?? {});
  }

  put(path, body) {
    return this.#request('PUT', path, body);
  }

  delete(path) {
    return this.#request('DELETE', path);
  }

  /**
   * Opens (POST) or closes (DELETE) the cookie session of the admin pages under /admin (the Orleans Dashboard), which the
   * browser opens by navigation: the only requests whose answer may set a cookie, so the only ones with credentials.
   */
  pageSession(open) {
    return this.#request(open ? 'POST' : 'DELETE', '/v1/admin/page-session', open ? {} : undefined, 'same-origin');
  }

  async #request(method, path, body, credentials = 'omit') {
    const headers = { Authorization: `Bearer ${this.#token}`, Accept: 'application/json' };
    const init = { method, headers, cache: 'no-store', credentials };
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    if (!response.ok) {
      let detail = `${response.status} ${response.statusText}`;
      try {
        const problem = await response.json();
        if (problem && typeof problem.detail === 'string') detail = problem.detail;
      } catch {
        // Not problem+json: the status line says enough.
      }
      throw new ApiError(response.status, detail);
    }
    return response.status === 204 ? null : response.json();
  }
}

/** A path segment: IPs, pools and tenant ids go into URLs escaped. */
export function seg(value) {
  return encodeURIComponent(value);
}
