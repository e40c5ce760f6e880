// The conductor's Exports panel: every format of the forum's results to download, and the
// policy brief to open and print (docs/protocol.md, "Results and exports"). The routes need
// the organizer's token in an Authorization header, which a plain link cannot send, so each
// file is fetched and handed to the browser as a blob (a download, or a new tab for the brief).

import { errorText, h } from "./dom.js";
import { t } from "./i18n.js";

const TABLES = ["ideas", "votes", "recommendations", "actions", "connections", "evaluation", "participation"];

/** The Exports card of the conductor for `forumId`, fetched with the organizer's `token`. */
export function exportsCard(forumId, token) {
  const base = `/api/forums/${encodeURIComponent(forumId)}`;
  const status = h("p", { class: "muted", role: "status", "data-testid": "exports-status" });
  const fetchBlob = async (path) => {
    status.textContent = t("exp.preparing");
    const response = await fetch(`${base}/${path}`, { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" });
    if (!response.ok) {
      let code = "http";
      try { code = (await response.json()).error.code; } catch { /* not JSON */ }
      status.textContent = code === "pdf_unavailable" ? t("exp.noPdf") : errorText(code);
      return null;
    }
    status.textContent = "";
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "");
    return { blob: await response.blob(), name: name ? name[1] : path.split("/").pop() };
  };
  const download = (path) => async () => {
    const file = await fetchBlob(path);
    if (!file) return;
    const url = URL.createObjectURL(file.blob);
    const a = h("a", { href: url, download: file.name, hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  };
  const openBrief = async () => {
    const tab = window.open("", "_blank");  // opened on the click, so no pop-up blocker stops it
    const file = await fetchBlob("brief.html");
    if (!file) { tab?.close(); return; }
    const url = URL.createObjectURL(new Blob([file.blob], { type: "text/html" }));
    if (tab) tab.location.href = url; else window.location.href = url;
  };
  const button = (text, onclick, testid) => h("button", { type: "button", class: "btn btn-small", onclick, "data-testid": testid }, text);
  return h("section", { class: "card", "aria-labelledby": "exports-h", "data-testid": "exports" },
    h("h2", { id: "exports-h" }, t("exp.title")),
    h("p", { class: "muted" }, t("exp.hint")),
    h("p", {}, button(t("exp.brief"), openBrief, "export-brief"), " ",
      button(t("exp.pdf"), download("brief.pdf"), "export-pdf")),
    h("p", {}, button(t("exp.json"), download("export.json"), "export-json"), " ",
      button(t("exp.md"), download("export.md"), "export-md")),
    h("p", {}, t("exp.csv"), " ", TABLES.map((table) => [button(t(`exp.table.${table}`), download(`export/${table}.csv`), `export-csv-${table}`), " "])),
    status);
}
