// The HTTP API (docs/protocol.md, "HTTP API"): every failure becomes an ApiError with a code.

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export async function request(method, path, { body, token } = {}) {
  const headers = {};
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (token) headers.Authorization = `Bearer ${token}`;
  let response;
  try {
    response = await fetch(path, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
      cache: "no-store",
    });
  } catch (failure) {
    throw new ApiError(0, "network", String(failure.message || failure));
  }
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  if (!response.ok) {
    const err = data && data.error ? data.error : { code: "http", message: `HTTP ${response.status}` };
    throw new ApiError(response.status, err.code, err.message);
  }
  return data;
}

export const api = {
  createForum: (body) => request("POST", "/api/forums", { body }),
  templates: () => request("GET", "/api/templates"),
  joinInfo: (code) => request("GET", `/api/join/${encodeURIComponent(code)}`),
  join: (body) => request("POST", "/api/join", { body }),
  me: (token) => request("GET", "/api/me", { token }),
  forum: (id, token) => request("GET", `/api/forums/${encodeURIComponent(id)}`, { token }),
  qrUrl: (code) => `/api/join/${encodeURIComponent(code)}/qr.svg`,
};
